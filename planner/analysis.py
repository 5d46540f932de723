"""Comparisons for analysts: pure functions from the plans and results frames to small tables."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import pandas as pd

from .fiscal_year import FiscalYear
from .japanese import FISCAL_MONTHS, circled
from .results_summary import ANSWER_LABELS, ANSWERS, KIND_LABELS, KINDS, Tally
from .workflow import STATUS_LABELS

EVENT_ITEMS = (1, 2, 3, 4, 5, 6)


def students_by_prefecture() -> pd.DataFrame:
    """Foreign students by prefecture, 2021 (JASSO, from seed 000; see planner/data/SOURCE.md)."""
    with resources.files("planner.data").joinpath("foreign_students_by_prefecture_2021.csv").open(
        encoding="utf-8"
    ) as f:
        return pd.read_csv(f)


def job_placements_by_region() -> pd.DataFrame:
    with resources.files("planner.data").joinpath("job_placements_by_region_2021.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f)


def _cancelled(plans: pd.DataFrame) -> pd.Series:
    """Lines marked cancelled (中止): planned no more, so counted in no schedule or plan total."""
    if "cancelled" not in plans:  # a frame made before lines could be cancelled
        return pd.Series(False, index=plans.index)
    return plans["cancelled"].fillna(False).astype(bool)


def points_by_item(plans: pd.DataFrame) -> pd.DataFrame:
    """Consortium × menu item (①…⑪) matrix of points."""
    if plans.empty:
        return pd.DataFrame()
    t = plans.pivot_table(index="consortium_name", columns="item", values="points", aggfunc="sum", fill_value=0)
    t = t.reindex(plans["consortium_name"].unique())  # the fiscal-year file's order, not the collation order
    t.columns = [circled(int(c)) if isinstance(c, int | float) else str(c) for c in t.columns]
    return t


def budget_use(plans: pd.DataFrame, fy: FiscalYear) -> pd.DataFrame:
    """Budget, points used and left, share used and status, one row a consortium of the year."""
    used = plans.groupby("consortium")["points"].sum() if not plans.empty else pd.Series(dtype=int)
    status = plans.groupby("consortium")["status"].first() if not plans.empty else pd.Series(dtype=str)
    rows = []
    for cid, c in fy.consortia.items():
        budget = fy.budget(cid) or 0
        u = int(used.get(cid, 0))
        rows.append({"consortium": cid, "コンソーシアム": c.name_ja, "予算": budget, "使用": u, "残り": budget - u,
                     "使用率": u / budget if budget else float("nan"), "状態": status.get(cid, "未作成")})
    return pd.DataFrame(rows).set_index("consortium")


def schedule(plans: pd.DataFrame) -> pd.DataFrame:
    """Month (April → March) × consortium: quantities of events (items ①–⑥) planned."""
    ev = plans[plans["item"].isin(EVENT_ITEMS) & ~_cancelled(plans)] if not plans.empty else plans
    t = ev.pivot_table(index="month", columns="consortium_name", values="quantity", aggfunc="sum", fill_value=0)
    t = t.reindex(list(FISCAL_MONTHS), fill_value=0)
    t = t.reindex(columns=[c for c in plans["consortium_name"].unique() if c in t.columns])
    t.index = [f"{m}月" for m in t.index]
    return t


def planned_vs_delivered(plans: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Per consortium and year: events planned in accepted plans, events held, participants, satisfaction."""
    acc = plans[(plans["status"] == "accepted") & plans["item"].isin(EVENT_ITEMS) & ~_cancelled(plans)]
    planned = acc.groupby(["fiscal_year", "consortium"])["quantity"].sum().rename("計画イベント数")
    if results.empty:  # indexed like `planned`: pandas cannot align a MultiIndex with a plain empty one
        held = pd.DataFrame(columns=["実施イベント数", "参加者数", "満足度（大変満足＋満足）"],
                            index=pd.MultiIndex.from_tuples([], names=["fiscal_year", "consortium"]))
    else:
        r = results.copy()
        r["events"] = 1  # delivered session by session: a result is one session held, however many days it took
        answers = _answers(r)
        r["pos_answers"] = answers["very_satisfied"] + answers["satisfied"]
        r["all_answers"] = answers.sum(axis=1, min_count=1)
        g = r.groupby(["fiscal_year", "consortium"])
        held = pd.DataFrame({
            "実施イベント数": g["events"].sum(),
            "参加者数": g["participants"].sum(),
            # weighted by the people who answered (planner.results_summary): not a mean over events
            "満足度（大変満足＋満足）": g["pos_answers"].sum() / g["all_answers"].sum().where(lambda t: t > 0),
        })
    out = pd.concat([planned, held], axis=1).fillna({"計画イベント数": 0, "実施イベント数": 0, "参加者数": 0})
    return out.astype({"計画イベント数": int, "実施イベント数": int, "参加者数": int})


