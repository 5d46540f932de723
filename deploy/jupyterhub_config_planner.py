# planner as a service of an existing JupyterHub (README: JupyterHub). It ADDS planner to the hub's own
# services and gives every hub user access to it; nothing the hub already has is replaced. Run it at the
# END of the hub's jupyterhub_config.py, in that file's own namespace, so that it sees what the hub set:
#
#     exec(open("/opt/planner/deploy/jupyterhub_config_planner.py", encoding="utf-8").read())
#
# Run twice, it adds planner once. `load_subconfig(...)` (a hub that loads a folder of files) works too, but
# the file then sees a configuration of its own, not the hub's: loaded twice, the hub gets the same service
# twice (which it takes as one; with JupyterHub 5 the user role twice, which it refuses), and a `user` role
# that the hub redefines does not get planner's scope: add it to that role yourself.
# Settings, from the hub's environment (defaults in brackets):
#   PLANNER_SERVICE_URL         where planner-hub.service listens [http://127.0.0.1:8866]
#   PLANNER_SERVICE_TOKEN_FILE  the service's token, the same as JUPYTERHUB_API_TOKEN in /etc/planner/hub.env
#                               [/etc/jupyterhub/planner-service-token]
import os
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)

NAME = "planner"
# every hub user may reach the service; a hub user mapped to no planner user is refused by planner (and logged)
SCOPE = f"access:services!service={NAME}"
token_file = Path(os.environ.get("PLANNER_SERVICE_TOKEN_FILE", "/etc/jupyterhub/planner-service-token"))
service = {
    "name": NAME,
    # planner serve, run by systemd as the user planner (deploy/planner-hub.service), not by the hub
    "url": os.environ.get("PLANNER_SERVICE_URL", "http://127.0.0.1:8866"),
    "api_token": token_file.read_text(encoding="ascii").strip(),
    # the hub's login is the consent; planner decides what each person may do
    "oauth_no_confirm": True,
    "display": True,
}


def _entries(value):
    """What a list setting holds so far: a list once assigned; before that, traitlets' lazy value, which
    records appends and merges them into the hub's list (also through load_subconfig)."""
    if isinstance(value, list):
        return value
    lazy = value.to_dict()  # to_dict, not get_value: that would freeze the value against later appends
    return [*lazy.get("prepend", []), *(entry for _, entry in lazy.get("inserts", [])), *lazy.get("extend", [])]


services = c.JupyterHub.services
known = [s for s in _entries(services) if isinstance(s, dict) and s.get("name") == NAME]
if known:
    known[0].update(service)
else:
    services.append(service)

roles = c.JupyterHub.load_roles
user_roles = [r for r in _entries(roles) if isinstance(r, dict) and r.get("name") == "user"]
if user_roles:
    # the hub redefines its user role: the scope joins that role's own scopes
    scopes = user_roles[0].setdefault("scopes", ["self"])
    if SCOPE not in scopes:
        scopes.append(SCOPE)
else:
    from jupyterhub import version_info

    if version_info >= (6,):
        extra = c.JupyterHub.extra_user_scopes  # a set: adding it again changes nothing
        if isinstance(extra, list):
            extra.extend([SCOPE] if SCOPE not in extra else [])
        else:
            extra.add(SCOPE)
    else:
        # JupyterHub 5 has no extra_user_scopes: the default user role ("self") with this scope added
        roles.append({"name": "user", "scopes": ["self", SCOPE]})
