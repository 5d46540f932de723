"""The Voilà apps. `secretariat_app()` is what notebooks/secretariat.ipynb shows.

Imports stay light (no pandas, no openpyxl until a workbook is made) because the first screen's
time counts; under preheated kernels everything before the query string is read runs ahead of time.
"""

from __future__ import annotations

import asyncio
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..desk import Ended
from .identity import Request

if TYPE_CHECKING:
    import ipywidgets

    from ..api import Store

LOADING = ('<div class="pl-loading" role="status" style="padding:24px;font-size:15px;color:#4b5563">'
           '読み込み中… / Loading…</div>')
FAILED = ('<div role="alert" style="max-width:46em;margin:40px auto;padding:8px 12px;'
          'border-left:4px solid #dc2626;background:#fef2f2;color:#7f1d1d">'
          "<p>画面を開けませんでした。時間をおいてページを読み込み直してください。続く場合は管理者に連絡してください。</p>"
          "<p>The screen could not be opened. Reload the page in a moment; if this persists, contact the "
          "administrator.</p></div>")


def ended_screen(message_ja: str, message_en: str, base_url: str = "/") -> str:
    """What replaces an app whose sign-in session is over: why, and the way back to sign in."""
    from html import escape

    login = escape(base_url.rstrip("/") + "/login")
    return ('<div role="alert" class="pl-ended" style="max-width:46em;margin:40px auto;padding:10px 16px;'
            'border-left:4px solid #2563eb;background:#eff6ff;color:#1e3a8a;font-size:15px;line-height:1.6;'
            'font-family:&quot;Noto Sans CJK JP&quot;,&quot;Yu Gothic&quot;,Meiryo,sans-serif">'
            f"<p>{escape(message_ja)}</p><p lang=\"en\">{escape(message_en)}</p>"
            f'<p><a href="{login}" style="display:inline-block;padding:6px 18px;background:#1d4ed8;color:#fff;'
            'border-radius:4px;text-decoration:none">サインイン / Sign in</a></p></div>')


def _open(build: Callable[[Request, Store | None, Ended], ipywidgets.Widget], request: Request | None,
          store: Store | None) -> ipywidgets.Widget:
    """The app's root widget: built at once when the request is given (tests, scripts); in a
    notebook, a light frame returned at once and the app built into it just after the cell ends.

    Voilà holds the page's HTML until the cell has run and the browser only starts loading the
    widget scripts after that, so building the app inside the cell made the person wait for both in
    turn. Built on the kernel's loop right after the cell, the app is ready while the browser loads.
    Once the sign-in session ends (sign-out, expiry, a revoked key, a disabled user), the app's next
    action is refused by its desk and the whole app gives way to a message and the sign-in link.
    """
    import os

    import ipywidgets as ipw

    from ..desk import warm_store
    from .identity import read_request

    frame = ipw.VBox([ipw.HTML(LOADING)])
    if request is None:
        _tracebacks_to_the_log()
        store = store or warm_store()
        request = read_request()  # blocks here until the request, under preheating

    def ended(message_ja: str, message_en: str) -> None:
        frame.children = [ipw.HTML(ended_screen(message_ja, message_en, os.environ.get("VOILA_BASE_URL", "/")))]

    def fill() -> None:
        try:
            frame.children = [build(request, store, ended)]
        except Exception:  # shown as a message; the traceback goes to the server's log, not the page
            # the kernel's sys.stderr is sent to the page; its process's own stderr is the server's log
            traceback.print_exc(file=sys.__stderr__)
            frame.children = [ipw.HTML(FAILED)]

    try:
        asyncio.get_running_loop().call_soon(fill)
    except RuntimeError:  # no kernel loop (a test, a plain script): build now
        fill()
    return frame


def _tracebacks_to_the_log() -> None:
    """In a served kernel, an exception in a widget's handler (a bug, or a message forged to break one)
    is written to the server's log (the kernel process's own stderr), never sent to the page: IPython's
    showtraceback, which ipywidgets calls, and the comm logger send the traceback, with the server's
    paths and source lines, to whoever holds the page's websocket."""
    import logging

    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    shell.showtraceback = lambda *args, **kwargs: traceback.print_exc(file=sys.__stderr__)
    comm_log = logging.getLogger("Comm")
    comm_log.handlers = [logging.StreamHandler(sys.__stderr__)]
    comm_log.propagate = False
    comm_log.setLevel(logging.ERROR)  # not "No such comm: <id>", the browser's ids of closed widgets


def _secretariat(request: Request, store: Store | None, ended: Ended) -> ipywidgets.Widget:
    from .secretariat import SecretariatView, open_session

    model = open_session(request, store, ended)
    view = SecretariatView(model)
    view.render()
    _follow(model)
    return view


def _review(request: Request, store: Store | None, ended: Ended) -> ipywidgets.Widget:
    from .review import ReviewView, open_review

    model = open_review(request, store, ended)
    view = ReviewView(model)
    view.render()
    _follow(model)
    return view


def _follow(model: Any) -> None:
    """The page follows what anyone changes from now on (a refused page has nothing to follow)."""
    follower = getattr(model, "follower", None)
    if follower is not None:
        follower.start()


def secretariat_app(request: Request | None = None, store: Store | None = None) -> ipywidgets.Widget:
    """The secretariat app for the page's request (or for `request`), as a widget to display."""
    from . import secretariat  # noqa: F401  (imported ahead of the request under preheating)

    return _open(_secretariat, request, store)


def review_app(request: Request | None = None, store: Store | None = None) -> ipywidgets.Widget:
    """The review app (programme officer, contractor) for the page's request, as a widget to display."""
    from . import review  # noqa: F401  (imported ahead of the request under preheating)

    return _open(_review, request, store)


__all__ = ["Request", "review_app", "secretariat_app"]