def participants_by_kind(results: pd.DataFrame) -> pd.DataFrame:
    """Per fiscal year and consortium: companies, company staff, students and consortium members."""
    kinds = ["companies", "company_staff", "students", "members"]
    if results.empty:
        return pd.DataFrame(columns=kinds, index=pd.MultiIndex.from_tuples([], names=["fiscal_year", "consortium"]))
    r = results.copy()
    for k in kinds:
        r[k] = pd.to_numeric(r[k], errors="coerce").fillna(0).astype(int)
    return r.groupby(["fiscal_year", "consortium"])[kinds].sum()


def _answers(r: pd.DataFrame) -> pd.DataFrame:
    """Each result's answers as people (planner.results_summary.satisfaction_of, on a frame): counts as
    they are; shares times the event's students; shares without students (or nothing answered) NaN."""
    cols = list(ANSWERS)
    a = r[cols].apply(pd.to_numeric, errors="coerce").astype(float)
    students = pd.to_numeric(r["students"], errors="coerce")
    pct = r["satisfaction_unit"] == "percent"
    a.loc[pct] = a.loc[pct].mul(students[pct].where(students[pct] > 0) / 100, axis=0)
    answered = a.fillna(0).sum(axis=1).where(a.notna().any(axis=1))
    return a.fillna(0).where(answered > 0)


def very_satisfied_share(results: pd.DataFrame) -> pd.Series:
    """Per fiscal year and consortium: the share answering 大変満足, weighted by the people who answered."""
    if results.empty:
        return pd.Series(dtype=float, index=pd.MultiIndex.from_tuples([], names=["fiscal_year", "consortium"]))
    a = _answers(results)
    keys = [results["fiscal_year"], results["consortium"]]
    total = a.sum(axis=1, min_count=1).groupby(keys).sum(min_count=1)
    return a["very_satisfied"].groupby(keys).sum(min_count=1) / total.where(total > 0)


def students_vs_points(plans: pd.DataFrame, fy: FiscalYear) -> pd.DataFrame:
    """Foreign students in each consortium's main target prefectures against the points it plans."""
    students = students_by_prefecture().set_index("prefecture")["foreign_students"]
    used = plans.groupby("consortium")["points"].sum() if not plans.empty else pd.Series(dtype=int)
    rows = []
    for cid, c in fy.consortia.items():
        n = int(sum(students.get(p, 0) for p in c.prefectures))
        pts = int(used.get(cid, 0))
        rows.append({"consortium": cid, "コンソーシアム": c.name_ja, "対象県": "・".join(c.prefectures),
                     "留学生数": n, "計画ポイント": pts, "予算": fy.budget(cid),
                     "留学生1万人あたりポイント": pts / n * 10000 if n else float("nan")})
    return pd.DataFrame(rows).set_index("consortium")


def menu_frame(fy: FiscalYear, consortium: str | None = None) -> pd.DataFrame:
    """The menu of a year (or one consortium's effective menu) as a table: one row a variant."""
    menu = fy.menu_for(consortium) if consortium else fy.menu
    rows = [{"番号": circled(i.no), "item": i.no, "メニュー": i.name_ja, "variant": v.id, "区分": v.name_ja,
             "単位": i.unit_ja, "ポイント": v.points} for i in menu.values() for v in i.variants]
    return pd.DataFrame(rows)


def compare_menus(old: FiscalYear, new: FiscalYear) -> pd.DataFrame:
    """Points of every variant in two years side by side, with what changed."""
    a = menu_frame(old).set_index(["item", "variant"])
    b = menu_frame(new).set_index(["item", "variant"])
    t = a[["番号", "メニュー", "区分"]].combine_first(b[["番号", "メニュー", "区分"]])
    t[f"{old.label_ja}"] = a["ポイント"]
    t[f"{new.label_ja}"] = b["ポイント"]
    t["変更"] = [
        "削除" if pd.isna(n) else "追加" if pd.isna(o) else ("変更" if o != n else "")
        for o, n in zip(t[old.label_ja], t[new.label_ja], strict=True)
    ]
    return t.reset_index(drop=True)


# -- the year's results, as the results book has them ----------------------------------------------------


def year_tables(source: Any, year: int, today: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """The results book's tables (planner.year_results, the same figures as the book and the review app's
    計画と実績) as frames: コンソーシアム別, メニュー別 (each with a 合計 row), 都道府県別, 未記録.
    Satisfaction shares are weighted by the people who answered (WEIGHTING_JA says how)."""
    from .year_results import read_year

    fy = source.fiscal_year(year)
    f = read_year(source, year, today)

    def rows(pairs: list[tuple[str, Tally]]) -> pd.DataFrame:
        out = []
        for name, t in pairs:
            s = t.satisfaction
            out.append({"": name, "計画回数": t.planned, "実施回数": t.delivered,
                        "実施率": t.delivered / t.planned if t.planned else float("nan"),
                        **{KIND_LABELS[k][0]: getattr(t, k) for k in KINDS}, "参加者計": t.participants,
                        "回答者数": s.answered,
                        **{ANSWER_LABELS[a][0]: _fraction(s.share(a)) for a in ANSWERS}})
        return pd.DataFrame(out).set_index("")

    names = {cid: c.name_ja for cid, c in fy.consortia.items()}
    by_c = rows([(names.get(c, c), t) for c, t in f.by_consortium.items()] + [("合計", f.total)])
    by_c.index.name = "コンソーシアム"
    by_i = rows([(f"{circled(n)} {fy.menu[n].name_ja if n in fy.menu else ''}", t) for n, t in f.by_item.items()]
                + [("合計", f.total)])
    by_i.index.name = "メニュー"
    prefs = pd.DataFrame([{"コンソーシアム": names.get(p.consortium, p.consortium), "都道府県": p.prefecture,
                           "参加企業数": p.companies, "対象県": "○" if p.target else "—"} for p in f.prefectures],
                         columns=["コンソーシアム", "都道府県", "参加企業数", "対象県"])
    missing = pd.DataFrame([{"コンソーシアム": names.get(m.consortium, m.consortium), "番号": m.no,
                             "メニュー": circled(m.line.item), "件名": m.line.title, "実施月": f"{m.line.month}月",
                             "計画回数": m.planned, "記録済み": m.recorded, "未記録": m.missing} for m in f.missing],
                           columns=["コンソーシアム", "番号", "メニュー", "件名", "実施月", "計画回数", "記録済み",
                                    "未記録"])
    return {"コンソーシアム別": by_c, "メニュー別": by_i, "都道府県別": prefs, "未記録": missing}


def _fraction(percent: float | None) -> float:
    return percent / 100 if percent is not None else float("nan")


def reach_by_prefecture(source: Any, year: int) -> pd.DataFrame:
    """Per consortium: its main target prefectures (fiscal-year data) against where the participating
    companies of its results came from, and the foreign students (JASSO 2021) in those prefectures."""
    from .year_results import read_year

    fy = source.fiscal_year(year)
    f = read_year(source, year)
    students = students_by_prefecture().set_index("prefecture")["foreign_students"]
    rows = []
    for cid, c in fy.consortia.items():
        mine = [p for p in f.prefectures if p.consortium == cid]
        reached = [p.prefecture for p in mine if p.target]
        rows.append({
            "コンソーシアム": c.name_ja, "対象県": "・".join(c.prefectures),
            "対象県の留学生数": int(sum(students.get(p, 0) for p in c.prefectures)),
            "参加企業のあった対象県": "・".join(reached) or "—",
            "対象県の到達": f"{len(reached)}/{len(c.prefectures)}",
            "対象県からの参加企業": sum(p.companies for p in mine if p.target),
            "対象県以外からの参加企業": sum(p.companies for p in mine if not p.target),
            "対象県以外の都道府県": "・".join(p.prefecture for p in mine if not p.target) or "—",
        })
    return pd.DataFrame(rows).set_index("コンソーシアム")


# -- tables as people read them in JupyterLab ------------------------------------------------------------

COLUMN_LABELS = {
    "consortium": "コンソーシアムID", "consortium_name": "コンソーシアム", "fiscal_year": "年度", "status": "状態",
    "revision": "版", "budget": "予算", "line": "番号", "line_id": "行ID", "item": "メニュー番号",
    "item_name": "メニュー", "variant": "区分ID", "variant_name": "区分", "quantity": "数量",
    "unit_points": "単価ポイント", "points": "ポイント", "month": "実施月", "title": "件名", "place": "開催地",
    "companies": "企業数", "students": "留学生数", "language": "言語", "notes": "備考", "cancelled": "中止",
    "updated_at": "最終更新", "updated_by": "更新者", "session": "回", "dates": "実施日", "venue": "会場",
    "company_staff": "企業参加者数", "members": "コンソーシアム関係者数", "participants": "参加者数",
    "very_satisfied": "大変満足", "satisfied": "満足", "dissatisfied": "不満", "satisfaction_unit": "満足度の単位",
    "planned_quantity": "計画数量", "planned_month": "計画月", "company": "企業名", "prefecture": "都道府県",
    "foreign_students": "留学生数", "jasso_region": "地域", "region": "地域",
    "work_permits_granted": "在留資格変更許可数", "variant_id": "区分ID",
}
VALUE_LABELS = {
    "status": {k: v[0] for k, v in STATUS_LABELS.items()} | {"": "未作成"},
    "satisfaction_unit": {"percent": "割合（%）", "count": "人数"},
    "cancelled": {True: "中止", False: ""},
}
# numbers that name a year, a line, a session or a month: never with a thousands separator
_CODES = {"年度", "番号", "回", "版", "実施月", "計画月", "メニュー番号"}
_TABLE_CSS = [
    # a title or a name on one line (never one character a line in a narrow column); the output scrolls
    {"selector": "th", "props": "white-space: nowrap; text-align: center; padding: 3px 8px;"},
    {"selector": "td", "props": "white-space: nowrap; min-width: 3.5em; padding: 3px 8px;"},
    {"selector": "th.row_heading", "props": "text-align: left;"},
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; "
                                     "font-size: 1.05em; padding: 4px 0; white-space: normal;"},
]


