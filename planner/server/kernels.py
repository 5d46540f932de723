"""Which session each kernel belongs to, and the server's checks that follow from it.

Voilà (0.5) lets whoever knows a kernel id use its websocket, REST and shutdown endpoints, and hands
a warm kernel's request to whoever connects first to `/voila/query/<id>`. Here a kernel is owned by
the session whose page took it, recorded by the server as it hands the kernel over; jupyter_server's
Authorizer (asked by those endpoints) answers for the owner only, and the handoff socket opens only
for the kernel itself, which proves it with the HMAC key of its own connection file.
"""

from __future__ import annotations

import asyncio
import hmac
import os
import secrets
import time
from typing import Any

from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory

from ..errors import PlannerError
from .handoff import KERNEL_PROOF_HEADER, SESSION_ENV, kernel_proof
from .identity import PlainErrors, SessionUser, login_url, with_query, without_key

MAX_KERNELS, MAX_KERNELS_PER_USER = 40, 4
# Refilling the pools (bench/bench_browser.py, README): kernels warming up at once; seconds with no
# page opened before refills start, unless a page waits for one; the longest one kernel's warming may
# hold back the next.
WARMING_AT_ONCE, REFILL_QUIET, WARM_TIMEOUT = 1, 5.0, 120.0

# kernel id -> (session ref, user name); one server process holds all of its kernels
OWNERS: dict[str, tuple[str, str]] = {}
# session ref -> user name, for the sessions that asked for a page
_USERS: dict[str, str] = {}
# user name -> pages being opened: checked against the caps but not yet owning a kernel (a page waits
# for its kernel to warm up, and is recorded as its owner only at the handoff)
OPENING: dict[str, int] = {}


def owner(kernel_id: str | None) -> tuple[str, str] | None:
    return OWNERS.get(kernel_id or "")


def _claim(kernel_id: str, ref: str | None) -> None:
    if ref:
        OWNERS[kernel_id] = (ref, _USERS.get(ref, ""))


def _kernel_id(handler: web.RequestHandler) -> str | None:
    return (getattr(handler, "path_kwargs", None) or {}).get("kernel_id") or getattr(handler, "kernel_id", None)


class PlannerAuthorizer(Authorizer):
    """Kernels answer their owner's session only; everything else, anyone signed in."""

    def is_authorized(self, handler: web.RequestHandler, user: Any, action: str, resource: str) -> bool:
        if not isinstance(user, SessionUser):
            return False
        if resource == "kernels":
            found = owner(_kernel_id(handler))
            return found is not None and hmac.compare_digest(found[0], user.session)
        return True


class PlannerKernelManager(AsyncMappingKernelManager):
    """Kernels that hold no request URL, whose connection files do not carry their ids, and whose
    owner is recorded when a page starts one (without preheating)."""

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
        _claim(kernel_id, ref)
        return kernel_id

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        await super().shutdown_kernel(kernel_id, *args, **kwargs)
        OWNERS.pop(kernel_id, None)


def _warm(content: dict) -> bool:
    """A pooled kernel has run its notebook up to the request (it waits on the handoff socket), or
    its notebook ended without asking (a notebook that reads no request), or failed."""
    return content["kernel_id"] in RequestInfoSocketHandler._waiters or content["task"].done()


def _with_planner_pools(pooled: type) -> type:
    """Voilà's pooled kernel manager, refilled one kernel at a time once pages have stopped opening.

    Voilà refills a pool with every missing kernel at once, a second after a page took one, and a page
    that took a kernel still starting leaves the pool empty until it gets it, so that the pages
    arriving meanwhile start kernels of their own: on a small server several kernels then start and run
    their notebook at once, while the pages just opened (and those arriving) wait for the processor.
    Here the pool is refilled as soon as a page takes a kernel, but the new kernels start only once no
    page has been opened for REFILL_QUIET seconds, and each warms up only when the one before it is
    warm. A page arriving while no kernel is warm waits for the next one, in the order the pages
    arrived; the kernel it waits for starts without waiting for the quiet, ahead of other refills
    (after a restart, a secretariat does not wait for the review app's pool to fill).
    """

    class PlannerPools(pooled):
        def __init__(self, **kwargs: Any) -> None:
            self._turns: list[tuple[asyncio.Future, asyncio.Future]] = []  # (pool entry, its turn), in order
            self._warming_now = 0
            self._closing = False
            self._last_take = float("-inf")  # when a page last took a kernel (monotonic)
            self._wanted: set[asyncio.Future] = set()  # pool entries a page took before they were warm
            super().__init__(**kwargs)

        def _next_turns(self) -> None:
            """Let the next kernels warm up: the one a page waits for first, else the oldest."""
            while self._warming_now < WARMING_AT_ONCE and self._turns:
                i = next((i for i, (entry, _) in enumerate(self._turns) if entry in self._wanted), 0)
                _, turn = self._turns.pop(i)
                if not turn.done():
                    self._warming_now += 1
                    turn.set_result(None)

        async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any) -> dict:
            if kernel_id is not None:  # a restart: Voilà runs the notebook again in the same kernel
                return await super()._initialize(notebook_path, kernel_id, **kwargs)
            me = asyncio.current_task()
            # while pages are opening, their kernels and the server's loop have the processor to themselves
            while not (self._closing or me in self._wanted or time.monotonic() >= self._last_take + REFILL_QUIET):
                await asyncio.sleep(0.1)
            turn = asyncio.get_running_loop().create_future()
            self._turns.append((me, turn))
            self._next_turns()
            try:
                await turn
            except asyncio.CancelledError:
                if turn.done() and not turn.cancelled():  # its turn had come: give it to the next
                    self._warming_now -= 1
                    self._next_turns()
                self._turns = [t for t in self._turns if t[1] is not turn]
                raise
            try:
                if self._closing:
                    raise RuntimeError("the server is stopping")
                content = await super()._initialize(notebook_path, None, **kwargs)
                end = time.monotonic() + WARM_TIMEOUT
                while not (_warm(content) or self._closing or time.monotonic() > end):
                    await asyncio.sleep(0.05)
                return content
            finally:
                self._warming_now -= 1
                self._next_turns()

        async def get_rendered_notebook(self, notebook_name: str, extra_kernel_env_variables: dict | None = None,
                                        **kwargs: Any) -> tuple:
            pool = self._pools.get(notebook_name or "")
            if not pool:
                raise RuntimeError(f"Kernel pool for {notebook_name} is empty!")
            item = pool.pop(0)  # the oldest: the one nearest to warm
            self._last_take = time.monotonic()
            # refilled now, not once this kernel is handed over, so the next page finds one in the pool
            self.fill_if_needed(delay=0, notebook_name=notebook_name,
                                extra_kernel_env_variables=extra_kernel_env_variables or {}, **kwargs)
            if not item.done():
                # a page waits for it: it warms up next, without waiting for the quiet
                self._wanted.add(item)
                item.add_done_callback(self._wanted.discard)
            content = await item
            content["renderer"].stop_generator = True
            self.log.info("Using pre-heated kernel: %s for %s", content["kernel_id"], notebook_name)
            return content["task"], content["renderer"].rendered_cache, content["kernel_id"]

        async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
            self._closing = True  # kernels waiting for their turn to warm are never started
            await super().shutdown_all(*args, **kwargs)

    return PlannerPools


