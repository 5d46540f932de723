"""The event report: one A4 page per session of a plan line, as the contractor hands it to JETRO (seed
001's page on the Tohoku event): title, date with weekday in 令和 and western form, venue, programme,
participants by type, satisfaction as a small chart, and the participating companies by prefecture.

Drawn by planner itself with matplotlib's PDF backend (no LibreOffice, no browser), the Japanese font
(Noto Sans CJK, Debian's fonts-noto-cjk) embedded as a subset so the page reads the same anywhere.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .dates import date_with_weekday
from .desk import Desk
from .errors import NotFound
from .japanese import JST, circled, reiwa, wareki_time
from .results import Result
from .results_summary import ANSWER_LABELS, companies_by_prefecture, satisfaction_of, session_of
from .store import Store

A4 = (8.27, 11.69)  # inches
FONT = "Noto Sans CJK JP"
REPORT_FONT = "planner Noto Sans CJK JP"
# Embedding subsets the font for each file; with its layout tables (GSUB, GPOS: 1.9 s of fontTools' work
# each time) the Noto Sans CJK collection took 7 s a page, without them 3.4 s. A copy without them is made
# once (2.6 s) into the user's cache. (Cutting the glyphs down too took 200 s to make: not worth it.)
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH")
NAVY = "#1F3864"
GREY = "#595959"
COLOURS = {"very_satisfied": "#2E75B6", "satisfied": "#9DC3E6", "dissatisfied": "#C00000"}


@dataclass(frozen=True)
class EventPage:
    """What one page shows: a line's session and its result."""

    consortium: str  # its Japanese name
    fiscal_year: int
    no: int
    item: str  # ⑤ コミュニケーションイベントの開催
    title: str
    session: int
    sessions: int
    result: Result
    programme: str  # the line's notes
    language: str


def report_file_name(consortium_name: str, year: int, no: int) -> str:
    return f"実施報告_{consortium_name}_{year}年度_{no}行目.pdf"


def event_pages(source: Desk | Store, consortium: str, year: int, no: int) -> list[EventPage]:
    """The pages of line 番号 `no`, one per recorded session, read as the desk's person may read them
    (a desk refuses a plan they may not see, logged); refused when the line or its results are not there."""
    fy = source.fiscal_year(year)
    if consortium not in fy.consortia:
        raise NotFound(f"コンソーシアム {consortium} は{fy.label_ja}のデータにありません。",
                       f"Consortium {consortium} is not in the FY{year} data.")
    if isinstance(source, Desk):
        rec = source.get(consortium, year)
        results = source.results(consortium, year)
    else:
        rec = source.current(consortium, year)
        if rec is None:
            raise NotFound(f"{consortium} の {year} 年度の計画はまだありません。",
                           f"There is no FY{year} plan for {consortium} yet.")
        results = source.plan_results(consortium, year)
    plan = rec.plan
    if isinstance(no, bool) or not isinstance(no, int) or not 1 <= no <= len(plan.lines):
        raise NotFound(f"{no} 行目はこの計画にありません（1〜{len(plan.lines)} 行目があります）。",
                       f"The plan has no line {no} (it has lines 1 to {len(plan.lines)}).")
    line = plan.lines[no - 1]
    mine = sorted((r for r in results if r.line_id == line.id), key=session_of)
    if not mine:
        raise NotFound(f"{no} 行目「{line.title}」には実績がまだ記録されていないため、実施報告を作れません。",
                       f"Line {no} ('{line.title}') has no results recorded yet, so there is no event report.")
    menu = fy.menu_for(consortium)
    item = menu.get(line.item)
    item_label = f"{circled(line.item)} {item.name_ja if item else ''}".strip()
    sessions = line.quantity if isinstance(line.quantity, int) and not isinstance(line.quantity, bool) else 1
    return [EventPage(fy.consortia[consortium].name_ja, year, no, item_label, str(line.title or ""),
                      session_of(r), sessions, r, str(line.notes or ""), str(line.language or ""))
            for r in mine]


