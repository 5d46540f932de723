"""Which session each kernel belongs to, and the server's checks that follow from it.

Voilà (0.5) lets whoever knows a kernel id use its websocket, REST and shutdown endpoints, and hands
a warm kernel's request to whoever connects first to `/voila/query/<id>`. Here a kernel is owned by
the session whose page took it, recorded by the server as it hands the kernel over; jupyter_server's
Authorizer (asked by those endpoints) answers for the owner only, and the handoff socket opens only
for the kernel itself, which proves it with the HMAC key of its own connection file.

The record is one `KernelOwners` per server: its kernel manager keeps it (`owners`), and the tornado
settings hold the same object as `planner_kernels`, where every handler finds it.
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager
from tornado import web
from traitlets import Bool, Instance, default
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler

from ..errors import PlannerError
from .handoff import KERNEL_PROOF_HEADER, SESSION_ENV, kernel_proof
from .identity import SessionUser
from .pages import (
    BUSY,
    TOO_MANY_PAGES,
    PlainErrors,
    SignInPages,
    arrival,
    login_url,
    notice_page,
    with_query,
    without_key,
)
from .pools import handing_over

MAX_KERNELS, MAX_KERNELS_PER_USER = 40, 4
# seconds a kernel has had no page connected (no websocket) before it counts as a page that is gone: a
# page reloading or on a flaky network reconnects within seconds; one closed without its unload handlers
# (a crashed browser, a killed tab, a laptop put to sleep) never does
PAGE_GONE_AFTER = 60
SETTING = "planner_kernels"  # where the tornado settings hold the server's KernelOwners


class KernelOwners:
    """Which session owns each kernel of one server, and the pages it is opening."""

    def __init__(self) -> None:
        # kernel id -> (session ref, user name)
        self._owners: dict[str, tuple[str, str]] = {}
        # session ref -> user name, for the sessions that asked for a page
        self._users: dict[str, str] = {}
        # user name -> pages being opened: checked against the caps but not yet owning a kernel (a page
        # waits for its kernel to warm up, and is recorded as its owner only at the handoff)
        self._opening: dict[str, int] = {}
        # kernel id -> since when (monotonic) no page has been connected to it; absent while one is
        self._unconnected: dict[str, float] = {}

    def owner(self, kernel_id: str | None) -> tuple[str, str] | None:
        """(session ref, user name) of the kernel's owner; None for a kernel no page has taken."""
        return self._owners.get(kernel_id or "")

    def claim(self, kernel_id: str, ref: str | None) -> None:
        """The session `ref` took this kernel (started for its page, or handed over warm)."""
        if ref:
            self._owners[kernel_id] = (ref, self._users.get(ref, ""))
            # its page connects once it has loaded; until then the kernel waits for it
            self._unconnected.setdefault(kernel_id, time.monotonic())

    def release(self, kernel_id: str) -> None:
        self._owners.pop(kernel_id, None)
        self._unconnected.pop(kernel_id, None)

    def keep_only(self, alive: set[str]) -> None:
        """Forget the kernels that are gone (culled, or stopped without asking)."""
        for dead in [k for k in self._owners if k not in alive]:
            self.release(dead)

    def connections(self, kernel_id: str, count: int) -> None:
        """A page connected to or left this kernel: `count` websockets are connected now."""
        if count > 0:
            self._unconnected.pop(kernel_id, None)
        else:
            self._unconnected.setdefault(kernel_id, time.monotonic())

    def gone_pages(self, username: str, after: float) -> list[str]:
        """The person's kernels that no page has been connected to for `after` seconds: pages gone
        without stopping their kernel."""
        now = time.monotonic()
        return [k for k, (_, name) in self._owners.items()
                if name == username and now - self._unconnected.get(k, now) >= after]

    def pages_of(self, username: str) -> int:
        """The pages a person has: kernels owned and pages still opening."""
        return sum(1 for _, name in self._owners.values() if name == username) + self._opening.get(username, 0)

    def opening(self) -> int:
        """Pages being opened by anyone, not yet owning a kernel."""
        return sum(self._opening.values())

    @contextmanager
    def page(self, user: SessionUser) -> Iterator[None]:
        """While a page is being opened for `user`: counted against the caps, and the warm kernel the
        pools hand over to it (pools.handing_over) is recorded as that session's."""
        self._users[user.session] = user.username
        self._opening[user.username] = self._opening.get(user.username, 0) + 1
        token = handing_over.set(partial(self.claim, ref=user.session))
        try:
            yield
        finally:
            handing_over.reset(token)
            self._opening[user.username] -= 1
            if not self._opening[user.username]:
                del self._opening[user.username]


