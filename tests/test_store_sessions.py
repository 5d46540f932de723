"""Sign-in sessions in the store, and the limits the store enforces whatever the path."""

from __future__ import annotations

import os
import stat

import pytest

import planner
from planner import Line, Plan
from planner.errors import SessionEnded
from planner.limits import MAX_LINES, MAX_TEXT
from planner.results import Result
from planner.store import connection as store_clock
from planner.store import session_ref

PLAN = Plan("kansai", 2025, [Line(2, "online", 1, 7, "合同企業説明会")])


def snapshot(store) -> list:
    return [store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("plans", "revisions", "results")]


@pytest.fixture
def clock(monkeypatch):
    """The store's clock, moved by hand."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(store_clock, "clock", lambda: now[0])
    return now


def signed(store, user="secretariat-kansai", idle=1800, max_age=43200):
    token, _ = store.sign_in(store.issue_key(user), idle, max_age)
    return session_ref(token)


def kernel_desk(store, ref):
    """What an app's kernel holds: a store of its own, and a desk for the session the server handed over."""
    return planner.Desk.for_session(planner.open_store(store.path), ref)


def test_the_store_keeps_only_the_tokens_hash(store):
    key = store.issue_key("secretariat-kansai")
    token, user = store.sign_in(key, 1800, 43200)
    assert user.name == "secretariat-kansai"
    stored = [r["hash"] for r in store.db.execute("SELECT hash FROM sessions")]
    assert stored == [session_ref(token)] and token not in stored
    assert store.session_user(session_ref(token)).name == "secretariat-kansai"
    with pytest.raises(SessionEnded):
        store.session_user(token)  # the token itself is not a ref


def test_a_wrong_key_opens_no_session_and_is_logged(store):
    with pytest.raises(planner.AccessDenied):
        store.sign_in("1.wrong", 1800, 43200)
    assert store.db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
    assert store.refusals()[-1]["action"] == "authenticate"


@pytest.mark.parametrize("how, reason, ja, en", [
    ("idle", "idle", "操作がなかった", "without activity"),
    ("max_age", "max_age", "時間がたった", "maximum age"),
    ("revoke", "revoked", "失効", "revoked"),
    ("disable", "disabled", "無効", "disabled"),
    ("sign_out", "signed_out", "サインアウト", "signed out"),
])
def test_each_way_a_session_ends_stops_the_next_action_and_saves_nothing(store, clock, how, reason, ja, en):
    ref = signed(store, idle=60, max_age=600)
    kernel = kernel_desk(store, ref)
    kernel.save(PLAN, base_revision=None)  # the page works while signed in
    before = snapshot(store)
    if how == "idle":
        clock[0] += 61
    elif how == "max_age":
        for _ in range(10):  # active all along, but then older than the maximum age
            clock[0] += 55
            kernel.find("kansai", 2025)
        clock[0] += 55
    elif how == "revoke":
        store.revoke_keys("secretariat-kansai")
    elif how == "disable":
        store.disable_user("secretariat-kansai")
    else:
        store.end_session(ref)
    told = []
    kernel.ended = lambda j, e: told.append((j, e))
    with pytest.raises(SessionEnded) as exc:
        kernel.save(PLAN, base_revision=1)
    assert exc.value.reason == reason
    assert ja in exc.value.message_ja and en in exc.value.message_en and "何も保存していません" in exc.value.message_ja
    assert told == [(exc.value.message_ja, exc.value.message_en)]
    assert snapshot(store) == before
    assert store.refusals()[-1]["action"] == "save"
    with pytest.raises(SessionEnded):  # reads too, and an ended session stays ended
        kernel.find("kansai", 2025)
    if how in ("idle", "sign_out"):
        with pytest.raises(SessionEnded):
            store.session_user(ref)


def test_activity_keeps_a_session_alive_within_its_maximum_age(store, clock):
    ref = signed(store, idle=60, max_age=600)
    for _ in range(8):
        clock[0] += 50
        assert store.session_user(ref).name == "secretariat-kansai"


