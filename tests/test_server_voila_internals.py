"""What planner.server relies on inside Voilà and jupyter_server, beyond their documented settings.

The sign-in and the kernel ownership are built on names that Voilà does not promise to keep
(planner/server/internals.py lists the ones replaced). Each test here names what it found changed, so
that an upgrade that moves one fails here, loudly, rather than silently undoing a check of the server.
No server is started.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest

VOILA_RANGE = ((0, 5, 6), (0, 6))


def changed(what: str) -> None:
    pytest.fail(f"Voilà/jupyter_server internal changed: {what}. planner.server relies on it (see "
                "planner/server/internals.py, kernels.py, pools.py); fix the server before allowing this version "
                "(pyproject.toml holds voila>=0.5.6,<0.6).", pytrace=False)


def attribute(dotted: str) -> Any:
    """`module:attr.attr` -> the object, or a clear failure."""
    module, _, path = dotted.partition(":")
    try:
        obj: Any = importlib.import_module(module)
    except ImportError as exc:
        changed(f"module {module} cannot be imported ({exc})")
    for part in path.split(".") if path else ():
        if not hasattr(obj, part):
            changed(f"{dotted} is missing ({part!r} not found)")
        obj = getattr(obj, part)
    return obj


def parameters(dotted: str) -> list[str]:
    return list(inspect.signature(attribute(dotted)).parameters)


def expect_parameters(dotted: str, expected: list[str]) -> None:
    found = parameters(dotted)
    if found[: len(expected)] != expected:
        changed(f"{dotted} takes {found}, planner expects {expected}")


def expect_in_source(dotted: str, *needles: str) -> None:
    source = inspect.getsource(attribute(dotted))
    for needle in needles:
        if needle not in source:
            changed(f"{dotted} no longer contains {needle!r}")


def test_voila_is_in_the_range_the_server_was_checked_with():
    import voila

    version = tuple(int(p) for p in voila.__version__.split(".")[:3] if p.isdigit())
    if not (VOILA_RANGE[0] <= version < VOILA_RANGE[1]):
        changed(f"voila {voila.__version__} is outside >=0.5.6,<0.6")


def test_the_names_replaced_in_voilas_modules_are_still_looked_up_there():
    from planner.server import internals

    for module, name, ours in internals.REPLACED_NAMES:
        attribute(f"{module}:{name}")
        if parameters(f"{module}:{name}") != parameters(ours):
            changed(f"{module}.{name} takes {parameters(f'{module}:{name}')}, "
                    f"its replacement {ours} takes {parameters(ours)}")
    # Voila.init_settings builds the kernel manager through the module's name (not an import of its own)
    expect_in_source("voila.app:Voila.init_settings", "voila_kernel_manager_factory(",
                     "self.voila_configuration.multi_kernel_manager_class")
    expect_parameters("voila.voila_kernel_manager:voila_kernel_manager_factory",
                      ["base_class", "preheat_kernel", "default_pool_size", "page_config_hook"])


def test_replace_names_puts_planners_factory_in_voila_app():
    import voila.app

    from planner.server import contents, internals, pools

    internals.replace_names()
    assert voila.app.voila_kernel_manager_factory is pools.kernel_manager_factory
    assert voila.app.LargeFileManager is contents.AppContents


def test_the_trust_check_planner_skips_is_where_it_was():
    """contents.AppContents: Voilà builds its contents manager by the name in its module, and the
    notebook's trust is checked (and its warning logged) in mark_trusted_cells as a notebook is read."""
    from jupyter_server.services.contents.largefilemanager import LargeFileManager

    from planner.server.contents import AppContents

    expect_in_source("voila.app:Voila.init_settings", "LargeFileManager(parent=self)")
    expect_in_source("jupyter_server.services.contents.filemanager:FileContentsManager._notebook_model",
                     "self.mark_trusted_cells(")
    expect_parameters("jupyter_server.services.contents.manager:ContentsManager.mark_trusted_cells",
                      ["self", "nb", "path"])
    assert issubclass(AppContents, LargeFileManager)


