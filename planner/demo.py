"""The demo store: six consortia, demo users with keys, FY2025 plans in every status, and Tohoku's
accepted FY2024 plan carrying the real 2024-11-19 exchange event (seed 001) as its result."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from .api import Store, open_store
from .fiscal_year import load_fiscal_year
from .plan import Line, Plan
from .results import Company, Result

OFFICER, CONTRACTOR, ANALYST = "officer", "contractor", "analyst"


def secretariat(cid: str) -> str:
    return f"secretariat-{cid}"


L = Line

PLANS_2025: dict[str, list[Line]] = {
    # draft, a little under budget (110 / 120)
    "kansai": [
        L(2, "in_person", 1, 7, "関西留学生合同企業説明会2025", "大阪", 30, 150, "日本語"),
        L(2, "online", 1, 11, "オンライン合同企業説明会", "オンライン", 20, 100, "日本語・英語"),
        L(3, "hybrid", 2, 6, "高度外国人材の採用・定着セミナー（企業向け）", "大阪", 40, None, "日本語"),
        L(4, "in_person", 2, 10, "日本での就職活動セミナー（留学生向け）", "京都", None, 80, "日本語"),
        L(5, "standard", 1, 12, "関西の企業と留学生の交流会", "神戸", 25, 70, "日本語"),
        L(6, "day", 1, 9, "関西ものづくり企業見学会", "兵庫", 3, 30, "日本語"),
        L(7, "bus_day", 1, 9, "企業見学会の貸切バス", "兵庫"),
        L(10, "venue_day", 2, 7, "合同企業説明会の会場", "大阪"),
    ],
    # submitted (90 / 100)
    "hokuriku": [
        L(1, "standard", 1, 8, "北陸3県合同インターンシップ", "富山・石川・福井", 10, 10, "日本語"),
        L(2, "hybrid", 1, 10, "北陸3県合同企業説明会", "金沢", 25, 120, "日本語"),
        L(3, "in_person", 1, 6, "留学生採用セミナー（企業向け）", "福井", 30, None, "日本語"),
        L(4, "online", 2, 5, "北陸で働く: キャリアセミナー（留学生向け）", "オンライン", None, 60, "日本語・英語"),
        L(8, "case", 2, 1, "北陸の外国人材活躍 好事例集", "富山・石川・福井"),
        L(7, "bus_day", 1, 8, "インターンシップ移動の貸切バス", "石川"),
    ],
    # accepted (106 / 110)
    "kyushu": [
        L(2, "in_person", 1, 6, "九州・留学生合同企業説明会", "福岡", 30, 160, "日本語"),
        L(2, "online", 1, 11, "九州オンライン合同企業説明会", "オンライン", 20, 90, "日本語・英語"),
        L(5, "standard", 1, 10, "九州の中堅・中小企業と留学生の交流会", "熊本", 20, 60, "日本語"),
        L(6, "day", 2, 9, "半導体関連企業見学会", "熊本", 4, 40, "日本語"),
        L(7, "bus_day", 2, 9, "企業見学会の貸切バス", "熊本"),
        L(3, "online", 2, 7, "外国人材の受入れ体制づくりセミナー（企業向け）", "オンライン", 50, None, "日本語"),
        L(9, "month", 4, 4, "コンソーシアム事務局の運営支援", "福岡"),
    ],
    # returned by the officer: events crowd into February and March (82 / 100)
    "chugoku": [
        L(2, "in_person", 1, 2, "中国地域合同企業説明会", "広島", 25, 100, "日本語"),
        L(3, "in_person", 2, 3, "留学生採用セミナー（企業向け）", "岡山", 30, None, "日本語"),
        L(4, "in_person", 2, 2, "就職活動セミナー（留学生向け）", "広島", None, 50, "日本語"),
        L(5, "small", 1, 3, "企業と留学生の交流会", "山口", 10, 30, "日本語"),
        L(6, "day", 1, 11, "企業見学会", "島根", 3, 20, "日本語"),
        L(10, "venue_day", 2, 2, "合同企業説明会の会場", "広島"),
    ],
    # a draft in progress, over budget (95 / 90): shows an error
    "hokkaido": [
        L(1, "standard", 1, 8, "北海道インターンシップ", "札幌", 8, 10, "日本語・英語"),
        L(2, "in_person", 1, 10, "北海道留学生合同企業説明会", "札幌", 25, 90, "日本語"),
        L(5, "small", 1, 11, "企業と留学生の交流会", "旭川", 10, 30, "日本語"),
        L(6, "day", 1, 9, "道内企業見学会", "苫小牧", 3, 25, "日本語"),
        L(7, "bus_day", 3, 9, "企業見学会の貸切バス", "北海道"),
        L(8, "case", 1, 1, "北海道の外国人材活躍 好事例", "北海道"),
    ],
    # submitted (90 / 100)
    "tohoku": [
        L(5, "small", 2, 11, "地域の中堅・中小企業と外国人留学生との交流会", "仙台", 10, 60, "日本語"),
        L(2, "online", 1, 7, "東北オンライン合同企業説明会", "オンライン", 20, 80, "日本語"),
        L(3, "hybrid", 1, 6, "外国人材採用セミナー（企業向け）", "仙台", 30, None, "日本語"),
        L(6, "day", 1, 10, "山形 企業見学会", "山形", 3, 25, "日本語"),
        L(7, "bus_day", 2, 10, "企業見学会の貸切バス", "山形"),
        L(4, "in_person", 2, 5, "東北で働く: 就職セミナー（留学生向け）", "盛岡", None, 40, "日本語"),
        L(11, "proposal", 1, 1, "新規メニュー提案: 留学生の地元定着フォローアップ", "東北", notes=(
            "内定後から入社1年目までの留学生を対象に、生活・就業の相談会を年2回開催する支援メニューを提案する。")),
    ],
}

TOHOKU_2024 = [
    L(5, "small", 1, 11, "地域の中堅・中小企業と外国人留学生との交流会 -日本で働く、東北で働く-",
      "仙台", 10, 60, "日本語",
      "前年度のサイドイベントの満足度が高かったことを踏まえ、小規模（10社程度）の交流会として企画。"),
    L(2, "online", 1, 7, "東北オンライン合同企業説明会", "オンライン", 20, 80, "日本語"),
    L(3, "in_person", 2, 6, "外国人材採用セミナー（企業向け）", "仙台", 30, None, "日本語"),
    L(4, "in_person", 2, 10, "就職セミナー（留学生向け）", "仙台", None, 40, "日本語"),
    L(6, "day", 1, 9, "宮城 企業見学会", "宮城", 3, 25, "日本語"),
    L(7, "bus_day", 2, 9, "企業見学会の貸切バス", "宮城"),
    L(10, "venue_day", 1, 11, "交流会の会場", "仙台"),
]

# Seed 001's list of the 18 participating companies, by prefecture, as the page prints it
TOHOKU_2024_COMPANIES = tuple(Company(name, pref) for pref, names in (
    ("青森", ("フジプラント株式会社",)),
    ("岩手", ("キオクシア岩手株式会社", "ザマ・ジャパン株式会社", "花巻温泉株式会社")),
    ("宮城", ("アンデックス株式会社", "有限会社奥州秋保温泉蘭亭", "キョーユー株式会社", "新東総業株式会社",
              "仙台ターミナルビル株式会社", "株式会社TBA")),
    ("山形", ("株式会社エム・エス・アイ", "林建設工業株式会社", "ベーリンガーインゲルハイム製薬株式会社",
              "山形螺子工業株式会社", "株式会社ヤマケン (ヤマケングループ)", "株式会社山本製作所")),
    ("福島", ("高柳電設工業株式会社", "矢田工業株式会社")),
) for name in names)

# Seed 001: 2024-11-19 16:30–18:30, TKPガーデンシティ仙台ホール30B, 135 participants.
TOHOKU_2024_EVENT = Result(
    line=1,
    dates=("2024-11-19",),
    venue="TKPガーデンシティ仙台ホール30B",
    companies=18,
    company_staff=37,
    students=64,
    members=34,
    very_satisfied=33,
    satisfied=67,
    dissatisfied=0,
    satisfaction_unit="percent",
    company_list=TOHOKU_2024_COMPANIES,
    notes=("16:30〜18:30。参加企業のプレゼンテーション（各社2分）の後、企業と留学生の交流会（1時間）。"
           "参加者135名（企業18社37名、東北地域の大学・大学院・専門学校の留学生64名、コンソーシアム関係者34名）。"
           "言語: 日本語。"),
)


def keys_path(db: Path) -> Path:
    """Where the demo keeps its users' keys in the clear, so `planner serve` can print demo URLs."""
    return db.with_name(db.name + ".demo-keys.json")


