"""Who is at the screen: an access key from Voilà's query string, else the JupyterHub user.

Identity is decided once, when the app opens. A refusal is returned as data (the AccessDenied the
store raised, already logged there), never as a traceback in the page.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import parse_qs

from ..access import ROLE_LABELS, User
from ..errors import AccessDenied
from ..store import Store


def read_query_string(environ: Mapping[str, str] | None = None) -> str:
    """The page request's query string.

    Under preheated kernels the notebook runs before anyone asks for it, so Voilà's helper blocks
    until the request arrives; without preheating the kernel's environment already holds it.
    """
    env = os.environ if environ is None else environ
    if env.get("VOILA_PREHEAT", "False") != "False":
        from voila.utils import get_query_string

        return get_query_string() or ""
    return env.get("QUERY_STRING", "")


def query_params(query_string: str) -> dict[str, str]:
    """The first value of each parameter; a key given twice is not a second chance."""
    return {k: v[0] for k, v in parse_qs(query_string or "", keep_blank_values=True).items()}


def page_lang(params: dict[str, str]) -> str:
    """The page's language from `?lang=`: English if asked for, Japanese otherwise."""
    return "en" if params.get("lang", "").lower().startswith("en") else "ja"


def identify(store: Store, query_string: str) -> User:
    """The user behind the request; raises AccessDenied (logged by the store) for anyone else.

    A key in the URL wins; without one, the JupyterHub user name (set by the hub, not the person).
    """
    params = query_params(query_string)
    if "key" in params or not os.environ.get("JUPYTERHUB_USER"):
        return store.authenticate(params.get("key"))
    return store.user_from_environment()


def require_secretariat(store: Store, user: User) -> User:
    """Only a secretariat edits a plan here; officers and the contractor have the review app."""
    if user.role == "secretariat" and user.consortium:
        return user
    role_ja, role_en = ROLE_LABELS.get(user.role, (user.role, user.role))
    denied = AccessDenied(
        f"この画面は各コンソーシアム事務局の計画入力用です。{role_ja}の方はレビュー画面"
        "（/voila/render/review.ipynb）をお使いください。",
        f"This screen is for consortium secretariats to edit their plan. As a {role_en}, "
        "please use the review app (/voila/render/review.ipynb).",
    )
    store.log_refusal(denied, user.name, "open_secretariat_app", user.consortium or "-")
    raise denied