def test_the_stop_planner_makes_quiet_is_where_it_was():
    """kernels.PlannerKernel: jupyter_client interrupts a kernel before it shuts it down, by this name;
    Voilà stops on SIGTERM through _handle_signal_stop and ends the kernels in stop."""
    expect_in_source("jupyter_client.manager:KernelManager._async_shutdown_kernel", "self._async_interrupt_kernel()")
    expect_in_source("voila.app:Voila.initialize", "signal.SIGTERM, self._handle_signal_stop")
    expect_in_source("voila.app:Voila.stop", "self.kernel_manager.shutdown_all")
    expect_in_source("voila.app:Voila.listen", "self.ioloop = ", "self.stop()")
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    from planner.server.kernels import PlannerKernel, PlannerKernelManager

    assert issubclass(PlannerKernel, ServerKernelManager)
    assert PlannerKernelManager().kernel_manager_class.endswith("kernels.PlannerKernel")


def test_the_routes_planner_answers_are_voilas_own_classes():
    import voila.app

    from planner.server import internals

    replaced = internals.handler_replacements()
    for voila_class, ours in replaced.items():
        if getattr(voila.app, voila_class.__name__, None) is not voila_class:
            changed(f"voila.app no longer routes {voila_class.__name__} from {voila_class.__module__}")
        if not issubclass(ours, voila_class):
            changed(f"{ours.__name__} is not a {voila_class.__name__}")
    expect_in_source("voila.app:Voila.init_handlers", *(c.__name__ for c in replaced))
    routes = internals.with_planner_handlers([("/a", next(iter(replaced)), {"x": 1}), ("/b", object)])
    assert routes[0][1] is replaced[next(iter(replaced))] and routes[0][2] == {"x": 1} and routes[1][1] is object


def test_the_handlers_planner_subclasses_keep_their_signatures():
    expect_parameters("voila.tornado.handler:TornadoVoilaHandler.get", ["self", "path"])
    expect_parameters("voila.shutdown_kernel_handler:VoilaShutdownKernelHandler.post", ["self", "kernel_id"])
    expect_parameters("voila.static_file_handler:TemplateStaticFileHandler.parse_url_path", ["self", "path"])
    expect_parameters("voila.request_info_handler:RequestInfoSocketHandler.open", ["self", "kernel_id"])
    expect_parameters("voila.request_info_handler:RequestInfoSocketHandler.get", ["self", "args", "kwargs"])
    waiters = attribute("voila.request_info_handler:RequestInfoSocketHandler._waiters")
    if not isinstance(waiters, dict):
        changed("RequestInfoSocketHandler._waiters is no longer a dict of kernel id -> waiting socket")
    expect_in_source("voila.request_info_handler:RequestInfoSocketHandler.open", "_waiters[kernel_id]")


def test_a_page_asks_the_kernel_manager_for_its_warm_kernel_from_inside_its_request():
    """pools.handing_over: the pooled kernel is claimed for the page's session in the page's request,
    and the kernel learns who is there from the headers Voilà passes on (http_header_envs)."""
    expect_in_source("voila.handler:VoilaHandler.get_generator", "self.kernel_manager.get_rendered_notebook(",
                     "http_header_envs", "self.request.headers.get(")
    from voila.utils import ENV_VARIABLE

    if ENV_VARIABLE.VOILA_REQUEST_URL != "VOILA_REQUEST_URL":
        changed("the kernel environment's VOILA_REQUEST_URL has another name")


def test_voilas_pooled_kernel_manager_has_what_planners_pools_wrap():
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    pooled = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    for name, expected in (("_initialize", ["self", "notebook_path", "kernel_id"]),
                           ("get_rendered_notebook", ["self", "notebook_name", "extra_kernel_env_variables"]),
                           ("fill_if_needed", ["self", "delay", "notebook_name"]),
                           ("shutdown_all", ["self"])):
        if not hasattr(pooled, name):
            changed(f"Voilà's pooled kernel manager has no {name}")
        found = list(inspect.signature(getattr(pooled, name)).parameters)
        if found[: len(expected)] != expected:
            changed(f"VoilaKernelManager.{name} takes {found}, planner expects {expected}")
    source = inspect.getsource(pooled)
    for needle in ("self._pools", '"kernel_id"', '"task"', '"renderer"', "stop_generator", "rendered_cache"):
        if needle not in source:
            changed(f"Voilà's pooled kernel manager no longer mentions {needle}")
    for trait in ("fill_delay", "kernel_pools_config"):
        if not pooled.class_traits().get(trait):
            changed(f"VoilaKernelManager.{trait} is no longer a setting")