def test_a_sessions_desk_acts_only_for_its_sessions_user(store):
    kernel = kernel_desk(store, signed(store))
    with pytest.raises(planner.AccessDenied):
        kernel.save(Plan("tohoku", 2025, []), base_revision=None)
    assert store.current("tohoku", 2025) is None


def test_a_second_session_of_the_same_user_is_its_own(store):
    a, b = signed(store), signed(store)
    store.end_session(a)
    assert store.session_user(b).name == "secretariat-kansai"


# -- limits the store enforces --------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    Line(2, "online", 1, 7, "x" * 2_000_000),
    Line(2, "online", 1, 7, "ok", notes="n" * (MAX_TEXT + 1)),
    Line(2, "online", 1, 7, "ok", place="p" * (MAX_TEXT + 1)),
])
def test_an_oversized_text_is_refused_by_the_store_itself(store, line):
    with pytest.raises(planner.InvalidAction) as exc:
        store.save(Plan("kansai", 2025, [line]), by="secretariat-kansai", base_revision=None)
    assert f"{MAX_TEXT:,} 文字以内" in exc.value.message_ja and f"{MAX_TEXT:,} characters" in exc.value.message_en
    assert store.current("kansai", 2025) is None


def test_a_text_at_the_limit_is_stored(store):
    store.save(Plan("kansai", 2025, [Line(2, "online", 1, 7, "題" * MAX_TEXT)]), by="secretariat-kansai",
               base_revision=None)
    assert len(store.current("kansai", 2025).plan.lines[0].title) == MAX_TEXT


def test_too_many_lines_are_refused(store):
    plan = Plan("kansai", 2025, [Line(9, "month", 1, 4, "支援")] * (MAX_LINES + 1))
    with pytest.raises(planner.InvalidAction) as exc:
        store.save(plan, by="secretariat-kansai", base_revision=None)
    assert f"{MAX_LINES} 行以内" in exc.value.message_ja and store.current("kansai", 2025) is None


def test_an_oversized_comment_and_result_are_refused(store):
    rev = store.save(PLAN, by="secretariat-kansai", base_revision=None)
    rev = store.submit("kansai", 2025, by="secretariat-kansai", base_revision=rev)
    with pytest.raises(planner.InvalidAction):
        store.return_plan("kansai", 2025, by="officer", comment="c" * (MAX_TEXT + 1), base_revision=rev)
    assert store.current("kansai", 2025).status == "submitted"
    store.accept("kansai", 2025, by="officer", base_revision=rev)
    with pytest.raises(planner.InvalidAction):
        store.record_result("kansai", 2025, Result(1, venue="v" * (MAX_TEXT + 1)), by="contractor")
    with pytest.raises(planner.InvalidAction):
        store.record_result("kansai", 2025, Result(1, dates=["2025-07-01"] * 40), by="contractor")
    assert store.results("kansai", 2025, by="officer") == []


def test_a_2mb_display_name_is_refused(store):
    with pytest.raises(planner.InvalidAction):
        store.add_user("big", "officer", display_name="x" * 2_000_000)


def test_the_store_file_is_readable_by_its_owner_only(tmp_path):
    s = planner.open_store(tmp_path / "new.db")
    for p in tmp_path.iterdir():
        mode = stat.S_IMODE(os.stat(p).st_mode)
        assert mode & 0o077 == 0, (p.name, oct(mode))
    s.close()


# -- what people are called -------------------------------------------------------------------------

def test_people_without_a_display_name_are_named_by_their_consortium_or_role_and_nothing_else(store):
    store.add_user("secretariat-kyushu", "secretariat", "kyushu", display_name="九州の山田")
    names = store.display_names()
    assert names["secretariat-kyushu"] == "九州の山田"  # a display name given still wins
    assert names["secretariat-kansai"] == "関西コンソーシアム 事務局"  # the consortium's name from the store
    assert names["secretariat-tohoku"] == "東北コンソーシアム 事務局"
    assert names["officer"] == "プログラム担当（JETRO）"  # the role as the apps name it (access.ROLE_LABELS)
    assert names["contractor"] == "受託者" and names["analyst"] == "分析担当"
    assert store.display_name("secretariat-kansai") == "関西コンソーシアム 事務局"
    assert store.display_name("someone-gone") == "someone-gone"  # not (or no longer) a user
    assert not any(u.name in names.values() for u in store.users())  # no login id, no key: names only