def event_report(source: Desk | Store, consortium: str, year: int, no: int,
                 now: dt.datetime | None = None) -> tuple[str, bytes]:
    """(file name, PDF bytes) of line `no`'s event report."""
    pages = event_pages(source, consortium, year, no)
    return report_file_name(pages[0].consortium, year, no), render(pages, now)


# -- drawing -----------------------------------------------------------------------------------------


def _width(text: str) -> float:
    """Text width in em: full-width characters one, others about a half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.55 for ch in text)


_NO_LINE_START = "、。，．）」』】〕・ー々っゃゅょッャュョ！？!?),.:;%％"  # kinsoku: these never begin a line


def wrap(text: str, ems: float) -> list[str]:
    """Lines of at most `ems` wide, broken anywhere (Japanese has no spaces to break at), keeping the
    breaks the text has."""
    out: list[str] = []
    for para in str(text).splitlines() or [""]:
        line, w = "", 0.0
        for ch in para:
            cw = _width(ch)
            if w + cw > ems and line and ch not in _NO_LINE_START:
                out.append(line)
                line, w = "", 0.0
            line += ch
            w += cw
        out.append(line)
    return out


class _Page:
    """A cursor down an A4 figure: positions in points from the top-left, drawn in figure fractions."""

    LEFT, RIGHT, TOP = 52.0, 543.0, 50.0

    def __init__(self, fig: Any):
        self.fig = fig
        self.y = self.TOP
        self.w, self.h = A4[0] * 72, A4[1] * 72

    def text(self, x: float, y: float, s: str, size: float, **kw: Any) -> None:
        self.fig.text(x / self.w, 1 - y / self.h, s, fontsize=size, va="top", **kw)

    def para(self, s: str, size: float, x: float | None = None, width: float | None = None,
             gap: float = 1.45, **kw: Any) -> None:
        x = self.LEFT if x is None else x
        ems = ((width or (self.RIGHT - x)) / size)
        for line in wrap(s, ems):
            self.text(x, self.y, line, size, **kw)
            self.y += size * gap

    def rule(self, colour: str = NAVY, width: float = 1.2) -> None:
        y = 1 - self.y / self.h
        self.fig.add_artist(_line([self.LEFT / self.w, self.RIGHT / self.w], [y, y], colour, width))
        self.y += 6

    def heading(self, s: str) -> None:
        self.y += 8
        self.text(self.LEFT, self.y, "■ " + s, 11.5, color=NAVY, weight="bold")
        self.y += 19

    def field(self, label: str, value: str, size: float = 10.5) -> None:
        self.text(self.LEFT + 8, self.y, label, size, color=GREY)
        self.para(value, size, x=self.LEFT + 92)


def _line(xs: list[float], ys: list[float], colour: str, width: float) -> Any:
    from matplotlib.lines import Line2D

    return Line2D(xs, ys, color=colour, linewidth=width)


def _people(n: Any, unit: str) -> str:
    return f"{n}{unit}" if isinstance(n, int) and not isinstance(n, bool) else "—"


def _draw(fig: Any, p: EventPage, now: dt.datetime, page_no: int, pages: int) -> None:
    r = p.result
    pg = _Page(fig)
    head = f"{p.consortium}　{reiwa(p.fiscal_year)}（{p.fiscal_year}年度）　{p.no}行目　{p.item}"
    pg.text(pg.LEFT, pg.y, "実施報告", 9.5, color=GREY)
    pg.text(pg.RIGHT, pg.y, f"第{p.session}回（全{p.sessions}回）" if p.sessions > 1 else "", 9.5, color=GREY,
            ha="right")
    pg.y += 15
    pg.para(head, 9.5, color=GREY)
    pg.y += 4
    pg.para(p.title or "（件名なし）", 16, color=NAVY, weight="bold", gap=1.35)
    pg.y += 2
    pg.rule()

    days = []
    for d in r.dates:
        try:
            days.append(dt.date.fromisoformat(str(d)))
        except ValueError:
            continue
    when = "\n".join(" ／ ".join(date_with_weekday(d)) for d in days) or "—"
    pg.field("日時", when)
    pg.field("会場", str(r.venue or "—"))
    if p.language:
        pg.field("言語", p.language)
    pg.heading("プログラム")
    pg.para(p.programme or "—", 10.5, x=pg.LEFT + 8)
    if r.notes:
        pg.y += 2
        pg.para(f"実施内容: {r.notes}", 9.5, x=pg.LEFT + 8, color="#262626")

    pg.heading("参加者")
    top = pg.y
    total = r.participants
    pg.text(pg.LEFT + 8, pg.y, f"参加者 計 {total}名", 12, weight="bold")
    pg.y += 20
    rows = (("企業", f"{_people(r.companies, '社')} {_people(r.company_staff, '名')}"),
            ("留学生", _people(r.students, "名")),
            ("コンソーシアム関係者", _people(r.members, "名")))
    for label, value in rows:
        pg.text(pg.LEFT + 16, pg.y, label, 10.5)
        pg.text(pg.LEFT + 200, pg.y, value, 10.5, ha="right")
        pg.y += 16
    pg.text(pg.LEFT + 8, pg.y + 2, "参加者計は企業参加者・留学生・コンソーシアム関係者の合計です。", 8.5, color=GREY)
    _satisfaction(fig, pg, r, top - 4)
    pg.y = max(pg.y + 16, top + 124)

    companies = companies_by_prefecture(r.company_list or ())
    pg.heading(f"参加企業（都道府県別、{sum(len(v) for _, v in companies)}社）" if companies else "参加企業")
    if not companies:
        pg.para("参加企業の一覧は記録されていません。", 10, x=pg.LEFT + 8, color=GREY)
    else:
        _companies(pg, companies)

    made = wareki_time(now)
    pg.text(pg.LEFT, pg.h - 36, f"planner で作成　{made}", 8, color=GREY)
    pg.text(pg.RIGHT, pg.h - 36, f"{page_no} / {pages}", 8, color=GREY, ha="right")


def _satisfaction(fig: Any, pg: _Page, r: Result, top: float) -> None:
    """A small bar chart of the three answers, in percent, with how they were given."""
    values = [getattr(r, a) for a in ANSWER_LABELS]
    x0, w, h = 300.0, 230.0, 100.0
    ax = fig.add_axes(((x0 + 40) / pg.w, 1 - (top + h) / pg.h, (w - 50) / pg.w, (h - 26) / pg.h))
    pg.text(x0, top, "満足度（留学生アンケート）", 10, weight="bold", color=NAVY)
    if all(v is None for v in values):
        ax.set_axis_off()
        pg.text(x0, top + 22, "満足度は記録されていません。", 9.5, color=GREY)
        return
    nums = [float(v or 0) for v in values]
    percent = r.satisfaction_unit == "percent"
    shares = nums if percent else [v / sum(nums) * 100 if sum(nums) else 0.0 for v in nums]
    labels = [ja for ja, _ in ANSWER_LABELS.values()]
    ys = [2, 1, 0]
    ax.barh(ys, shares, color=[COLOURS[a] for a in ANSWER_LABELS], height=0.62)
    ax.set_xlim(0, 100)
    ax.set_yticks(ys, labels, fontsize=9)
    ax.set_xticks([0, 50, 100], ["0%", "50%", "100%"], fontsize=7.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for y, s, n in zip(ys, shares, nums, strict=True):
        shown = f"{s:.0f}%" if percent else f"{s:.0f}%（{n:.0f}名）"
        ax.text(min(s, 100) + 2, y, shown, va="center", fontsize=8.5)
    s = satisfaction_of(r)
    how = ("割合で記録（留学生数で重み付けして集計）" if percent and s.events
           else "割合で記録" if percent else f"回答数で記録（回答 {sum(nums):.0f}名）")
    pg.text(x0, top + h + 14, how, 8, color=GREY)


def _companies(pg: _Page, groups: list[tuple[str, list[str]]]) -> None:
    """Companies numbered ①… as the seed's page lists them, prefecture by prefecture, in columns that
    fill downwards; smaller type and more columns when there are many, so a session stays one page."""
    rows = sum(len(names) + 1 for _, names in groups)
    room = pg.h - 60 - pg.y
    for columns, size in ((2, 10.0), (2, 9.0), (3, 8.5), (4, 7.5)):
        step = size * 1.5
        if rows <= columns * int(room // step):
            break
    per = max(1, int(room // step))
    width = (pg.RIGHT - pg.LEFT - 8) / columns
    entries: list[tuple[str, bool]] = []
    n = 0
    for pref, names in groups:
        entries.append((pref or "（都道府県不明）", True))
        for name in names:
            n += 1
            entries.append((f"{circled(n)} {name}" if n <= 20 else f"{n}. {name}", False))
    if len(entries) > columns * per:
        left = sum(not head for _, head in entries[columns * per - 1:])
        entries = [*entries[:columns * per - 1], (f"ほか {left}社（一覧は年度の実績ブックにあります）", False)]
    per = min(per, -(-len(entries) // columns))  # balanced columns, filled downwards
    top = pg.y
    for i, (text, head) in enumerate(entries):
        col, row = divmod(i, per)
        x = pg.LEFT + 8 + col * width + (0 if head else 12)
        ems = (width - 16) / size
        shown = wrap(text, ems)[0] + ("…" if len(wrap(text, ems)) > 1 else "")
        pg.text(x, top + row * step, shown, size, weight="bold" if head else "normal",
                color=NAVY if head else "black")
    pg.y = top + min(len(entries), per) * step


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "planner" / "fonts"


def report_font() -> str:
    """The family the report is drawn in: Noto Sans CJK JP without its layout tables (made once into the
    user's cache, then reused), else Noto Sans CJK JP itself."""
    from matplotlib import font_manager

    if REPORT_FONT in {f.name for f in font_manager.fontManager.ttflist}:
        return REPORT_FONT
    try:
        for weight, style in (("normal", "Regular"), ("bold", "Bold")):
            out = _cache_dir() / f"planner-NotoSansCJKjp-{style}-1.otf"
            if not out.exists():
                source = font_manager.findfont(font_manager.FontProperties(family=FONT, weight=weight),
                                               fallback_to_default=False)
                _cut_down(Path(source), out, style)
            font_manager.fontManager.addfont(str(out))
    except Exception:  # noqa: BLE001 (no cache to write, an odd font file: the whole font still works)
        return FONT
    return REPORT_FONT


def _cut_down(source: Path, out: Path, style: str) -> None:
    from fontTools.ttLib import TTCollection, TTFont

    faces = TTCollection(str(source)).fonts if source.suffix.lower() == ".ttc" else [TTFont(str(source))]
    face = next((f for f in faces if f["name"].getDebugName(1) == FONT), faces[0])
    for tag in _LAYOUT_TABLES:
        if tag in face:
            del face[tag]
    for n in face["name"].names:
        if n.nameID in (1, 16):
            n.string = REPORT_FONT
        elif n.nameID == 4:
            n.string = f"{REPORT_FONT} {style}"
        elif n.nameID == 6:
            n.string = f"plannerNotoSansCJKjp-{style}"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    face.save(str(tmp))
    os.replace(tmp, out)  # another process making it at once writes the same


def render(pages: list[EventPage], now: dt.datetime | None = None) -> bytes:
    """The pages as one PDF, the font embedded (TrueType/CID subsets, not outlines: the text stays text)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    now = now or dt.datetime.now(tz=JST)
    buf = io.BytesIO()
    style = {"pdf.fonttype": 42, "font.family": "sans-serif", "font.sans-serif": [report_font(), FONT, "DejaVu Sans"],
             "axes.unicode_minus": False, "axes.edgecolor": GREY}
    with matplotlib.rc_context(style), PdfPages(buf, metadata={
            "Title": f"実施報告 {pages[0].title}", "Creator": "planner", "Producer": "planner (matplotlib)"}) as pdf:
        for i, p in enumerate(pages, start=1):
            fig = Figure(figsize=A4)
            _draw(fig, p, now, i, len(pages))
            pdf.savefig(fig)
    return buf.getvalue()
