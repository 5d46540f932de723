"""`planner report event` and `planner report year`: the event report of a plan line (PDF, a page per
session) and the year's results book (Excel)."""

from __future__ import annotations

import argparse
import sys

from .api import open_store
from .cli_common import db_path, desk_of
from .errors import PlannerError
from .text import Text
from .workbooks_cli import write_output


def _source(store, args: argparse.Namespace):  # -> Desk | Store
    """`--as USER`: as that person may see it (their desk refuses what they may not see, logged);
    without it, the whole store (the CLI holds the file)."""
    return desk_of(store, args.as_user) if args.as_user else store


def _refused(e: PlannerError) -> int:
    """A refusal in both languages, nothing written."""
    print(f"{e.message_ja}\n{e.message_en}", file=sys.stderr)
    print("何も書き出していません。 / Nothing was written.", file=sys.stderr)
    return 1


def cmd_event(args: argparse.Namespace, lang: str) -> int:
    from .event_report import event_report

    try:
        with open_store(db_path(args)) as store:
            _, data = event_report(_source(store, args), args.consortium, args.fy, args.line)
    except PlannerError as e:
        return _refused(e)
    write_output(args.output, data)
    print(Text(f"実施報告を書き出しました: {args.output}", f"Event report written: {args.output}")(lang))
    return 0


def cmd_year(args: argparse.Namespace, lang: str) -> int:
    from .downloads import results_book_for

    try:
        with open_store(db_path(args)) as store:
            data = results_book_for(_source(store, args), args.fy)
    except PlannerError as e:
        return _refused(e)
    write_output(args.output, data)
    print(Text(f"実績集計ブックを書き出しました: {args.output}", f"Results book written: {args.output}")(lang))
    return 0


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    rp = sub.add_parser("report", help="実施報告・実績集計を書き出す / write event reports and the results book")
    rsub = rp.add_subparsers(dest="report", required=True, metavar="{event,year}")
    ev = rsub.add_parser("event", parents=[common],
                         help="行の実施報告（PDF、1回1ページ）/ a line's event report (PDF, a page per session)")
    ev.add_argument("--consortium", required=True, help="コンソーシアムID / consortium id")
    ev.add_argument("--fy", type=int, required=True, help="年度（西暦）/ fiscal year, e.g. 2024")
    ev.add_argument("--line", type=int, required=True, metavar="N", help="行の番号 / the line's 番号")
    ev.add_argument("--as", dest="as_user", metavar="USER", help="この利用者に見える範囲で / as this user may see it")
    ev.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    ev.set_defaults(func=cmd_event)
    yr = rsub.add_parser("year", parents=[common], help="年度の実績集計ブック / the year's results book (Excel)")
    yr.add_argument("--fy", type=int, required=True, help="年度（西暦）/ fiscal year, e.g. 2025")
    yr.add_argument("--as", dest="as_user", metavar="USER", help="この利用者に見える範囲で / as this user may see it")
    yr.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    yr.set_defaults(func=cmd_year)
