# The part of jupyterhub_config.py that makes planner a service of the hub (README: JupyterHub).
# The token is the one /etc/planner/hub.env gives planner (openssl rand -hex 32).
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)
c.JupyterHub.services = [
    {
        "name": "planner",
        # planner serve, run by systemd as the user planner (deploy/planner.service + planner-hub.conf)
        "url": "http://127.0.0.1:8866",
        "api_token": Path("/etc/jupyterhub/planner-service-token").read_text().strip(),
        # the hub's login is the consent; planner decides what each person may do
        "oauth_no_confirm": True,
        "display": True,
    }
]
# every hub user may reach the service; an unmapped one is refused by planner (and logged)
c.JupyterHub.load_roles = [{"name": "user", "scopes": ["self", "access:services!service=planner"]}]
