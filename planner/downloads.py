"""Workbook downloads that `planner serve` answers itself, so that one click on a link in an app saves the
file: the paths the apps link to, the file names, and the workbooks built through the desk of whoever
asks (opened for their session, so the desk's checks decide what they get).

Kept apart from the server's handler (planner.server.downloads) so the apps' kernels import nothing of tornado.
The alternatives each fail a fact of Voilà (SPEC): a workbook made in the kernel reaches the browser
only as a data: link that must be clicked a second time (no script may click it: `Javascript(...)`
does not run), and /voila/files needs no sign-in.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from .access import ROLE_LABELS
from .desk import Desk
from .errors import AccessDenied, NotFound
from .fiscal_year import FiscalYear
from .japanese import JST

if TYPE_CHECKING:
    from .store import Store

PLAN_PATH = "workbook/plan"
YEAR_PATH = "workbook/year"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the consolidated workbook is the reviewers' (a secretariat has its own plan's workbook)
YEAR_ROLES = ("officer", "contractor", "analyst")


def base_url() -> str:
    """Where the server serves the apps, as the kernel knows it (`/`, or `/planner/` behind nginx)."""
    base = os.environ.get("VOILA_BASE_URL", "/") or "/"
    return base if base.endswith("/") else base + "/"


def plan_url(consortium: str, year: int, base: str | None = None) -> str:
    return f"{base or base_url()}{PLAN_PATH}?{urlencode({'consortium': consortium, 'fy': year})}"


def year_url(year: int, base: str | None = None) -> str:
    return f"{base or base_url()}{YEAR_PATH}?{urlencode({'fy': year})}"


def plan_file_name(fy: FiscalYear, consortium: str, revision: int) -> str:
    """計画_関西コンソーシアム_2025年度_版4.xlsx; a plan not saved yet is the blank form (新規)."""
    name = fy.consortia[consortium].name_ja
    return f"計画_{name}_{fy.year}年度_{f'版{revision}' if revision else '新規'}.xlsx"


def year_file_name(year: int, now: dt.datetime | None = None) -> str:
    return f"集約_{year}年度_{(now or dt.datetime.now(tz=JST)):%Y%m%d}.xlsx"


def content_disposition(name: str, fallback: str) -> str:
    """An attachment named in Japanese (RFC 6266, RFC 5987 `filename*`), with an ASCII name beside it for
    a client that reads only `filename=`."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def plan_download(desk: Desk, consortium: str, year: int) -> tuple[str, str, bytes]:
    """(file name, ASCII file name, workbook) of one plan as the desk's person may read it: the desk refuses
    another consortium's plan to a secretariat and a plan not accepted to the contractor (AccessDenied,
    logged). The name's revision is the workbook's: a save while it was made means it is made again."""
    from .workbook import plan_workbook

    fy = desk.fiscal_year(year)
    if consortium not in fy.consortia:
        raise NotFound(f"コンソーシアム {consortium} は{fy.label_ja}のデータにありません。",
                       f"Consortium {consortium} is not in the FY{year} data.")
    for _ in range(3):
        before = desk.find(consortium, year)
        data = plan_workbook(desk, consortium, year)
        after = desk.find(consortium, year)
        revision = after.revision if after else 0
        if (before.revision if before else 0) == revision:
            break
    ascii_name = f"plan_{consortium}_FY{year}_{f'rev{revision}' if revision else 'new'}.xlsx"
    return plan_file_name(fy, consortium, revision), ascii_name, data


def year_download(desk: Desk, year: int) -> tuple[str, str, bytes]:
    """(file name, ASCII file name, workbook) of the year's consolidated workbook, holding the plans
    the desk's person may read (the contractor: accepted ones); refused to a secretariat (logged)."""
    from .workbook import consolidated_workbook

    user = desk.user
    if user.role not in YEAR_ROLES:
        role_ja, role_en = ROLE_LABELS.get(user.role, (user.role, user.role))
        denied = AccessDenied(f"{role_ja}の権限では年度の集約 Excel はダウンロードできません。"
                              "自分の計画の Excel は計画入力画面からダウンロードできます。",
                              f"A {role_en} may not download the year's consolidated workbook. Your own "
                              "plan's workbook is in the plan app.")
        raise desk.refuse(denied, "download", f"consolidated/{year}")
    desk.fiscal_year(year)  # a year without data is refused before anything is built
    now = dt.datetime.now(tz=JST)
    data = consolidated_workbook(desk, year)
    return year_file_name(year, now), f"consolidated_FY{year}_{now:%Y%m%d}.xlsx", data


# -- results: the event report (PDF) and the year's results book --------------------------------------

EVENT_PATH = "report/event"
RESULTS_PATH = "report/year"
PDF_MIME = "application/pdf"


def event_url(consortium: str, year: int, line: int, base: str | None = None) -> str:
    return f"{base or base_url()}{EVENT_PATH}?{urlencode({'consortium': consortium, 'fy': year, 'line': line})}"


def results_url(year: int, base: str | None = None) -> str:
    return f"{base or base_url()}{RESULTS_PATH}?{urlencode({'fy': year})}"


def results_book_for(source: Desk | Store, year: int) -> bytes:
    """The year's results book with the accepted plans the source's person may read; refused to a
    secretariat, as the consolidated workbook is (logged)."""
    from .workbook.results_book import results_book
    from .year_results import read_year

    if isinstance(source, Desk):
        _reviewers_only(source, f"results/{year}",
                        "年度の実績集計ブック", "the year's results book")
    fy = source.fiscal_year(year)
    return results_book(read_year(source, year), fy)


def results_download(desk: Desk, year: int) -> tuple[str, str, bytes]:
    now = dt.datetime.now(tz=JST)
    data = results_book_for(desk, year)
    return f"実績集計_{year}年度_{now:%Y%m%d}.xlsx", f"results_FY{year}_{now:%Y%m%d}.xlsx", data


def event_download(desk: Desk, consortium: str, year: int, line: int) -> tuple[str, str, bytes]:
    """(file name, ASCII file name, PDF) of a line's event report as the desk's person may read the plan."""
    from .event_report import event_report

    name, data = event_report(desk, consortium, year, line)
    return name, f"event_{consortium}_FY{year}_line{line}.pdf", data


def _reviewers_only(desk: Desk, target: str, what_ja: str, what_en: str) -> None:
    user = desk.user
    if user.role not in YEAR_ROLES:
        role_ja, role_en = ROLE_LABELS.get(user.role, (user.role, user.role))
        raise desk.refuse(AccessDenied(f"{role_ja}の権限では{what_ja}はダウンロードできません。",
                                       f"A {role_en} may not download {what_en}."), "download", target)
