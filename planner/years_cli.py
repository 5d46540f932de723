"""`planner years`: list fiscal-year files, check one, and make a new year from an old one."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .fiscal_year import available_years, budgets_dir, load_fiscal_year
from .japanese import circled
from .new_year import derive_fiscal_year, write_fiscal_year


class _Usage(Exception):
    pass


def _pairs(values: list[str], pattern: str, what_ja: str, what_en: str, lang: str) -> list[re.Match]:
    out = []
    for v in values or []:
        m = re.fullmatch(pattern, v)
        if not m:
            raise _Usage(f"{what_ja} の形が違います: {v!r}" if lang == "ja" else f"{what_en} is malformed: {v!r}")
        out.append(m)
    return out


def cmd_years(args: argparse.Namespace, lang: str) -> int:
    directory = Path(args.dir) if getattr(args, "dir", None) else budgets_dir()
    if args.years_cmd == "list":
        for y in available_years(directory):
            fy = load_fiscal_year(y, directory)
            mark = "（例示値）" if fy.illustrative and lang == "ja" else (" (illustrative)" if fy.illustrative else "")
            total = sum(fy.budgets.values())
            print(f"{y} {fy.label_ja}{mark}: {len(fy.menu)} items, {len(fy.consortia)} consortia, budget {total}")
        return 0
    if args.years_cmd == "check":
        fy = load_fiscal_year(Path(args.file))
        if lang == "en":
            print(f"OK: {args.file} ({fy.label_ja}, {len(fy.menu)} items, {len(fy.consortia)} consortia)")
        else:
            print(f"OK: {args.file}（{fy.label_ja}、メニュー {len(fy.menu)} 項目、{len(fy.consortia)} 地域）")
        return 0
    try:
        points = {(int(m[1]), m[2]): int(m[3]) for m in _pairs(
            args.points, r"(\d+):(\w+)=(\d+)", "--points 番号:区分=ポイント", "--points ITEM:VARIANT=N", lang)}
        budgets = {m[1]: int(m[2]) for m in _pairs(
            args.budget, r"(\w+)=(\d+)", "--budget ID=ポイント", "--budget ID=N", lang)}
        renames = {int(m[1]): m[2] for m in _pairs(args.rename_item, r"(\d+)=(.+)", "--rename-item 番号=名称",
                                                  "--rename-item ITEM=NAME", lang)}
    except _Usage as e:
        print(str(e), file=sys.stderr)
        return 2
    source = load_fiscal_year(args.source)  # from budgets/ (or PLANNER_BUDGETS); --dir is where to write
    fy = derive_fiscal_year(source, args.year, points=points, budgets=budgets, drop_items=args.drop_item,
                            rename_items=renames, yen_per_point=args.yen_per_point)
    path = write_fiscal_year(fy, directory, overwrite=args.force)
    if lang == "en":
        print(f"Wrote {path} (FY{fy.year}, from FY{source.year}). Plans of FY{source.year} keep their rules.")
    else:
        print(f"{path} を作成しました（{fy.label_ja}、{source.label_ja}から複製）。"
              f"{source.label_ja}の計画は元のルールのままです。")
    for no, item in fy.menu.items():
        old = source.menu.get(no)
        for v in item.variants:
            was = old.variant(v.id).points if old and old.variant(v.id) else None
            if was != v.points:
                print(f"  {circled(no)} {v.id}: {was} → {v.points}")
    for no in set(source.menu) - set(fy.menu):
        print(f"  {circled(no)} {'削除' if lang == 'ja' else 'dropped'}")
    for cid, b in fy.budgets.items():
        if source.budgets.get(cid) != b:
            print(f"  {cid}: {source.budgets.get(cid)} → {b}")
    return 0


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    y = sub.add_parser("years", parents=[common], help="年度データ / fiscal-year files")
    ys = y.add_subparsers(dest="years_cmd", required=True, metavar="ACTION")
    ls = ys.add_parser("list", parents=[common], help="年度データの一覧 / list fiscal-year files")
    ls.add_argument("--dir", help="年度データのフォルダ / folder of fyYYYY.toml files (default: budgets/)")
    ck = ys.add_parser("check", parents=[common], help="年度データを検査 / validate a fiscal-year file")
    ck.add_argument("file")
    nw = ys.add_parser("new", parents=[common], help="年度を複製して新年度を作る / make a new year from an old one")
    nw.add_argument("--from", dest="source", type=int, required=True, help="元の年度 / source year, e.g. 2025")
    nw.add_argument("--to", dest="year", type=int, required=True, help="新しい年度 / new year, e.g. 2026")
    nw.add_argument("--points", action="append", default=[], metavar="ITEM:VARIANT=N",
                    help="区分のポイントを変更（例 2:online=14）/ change a variant's points")
    nw.add_argument("--budget", action="append", default=[], metavar="ID=N",
                    help="予算を変更（例 kansai=130）/ change a budget")
    nw.add_argument("--drop-item", action="append", type=int, default=[], metavar="ITEM",
                    help="メニュー項目を外す / drop a menu item")
    nw.add_argument("--rename-item", action="append", default=[], metavar="ITEM=NAME",
                    help="メニュー項目の名称を変更 / rename a menu item")
    nw.add_argument("--yen-per-point", type=int, help="1ポイントあたりの金額 / yen per point")
    nw.add_argument("--dir", help="年度データのフォルダ / folder to write into (default: budgets/)")
    nw.add_argument("--force", action="store_true", help="既存の年度を置き換える / replace an existing year's file")
    y.set_defaults(func=cmd_years)
