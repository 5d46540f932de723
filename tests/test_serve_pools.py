"""How `planner serve` refills its pools of warm kernels (planner.server.pools): one kernel warms up at a
time, a page that takes a kernel leaves the next one in the pool, and a stopping server starts none.

Voilà's pooled kernel manager is replaced by a stand-in with the same few methods, whose kernels are
"warm" once they reach the handoff socket, as a real app kernel does when its notebook reads the
request. Nothing here is timed: only the order of events is checked.
"""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import pytest
from voila.request_info_handler import RequestInfoSocketHandler

from planner.cli import build_parser
from planner.server import app as serve
from planner.server import kernels, pools

NB = "secretariat.ipynb"


class VoilaPools:
    """What PlannerPools relies on in Voilà's VoilaKernelManager (0.5): `_pools` of tasks, each
    resolving to a kernel's {kernel_id, task, renderer}, `fill_if_needed` and `_initialize`."""

    size = 3

    def __init__(self, **kwargs):
        self.log = logging.getLogger("test_serve_pools")
        self._pools: dict[str, list[asyncio.Task]] = {}
        self.events: list[tuple[str, str]] = []  # ("start" | "warm", kernel id), in order
        self.warming: set[str] = set()
        self.most_warming = 0

    def fill_if_needed(self, delay=None, notebook_name=None, extra_kernel_env_variables=None, **kwargs):
        pool = self._pools.setdefault(notebook_name, [])
        for _ in range(self.size - len(pool)):
            pool.append(asyncio.ensure_future(self._initialize(notebook_name)))

    async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
        kid = f"k{sum(1 for e in self.events if e[0] == 'start')}"
        self.events.append(("start", kid))
        self.warming.add(kid)
        self.most_warming = max(self.most_warming, len(self.warming))

        async def run_notebook():  # imports, opens the store, then waits for its request
            for _ in range(5):
                await asyncio.sleep(0)
            self.warming.discard(kid)
            self.events.append(("warm", kid))
            RequestInfoSocketHandler._waiters[kid] = object()
            await asyncio.Event().wait()

        return {"kernel_id": kid, "task": asyncio.ensure_future(run_notebook()),
                "renderer": SimpleNamespace(stop_generator=False, rendered_cache=[])}

    async def shutdown_all(self, *args, **kwargs):
        for pool in self._pools.values():
            for item in pool:
                try:
                    content = await item
                except Exception:
                    continue
                content["task"].cancel()


@pytest.fixture(autouse=True)
def handoff_waiters(monkeypatch):
    monkeypatch.setattr(RequestInfoSocketHandler, "_waiters", {})
    monkeypatch.setattr(pools, "REFILL_QUIET", 0.0)


def manager():
    return pools._with_planner_pools(VoilaPools)()


def test_kernels_warm_up_one_at_a_time_in_order():
    async def fill():
        km = manager()
        km.fill_if_needed(notebook_name=NB)
        await asyncio.gather(*km._pools[NB])
        return km

    km = asyncio.run(fill())
    assert km.most_warming == 1
    assert km.events == [("start", "k0"), ("warm", "k0"), ("start", "k1"), ("warm", "k1"),
                         ("start", "k2"), ("warm", "k2")]


def test_a_page_that_takes_a_kernel_leaves_the_next_one_in_the_pool():
    async def take_while_warming():
        km = manager()
        km.fill_if_needed(notebook_name=NB)
        # a page arrives before any kernel is warm: it waits for the first, and the pool is refilled at
        # once, so a page arriving meanwhile is given a pooled kernel too, not one started beside them
        first = asyncio.ensure_future(km.get_rendered_notebook(NB))
        await asyncio.sleep(0)
        size_while_waiting = len(km._pools[NB])
        second = asyncio.ensure_future(km.get_rendered_notebook(NB))
        (_, _, k_first), (_, _, k_second) = await asyncio.gather(first, second)
        await asyncio.gather(*km._pools[NB])
        await km.shutdown_all()
        return km, size_while_waiting, k_first, k_second

    km, size_while_waiting, k_first, k_second = asyncio.run(take_while_warming())
    assert size_while_waiting == VoilaPools.size
    assert (k_first, k_second) == ("k0", "k1")  # in the order the pages arrived
    assert km.most_warming == 1
    assert sum(1 for e in km.events if e[0] == "start") == 2 + VoilaPools.size


def test_refills_wait_until_pages_stop_opening_unless_a_page_waits(monkeypatch):
    monkeypatch.setattr(pools, "REFILL_QUIET", 3600.0)

    async def pages():
        km = manager()
        km.fill_if_needed(notebook_name=NB)
        await asyncio.gather(*km._pools[NB])
        taken = [await km.get_rendered_notebook(NB) for _ in range(VoilaPools.size)]  # three pages at once
        await asyncio.sleep(0.5)
        started_meanwhile = [e for e in km.events if e[0] == "start"][VoilaPools.size:]
        # a fourth page finds no warm kernel: the refill it takes starts now, the other two still wait
        _, _, fourth = await km.get_rendered_notebook(NB)
        await km.shutdown_all()
        return km, taken, started_meanwhile, fourth

    km, taken, started_meanwhile, fourth = asyncio.run(pages())
    assert [t[2] for t in taken] == ["k0", "k1", "k2"]
    assert started_meanwhile == []
    assert fourth == "k3"
    assert [e for e in km.events if e[0] == "start"] == [("start", f"k{i}") for i in range(4)]


def test_the_kernel_a_page_waits_for_warms_up_next():
    async def restart_then_a_page():
        km = manager()
        km.fill_if_needed(notebook_name="review.ipynb")  # filled first, as Voilà may after a restart
        km.fill_if_needed(notebook_name=NB)
        await asyncio.sleep(0)
        _, _, kernel = await km.get_rendered_notebook(NB)
        await km.shutdown_all()
        return km, kernel

    km, kernel = asyncio.run(restart_then_a_page())
    # the first review kernel was already warming; the secretariat's page does not wait for the other two
    assert kernel == "k1"
    assert km.events[:3] == [("start", "k0"), ("warm", "k0"), ("start", "k1")]
    assert km.most_warming == 1


def test_a_stopping_server_starts_no_more_kernels():
    async def stop_while_filling():
        km = manager()
        km.fill_if_needed(notebook_name=NB)
        await asyncio.sleep(0)  # the first kernel is starting; the other two wait for their turn
        await km.shutdown_all()
        return km

    km = asyncio.run(stop_while_filling())
    assert [e for e in km.events if e[0] == "start"] == [("start", "k0")]


def test_the_pool_size_and_refill_reach_voila():
    c = serve.voila_config(8866, serve.NOTEBOOKS, serve.POOL_SIZE)
    assert c.VoilaConfiguration.default_pool_size == serve.POOL_SIZE
    assert c.VoilaKernelManager.fill_delay == 0
    pools = c.VoilaKernelManager.kernel_pools_config
    for app in serve.APPS.values():
        assert pools[app] == {"pool_size": serve.POOL_SIZE, "kernel_env_variables": {"PLANNER_APP": app}}
    args = build_parser().parse_args(["serve"])
    assert args.pool_size == serve.POOL_SIZE


def test_voila_builds_planners_kernel_manager_when_preheating():
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    pooled = pools.kernel_manager_factory(kernels.PlannerKernelManager, True, 2)
    assert issubclass(pooled, kernels.PlannerKernelManager) and pooled.__name__ == "PlannerPools"
    plain = pools.kernel_manager_factory(kernels.PlannerKernelManager, False, 0)
    assert issubclass(plain, AsyncMappingKernelManager) and plain.__name__ != "PlannerPools"