def japanese(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with Japanese column and index names and Japanese statuses (下書き, 提出済み, …)."""
    out = df.copy()
    for col, labels in VALUE_LABELS.items():
        if col in out.columns:
            out[col] = out[col].map(lambda v, lab=labels: lab.get(v, v) if isinstance(v, str | bool) else v)
    if "状態" in out.columns:
        out["状態"] = out["状態"].map(lambda v: VALUE_LABELS["status"].get(v, v))
    out = out.rename(columns=lambda c: COLUMN_LABELS.get(c, c) if isinstance(c, str) else c)
    out.index.names = [COLUMN_LABELS.get(n, n) if isinstance(n, str) else n for n in out.index.names]
    return out


def table(df: pd.DataFrame | pd.Series, caption: str | None = None, percent: tuple[str, ...] = (),
          decimals: int = 1) -> Any:
    """A pandas Styler that reads well in JupyterLab: Japanese headers and statuses, whole numbers with
    thousands separators, other numbers rounded to `decimals`, the `percent` columns (or every column named
    …率 or a share of 満足) as 33%, missing values as —, and no column broken one character a line."""
    if isinstance(df, pd.Series):
        df = df.to_frame()
    shown = japanese(df)
    shares = set(percent) | {c for c in shown.columns if isinstance(c, str)
                             and (c.endswith("率") or c in ("大変満足", "満足", "不満", "満足度（大変満足＋満足）"))
                             and pd.api.types.is_float_dtype(shown[c])}
    formats: dict[Any, Any] = {}
    for c in shown.columns:
        if c in shares:
            formats[c] = "{:.0%}"
        elif c in _CODES and pd.api.types.is_numeric_dtype(shown[c]):
            formats[c] = lambda v: f"{v:.0f}"  # a year or a number that names something: 2024, not 2,024
        elif pd.api.types.is_integer_dtype(shown[c]):
            formats[c] = "{:,}"
        elif pd.api.types.is_float_dtype(shown[c]):
            whole = shown[c].dropna().map(float.is_integer).all()
            formats[c] = "{:,.0f}" if whole else f"{{:,.{decimals}f}}"
    styler = shown.style.format(formats, na_rep="—").set_table_styles(_TABLE_CSS)
    text = [c for c in shown.columns if not pd.api.types.is_numeric_dtype(shown[c])]
    if text:
        styler = styler.set_properties(subset=text, **{"text-align": "left"})
    if isinstance(shown.index, pd.RangeIndex):
        styler = styler.hide(axis="index")  # 0, 1, 2 … say nothing to a reader
    return styler.set_caption(caption) if caption else styler
