"""The plan workflow, written out by hand from the SPEC (status: draft → submitted → accepted, or →
returned → draft again; an accepted plan is read-only until an officer reopens it; a secretariat edits
only its own consortium's plans, an officer decides, the contractor sees accepted plans and records
results), and the store and `access.may` each checked against it. The table below is not read from
planner's own workflow table, so a fault there cannot pass by agreeing with itself."""

from __future__ import annotations

import pytest

import planner
from planner import Line, Plan
from planner.access import may
from planner.workflow import comment_after

CLEAN = Plan("kansai", 2025, [Line(2, "in_person", 4, 7, "合同企業説明会"), Line(5, "standard", 2, 10, "交流会")])
DIRTY = Plan("kansai", 2025, [Line(2, "in_person", 9, 7, "予算超過")])  # 180 of 120 points
EMPTY = Plan("kansai", 2025, [])

STATUSES = ("none", "draft", "submitted", "returned", "accepted")  # none: no plan stored yet
ROLES = {"own": "secretariat-kansai", "other": "secretariat-tohoku", "officer": "officer",
         "contractor": "contractor", "analyst": "analyst"}

# Who may take which action on kansai's plan in each status, with a clean plan and a comment given.
# A cell is the plan's status once the action is done, or "-" where the action is refused.
# read and record_result leave the status as it was.
WORKFLOW = """
action         role        none   draft      submitted  returned   accepted
save           own         draft  draft      -          draft      -
save           other       -      -          -          -          -
save           officer     -      -          -          -          -
save           contractor  -      -          -          -          -
save           analyst     -      -          -          -          -
submit         own         -      submitted  -          submitted  -
submit         other       -      -          -          -          -
submit         officer     -      -          -          -          -
submit         contractor  -      -          -          -          -
submit         analyst     -      -          -          -          -
withdraw       own         -      -          draft      -          -
withdraw       other       -      -          -          -          -
withdraw       officer     -      -          -          -          -
withdraw       contractor  -      -          -          -          -
withdraw       analyst     -      -          -          -          -
accept         own         -      -          -          -          -
accept         other       -      -          -          -          -
accept         officer     -      -          accepted   -          -
accept         contractor  -      -          -          -          -
accept         analyst     -      -          -          -          -
return         own         -      -          -          -          -
return         other       -      -          -          -          -
return         officer     -      -          returned   -          -
return         contractor  -      -          -          -          -
return         analyst     -      -          -          -          -
reopen         own         -      -          -          -          -
reopen         other       -      -          -          -          -
reopen         officer     -      -          -          -          draft
reopen         contractor  -      -          -          -          -
reopen         analyst     -      -          -          -          -
record_result  own         -      -          -          -          -
record_result  other       -      -          -          -          -
record_result  officer     -      -          -          -          -
record_result  contractor  -      -          -          -          accepted
record_result  analyst     -      -          -          -          -
read           own         none   draft      submitted  returned   accepted
read           other       -      -          -          -          -
read           officer     none   draft      submitted  returned   accepted
read           contractor  -      -          -          -          accepted
read           analyst     none   draft      submitted  returned   accepted
"""
ACTIONS = ("save", "submit", "withdraw", "accept", "return", "reopen", "record_result", "read")


def _table() -> dict[tuple[str, str, str], str | None]:
    header, *rows = [r.split() for r in WORKFLOW.strip().splitlines()]
    assert header == ["action", "role", *STATUSES]
    table = {}
    for action, role, *cells in rows:
        assert len(cells) == len(STATUSES) and (action, role, "none") not in table, (action, role)
        for status, cell in zip(STATUSES, cells, strict=True):
            assert cell == "-" or cell in STATUSES, cell
            table[action, role, status] = None if cell == "-" else cell
    return table


EXPECTED = _table()


def test_the_table_covers_every_action_role_and_status():
    assert set(EXPECTED) == {(a, r, s) for a in ACTIONS for r in ROLES for s in STATUSES}


