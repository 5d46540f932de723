"""`planner export`, `consolidate`, `check` and `import`: plan and consolidated workbooks out, plan
workbooks checked and loaded back in."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .api import open_store
from .cli_common import Usage, db_path, desk_of, finding_dict, format_finding
from .findings import Finding
from .text import Text


def _read_workbook_file(path: str, lang: str) -> bytes | Finding:
    """The file's bytes, read no further than the size limit (a huge file is refused, not loaded)."""
    from .workbook.layout import MAX_FILE_BYTES
    from .workbook.safety import too_large

    p = Path(path)
    if not p.is_file():
        raise Usage(Text(f"ファイル {path} がありません。", f"There is no file {path}.")(lang))
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        return too_large(size)
    with p.open("rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    return too_large(len(data)) if len(data) > MAX_FILE_BYTES else data


def print_findings(findings: list[Finding], fmt: str, lang: str) -> None:
    if fmt == "json":
        print(json.dumps([finding_dict(f) for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            print(format_finding(f, lang))


def write_output(path: str, data: bytes) -> None:
    # write beside the target and rename, so a reader never sees half a workbook
    out = Path(path)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, out)


def cmd_export(args: argparse.Namespace, lang: str) -> int:
    from .workbook import plan_workbook

    with open_store(db_path(args)) as store:
        data = plan_workbook(store, args.consortium, args.fy)
    write_output(args.output, data)
    print(Text(f"計画ブックを書き出しました: {args.output}", f"Plan workbook written: {args.output}")(lang))
    return 0


def cmd_consolidate(args: argparse.Namespace, lang: str) -> int:
    from .workbook import consolidated_workbook

    with open_store(db_path(args)) as store:
        # --as: the copy that person gets from the apps (the contractor's: accepted plans only)
        data = consolidated_workbook(desk_of(store, args.as_user) if args.as_user else store, args.fy)
    write_output(args.output, data)
    print(Text(f"集約ブックを書き出しました: {args.output}", f"Consolidated workbook written: {args.output}")(lang))
    return 0


def cmd_check(args: argparse.Namespace, lang: str) -> int:
    from .workbook import read_workbook

    data = _read_workbook_file(args.file, lang)
    findings = [data] if isinstance(data, Finding) else read_workbook(data).findings
    print_findings(findings, args.format, lang)
    errors = sum(f.is_error for f in findings)
    if args.format != "json":
        print(Text(f"エラー {errors} 件、警告 {len(findings) - errors} 件。",
                   f"{errors} error(s), {len(findings) - errors} warning(s).")(lang), file=sys.stderr)
    return 1 if errors else 0


def cmd_import(args: argparse.Namespace, lang: str) -> int:
    from .workbook import import_workbook

    data = _read_workbook_file(args.file, lang)
    if isinstance(data, Finding):
        print_findings([data], args.format, lang)
        return 1
    with open_store(db_path(args)) as store:
        outcome = import_workbook(desk_of(store, args.as_user), data)
    print_findings(outcome.findings, args.format, lang)
    if not outcome.ok:
        print(Text("読み込みませんでした（何も保存していません）。", "Refused: nothing was stored.")(lang),
              file=sys.stderr)
        return 1
    if args.format != "json":
        print(Text(f"読み込みました（版 {outcome.revision}、実績 {outcome.results_recorded} 件）。",
                   f"Loaded (revision {outcome.revision}, {outcome.results_recorded} result(s)).")(lang))
    return 0


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    ex = sub.add_parser("export", parents=[common], help="計画ブック（Excel）を書き出す / write a plan workbook")
    ex.add_argument("--consortium", required=True, help="コンソーシアムID / consortium id")
    ex.add_argument("--fy", type=int, required=True, help="年度（西暦）/ fiscal year, e.g. 2025")
    ex.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    ex.set_defaults(func=cmd_export)

    co = sub.add_parser("consolidate", parents=[common], help="集約ブックを書き出す / write the consolidated workbook")
    co.add_argument("--fy", type=int, required=True, help="年度（西暦）/ fiscal year, e.g. 2025")
    co.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    co.add_argument("--as", dest="as_user", metavar="USER",
                    help="その利用者が読める計画だけの写し（受託者なら承認済みのみ）/ the copy this user may read "
                         "(the contractor's: accepted plans only)")
    co.set_defaults(func=cmd_consolidate)

    ck = sub.add_parser("check", parents=[common], help="計画ブックを検査する / check a plan workbook")
    ck.add_argument("file", metavar="FILE.xlsx")
    ck.add_argument("--format", choices=["text", "json"], default="text")
    ck.set_defaults(func=cmd_check)

    im = sub.add_parser("import", parents=[common], help="計画ブックを読み込む / load a plan workbook")
    im.add_argument("file", metavar="FILE.xlsx")
    im.add_argument("--as", dest="as_user", required=True, metavar="USER", help="読み込む利用者 / the user loading it")
    im.add_argument("--format", choices=["text", "json"], default="text")
    im.set_defaults(func=cmd_import)
