"""`planner serve`'s deployment options: a wrong one is a usage error (exit 2) said in both languages."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from planner.server.app import BaseUrlError, normalize_base_url


def serve(*args: str, lang: str = "ja") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANNER_", "JUPYTERHUB_"))}
    return subprocess.run([sys.executable, "-m", "planner", "serve", "--lang", lang, *args], capture_output=True,
                          text=True, env=env, timeout=60)


@pytest.mark.parametrize("given, expected", [("/", "/"), ("planner", "/planner/"), ("/planner", "/planner/"),
                                             ("/a/b/", "/a/b/"), ("", "/")])
def test_base_urls_are_normalised(given, expected):
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize("bad", ["/../x", "/a b/", "/x?y", "/x;y", '/x"'])
def test_odd_base_urls_are_refused(bad):
    with pytest.raises(BaseUrlError):
        normalize_base_url(bad)


def test_usage_errors(demo_db, tmp_path):
    db = str(demo_db)
    r = serve("--db", db, "--base-url", "/../x")
    assert r.returncode == 2 and "--base-url" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "file").write_text("x")
    r = serve("--db", db, "--proxy-socket", str(tmp_path / "file"), lang="en")
    assert r.returncode == 2 and "not a socket" in r.stderr
    r = serve("--db", db, "--proxy-socket", str(tmp_path / "no" / "s.sock"), lang="en")
    assert r.returncode == 2 and "does not exist" in r.stderr
    r = serve("--db", db, "--hub", lang="en")
    assert r.returncode == 2 and "JUPYTERHUB_API_TOKEN" in r.stderr


def test_hub_without_jupyterhub_installed_says_what_to_install(demo_db):
    """`pip install -e .` without the [hub] extra: the service says what is missing instead of a traceback
    (systemd would restart it in a loop)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANNER_", "JUPYTERHUB_"))}
    env.update(JUPYTERHUB_API_TOKEN="t" * 64, JUPYTERHUB_API_URL="http://127.0.0.1:8081/hub/api",
               JUPYTERHUB_CLIENT_ID="service-planner")
    # this Python as it is without the extra: no jupyterhub to import
    code = ("import sys; sys.modules['jupyterhub'] = None; from planner.cli import main; "
            "sys.exit(main(sys.argv[1:]))")
    for lang, words in (("ja", "pip install -e '.[hub]'"), ("en", "--hub needs jupyterhub")):
        r = subprocess.run([sys.executable, "-c", code, "serve", "--db", str(demo_db), "--hub", "--lang", lang],
                           capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr
