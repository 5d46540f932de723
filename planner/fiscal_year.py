"""Fiscal-year data: menu, variants, points, rules, consortia and budgets, read from budgets/fyYYYY.toml.

A new fiscal year is a new data file, never a code change. Every problem in a file is reported with
the file, the key and what is wrong; nothing half-loaded is ever returned.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import FiscalYearError

RULE_KINDS = ("requires_companion", "max_quantity", "description_required")


@dataclass(frozen=True)
class Variant:
    id: str
    name_ja: str
    name_en: str
    points: int

    def name(self, lang: str = "ja") -> str:
        return self.name_en if lang == "en" else self.name_ja


@dataclass(frozen=True)
class MenuItem:
    no: int
    name_ja: str
    name_en: str
    unit_ja: str
    unit_en: str
    event: bool
    variants: tuple[Variant, ...]

    def variant(self, variant_id: object) -> Variant | None:
        return next((v for v in self.variants if v.id == variant_id), None)

    def name(self, lang: str = "ja") -> str:
        return self.name_en if lang == "en" else self.name_ja

    def unit(self, lang: str = "ja", quantity: object = 1) -> str:
        """The unit after a quantity: 回 in Japanese; "session" or "sessions" in English (the menu's
        English units are all plain nouns that take an s)."""
        if lang != "en":
            return self.unit_ja
        return self.unit_en if quantity == 1 else f"{self.unit_en}s"


@dataclass(frozen=True)
class Consortium:
    id: str
    name_ja: str
    name_en: str
    established: dt.date | None
    prefectures: tuple[str, ...]
    secretariat: str = ""

    def name(self, lang: str = "ja") -> str:
        return self.name_en if lang == "en" else self.name_ja

    def short_name(self, lang: str = "ja") -> str:
        """The name without its common word, where six names stand side by side (東北, Tohoku)."""
        return self.name(lang).removesuffix("コンソーシアム").removesuffix(" Consortium")


@dataclass(frozen=True)
class Rule:
    kind: str
    item: int
    companions: tuple[int, ...] = ()
    max: int | None = None


@dataclass(frozen=True)
class Adjustment:
    consortium: str
    item: int
    variant: str | None = None
    points: int | None = None
    offered: bool = True


@dataclass(frozen=True)
class Thresholds:
    underuse_share: float = 0.7
    late_months: tuple[int, ...] = (2, 3)
    late_share: float = 0.5


@dataclass(frozen=True, eq=False)
class FiscalYear:
    year: int
    label_ja: str
    illustrative: bool
    yen_per_point: int | None
    source: str
    menu: dict[int, MenuItem]
    consortia: dict[str, Consortium]
    budgets: dict[str, int]
    rules: tuple[Rule, ...]
    adjustments: tuple[Adjustment, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    path: str = ""
    # events (quantities of ①–⑥) the contractor can run in one month across all consortia; None: not set
    monthly_capacity: int | None = None

    def menu_for(self, consortium: str) -> dict[int, MenuItem]:
        """The menu as it applies to one consortium, after its adjustments."""
        adjustments = [a for a in self.adjustments if a.consortium == consortium]
        if not adjustments:
            return self.menu
        menu = dict(self.menu)
        for a in adjustments:
            if not a.offered:
                menu.pop(a.item, None)
            elif a.item in menu and a.variant is not None and a.points is not None:
                item = menu[a.item]
                variants = tuple(replace(v, points=a.points) if v.id == a.variant else v for v in item.variants)
                menu[a.item] = replace(item, variants=variants)
        return menu

    def budget(self, consortium: str) -> int | None:
        return self.budgets.get(consortium)

    def rules_for(self, item: int, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.item == item and r.kind == kind]


def budgets_dir() -> Path:
    """Where fiscal-year files live: PLANNER_BUDGETS, else the project's budgets/ folder."""
    env = os.environ.get("PLANNER_BUDGETS")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "budgets"


