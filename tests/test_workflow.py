"""One workflow table: what the store does and what the apps are told they may do always agree."""

from __future__ import annotations

import pytest

import planner
from planner import Line, Plan
from planner.access import may
from planner.workflow import MOVES, comment_after

CLEAN = Plan("kansai", 2025, [Line(2, "in_person", 4, 7, "合同企業説明会"), Line(5, "standard", 2, 10, "交流会")])
DIRTY = Plan("kansai", 2025, [Line(2, "in_person", 9, 7, "予算超過")])  # 180 of 120 points
EMPTY = Plan("kansai", 2025, [])


def reach(store, status: str | None, plan: Plan) -> int:
    """A kansai plan in the given status (None: no plan stored; a draft holds `plan`); its revision."""
    if status is None:
        return 0
    if status == "draft":
        return store.save(plan, by="secretariat-kansai", base_revision=None)
    rev = store.save(CLEAN, by="secretariat-kansai", base_revision=None)
    rev = store.submit("kansai", 2025, by="secretariat-kansai", base_revision=rev)
    if status == "accepted":
        rev = store.accept("kansai", 2025, by="officer", base_revision=rev)
    elif status == "returned":
        rev = store.return_plan("kansai", 2025, by="officer", comment="直してください", base_revision=rev)
    return rev


def act(store, action: str, by: str, rev: int, plan: Plan, comment: str) -> None:
    if action == "save":
        store.save(plan, by=by, base_revision=rev or None)
    elif action == "return":
        store.return_plan("kansai", 2025, by=by, comment=comment, base_revision=rev or None)
    elif action in ("accept", "reopen"):
        getattr(store, action)("kansai", 2025, by=by, base_revision=rev or None, comment=comment)
    else:
        getattr(store, action)("kansai", 2025, by=by, base_revision=rev or None)


# a draft (or a plan not stored yet) may hold anything; a plan further on got there clean
STATES = [(None, CLEAN, "理由"), (None, DIRTY, ""), (None, EMPTY, "理由"), ("draft", CLEAN, "理由"),
          ("draft", DIRTY, ""), ("draft", EMPTY, "理由"), ("submitted", CLEAN, "理由"), ("submitted", CLEAN, ""),
          ("accepted", CLEAN, ""), ("returned", CLEAN, "理由")]


@pytest.mark.parametrize("status, plan, comment", STATES)
@pytest.mark.parametrize("action", list(MOVES))
@pytest.mark.parametrize("by", ["secretariat-kansai", "secretariat-tohoku", "officer", "contractor", "analyst"])
def test_the_store_does_exactly_what_may_allows(store, status, action, by, plan, comment):
    rev = reach(store, status, plan)
    stored = store.current("kansai", 2025)
    target = plan if action == "save" or stored is None else stored.plan  # what the gates look at
    errors = sum(f.is_error for f in planner.check(target, store.fiscal_year(2025)))
    allowed = may(store.user(by), action, "kansai", status, errors, len(target.lines), comment) is None
    try:
        act(store, action, by, rev, plan, comment)
        done = True
    except (planner.AccessDenied, planner.InvalidAction):
        done = False
    assert done == allowed, (status, action, by, comment)
    if done:
        assert store.current("kansai", 2025).status == MOVES[action].to


def test_a_plan_with_no_lines_cannot_be_submitted_by_any_path(store):
    """The app never offered it, but the store took it (before the one table): now both refuse."""
    rev = store.save(EMPTY, by="secretariat-kansai", base_revision=None)
    assert may(store.user("secretariat-kansai"), "submit", "kansai", "draft", 0, 0) is not None
    with pytest.raises(planner.InvalidAction) as exc:
        store.submit("kansai", 2025, by="secretariat-kansai", base_revision=rev)
    assert "行のない計画は提出できません" in exc.value.message_ja and "no lines" in exc.value.message_en
    assert store.current("kansai", 2025).status == "draft"


def test_the_comment_the_secretariat_sees_follows_the_table():
    assert comment_after("return", "直して", "") == "直して"
    assert comment_after("submit", "", "直して") == ""
    assert comment_after("save", "", "直して") == "直して"
    assert comment_after("withdraw", "", "直して") == "直して"
    assert comment_after("reopen", "再開の理由", "前") == "再開の理由"


def test_the_apps_buttons_follow_the_table(demo_db):
    """The secretariat's and the officer's flags are the table's answer, not a restatement of it."""
    import json

    from signin_support import signed_in

    from planner.app.review import open_review
    from planner.app.secretariat import open_session
    from planner.demo import keys_path

    k = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    store = planner.open_store(demo_db)
    for cid, status in (("hokkaido", "draft"), ("tohoku", "submitted"), ("kyushu", "accepted"),
                        ("chugoku", "returned")):
        m = open_session(signed_in(store, k[f"secretariat-{cid}"]), planner.open_store(demo_db))
        assert m.status == status
        assert m.editable == (status in MOVES["save"].sources)
        assert m.actions.can_withdraw == (status == "submitted")
        review = open_review(signed_in(store, k["officer"]), planner.open_store(demo_db))
        review.open_plan(cid)
        errors = sum(f.is_error for f in review.opened.findings)
        assert review.decision.can_accept == (status == "submitted" and not errors)
        assert review.decision.can_return == (status == "submitted")
        assert review.decision.can_reopen == (status == "accepted")
    store.close()
