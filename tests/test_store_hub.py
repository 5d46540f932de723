"""Hub users mapped to planner users, and the session a hub sign-in opens: the key sign-in's own."""

from __future__ import annotations

import pytest

import planner
from planner.errors import SessionEnded
from planner.store import SCHEMA_VERSION, session_ref


@pytest.fixture
def hub_store(store):
    store.add_user("hub-kansai", "secretariat", "kansai", "関西経済連合会", hub_name="kansai.staff")
    return store


def test_a_mapped_hub_user_gets_a_session_like_a_keys(hub_store):
    token, user = hub_store.sign_in_hub("kansai.staff", 1800, 43200)
    assert (user.name, user.role, user.consortium, user.hub_name) == ("hub-kansai", "secretariat", "kansai",
                                                                      "kansai.staff")
    ref = session_ref(token)
    assert hub_store.session_user(ref).name == "hub-kansai"
    # revoking keys does not touch it (it has none); disabling the user ends it
    hub_store.revoke_keys("hub-kansai")
    assert hub_store.session_user(ref).name == "hub-kansai"
    hub_store.disable_user("hub-kansai")
    with pytest.raises(SessionEnded) as exc:
        hub_store.session_user(ref)
    assert exc.value.reason == "disabled"
    with pytest.raises(planner.AccessDenied):
        hub_store.sign_in_hub("kansai.staff", 1800, 43200)


def test_sign_out_and_expiry_end_it(hub_store, monkeypatch):
    token, _ = hub_store.sign_in_hub("kansai.staff", 60, 43200)
    hub_store.end_session(session_ref(token))
    with pytest.raises(SessionEnded):
        hub_store.session_user(session_ref(token))
    token, _ = hub_store.sign_in_hub("kansai.staff", 60, 43200)
    from planner.store import connection as st

    now = st.clock()
    monkeypatch.setattr(st, "clock", lambda: now + 61)
    with pytest.raises(SessionEnded) as exc:
        hub_store.session_user(session_ref(token))
    assert exc.value.reason == "idle"


def test_an_unmapped_hub_user_is_refused_and_the_refusal_kept(hub_store):
    with pytest.raises(planner.AccessDenied) as exc:
        hub_store.sign_in_hub("stranger", 1800, 43200)
    assert "stranger" in exc.value.message_ja and "not registered" in exc.value.message_en
    last = hub_store.refusals()[-1]
    assert (last["action"], last["target"], last["kind"]) == ("hub_sign_in", "hub user stranger", "access")


def test_one_hub_user_maps_to_one_planner_user(hub_store):
    with pytest.raises(planner.InvalidAction):
        hub_store.add_user("hub-kansai-2", "secretariat", "kansai", hub_name="kansai.staff")
    for bad in ("", " padded", "x" * 256):
        with pytest.raises(planner.InvalidAction):
            hub_store.add_user("someone", "officer", hub_name=bad)
    assert [u.hub_name for u in hub_store.users() if u.name == "hub-kansai"] == ["kansai.staff"]


def test_the_schema_has_the_hub_column(store):
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
    assert "hub_name" in {r["name"] for r in store.db.execute("PRAGMA table_info(users)")}


def test_an_existing_user_is_mapped_and_unmapped(hub_store, tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "planner", "users", "set-hub-name", "officer", "jetro.sato", "--db",
                        str(hub_store.path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "jetro.sato" in r.stdout, r.stderr
    assert hub_store.sign_in_hub("jetro.sato", 1800, 43200)[1].name == "officer"
    r = subprocess.run([sys.executable, "-m", "planner", "users", "set-hub-name", "officer", "kansai.staff", "--db",
                        str(hub_store.path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "hub-kansai" in r.stderr and "Traceback" not in r.stderr
    hub_store.set_hub_name("officer", None)
    with pytest.raises(planner.AccessDenied):
        hub_store.sign_in_hub("jetro.sato", 1800, 43200)