def owners(handler: web.RequestHandler) -> KernelOwners:
    return handler.settings[SETTING]


def _kernel_id(handler: web.RequestHandler) -> str | None:
    return (getattr(handler, "path_kwargs", None) or {}).get("kernel_id") or getattr(handler, "kernel_id", None)


class PlannerAuthorizer(Authorizer):
    """Kernels answer their owner's session only; everything else, anyone signed in."""

    def is_authorized(self, handler: web.RequestHandler, user: Any, action: str, resource: str) -> bool:
        if not isinstance(user, SessionUser):
            return False
        if resource == "kernels":
            found = owners(handler).owner(_kernel_id(handler))
            return found is not None and hmac.compare_digest(found[0], user.session)
        return True


class PlannerKernel(ServerKernelManager):
    """One kernel. When the server stops it is ended at once, without the interrupt jupyter_client sends
    first: a warm kernel waits inside its notebook for its page, and interrupted there it printed a
    KeyboardInterrupt traceback, then a ZMQError for the reply it could no longer send, into the
    server's log. Its page is going away with the server, and the store's transactions are atomic."""

    async def _async_interrupt_kernel(self) -> None:
        if getattr(self.parent, "stopping", False):
            return
        await super()._async_interrupt_kernel()


class PlannerKernelManager(AsyncMappingKernelManager):
    """Kernels that hold no request URL, whose connection files do not carry their ids, and whose
    owner is recorded when a page starts one (without preheating); at the server's stop they are ended
    at once, each with one log line (jupyter_server's 「Kernel shutdown」)."""

    owners = Instance(KernelOwners, args=(), help="Who owns each kernel (the tornado settings' planner_kernels).")
    stopping = Bool(False, help="The server is stopping: kernels are ended without an interrupt.")

    @default("kernel_manager_class")
    def _default_kernel_manager_class(self) -> str:
        return f"{PlannerKernel.__module__}.{PlannerKernel.__qualname__}"

    async def shutdown_all(self, now: bool = False) -> None:
        """The server's stop (Voilà calls this once its loop has stopped)."""
        self.stopping = True
        await super().shutdown_all(now=True)

    def pre_start_kernel(self, kernel_name: str | None, kwargs: Any) -> Any:
        km, name, kernel_id = super().pre_start_kernel(kernel_name, kwargs)
        # `ps` shows the connection file: a name unrelated to the kernel id
        stem = os.path.join(self.connection_dir, f"kernel-{secrets.token_hex(12)}")
        km.connection_file = f"{stem}.json"
        if km.transport == "ipc":
            # the kernel's sockets are files beside it, in Voilà's private folder (0700): over TCP on
            # 127.0.0.1 any local user could subscribe to a kernel's output (every plan it shows)
            km.ip = f"{stem}-ipc"
        return km, name, kernel_id

    async def start_kernel(self, *, kernel_id: str | None = None, path: Any = None, **kwargs: Any) -> str:
        env = kwargs.get("env")
        ref = None
        if isinstance(env, dict):
            env = dict(env)
            # Voilà starts the next warm kernel with the previous visitor's URL in it
            env.pop("VOILA_REQUEST_URL", None)
            ref = env.get(SESSION_ENV)
            kwargs["env"] = env
        kernel_id = await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        self.owners.claim(kernel_id, ref)
        return kernel_id

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        await super().shutdown_kernel(kernel_id, *args, **kwargs)
        self.owners.release(kernel_id)

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self.owners.connections(kernel_id, self._kernel_connections.get(kernel_id, 0))

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        if kernel_id in self._kernel_connections:
            self.owners.connections(kernel_id, self._kernel_connections[kernel_id])


class PlannerRequestInfo(RequestInfoSocketHandler):
    """Voilà's handoff of the page request to a warm kernel, opened only by that kernel (the kernel's
    owner is recorded as the pools hand it to a page: pools.handing_over)."""

    async def get(self, *args: Any, **kwargs: Any) -> None:
        kernel_id = kwargs.get("kernel_id") or (args[0] if args else "")
        km = self.settings["kernel_manager"]
        try:
            key = km.get_kernel(kernel_id).session.key
        except KeyError:
            raise web.HTTPError(403) from None
        proof = self.request.headers.get(KERNEL_PROOF_HEADER, "")
        if not key or not hmac.compare_digest(proof, kernel_proof(key, kernel_id)):
            raise web.HTTPError(403)
        await super().get(*args, **kwargs)

    def open(self, kernel_id: str) -> None:
        super().open(kernel_id)
        # the kernel has run its notebook up to the request: from now on a page gets it at once
        self.settings["identity_provider"].log.info("planner: a warm kernel waits for its page")