def test_a_consortium_renamed_in_the_store_renames_its_unnamed_secretariat(store):
    store.add_consortium("kansai", "関西広域コンソーシアム")
    assert store.display_name("secretariat-kansai") == "関西広域コンソーシアム 事務局"


def test_two_people_who_would_look_the_same_are_told_apart_by_their_login(store):
    store.add_user("secretariat-kansai-2", "secretariat", "kansai")
    store.add_user("officer-2", "officer", display_name="プログラム担当（JETRO）")  # the same, given by hand
    names = store.display_names()
    assert names["secretariat-kansai"] == "関西コンソーシアム 事務局（secretariat-kansai）"
    assert names["secretariat-kansai-2"] == "関西コンソーシアム 事務局（secretariat-kansai-2）"
    assert names["officer"] == "プログラム担当（JETRO）（officer）"
    assert names["officer-2"] == "プログラム担当（JETRO）"  # a name given by hand is shown as given
    assert names["secretariat-tohoku"] == "東北コンソーシアム 事務局"  # alone in its consortium: no login
    assert len(set(names.values())) == len(names)


def test_display_names_are_read_by_any_live_session_and_by_no_ended_one(store):
    for user in ("contractor", "secretariat-tohoku"):
        ref = signed(store, user)
        kernel = kernel_desk(store, ref)
        assert kernel.display_names()["secretariat-kansai"] == "関西コンソーシアム 事務局"
        store.end_session(ref)
        with pytest.raises(SessionEnded):
            kernel.display_names()
        with pytest.raises(SessionEnded):
            kernel.display_name("officer")
        kernel.store.close()


def test_a_conflict_names_who_saved_by_display_name(store):
    store.add_user("secretariat-kyushu", "secretariat", "kyushu", display_name="九州コンソーシアム 事務局")
    plan = Plan("kyushu", 2025, [Line(2, "online", 1, 7, "合同企業説明会")])
    store.save(plan, by="secretariat-kyushu", base_revision=None)
    store.save(plan, by="secretariat-kyushu", base_revision=1)
    with pytest.raises(planner.Conflict) as e:
        store.save(plan, by="secretariat-kyushu", base_revision=1)
    assert "九州コンソーシアム 事務局 さんが保存しました" in e.value.message_ja
    assert e.value.message_en.startswith("九州コンソーシアム 事務局 saved this plan")
    assert "secretariat-kyushu" not in e.value.message_ja + e.value.message_en
    # the fields a screen that lists the changes itself builds its headline from
    assert (e.value.base_revision, e.value.current_revision, e.value.saved_by) == (1, 2, "九州コンソーシアム 事務局")
    assert [c.kind for c in e.value.changes] == []  # the same lines saved again: nothing changed in between


def test_a_user_s_language_is_kept_for_that_user_only(store):
    assert store.language("secretariat-kansai") == "" and store.language("nobody") == ""
    store.set_language("secretariat-kansai", "en")
    assert store.language("secretariat-kansai") == "en" and store.language("officer") == ""
    with pytest.raises(planner.InvalidAction):
        store.set_language("secretariat-kansai", "fr")
    kernel = kernel_desk(store, signed(store, "secretariat-tohoku"))
    kernel.set_language("en")  # a page's desk sets its own person's language: it names no one else
    assert store.language("secretariat-kansai") == "en" and store.language("secretariat-tohoku") == "en"
    kernel.store.close()


def test_a_conflict_names_who_saved_without_a_display_name_by_their_consortium(store):
    plan = Plan("kansai", 2025, [Line(2, "online", 1, 7, "合同企業説明会")])
    store.save(plan, by="secretariat-kansai", base_revision=None)
    store.save(plan, by="secretariat-kansai", base_revision=1)
    with pytest.raises(planner.Conflict) as e:
        store.save(plan, by="secretariat-kansai", base_revision=1)
    assert "関西コンソーシアム 事務局 さんが保存しました" in e.value.message_ja
    assert "secretariat-kansai" not in e.value.message_ja + e.value.message_en