def build_demo(db: Path) -> dict[str, str]:
    """Create the demo store at db (which must not exist). Returns {user: access key}."""
    fy25 = load_fiscal_year(2025)
    store = open_store(db)
    try:
        for c in fy25.consortia.values():
            store.add_consortium(c.id, c.name_ja)
        for name, role in ((OFFICER, "officer"), (CONTRACTOR, "contractor"), (ANALYST, "analyst")):
            store.add_user(name, role, display_name={"officer": "JETRO 本部 プログラム担当",
                                                      "contractor": "受託者", "analyst": "分析担当"}[role])
        for c in fy25.consortia.values():
            store.add_user(secretariat(c.id), "secretariat", c.id, display_name=f"{c.name_ja} 事務局")
        keys = {u.name: store.issue_key(u.name) for u in store.users()}
        _fill(store)
    finally:
        store.close()
    path = keys_path(db)
    path.write_text(json.dumps(keys, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(path, 0o600)
    return keys


def _save_in_steps(store: Store, cid: str, year: int, lines: list[Line]) -> int:
    """Save a plan the way a person would: a first draft, then the rest, so the history has steps."""
    by = secretariat(cid)
    half = max(1, len(lines) // 2)
    rev = store.save(Plan(cid, year, lines[:half]), by=by, base_revision=None)
    return store.save(Plan(cid, year, lines), by=by, base_revision=rev)


def _fill(store: Store) -> None:
    for cid in ("kansai", "hokkaido"):
        _save_in_steps(store, cid, 2025, PLANS_2025[cid])
    for cid in ("hokuriku", "tohoku"):
        _save_in_steps(store, cid, 2025, PLANS_2025[cid])
        store.submit(cid, 2025, by=secretariat(cid))
    _save_in_steps(store, "kyushu", 2025, PLANS_2025["kyushu"])
    store.submit("kyushu", 2025, by=secretariat("kyushu"))
    store.accept("kyushu", 2025, by=OFFICER, comment="内容を確認しました。計画どおり進めてください。")
    _save_in_steps(store, "chugoku", 2025, PLANS_2025["chugoku"])
    store.submit("chugoku", 2025, by=secretariat("chugoku"))
    store.return_plan(
        "chugoku", 2025, by=OFFICER,
        comment="イベントが2〜3月に集中しています。合同企業説明会かセミナーの一部を秋（10〜11月）に移して再提出してください。",
    )
    _save_in_steps(store, "tohoku", 2024, TOHOKU_2024)
    store.submit("tohoku", 2024, by=secretariat("tohoku"))
    store.accept("tohoku", 2024, by=OFFICER, comment="承認します。")
    # named by the line's id, as the apps and the workbook do: it stays with the ⑤ line wherever it moves
    store.record_result("tohoku", 2024, replace(TOHOKU_2024_EVENT, line_id=TOHOKU_2024[0].id), by=CONTRACTOR)
