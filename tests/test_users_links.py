"""`planner users link` and `planner users links`: sign-in links that carry the key after `#`."""

from __future__ import annotations

import csv
import io
import stat
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

import planner
from planner.links import key_link, public_url


def cli(db, *args: str, lang: str = "ja") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args, "--db", str(db), "--lang", lang],
                          capture_output=True, text=True, timeout=120)


def key_of(link: str) -> str:
    parts = urlsplit(link)
    assert not parts.query and parts.fragment.startswith("key=")
    return parts.fragment[len("key="):]


def test_link_issues_a_key_and_prints_a_link_with_the_key_after_the_hash(demo_db):
    out = cli(demo_db, "users", "link", "secretariat-kansai", "--public-url", "https://planner.example.jp/planner")
    assert out.returncode == 0, out.stderr
    (link,) = out.stdout.splitlines()
    assert link.startswith("https://planner.example.jp/planner/login#key=")
    with planner.open_store(demo_db) as store:
        assert store.authenticate(key_of(link)).name == "secretariat-kansai"


def test_links_gives_every_active_user_of_a_role_a_new_key_as_csv(demo_db, tmp_path):
    with planner.open_store(demo_db) as store:
        store.disable_user("secretariat-tohoku")
        shown = store.display_names()
    out = cli(demo_db, "users", "links", "--role", "secretariat", "--public-url", "http://127.0.0.1:8866/")
    assert out.returncode == 0, out.stderr
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == ["login", "display_name", "link"]
    logins = [r[0] for r in rows[1:]]
    assert "secretariat-tohoku" not in logins and "officer" not in logins
    assert sorted(logins) == sorted(f"secretariat-{c}" for c in ("hokkaido", "kansai", "chugoku", "kyushu", "hokuriku"))
    with planner.open_store(demo_db) as store:
        for login, name, link in rows[1:]:
            assert name == shown[login]
            assert link.startswith("http://127.0.0.1:8866/login#key=")
            assert store.authenticate(key_of(link)).name == login
    # into a file for a mail merge: UTF-8 with a BOM (Excel), the administrator's eyes only
    target = tmp_path / "links.csv"
    out = cli(demo_db, "users", "links", "--role", "officer", "--public-url", "https://x.example/p/", "-o", str(target))
    assert out.returncode == 0 and out.stdout == "" and "1" in out.stderr
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode()) and "プログラム担当".encode() in raw
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("url", ["planner.example.jp", "ftp://x.example/", "https://x.example/p?key=1",
                                 "https://x.example/#a", "https:///nohost", "https://x.example/ä", ""])
def test_a_public_url_that_is_no_address_is_refused_and_no_key_is_issued(demo_db, url):
    with planner.open_store(demo_db) as store:
        before = len(store.keys())
    for lang, says in (("ja", "利用者が開くアドレス"), ("en", "the address people open")):
        out = cli(demo_db, "users", "link", "officer", "--public-url", url, lang=lang)
        assert out.returncode == 2 and says in out.stderr and out.stdout == ""
    with planner.open_store(demo_db) as store:
        assert len(store.keys()) == before


def test_no_link_for_a_disabled_user_or_an_empty_role(demo_db):
    with planner.open_store(demo_db) as store:
        store.disable_user("officer")
        before = len(store.keys())
    out = cli(demo_db, "users", "link", "officer", "--public-url", "https://x.example/")
    assert out.returncode == 1 and "無効" in out.stderr and out.stdout == ""
    out = cli(demo_db, "users", "links", "--role", "officer", "--public-url", "https://x.example/", lang="en")
    assert out.returncode == 1 and "no active user" in out.stderr
    with planner.open_store(demo_db) as store:
        assert len(store.keys()) == before


def test_key_link_and_public_url():
    assert public_url("https://planner.example.jp/planner") == "https://planner.example.jp/planner/"
    assert public_url("http://127.0.0.1:8866") == "http://127.0.0.1:8866/"
    assert key_link("https://a.example/p/", "3.abc") == "https://a.example/p/login#key=3.abc"
