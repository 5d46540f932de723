"""Who is at the screen: the sign-in session the server handed to this kernel with the request.

The kernel never reads a key or anything the browser could forge: the server checked the session
cookie and set the session's ref in the request it passes on (handoff.SESSION_HEADER, through Voilà's
`http_header_envs`). Without preheating it is in the kernel's environment; under preheating it comes
through Voilà's handoff socket, which answers this kernel only once it proves who it is (server/kernels.py).
Identity is decided once, when the app opens: the page gets the person's desk, which re-checks the
session at every action. A refusal is returned as data (the AccessDenied the desk raised and logged).
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

from ..access import ROLE_LABELS, User
from ..desk import Desk
from ..errors import AccessDenied, PlannerError, SessionEnded
from ..server.handoff import KERNEL_PROOF_HEADER, SESSION_ENV, kernel_proof


@dataclass(frozen=True)
class Request:
    """What the app learns of the page request: its query string (the page's choices: year,
    language) and the session the server signed in (None if there is none)."""

    query_string: str = ""
    session: str | None = None


def _from_handoff(env: Mapping[str, str]) -> dict[str, str]:
    """The request Voilà hands a warm kernel, asked for with this kernel's proof of identity."""
    import websockets
    from IPython import get_ipython

    kernel_id = env.get("VOILA_KERNEL_ID", "")
    key = get_ipython().kernel.session.key
    base = env.get("VOILA_WS_BASE_URL") or env.get("VOILA_SERVER_URL", "/")
    url = f"ws://127.0.0.1:{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{kernel_id}"
    received: list[str] = []

    async def ask() -> None:
        headers = {KERNEL_PROOF_HEADER: kernel_proof(key, kernel_id)}
        async with websockets.connect(url, additional_headers=headers, open_timeout=10) as ws:
            received.append(await ws.recv())

    # the kernel's own loop is busy running this cell: the wait runs on a loop of its own
    thread = threading.Thread(target=lambda: asyncio.run(ask()))
    thread.start()
    thread.join()
    return json.loads(received[0]) if received else {}


def read_request(environ: Mapping[str, str] | None = None) -> Request:
    """The page request this kernel serves. Under preheated kernels the notebook runs before anyone
    asks for it, so this blocks until the request arrives."""
    env = os.environ if environ is None else environ
    info: Mapping[str, str] = _from_handoff(env) if env.get("VOILA_PREHEAT", "False") != "False" else env
    return Request(info.get("QUERY_STRING", "") or "", info.get(SESSION_ENV) or None)


def query_params(query_string: str) -> dict[str, str]:
    """The first value of each parameter; a parameter given twice is not a second chance."""
    return {k: v[0] for k, v in parse_qs(query_string or "", keep_blank_values=True).items()}


def page_lang(params: dict[str, str]) -> str:
    """The page's language from `?lang=`: English if asked for, Japanese otherwise."""
    return "en" if params.get("lang", "").lower().startswith("en") else "ja"


def user_lang(desk: Desk, params: dict[str, str]) -> str:
    """The language a signed-in person's page opens in: the URL's `?lang=` if it names one (this page
    only: a link someone sent does not change what the person chose), else the one they last chose with
    the buttons (planner serve sends them on to `?lang=en` first, so `<html lang>` says it too), else
    Japanese."""
    if "lang" in params:
        return page_lang(params)
    return desk.language() or "ja"


def remember_lang(desk: Desk, lang: str) -> None:
    """Keep the language the person chose with the 日本語 / English buttons for the next time they open
    an app (the page's script also puts it in the address, so a reload keeps it)."""
    try:
        if desk.language() != lang:
            desk.set_language(lang)
    except SessionEnded:
        raise  # the page gives way to the sign-in message, as after any action
    except PlannerError:  # a convenience only: the page goes on in the language chosen
        pass


def require_secretariat(desk: Desk) -> User:
    """Only a secretariat edits a plan here; officers and the contractor have the review app."""
    user = desk.user
    if user.role == "secretariat" and user.consortium:
        return user
    role_ja, role_en = ROLE_LABELS.get(user.role, (user.role, user.role))
    raise desk.refuse(AccessDenied(
        f"この画面は各コンソーシアム事務局の計画入力用です。{role_ja}の方はレビュー画面"
        "（/voila/render/review.ipynb）をお使いください。",
        f"This screen is for consortium secretariats to edit their plan. As a {role_en}, "
        "please use the review app (/voila/render/review.ipynb).",
    ), "open_secretariat_app", user.consortium or "-")
