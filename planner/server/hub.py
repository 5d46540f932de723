"""Signing in through JupyterHub: planner as a hub service, the hub's OAuth as a second way in.

The hub decides who a person is (whatever authenticator it uses); planner asks it through OAuth
(jupyterhub.services.auth.HubOAuth: a state cookie signed by this server, PKCE, the code exchanged for
a token with the service's own API token, the token exchanged for the hub user). Then a planner
session is opened exactly as an access key opens one (Store.sign_in_hub), for the planner user mapped
to that hub user, so kernel ownership, the re-check at every action, sign-out and expiry are the
ones of the key sign-in. The hub's token is not kept: after the callback, nothing of the hub is
trusted again, in particular not `JUPYTERHUB_USER` nor the hub's own cookies.
"""

from __future__ import annotations

import hmac
import os
from typing import Any

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.httputil import url_concat

from ..errors import PlannerError
from .identity import log
from .pages import HOME, LoginHandler

_CLIENT: list[Any] = []
# what HubOAuth reads from the environment, lazily: read once at start (configure), then the variables
# leave the environment, so that no kernel inherits the service's API token
_SETTINGS = ("api_token", "api_url", "oauth_client_id", "oauth_redirect_uri", "base_url", "hub_host",
             "hub_prefix", "access_scopes", "cookie_options", "oauth_authorization_url", "oauth_token_url",
             "login_url")


class HubNotConfigured(ValueError):
    """`--hub` without the JUPYTERHUB_* settings of a hub service."""


def configure() -> Any:
    """Make the hub's OAuth client from the JUPYTERHUB_* environment of a hub service (README:
    JupyterHub), then take those variables out of this process's environment."""
    from jupyterhub.services.auth import HubOAuth
    from traitlets import TraitError

    missing = [v for v in ("JUPYTERHUB_API_TOKEN", "JUPYTERHUB_API_URL", "JUPYTERHUB_CLIENT_ID") if not os.getenv(v)]
    if missing:
        raise HubNotConfigured(", ".join(missing))
    try:
        # the user model is asked of the hub at each callback: a cached one could outlive a hub change
        client = HubOAuth(cache_max_age=0)
        for name in _SETTINGS:
            getattr(client, name)
    except TraitError as exc:
        raise HubNotConfigured(str(exc)) from None
    for name in [v for v in os.environ if v.startswith("JUPYTERHUB_")]:
        del os.environ[name]
    _CLIENT[:] = [client]
    return client


def hub_oauth() -> Any:
    """The client `configure` made."""
    if not _CLIENT:
        raise HubNotConfigured("planner serve --hub was not configured")
    return _CLIENT[0]


class HubLoginHandler(LoginHandler):
    """`{base}hub-login`: off to the hub's OAuth authorisation, with a state cookie and PKCE."""

    @allow_unauthenticated
    def get(self) -> None:
        auth = hub_oauth()
        verifier, challenge, method = auth.generate_pkce_code_challenge()
        state = auth.set_state_cookie(self, next_url=self._next(), code_verifier=verifier)
        self.redirect(url_concat(auth.login_url, {"code_challenge": challenge, "code_challenge_method": method,
                                                  "state": state}))

    def post(self) -> None:
        raise web.HTTPError(405)


class HubCallbackHandler(LoginHandler):
    """`{base}oauth_callback`: the hub sends the person back here with a code; they get a planner
    session, or the sign-in page saying why not (a refusal is logged and counts for the throttle)."""

    def _refuse(self, problem: str, why: str, *args: Any) -> None:
        address = self.request.remote_ip or "-"
        self.planner.throttle.fail(address)
        log.warning("sign-in refused: " + why + " from %s", *args, address)
        self._page("throttled" if self.planner.throttle.blocked(address) else problem, 403)

    @allow_unauthenticated
    async def get(self) -> None:
        auth = hub_oauth()
        address = self.request.remote_ip or "-"
        if self.planner.throttle.blocked(address):
            log.warning("sign-in refused: too many failures from %s", address)
            self._page("throttled", 429)
            return
        arg_state = self.get_argument("state", "")
        code = self.get_argument("code", "")
        cookie_state = self.get_secure_cookie(auth.get_state_cookie_name(arg_state),
                                              max_age_days=auth.oauth_state_max_age / 86400)
        # a state serves one sign-in, whatever happens next
        auth.clear_oauth_state_cookies(self)
        state = cookie_state.decode("ascii", "replace") if cookie_state else ""
        if not code or not arg_state or not state or not hmac.compare_digest(arg_state, state):
            self._refuse("hub_failed", "JupyterHub sign-in with a missing or wrong OAuth state")
            return
        next_url = auth.get_next_url(state)
        verifier = auth.get_code_verifier(state)
        auth.clear_oauth_state(state)
        try:
            token = await auth.token_for_code(code, sync=False, code_verifier=verifier)
            model = await auth.user_for_token(token, use_cache=False, sync=False)
        except Exception as exc:  # the hub refused the code, or did not answer: the person tries again
            self._refuse("hub_failed", "JupyterHub did not confirm the sign-in (%s)", type(exc).__name__)
            return
        if not model or not auth.check_scopes(auth.access_scopes, model):
            self._refuse("hub_failed", "the JupyterHub user has no access to this service")
            return
        hub_name = model["name"]
        try:
            session, user = self.planner.store.sign_in_hub(hub_name, self.planner.idle_timeout, self.planner.max_age)
        except PlannerError:
            self._refuse("hub_unmapped", "JupyterHub user %s is not a planner user", hub_name)
            return
        self.planner.start_session(self, session, user, via=f"JupyterHub {hub_name}")
        home = url_path_join(self.base_url, HOME.get(user.role, ""))
        self.redirect(next_url if next_url.startswith(self.base_url) and next_url != auth.base_url else home)

    def post(self) -> None:
        raise web.HTTPError(405)
