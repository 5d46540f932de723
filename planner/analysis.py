"""Comparisons for analysts: pure functions from the plans and results frames to small tables."""

from __future__ import annotations

from importlib import resources

import pandas as pd

from .fiscal_year import FiscalYear
from .japanese import FISCAL_MONTHS, circled

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
        pct = r["satisfaction_unit"] == "percent"
        total = r[["very_satisfied", "satisfied", "dissatisfied"]].sum(axis=1)
        r["satisfied_share"] = (r["very_satisfied"] + r["satisfied"]) / total.where(total > 0)
        r.loc[pct, "satisfied_share"] = (r.loc[pct, "very_satisfied"] + r.loc[pct, "satisfied"]) / 100
        g = r.groupby(["fiscal_year", "consortium"])
        held = pd.DataFrame({
            "実施イベント数": g["events"].sum(),
            "参加者数": g["participants"].sum(),
            "満足度（大変満足＋満足）": g["satisfied_share"].mean(),
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


def very_satisfied_share(results: pd.DataFrame) -> pd.Series:
    """Per fiscal year and consortium: the mean share answering 大変満足 (shares or counts alike)."""
    if results.empty:
        return pd.Series(dtype=float, index=pd.MultiIndex.from_tuples([], names=["fiscal_year", "consortium"]))
    r = results.copy()
    cols = ["very_satisfied", "satisfied", "dissatisfied"]
    for c in cols:
        r[c] = pd.to_numeric(r[c], errors="coerce")
    total = r[cols].sum(axis=1, min_count=1)
    share = r["very_satisfied"] / total.where(total > 0)
    share[r["satisfaction_unit"] == "percent"] = r["very_satisfied"] / 100
    return share.groupby([r["fiscal_year"], r["consortium"]]).mean()


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