class PlannerShutdownHandler(VoilaShutdownKernelHandler):
    """The page's own request to stop its kernel when it is closed.

    Voilà's shutdown request carries no _xsrf (voila#1458), so it was always refused and every page's
    kernel stayed up until culled. The session cookie is SameSite=Lax, so another site cannot send
    this POST with it, and only the kernel's owner is allowed: the XSRF token adds nothing here."""

    def check_xsrf_cookie(self) -> None:
        return None

    @web.authenticated
    async def post(self, kernel_id: str) -> None:
        self.kernel_id = kernel_id  # its route names the kernel by position, not as kernel_id=
        if not self.authorizer.is_authorized(self, self.current_user, "write", "kernels"):
            raise web.HTTPError(403)
        await super().post(kernel_id)


class PlannerVoilaHandler(SignInPages, PlainErrors, TornadoVoilaHandler):
    """The app pages: an older `?key=` link signs in (or asks first, from another site) and lands on the
    clean URL; no kernel for anyone not signed in, nor beyond the caps; the page's owner is recorded as
    it takes a kernel."""

    def _chose_english(self, user: SessionUser) -> bool:
        """Whether the person chose English last time (planner.app.identity.user_lang)."""
        try:
            return self.identity_provider.store.language(user.username) == "en"  # type: ignore[attr-defined]
        except PlannerError:
            return False

    def get_login_url(self) -> str:
        # the default appends next=<this URL>, which would carry a wrong key on to the sign-in page
        lang = self.get_query_argument("lang", "")
        return login_url(self.base_url, without_key(self.request.uri or ""), getattr(self, "planner_problem", ""),
                         "en" if lang.startswith("en") else "")

    def _refused(self, next_url: str) -> None:
        self.redirect(self.get_login_url())

    @allow_unauthenticated  # a key link arrives without a session; the page itself asks for one (_open)
    async def get(self, path: str | None = None) -> None:
        if "key" in self.request.arguments:
            self.answer_key(self.get_argument("key", ""), without_key(self.request.uri or ""),
                            ask=arrival(self) == "cross-site")
            return
        if self.current_user is None:  # the sign-in page, then back here
            self.redirect(self.get_login_url())
            return
        await self._open(path)

    async def _open(self, path: str | None) -> None:
        self.xsrf_token  # noqa: B018 -- sets the _xsrf cookie the page's sign-out button posts with
        # whether this page came from another site, for its script to pass on with a `#key=` made by hand
        self.set_header("Server-Timing", f'planner-arrival;desc="{arrival(self)}"')
        user: SessionUser = self.current_user  # type: ignore[assignment]
        if "lang" not in self.request.arguments and self._chose_english(user):
            # the page's HTML (<html lang>, the loading text) follows `?lang=` only: the URL says it
            self.redirect(with_query(self.request.uri or "", lang="en"))
            return
        record = owners(self)
        alive = set(self.kernel_manager.list_kernel_ids())
        record.keep_only(alive)
        per_user = self.settings.get("planner_max_kernels_per_user", MAX_KERNELS_PER_USER)
        if record.pages_of(user.username) >= per_user:
            await self._stop_gone_pages(record, user.username)
        # the pages still opening count too: a burst of requests while no kernel was warm had each
        # passed the check before any of them owned a kernel (52 kernels for one user, cap 4)
        if record.pages_of(user.username) >= per_user:
            self.set_status(429)
            self.finish(notice_page(*TOO_MANY_PAGES, cap=per_user))
            return
        if len(alive) + record.opening() >= self.settings.get("planner_max_kernels", MAX_KERNELS):
            self.set_status(503)
            self.finish(notice_page(*BUSY))
            return
        with record.page(user):
            await super().get(path)

    async def _stop_gone_pages(self, record: KernelOwners, username: str) -> None:
        """At the cap, the person's own kernels whose pages are gone are stopped first: only live pages
        count (a crashed browser's four pages had refused the person for up to 30 minutes)."""
        gone = record.gone_pages(username, self.settings.get("planner_page_gone_after", PAGE_GONE_AFTER))
        for kernel_id in gone:
            try:
                await self.kernel_manager.shutdown_kernel(kernel_id)
            except KeyError:  # stopped meanwhile (culled, or its page's own shutdown)
                record.release(kernel_id)
        if gone:
            self.identity_provider.log.info(
                "planner: %s reached the cap of pages; stopped %d kernel(s) whose pages were gone", username, len(gone))