def test_the_settings_planner_serve_gives_voila_exist():
    from voila.app import Voila
    from voila.configuration import VoilaConfiguration

    for trait in ("identity_provider_class", "authorizer_class", "tornado_settings", "base_url", "ip", "port",
                  "port_retries", "open_browser", "root_dir", "config_file_paths"):
        if trait not in Voila.class_traits():
            changed(f"Voila.{trait} is no longer a setting")
    for trait in ("multi_kernel_manager_class", "http_header_envs", "template", "show_tracebacks", "strip_sources",
                  "allow_template_override", "allow_theme_override", "preheat_kernel", "default_pool_size"):
        if trait not in VoilaConfiguration.class_traits():
            changed(f"VoilaConfiguration.{trait} is no longer a setting")
    for method in ("init_settings", "init_handlers", "listen", "initialize", "start"):
        attribute(f"voila.app:Voila.{method}")
    # Voilà hands the identity provider a login handler of its own, which PlannerIdentity refuses
    expect_in_source("voila.app:Voila.init_settings", '"login_handler_class"', "self.identity_provider_class(",
                     '"identity_provider": self.identity_provider')
    expect_in_source("voila.app:Voila.start", "self.app = ", "self.init_settings()", "self.tornado_settings")


def test_the_jupyter_server_hooks_planner_implements():
    from jupyter_server.auth.identity import IdentityProvider

    for trait in ("login_handler_class", "logout_handler_class"):
        if trait not in IdentityProvider.class_traits():
            changed(f"IdentityProvider.{trait} is no longer a setting")
    expect_parameters("jupyter_server.auth.identity:IdentityProvider.get_user", ["self", "handler"])
    expect_parameters("jupyter_server.auth.identity:IdentityProvider.get_handlers", ["self"])
    expect_parameters("jupyter_server.auth.authorizer:Authorizer.is_authorized",
                      ["self", "handler", "user", "action", "resource"])
    km = "jupyter_server.services.kernels.kernelmanager:AsyncMappingKernelManager"
    expect_parameters(f"{km}.pre_start_kernel", ["self", "kernel_name", "kwargs"])
    expect_parameters(f"{km}.start_kernel", ["self", "kernel_id", "path"])
    expect_parameters(f"{km}.shutdown_kernel", ["self", "kernel_id"])
    # a page's websocket opening and closing: how the server knows which pages are gone (kernels.py)
    expect_parameters(f"{km}.notify_connect", ["self", "kernel_id"])
    expect_parameters(f"{km}.notify_disconnect", ["self", "kernel_id"])
    channels = "jupyter_server.services.kernels.connection.channels:ZMQChannelsWebsocketConnection"
    expect_in_source(f"{channels}.connect", "notify_connect(self.kernel_id)")
    expect_in_source(f"{channels}.disconnect", "notify_disconnect(self.kernel_id)")
    attribute(f"{km}._kernel_connections")
    # every message a page sends its kernel passes here (channels.LimitedChannels drops a flood)
    expect_parameters(f"{channels}.handle_incoming_message", ["self", "incoming_msg"])
    expect_in_source("jupyter_server.services.kernels.websocket:KernelWebsocketHandler.on_message",
                     "handle_incoming_message(")
    expect_in_source("voila.app:Voila.init_settings", "kernel_websocket_connection_class")
    attribute("jupyter_server.auth.decorator:allow_unauthenticated")
    attribute("jupyter_server.base.handlers:JupyterHandler")


def test_the_sign_in_handlers_named_by_path_resolve():
    from tornado import web

    from planner.server.identity import PlannerIdentity

    routes = dict(PlannerIdentity(hub=True).get_handlers())
    assert sorted(routes) == ["/hub-login", "/login", "/logout", "/oauth_callback"]
    assert all(issubclass(h, web.RequestHandler) for h in routes.values())
    # Voilà's own login handler, offered as an argument, is not taken
    from voila.voila_identity_provider import VoilaLoginHandler

    assert dict(PlannerIdentity(login_handler_class=VoilaLoginHandler).get_handlers())["/login"] is not \
        VoilaLoginHandler
