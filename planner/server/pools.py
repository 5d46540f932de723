"""Warm kernels: Voilà's pools of preheated kernels, refilled one kernel at a time.

A page that takes a warm kernel is its owner from then on: the page's handler says who is asking
(`handing_over`, set by kernels.KernelOwners.page) and the pools record it as they hand the kernel over.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from voila.request_info_handler import RequestInfoSocketHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory

# Refilling the pools (bench/bench_browser.py, README): kernels warming up at once; seconds with no
# page opened before refills start, unless a page waits for one; the longest one kernel's warming may
# hold back the next.
WARMING_AT_ONCE, REFILL_QUIET, WARM_TIMEOUT = 1, 5.0, 120.0

# Within the request of a page being opened: what records the warm kernel handed to it as that page's
# session's. Voilà asks the kernel manager for a kernel from inside the page's request and passes it
# nothing of who asks; a context variable belongs to that request alone.
handing_over: ContextVar[Callable[[str], None] | None] = ContextVar("planner_handing_over", default=None)


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
            claim = handing_over.get()
            if claim is not None:  # the page's session owns this kernel before the page names it
                claim(content["kernel_id"])
            content["renderer"].stop_generator = True
            self.log.info("Using pre-heated kernel: %s for %s", content["kernel_id"], notebook_name)
            return content["task"], content["renderer"].rendered_cache, content["kernel_id"]

        async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
            self._closing = True  # kernels waiting for their turn to warm are never started
            # Voilà's pools end the warm kernels with the arguments given here: at once, like the others
            self.stopping = True
            await super().shutdown_all(now=True)

    return PlannerPools


def kernel_manager_factory(base_class: type, preheat_kernel: bool, default_pool_size: int,
                           page_config_hook: Any = None) -> type:
    """What Voilà builds its kernel manager with (voila.app calls it by this name): its own, with
    planner's refills when kernels are preheated."""
    cls = voila_kernel_manager_factory(base_class, preheat_kernel, default_pool_size, page_config_hook)
    return _with_planner_pools(cls) if preheat_kernel else cls


