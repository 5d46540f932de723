"""The 47 prefectures, as planner keeps them (short names, as the fiscal-year files' target prefectures
and the JASSO table name them: 宮城, 東京, 北海道), and how a typed or pasted name is read."""

from __future__ import annotations

import unicodedata
from typing import Any

# (kept name, English), in the JIS order (北海道 01 … 沖縄 47)
_TABLE = (
    ("北海道", "Hokkaido"), ("青森", "Aomori"), ("岩手", "Iwate"), ("宮城", "Miyagi"), ("秋田", "Akita"),
    ("山形", "Yamagata"), ("福島", "Fukushima"), ("茨城", "Ibaraki"), ("栃木", "Tochigi"), ("群馬", "Gunma"),
    ("埼玉", "Saitama"), ("千葉", "Chiba"), ("東京", "Tokyo"), ("神奈川", "Kanagawa"), ("新潟", "Niigata"),
    ("富山", "Toyama"), ("石川", "Ishikawa"), ("福井", "Fukui"), ("山梨", "Yamanashi"), ("長野", "Nagano"),
    ("岐阜", "Gifu"), ("静岡", "Shizuoka"), ("愛知", "Aichi"), ("三重", "Mie"), ("滋賀", "Shiga"),
    ("京都", "Kyoto"), ("大阪", "Osaka"), ("兵庫", "Hyogo"), ("奈良", "Nara"), ("和歌山", "Wakayama"),
    ("鳥取", "Tottori"), ("島根", "Shimane"), ("岡山", "Okayama"), ("広島", "Hiroshima"), ("山口", "Yamaguchi"),
    ("徳島", "Tokushima"), ("香川", "Kagawa"), ("愛媛", "Ehime"), ("高知", "Kochi"), ("福岡", "Fukuoka"),
    ("佐賀", "Saga"), ("長崎", "Nagasaki"), ("熊本", "Kumamoto"), ("大分", "Oita"), ("宮崎", "Miyazaki"),
    ("鹿児島", "Kagoshima"), ("沖縄", "Okinawa"),
)
PREFECTURES: tuple[str, ...] = tuple(ja for ja, _ in _TABLE)
ENGLISH: dict[str, str] = dict(_TABLE)
_SUFFIXES = ("都", "道", "府", "県")
_EN_SUFFIXES = ("-ken", "-fu", "-to", " prefecture", " ken", " fu", " to")
_BY_EN = {en.lower(): ja for ja, en in _TABLE}


def prefecture_of(value: Any) -> str | None:
    """The prefecture a typed name means, as planner keeps it, or None: 「宮城県」「宮城」「Miyagi」
    「miyagi-ken」 are 宮城, 「東京都」 東京, 「北海道」 北海道; full-width letters and spaces are read too."""
    if not isinstance(value, str):
        return None
    s = unicodedata.normalize("NFKC", value).strip()
    if s in PREFECTURES:
        return s
    if s and s[-1] in _SUFFIXES and s[:-1] in PREFECTURES:
        return s[:-1]
    low = s.lower()
    for suffix in _EN_SUFFIXES:
        if low.endswith(suffix):
            low = low[: -len(suffix)]
            break
    return _BY_EN.get(low.replace("ō", "o").replace("ū", "u").strip())


def order(prefecture: str) -> int:
    """The prefecture's place in the JIS order (an unknown one after all)."""
    return PREFECTURES.index(prefecture) if prefecture in PREFECTURES else len(PREFECTURES)