def available_years(directory: Path | None = None) -> list[int]:
    d = directory or budgets_dir()
    years = []
    for p in d.glob("fy*.toml"):
        stem = p.stem[2:]
        if stem.isdigit():
            years.append(int(stem))
    return sorted(years)


def load_fiscal_year(year: int | str | Path, directory: Path | None = None) -> FiscalYear:
    """Load `budgets/fy{year}.toml` (or a file path). Raises FiscalYearError naming file, key, problem."""
    if isinstance(year, int) or (isinstance(year, str) and year.isdigit()):
        path = (directory or budgets_dir()) / f"fy{int(year)}.toml"
        expected: int | None = int(year)
    else:
        path = Path(year)
        expected = None
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FiscalYearError(
            str(path), [("(file)", "ファイルがありません。", "the file does not exist.")]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FiscalYearError(
            str(path), [("(file)", "UTF-8 のテキストではありません。", "the file is not UTF-8 text.")]
        ) from None
    fy = parse_fiscal_year(text, str(path))
    if expected is not None and fy.year != expected:
        raise FiscalYearError(
            str(path),
            [(
                "fiscal_year.year",
                f"ファイル名は {expected} 年度ですが、中身は {fy.year} 年度です。",
                f"the file name says {expected} but the file says {fy.year}.",
            )],
        )
    return fy


class _Problems:
    def __init__(self) -> None:
        self.items: list[tuple[str, str, str]] = []

    def add(self, key: str, ja: str, en: str) -> None:
        self.items.append((key, ja, en))


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _text(p: _Problems, table: dict, key: str, where: str, required: bool = True) -> str:
    v = table.get(key)
    if v is None and not required:
        return ""
    if not isinstance(v, str) or (required and not v.strip()):
        p.add(f"{where}.{key}", "文字列を入れてください。", "must be a non-empty string.")
        return ""
    return v


def _count(p: _Problems, v: Any, key: str) -> int:
    if not _is_int(v):
        p.add(key, f"整数を入れてください（いまは {v!r}）。", f"must be a whole number (it is {v!r}).")
        return 0
    if v < 0:
        p.add(key, f"負の数は使えません（いまは {v}）。", f"must not be negative (it is {v}).")
        return 0
    return v


def parse_fiscal_year(text: str, path: str = "<text>") -> FiscalYear:
    """Parse and validate a fiscal-year TOML document."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise FiscalYearError(path, [("(TOML)", f"TOML として読めません: {e}", f"not valid TOML: {e}")]) from None

    p = _Problems()
    head = data.get("fiscal_year")
    if not isinstance(head, dict):
        p.add("fiscal_year", "[fiscal_year] の表がありません。", "the [fiscal_year] table is missing.")
        head = {}
    year = head.get("year")
    if not _is_int(year) or not 2000 <= year <= 2100:
        p.add("fiscal_year.year", "西暦の年度（例: 2025）を入れてください。", "must be a western year such as 2025.")
        year = 0
    label_ja = head.get("label_ja") or ""
    yen = head.get("yen_per_point")
    if yen is not None:
        yen = _count(p, yen, "fiscal_year.yen_per_point")

    consortia: dict[str, Consortium] = {}
    for i, c in enumerate(data.get("consortia") or []):
        where = f"consortia[{i}]"
        if not isinstance(c, dict):
            p.add(where, "表（テーブル）が必要です。", "must be a table.")
            continue
        cid = _text(p, c, "id", where)
        if cid in consortia:
            p.add(f"{where}.id", f"コンソーシアム {cid!r} が重複しています。", f"consortium {cid!r} appears twice.")
            continue
        est = c.get("established")
        if est is not None and not isinstance(est, dt.date):
            p.add(f"{where}.established", "日付（例: 2023-02-22）を入れてください。", "must be a date like 2023-02-22.")
            est = None
        prefs = c.get("prefectures") or []
        if not isinstance(prefs, list) or not all(isinstance(x, str) for x in prefs):
            p.add(f"{where}.prefectures", "都道府県名の配列にしてください。", "must be a list of prefecture names.")
            prefs = []
        if cid:
            consortia[cid] = Consortium(
                id=cid,
                name_ja=_text(p, c, "name_ja", where),
                name_en=_text(p, c, "name_en", where, required=False) or cid,
                established=est,
                prefectures=tuple(prefs),
                secretariat=_text(p, c, "secretariat", where, required=False),
            )
    if not consortia:
        p.add("consortia", "コンソーシアムが1つもありません。", "no consortium is defined.")

    budgets: dict[str, int] = {}
    raw_budgets = data.get("budgets")
    if not isinstance(raw_budgets, dict):
        p.add("budgets", "[budgets] の表がありません。", "the [budgets] table is missing.")
        raw_budgets = {}
    for cid, v in raw_budgets.items():
        if cid not in consortia:
            p.add(
                f"budgets.{cid}",
                f"予算のあるコンソーシアム {cid!r} が [[consortia]] にありません。",
                f"a budget is given for {cid!r}, which is not a consortium in [[consortia]].",
            )
            continue
        budgets[cid] = _count(p, v, f"budgets.{cid}")
    for cid in consortia:
        if cid not in raw_budgets:
            p.add(f"budgets.{cid}", "このコンソーシアムの予算がありません。", "this consortium has no budget.")

    menu: dict[int, MenuItem] = {}
    for i, it in enumerate(data.get("items") or []):
        where = f"items[{i}]"
        if not isinstance(it, dict):
            p.add(where, "表（テーブル）が必要です。", "must be a table.")
            continue
        no = it.get("no")
        if not _is_int(no) or no < 1:
            p.add(f"{where}.no", "1以上の整数の番号を入れてください。", "must be a whole number from 1.")
            continue
        if no in menu:
            p.add(f"{where}.no", f"メニュー番号 {no} が重複しています。", f"menu item {no} appears twice.")
            continue
        variants: list[Variant] = []
        raw_vars = it.get("variants")
        if not isinstance(raw_vars, list) or not raw_vars:
            p.add(f"{where}.variants", "区分（variants）を1つ以上定義してください。", "needs at least one variant.")
            raw_vars = []
        for j, v in enumerate(raw_vars):
            vw = f"{where}.variants[{j}]"
            if not isinstance(v, dict):
                p.add(vw, "表（テーブル）が必要です。", "must be a table.")
                continue
            vid = _text(p, v, "id", vw)
            if vid and any(x.id == vid for x in variants):
                p.add(f"{vw}.id", f"区分 {vid!r} が重複しています。", f"variant {vid!r} appears twice.")
                continue
            variants.append(
                Variant(
                    id=vid,
                    name_ja=_text(p, v, "name_ja", vw),
                    name_en=_text(p, v, "name_en", vw, required=False) or vid,
                    points=_count(p, v.get("points"), f"{vw}.points"),
                )
            )
        event = it.get("event", False)
        if not isinstance(event, bool):
            p.add(f"{where}.event", "true か false を入れてください。", "must be true or false.")
            event = False
        menu[no] = MenuItem(
            no=no,
            name_ja=_text(p, it, "name_ja", where),
            name_en=_text(p, it, "name_en", where, required=False),
            unit_ja=_text(p, it, "unit_ja", where, required=False),
            unit_en=_text(p, it, "unit_en", where, required=False),
            event=event,
            variants=tuple(variants),
        )
    if not menu:
        p.add("items", "メニュー項目が1つもありません。", "no menu item is defined.")

    def known_item(key: str, n: Any) -> bool:
        if n not in menu:
            p.add(key, f"メニュー番号 {n!r} はメニューにありません。", f"item {n!r} is not in the menu.")
            return False
        return True

    rules: list[Rule] = []
    for i, r in enumerate(data.get("rules") or []):
        where = f"rules[{i}]"
        if not isinstance(r, dict):
            p.add(where, "表（テーブル）が必要です。", "must be a table.")
            continue
        kind = r.get("kind")
        if kind not in RULE_KINDS:
            p.add(
                f"{where}.kind",
                f"ルールの種類 {kind!r} は使えません（{', '.join(RULE_KINDS)}）。",
                f"unknown rule kind {kind!r} (use one of {', '.join(RULE_KINDS)}).",
            )
            continue
        if not known_item(f"{where}.item", r.get("item")):
            continue
        companions: tuple[int, ...] = ()
        mx = None
        if kind == "requires_companion":
            comp = r.get("companions")
            if not isinstance(comp, list) or not comp:
                p.add(f"{where}.companions", "組み合わせる項目の番号を並べてください。", "must list companion items.")
                continue
            if not all(known_item(f"{where}.companions", n) for n in comp):
                continue
            companions = tuple(comp)
        if kind == "max_quantity":
            mx = r.get("max")
            if not _is_int(mx) or mx < 1:
                p.add(f"{where}.max", "1以上の整数を入れてください。", "must be a whole number from 1.")
                continue
        rules.append(Rule(kind=kind, item=r["item"], companions=companions, max=mx))

    adjustments: list[Adjustment] = []
    for i, a in enumerate(data.get("adjustments") or []):
        where = f"adjustments[{i}]"
        if not isinstance(a, dict):
            p.add(where, "表（テーブル）が必要です。", "must be a table.")
            continue
        cid = a.get("consortium")
        if cid not in consortia:
            p.add(f"{where}.consortium", f"コンソーシアム {cid!r} がありません。", f"unknown consortium {cid!r}.")
            continue
        if not known_item(f"{where}.item", a.get("item")):
            continue
        offered = a.get("offered", True)
        if not isinstance(offered, bool):
            p.add(f"{where}.offered", "true か false を入れてください。", "must be true or false.")
            continue
        vid, pts = a.get("variant"), a.get("points")
        if offered:
            if menu[a["item"]].variant(vid) is None:
                p.add(
                    f"{where}.variant",
                    f"区分 {vid!r} はメニュー {a['item']} にありません。",
                    f"variant {vid!r} is not in item {a['item']}.",
                )
                continue
            pts = _count(p, pts, f"{where}.points")
        adjustments.append(Adjustment(consortium=cid, item=a["item"], variant=vid, points=pts, offered=offered))

    th = data.get("thresholds") or {}
    thresholds = Thresholds()
    if isinstance(th, dict) and th:
        share = th.get("underuse_share", thresholds.underuse_share)
        late_share = th.get("late_share", thresholds.late_share)
        late_months = th.get("late_months", list(thresholds.late_months))
        for key, v in (("underuse_share", share), ("late_share", late_share)):
            if not isinstance(v, int | float) or isinstance(v, bool) or not 0 <= v <= 1:
                p.add(f"thresholds.{key}", "0 から 1 の数を入れてください。", "must be a number from 0 to 1.")
        if not isinstance(late_months, list) or not all(_is_int(m) and 1 <= m <= 12 for m in late_months):
            p.add("thresholds.late_months", "1〜12 の月を並べてください。", "must list months 1–12.")
            late_months = list(thresholds.late_months)
        if not p.items:
            thresholds = Thresholds(float(share), tuple(late_months), float(late_share))

    contractor = data.get("contractor") or {}
    capacity = contractor.get("monthly_capacity") if isinstance(contractor, dict) else None
    if capacity is not None and not (_is_int(capacity) and capacity > 0):
        p.add("contractor.monthly_capacity", "1 以上の整数（1か月に実施できるイベント数）を入れてください。",
              "must be a whole number of 1 or more (events the contractor can run in a month).")
        capacity = None

    if p.items:
        raise FiscalYearError(path, p.items)
    return FiscalYear(
        year=year,
        label_ja=label_ja,
        illustrative=bool(head.get("illustrative", False)),
        yen_per_point=yen,
        source=str(head.get("source", "")),
        menu=dict(sorted(menu.items())),
        consortia=consortia,
        budgets=budgets,
        rules=tuple(rules),
        adjustments=tuple(adjustments),
        thresholds=thresholds,
        path=path,
        monthly_capacity=capacity,
    )
