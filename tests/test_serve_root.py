"""What `planner serve` exposes: the app notebooks only, never the analysts' notebooks."""

from __future__ import annotations

from planner.server import app as serve


def test_app_root_holds_only_the_apps():
    root = serve.app_root(serve.NOTEBOOKS)
    try:
        names = sorted(p.name for p in root.iterdir())
        assert names == sorted(n for n in serve.APPS.values() if (serve.NOTEBOOKS / n).exists())
        assert "analysis.ipynb" not in names and "new_fiscal_year.ipynb" not in names
        assert (serve.NOTEBOOKS / "analysis.ipynb").exists()  # it is there, just not served
    finally:
        for p in root.iterdir():
            p.unlink()
        root.rmdir()


def test_only_the_served_apps_get_warm_kernels():
    c = serve.voila_config(8866, serve.NOTEBOOKS, 2, ("secretariat.ipynb",))
    pools = c.VoilaKernelManager.kernel_pools_config
    assert pools == {"default": {"pool_size": 0}, "secretariat.ipynb": {
        "pool_size": 2, "kernel_env_variables": {"PLANNER_APP": "secretariat.ipynb"}}}