def kernel_manager_factory(base_class: type, preheat_kernel: bool, default_pool_size: int,
                           page_config_hook: Any = None) -> type:
    """What Voilà builds its kernel manager with (voila.app calls it by this name): its own, with
    planner's refills when kernels are preheated."""
    cls = voila_kernel_manager_factory(base_class, preheat_kernel, default_pool_size, page_config_hook)
    return _with_planner_pools(cls) if preheat_kernel else cls


class PlannerRequestInfo(RequestInfoSocketHandler):
    """Voilà's handoff of the page request to a warm kernel, opened only by that kernel; the server
    records the kernel's owner as it hands the request over."""

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

    @classmethod
    def send_updates(cls, msg: dict) -> None:
        payload = msg.get("payload") or {}
        _claim(msg["kernel_id"], payload.get(SESSION_ENV))
        super().send_updates(msg)


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


def _page(title_ja: str, text_ja: str, text_en: str) -> str:
    return (f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{title_ja}</title></head>'
            '<body style="font-family:sans-serif;max-width:40em;margin:10vh auto">'
            f'<p role="alert">{text_ja}</p><p lang="en">{text_en}</p></body></html>')


class PlannerVoilaHandler(PlainErrors, TornadoVoilaHandler):
    """The app pages: a key link signs in and lands on the clean URL; no kernel for anyone not signed
    in, nor beyond the caps; the page's owner is told to the kernel manager."""

    accepts_key_link = True

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

    @web.authenticated
    async def get(self, path: str | None = None) -> None:
        if "key" in self.request.arguments:
            self.redirect(without_key(self.request.uri or ""))
            return
        user: SessionUser = self.current_user  # type: ignore[assignment]
        if "lang" not in self.request.arguments and self._chose_english(user):
            # the page's HTML (<html lang>, the loading text) follows `?lang=` only: the URL says it
            self.redirect(with_query(self.request.uri or "", lang="en"))
            return
        km = self.kernel_manager
        alive = set(km.list_kernel_ids())
        for dead in [k for k in OWNERS if k not in alive]:
            OWNERS.pop(dead, None)
        per_user = self.settings.get("planner_max_kernels_per_user", MAX_KERNELS_PER_USER)
        # the pages still opening count too: a burst of requests while no kernel was warm had each
        # passed the check before any of them owned a kernel (52 kernels for one user, cap 4)
        mine = sum(1 for _, name in OWNERS.values() if name == user.username) + OPENING.get(user.username, 0)
        if mine >= per_user:
            self.set_status(429)
            self.finish(_page(
                "画面の数の上限",
                f"同時に開ける画面は {per_user} つまでです。使っていないタブやウィンドウを閉じてから、"
                "このページを読み込み直してください。",
                f"You can have at most {per_user} pages open at once. Close the tabs or windows "
                "you are not using, then reload this page."))
            return
        if len(alive) + sum(OPENING.values()) >= self.settings.get("planner_max_kernels", MAX_KERNELS):
            self.set_status(503)
            self.finish(_page(
                "混み合っています",
                "ただいま利用者が多く、画面を開けません。数分後にもう一度お試しください。",
                "The server is busy and cannot open another page just now. Please try again in a few minutes."))
            return
        _USERS[user.session] = user.username
        OPENING[user.username] = OPENING.get(user.username, 0) + 1
        try:
            await super().get(path)
        finally:
            OPENING[user.username] -= 1
            if not OPENING[user.username]:
                del OPENING[user.username]
