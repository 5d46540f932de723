"""Every place where the server replaces something of Voilà's own, beyond its settings: all here.

Voilà 0.5 offers settings for the identity provider, the authorizer and the kernel manager's class
(app.voila_config), but none for these:

- the kernel manager is built through the name `voila.app.voila_kernel_manager_factory`, which
  `Voila.init_settings` looks up in its module: it is replaced by pools.kernel_manager_factory (Voilà's
  own factory, whose pooled manager planner's refills wrap);
- the contents manager is built as `voila.app.LargeFileManager` in `Voila.init_settings`: it is replaced
  by contents.AppContents, which reads the app notebooks without the trust warning at every kernel start;
- the app pages, the handoff socket of warm kernels, the kernel shutdown and the templates' static
  files are routes that `Voila.init_handlers` returns with Voilà's handler classes: each is answered by
  planner's subclass;
- every other route answered by a jupyter_server handler gets planner's error page (pages.PlainErrors):
  jupyter_server's own needs templates and settings Voilà does not have, so any refusal there (a POST
  without its XSRF token, a theme path that does not exist) became a 500 with two tracebacks.

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
    from voila.static_file_handler import TemplateStaticFileHandler
    from voila.tornado.handler import TornadoVoilaHandler

    from . import kernels, static

    return {TornadoVoilaHandler: kernels.PlannerVoilaHandler, RequestInfoSocketHandler: kernels.PlannerRequestInfo,
            VoilaShutdownKernelHandler: kernels.PlannerShutdownHandler,
            TemplateStaticFileHandler: static.PlannerTemplateStatic}


_PLAIN: dict[type, type] = {}


def plain_errors(cls: Any) -> Any:
    """A jupyter_server handler class that writes its errors as planner's short page; others as given."""
    from jupyter_server.base.handlers import JupyterHandler

    from .pages import PlainErrors

    if not isinstance(cls, type) or not issubclass(cls, JupyterHandler) or issubclass(cls, PlainErrors):
        return cls
    if cls not in _PLAIN:
        _PLAIN[cls] = type(cls.__name__, (PlainErrors, cls), {"__module__": __name__, "__doc__": cls.__doc__})
    return _PLAIN[cls]


def with_planner_handlers(routes: list[Any]) -> list[Any]:
    """Voilà's routes, each answered by planner's handler where there is one, and with planner's error
    page wherever jupyter_server's would be used."""
    ours = handler_replacements()
    return [(route[0], plain_errors(ours.get(route[1], route[1])), *route[2:]) for route in routes]
