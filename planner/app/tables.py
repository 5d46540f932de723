"""The HTML tables and boxes both apps show alike: a workbook's findings by place, a plan's lines, its
history, the officer's comment. Pure functions of rows a model computed (planner.app.labels)."""

from __future__ import annotations

from html import escape
from typing import Any

from ..findings import Finding
from .text import t


def _table(heads: str, body: str, cls: str = "pl-table") -> str:
    return f'<table class="{cls}"><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>'


def findings_table(findings: list[Finding], lang: str) -> str:
    """A workbook's findings, each at its sheet, row and column (the code is for `planner check`, not here)."""
    if not findings:
        return ""
    rows = "".join(
        f'<tr class="pl-{"error" if f.is_error else "warning"}"><td>{t("error" if f.is_error else "warning", lang)}'
        f"</td><td>{escape(f.sheet or '')}</td><td>{'' if f.row is None else f.row}</td>"
        f"<td>{escape(f.column or '')}</td><td>{escape(f.message(lang))}</td></tr>"
        for f in findings
    )
    heads = "".join(f"<th>{t(k, lang)}</th>" for k in ("col_status", "col_sheet", "col_row", "col_column",
                                                        "col_message"))
    return _table(heads, rows)


def history_table(rows: list[dict[str, Any]], lang: str, cls: str = "pl-table") -> str:
    """A plan's revisions (planner.app.labels.history_rows)."""
    heads = "".join(f"<th>{t(k, lang)}</th>" for k in ("revision", "col_at", "col_by", "status",
                                                        "col_summary", "col_comment"))
    body = "".join(
        f"<tr><td>{r['revision']}</td><td>{escape(r['at'])}</td><td>{escape(r['by'])}</td>"
        f"<td>{escape(r['status'])}</td><td>{escape(r['summary'])}</td><td>{escape(r['comment'])}</td></tr>"
        for r in rows
    )
    return _table(heads, body, cls)


def line_title(row: dict[str, Any], lang: str) -> str:
    """A line's title cell: the title, its place, and 中止 in front of a cancelled line."""
    title = escape(row["title"]) + (f' <small>（{escape(row["place"])}）</small>' if row["place"] else "")
    if row.get("serves"):  # ⑦ 貸切バス → 6 企業見学会
        title += f' <span class="pl-serves" title="{t("serves", lang)}">→ {escape(row["serves"])}</span>'
    elif row.get("serves_gone"):
        title += f' <span class="pl-serves pl-serves-gone">→ {t("serves_gone", lang)}</span>'
    if row.get("cancelled"):
        title = f'<b class="pl-cancelled-mark">{t("cancelled_mark", lang)}</b> ' + title
    return title


FLAG_MARKS = {"error": " ⚠", "warning": " △"}


def comment_box(comment: str, status: str, lang: str) -> str:
    """The officer's comment as the secretariat and the reviewers see it: a warning on a returned plan."""
    if not comment:
        return ""
    kind = "warning" if status == "returned" else "info"
    return (f'<div class="pl-note pl-note-{kind} pl-comment"><b>{t("officer_comment", lang)}</b>'
            f"<br>{escape(comment)}</div>")


def status_chip(status: str, label: str, lang: str) -> str:
    return (f'<span class="pl-chip pl-chip-{status or "new"}">{t("status", lang)}: '
            f"{escape(label)}</span>")
