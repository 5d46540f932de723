"""Every place where the server replaces something of Voilà's own, beyond its settings: all here.

Voilà 0.5 offers settings for the identity provider, the authorizer and the kernel manager's class
(app.voila_config), but none for these:

- the kernel manager is built through the name `voila.app.voila_kernel_manager_factory`, which
  `Voila.init_settings` looks up in its module: it is replaced by pools.kernel_manager_factory (Voilà's
  own factory, whose pooled manager planner's refills wrap);
- the contents manager is built as `voila.app.LargeFileManager` in `Voila.init_settings`: it is replaced
  by contents.AppContents, which reads the app notebooks without the trust warning at every kernel start;
- the app pages, the handoff socket of warm kernels and the kernel shutdown are routes that
  `Voila.init_handlers` returns with Voilà's handler classes: each is answered by planner's subclass.

pyproject.toml holds Voilà below its next minor release, and tests/test_server_voila_internals.py
fails if any name or signature this package relies on moves.
"""

from __future__ import annotations

from typing import Any

# (module, name, planner's replacement as "module:name"): what `replace_names` assigns
REPLACED_NAMES = (("voila.app", "voila_kernel_manager_factory", "planner.server.pools:kernel_manager_factory"),
                  ("voila.app", "LargeFileManager", "planner.server.contents:AppContents"))


def replace_names() -> None:
    """Put planner's replacements in Voilà's modules (once Voilà is imported, before it starts)."""
    import importlib

    for module, name, ours in REPLACED_NAMES:
        where, attr = ours.split(":")
        setattr(importlib.import_module(module), name, getattr(importlib.import_module(where), attr))


def handler_replacements() -> dict[type, type]:
    """Voilà's handler class -> planner's, for the routes of `Voila.init_handlers`."""
    from voila.request_info_handler import RequestInfoSocketHandler
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.tornado.handler import TornadoVoilaHandler

    from . import kernels

    return {TornadoVoilaHandler: kernels.PlannerVoilaHandler, RequestInfoSocketHandler: kernels.PlannerRequestInfo,
            VoilaShutdownKernelHandler: kernels.PlannerShutdownHandler}


def with_planner_handlers(routes: list[Any]) -> list[Any]:
    """Voilà's routes, each answered by planner's handler where there is one."""
    ours = handler_replacements()
    return [(route[0], ours.get(route[1], route[1]), *route[2:]) for route in routes]