def reach(store, status: str, plan: Plan) -> int:
    """A kansai plan in the given status (none: no plan stored; a draft holds `plan`); its revision."""
    if status == "none":
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
    base = rev or None
    if action == "save":
        store.save(plan, by=by, base_revision=base)
    elif action == "submit":
        store.submit("kansai", 2025, by=by, base_revision=base)
    elif action == "withdraw":
        store.withdraw("kansai", 2025, by=by, base_revision=base)
    elif action == "accept":
        store.accept("kansai", 2025, by=by, base_revision=base, comment=comment)
    elif action == "return":
        store.return_plan("kansai", 2025, by=by, comment=comment, base_revision=base)
    elif action == "reopen":
        store.reopen("kansai", 2025, by=by, comment=comment, base_revision=base)
    elif action == "record_result":
        stored = store.current("kansai", 2025)
        line_id = stored.plan.lines[0].id if stored is not None else "no-such-line"
        store.record_result("kansai", 2025, planner.Result(line_id=line_id, dates=("2025-07-15",), students=20),
                            by=by)
    elif action == "read":
        store.find("kansai", 2025, by=by)
    else:
        raise AssertionError(action)


def status_of(store) -> str:
    rec = store.current("kansai", 2025)
    return "none" if rec is None else rec.status


def attempt(store, status: str, action: str, role: str, plan: Plan, comment: str) -> str | None:
    """Take the action on a plan brought to `status`; the status it leaves, or None if refused (then
    nothing changed: not the status, nor the revision)."""
    rev = reach(store, status, plan)
    by = ROLES[role]
    try:
        act(store, action, by, rev, plan, comment)
    except (planner.AccessDenied, planner.InvalidAction):
        after = store.current("kansai", 2025)
        assert status_of(store) == status and (after.revision if after else 0) == rev
        return None
    return status_of(store)


def may_answer(store, status: str, action: str, role: str, plan: Plan, comment: str) -> str | None:
    """What `access.may` says: None if allowed, else why not."""
    stored = store.current("kansai", 2025)
    target = plan if action == "save" or stored is None else stored.plan  # what the gates look at
    errors = sum(f.is_error for f in planner.check(target, store.fiscal_year(2025)))
    return may(store.user(ROLES[role]), action, "kansai", None if status == "none" else status, errors,
               len(target.lines), comment)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", list(ROLES))
def test_the_store_and_may_follow_the_workflow(store, status, action, role):
    expected = EXPECTED[action, role, status]
    became = attempt(store, status, action, role, CLEAN, "理由")
    assert became == expected, f"{action} by {role} on a {status} plan"
    if action in ("read", "record_result") and expected is not None:
        assert became == status
    said = may_answer(store, status, action, role, CLEAN, "理由")
    assert (said is None) == (expected is not None), (f"may() on {action} by {role} on a {status} plan", said)


# The gates, from the SPEC: a plan with errors (or with no lines) can be saved as a draft but not
# submitted or accepted; a plan is returned with a comment saying why; accepting and reopening may
# go without one. (status, plan held, action, comment) -> status after, or None if refused.
GATES = [
    ("none", DIRTY, "save", "", "draft"),
    ("none", EMPTY, "save", "", "draft"),
    ("draft", DIRTY, "save", "", "draft"),
    ("draft", EMPTY, "save", "", "draft"),
    ("draft", DIRTY, "submit", "", None),
    ("draft", EMPTY, "submit", "", None),
    ("draft", CLEAN, "submit", "", "submitted"),
    ("submitted", CLEAN, "return", "", None),
    ("submitted", CLEAN, "return", "   ", None),
    ("submitted", CLEAN, "return", "理由", "returned"),
    ("submitted", CLEAN, "accept", "", "accepted"),
    ("accepted", CLEAN, "reopen", "", "draft"),
]


@pytest.mark.parametrize("status, plan, action, comment, expected", GATES)
def test_the_clean_plan_and_comment_gates(store, status, plan, action, comment, expected):
    role = "officer" if action in ("accept", "return", "reopen") else "own"
    assert attempt(store, status, action, role, plan, comment) == expected
    said = may_answer(store, status, action, role, plan, comment)
    assert (said is None) == (expected is not None), said


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
    """The secretariat's and the officer's flags say what the workflow above allows."""
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
        assert m.editable == (EXPECTED["save", "own", status] is not None)
        assert m.actions.can_withdraw == (EXPECTED["withdraw", "own", status] is not None)
        review = open_review(signed_in(store, k["officer"]), planner.open_store(demo_db))
        review.open_plan(cid)
        errors = sum(f.is_error for f in review.opened.findings)
        assert review.decision.can_accept == (EXPECTED["accept", "officer", status] is not None and not errors)
        assert review.decision.can_return == (EXPECTED["return", "officer", status] is not None)
        assert review.decision.can_reopen == (EXPECTED["reopen", "officer", status] is not None)
    store.close()
