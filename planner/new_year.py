"""A new fiscal year as data: copy a year, change points, budgets or items, validate, write a TOML file."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from .errors import FiscalYearError
from .fiscal_year import FiscalYear, MenuItem, Rule, budgets_dir, parse_fiscal_year
from .japanese import reiwa


def derive_fiscal_year(
    source: FiscalYear,
    year: int,
    *,
    points: dict[tuple[int, str], int] | None = None,
    budgets: dict[str, int] | None = None,
    drop_items: list[int] | None = None,
    rename_items: dict[int, str] | None = None,
    yen_per_point: int | None = None,
) -> FiscalYear:
    """A copy of `source` for `year` with the given changes. Problems raise FiscalYearError (key + what)."""
    problems: list[tuple[str, str, str]] = []
    menu: dict[int, MenuItem] = dict(source.menu)
    for no in drop_items or []:
        if menu.pop(no, None) is None:
            problems.append((f"items.{no}", f"メニュー {no} はありません。", f"there is no item {no}."))
    for no, name in (rename_items or {}).items():
        if no not in menu:
            problems.append((f"items.{no}", f"メニュー {no} はありません。", f"there is no item {no}."))
        else:
            menu[no] = replace(menu[no], name_ja=name)
    for (no, vid), pts in (points or {}).items():
        item = menu.get(no)
        if item is None or item.variant(vid) is None:
            problems.append((f"items.{no}.{vid}", f"メニュー {no} に区分 {vid!r} はありません。",
                             f"item {no} has no variant {vid!r}."))
            continue
        variants = tuple(replace(v, points=pts) if v.id == vid else v for v in item.variants)
        menu[no] = replace(item, variants=variants)
    new_budgets = dict(source.budgets)
    for cid, b in (budgets or {}).items():
        if cid not in source.consortia:
            problems.append((f"budgets.{cid}", f"コンソーシアム {cid!r} はありません。",
                             f"there is no consortium {cid!r}."))
        new_budgets[cid] = b
    if problems:
        raise FiscalYearError(f"fy{year}", problems)
    rules = []
    for r in source.rules:
        if r.item not in menu:
            continue
        companions = tuple(c for c in r.companions if c in menu)
        if r.kind == "requires_companion" and not companions:
            continue
        rules.append(Rule(r.kind, r.item, companions, r.max))
    derived = replace(
        source,
        year=year,
        label_ja=reiwa(year),
        yen_per_point=source.yen_per_point if yen_per_point is None else yen_per_point,
        source=f"fy{source.year} をもとに作成 / derived from FY{source.year}",
        menu=menu,
        budgets=new_budgets,
        rules=tuple(rules),
        adjustments=tuple(a for a in source.adjustments if a.item in menu),
        path=f"fy{year}.toml",
    )
    # the same validation as any file on disk: write it out and read it back
    return parse_fiscal_year(fiscal_year_toml(derived), derived.path)


def _s(v: str) -> str:
    # a JSON string is a valid TOML basic string (same escapes)
    return json.dumps(v, ensure_ascii=False)


def fiscal_year_toml(fy: FiscalYear) -> str:
    """The TOML text of a fiscal year, in the layout of budgets/fy2025.toml."""
    out = [
        f"# {fy.label_ja}（{fy.year}年度）支援事業メニュー・ポイント・予算",
        "# 【例示値 / ILLUSTRATIVE】" if fy.illustrative else "#",
        "",
        "[fiscal_year]",
        f"year = {fy.year}",
        f"label_ja = {_s(fy.label_ja)}",
        f"illustrative = {'true' if fy.illustrative else 'false'}",
    ]
    if fy.yen_per_point is not None:
        out.append(f"yen_per_point = {fy.yen_per_point}")
    out += [f"source = {_s(fy.source)}", "", "[thresholds]",
            f"underuse_share = {fy.thresholds.underuse_share}",
            f"late_months = {list(fy.thresholds.late_months)}",
            f"late_share = {fy.thresholds.late_share}", ""]
    if fy.monthly_capacity is not None:
        out += ["[contractor]", "# 受託者が1か月に実施できるイベント数（例示値）/ events a month (illustrative)",
                f"monthly_capacity = {fy.monthly_capacity}", ""]
    for c in fy.consortia.values():
        out += ["[[consortia]]", f"id = {_s(c.id)}", f"name_ja = {_s(c.name_ja)}", f"name_en = {_s(c.name_en)}"]
        if c.established:
            out.append(f"established = {c.established.isoformat()}")
        out.append(f"prefectures = [{', '.join(_s(p) for p in c.prefectures)}]")
        if c.secretariat:
            out.append(f"secretariat = {_s(c.secretariat)}")
        out.append("")
    out.append("[budgets]")
    out += [f"{cid} = {b}" for cid, b in fy.budgets.items()]
    out.append("")
    for item in fy.menu.values():
        out += ["[[items]]", f"no = {item.no}", f"name_ja = {_s(item.name_ja)}", f"name_en = {_s(item.name_en)}",
                f"unit_ja = {_s(item.unit_ja)}", f"unit_en = {_s(item.unit_en)}",
                f"event = {'true' if item.event else 'false'}", "variants = ["]
        for v in item.variants:
            out.append(f"  {{ id = {_s(v.id)}, name_ja = {_s(v.name_ja)}, name_en = {_s(v.name_en)}, "
                       f"points = {v.points} }},")
        out += ["]", ""]
    for r in fy.rules:
        out += ["[[rules]]", f"kind = {_s(r.kind)}", f"item = {r.item}"]
        if r.companions:
            out.append(f"companions = [{', '.join(str(c) for c in r.companions)}]")
        if r.max is not None:
            out.append(f"max = {r.max}")
        out.append("")
    for a in fy.adjustments:
        out += ["[[adjustments]]", f"consortium = {_s(a.consortium)}", f"item = {a.item}"]
        if not a.offered:
            out.append("offered = false")
        else:
            out += [f"variant = {_s(a.variant or '')}", f"points = {a.points}"]
        out.append("")
    return "\n".join(out)


def write_fiscal_year(fy: FiscalYear, directory: Path | None = None, overwrite: bool = False) -> Path:
    """Write budgets/fy{year}.toml after validating it; never replaces an existing year unless asked."""
    path = (directory or budgets_dir()) / f"fy{fy.year}.toml"
    text = fiscal_year_toml(fy)
    parse_fiscal_year(text, str(path))
    if path.exists() and not overwrite:
        raise FiscalYearError(str(path), [("(file)", "この年度のファイルはすでにあります。上書きしません。",
                                           "a file for this year already exists; it is not replaced.")])
    path.write_text(text, encoding="utf-8")
    return path
