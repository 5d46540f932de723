"""Import a plan workbook into the store: read and check it, then store it whole or refuse it whole.

Never raises for bad input or refusals: everything comes back as findings. A workbook made from an
older revision than the stored one is refused as STALE_REVISION, with what changed on each side.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..desk import Desk
from ..diff import describe, diff_plans
from ..errors import AccessDenied, Conflict, InvalidAction, NotFound, PlannerError
from ..findings import Finding, has_errors
from ..japanese import japan_time
from ..plan import Plan
from ..records import PlanRecord
from ..results import results_on_other_lines
from ..text import Text
from . import layout as L
from .read import read_workbook, sort_findings, unknown_line_ids
from .results_sheet import on_results_row


@dataclass
class ImportOutcome:
    revision: int | None  # the new (or, when nothing changed, current) revision; None when refused
    findings: list[Finding] = field(default_factory=list)
    plan: Plan | None = None  # the plan as the workbook holds it
    current: PlanRecord | None = None  # the stored plan before the import, to show both sides
    results_recorded: int = 0

    @property
    def ok(self) -> bool:
        return self.revision is not None and not has_errors(self.findings)


def _from_error(code: str, e: PlannerError) -> Finding:
    return Finding.of(code, sheet=L.COVER, reason=Text(e.message_ja, e.message_en))


def import_workbook(desk: Desk, data: bytes, expect_consortium: str | None = None,
                    expect_fiscal_year: int | None = None) -> ImportOutcome:
    """Check a workbook and, if it is clean, store its plan as a new revision (a secretariat) or its
    results (the contractor, on an accepted plan). Nothing is stored when any error is found."""
    read = read_workbook(data, desk, expect_consortium, expect_fiscal_year)
    meta = read.meta
    if read.plan is None or meta is None:
        return ImportOutcome(None, read.findings, read.plan)
    plan = read.plan
    cid, year = plan.consortium, plan.fiscal_year
    try:
        # access first: someone else's plan is refused as such, whatever the file holds
        current = desk.find(cid, year)
        stored_results = desk.results(cid, year) if current else []
        made_from = _made_from(desk, cid, year, meta.revision or 0, current)
    except AccessDenied as e:
        return ImportOutcome(None, [_from_error("ACCESS_DENIED", e), *read.findings], plan)
    unknown = unknown_line_ids(read, {ln.id for ln in made_from.lines} if made_from else set())
    if unknown:
        read.findings.extend(unknown)
        sort_findings(read.findings)
    if not read.ok:
        return ImportOutcome(None, read.findings, plan, current)
    warnings = [f for f in read.findings if not f.is_error]

    stored_rev = current.revision if current else 0
    plan_changed = (current.plan != plan) if current else bool(plan.lines)
    stored_by_key = {r.key: r for r in stored_results}
    read_results = read.results
    if not read.companies_read:
        # an export made before the 参加企業 sheet says nothing of companies: those recorded stay
        read_results = [replace(r, company_list=stored_by_key[r.key].company_list) if r.key in stored_by_key
                        else r for r in read_results]
    changed_results = [r for r in read_results if stored_by_key.get(r.key) != r]
    out = ImportOutcome(None, list(warnings), plan, current)

    if not plan_changed and not changed_results:
        out.revision = stored_rev
        out.findings.append(Finding.of("NO_CHANGES", sheet=L.COVER, revision=stored_rev))
        return out
    if meta.revision != stored_rev:
        older = 0 < (meta.revision or 0) < stored_rev  # not one made from another store (a later revision)
        taken = _results_on_unchanged_lines(made_from, current, plan, changed_results) if older else None
        if taken is None:
            out.findings.insert(0, _stale(desk, cid, year, meta.revision or 0, current, plan))
            return out
        # results typed into an older export whose lines have not changed since: taken, against the plan
        # as it is now (its status may have moved, other lines may have changed)
        plan, plan_changed = current.plan, False
    if plan_changed and changed_results:
        out.findings.insert(0, Finding.of("PLAN_AND_RESULTS", sheet=L.RESULTS))
        return out
    menu = read.fiscal.menu_for(cid) if read.fiscal is not None and not plan_changed else None
    refused = results_on_other_lines(changed_results, plan, menu, stored_results) if menu else []
    if refused:
        # the store refuses them too; here each is said on its row of 実績
        rows = {line_id: row for (line_id, _), row in sorted(read.result_rows.items(), key=lambda kv: -kv[1])}
        out.findings[:0] = [on_results_row(f, rows.get(plan.lines[f.line - 1].id, 0)) for f in refused]
        return out
    try:
        if plan_changed:
            out.revision = desk.save(plan, base_revision=meta.revision or None)
        else:
            desk.record_results(cid, year, changed_results)
            out.revision = stored_rev
            out.results_recorded = len(changed_results)
    except AccessDenied as e:
        out.findings.insert(0, _from_error("ACCESS_DENIED", e))
    except Conflict:
        # someone saved between our read and our write
        now = desk.find(cid, year)
        out.findings.insert(0, _stale(desk, cid, year, meta.revision or 0, now, plan))
    except InvalidAction as e:
        out.findings.insert(0, _from_error("NOT_EDITABLE" if plan_changed else "RESULTS_REFUSED", e))
    except NotFound as e:
        out.findings.insert(0, _from_error("NOT_FOUND", e))
    if out.revision is None:
        return out
    read_keys = {r.key for r in read.results}
    missing = [_session_named(r) for r in stored_results if r.key not in read_keys]
    if missing and not plan_changed:
        out.findings.append(Finding.of("RESULT_KEPT", sheet=L.RESULTS, lines=", ".join(missing)))
    return out


def _session_named(r: Any) -> str:
    """A kept result as RESULT_KEPT lists it: its 番号, and its 回 when it is not the first (3-2)."""
    n = str(r.line or "-")
    return n if r.session == 1 else f"{n}-{r.session}"


def _results_on_unchanged_lines(made_from: Plan | None, current: PlanRecord | None, plan: Plan,
                                results: list[Any]) -> list[Any] | None:
    """Results typed into a workbook made from an older revision, when they may be taken: the workbook's
    plan is the one it was made from (only results were typed), and every line a result concerns is, by
    its id, the same line now as then. Status changes and changes to other lines do not matter. None
    when they may not (the workbook is then stale, as before)."""
    if made_from is None or current is None or not results or plan != made_from:
        return None
    for r in results:
        then, now = made_from.line_index(r.line_id), current.plan.line_index(r.line_id)
        if then is None or now is None or made_from.lines[then] != current.plan.lines[now]:
            return None
    return results


def _made_from(desk: Desk, cid: str, year: int, base: int, current: PlanRecord | None) -> Plan | None:
    """The stored revision the workbook was exported from (its lines are the ids it may hold); the
    current one if the store has no such revision (the workbook is then refused as stale anyway)."""
    if current is None:
        return None
    if 0 < base <= current.revision:
        return desk.revision(cid, year, base).plan
    return current.plan


def _stale(desk: Desk, cid: str, year: int, base: int, current: PlanRecord | None, plan: Plan) -> Finding:
    now = current.revision if current else 0
    base_plan: Any = None
    if 0 < base <= now:
        try:
            base_plan = desk.revision(cid, year, base).plan
        except (NotFound, AccessDenied):
            base_plan = None
    theirs = diff_plans(base_plan, current.plan if current else None)
    yours = diff_plans(base_plan, plan)
    menu = desk.menu_or_none(cid, year)
    who = desk.display_name(current.updated_by) if current else ""  # as people know them, not the login
    who_ja = f"{who} が {japan_time(current.updated_at)}に" if current else ""
    who_en = f"{who} saved it at {japan_time(current.updated_at, 'en')}" if current else "it was saved"
    if base > now:
        head_ja = (f"このブックは版 {base} から作られていますが、保存されている計画は版 {now} です"
                   "（別のデータベースから書き出したブックかもしれません）。")
        head_en = (f"This workbook was made from revision {base}, but the stored plan is at revision {now} "
                   "(was it exported from another store?).")
    else:
        head_ja = f"このブックは版 {base} から作られましたが、その後 {who_ja}保存し、いまは版 {now} です。"
        head_en = (f"This workbook was made from revision {base}; {who_en}, "
                   f"and the plan is now at revision {now}.")
    return Finding.of("STALE_REVISION", sheet=L.COVER, head=Text(head_ja, head_en),
                      theirs=Text(describe(theirs, "ja", menu), describe(theirs, "en", menu)),
                      yours=Text(describe(yours, "ja", menu), describe(yours, "en", menu)))

