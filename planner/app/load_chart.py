"""The contractor's load as an SVG chart: events per month stacked by consortium, the capacity a line.

Drawn as SVG text rather than with matplotlib: the review app must not import a plotting library to
show twelve bars, and SVG stays sharp at any zoom and prints as it is shown.
"""

from __future__ import annotations

from html import escape

from ..japanese import month_label
from ..load import Load

# one colour a consortium, in the order of the year file; distinguishable in grey print as well
COLOURS = ("#1d4ed8", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#4b5563", "#be185d")
WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 120, 16, 40


def load_svg(load: Load, names: dict[str, str], lang: str = "ja") -> str:
    """The chart; `names` maps consortium ids (in the order to stack them) to what the legend says."""
    ids = list(names)
    peak = max([m.events for m in load.months] + [load.capacity or 0, 1])
    top = peak + max(1, peak // 5)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(load.months)

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * v / top

    title = "月別のイベント数（全コンソーシアム）" if lang == "ja" else "Events per month, all consortia"
    out = [f'<svg class="rv-load-chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="100%" style="max-width:{WIDTH}px;font-family:sans-serif;font-size:12px">',
           f"<title>{escape(title)}</title>"]
    step = max(1, round(top / 5))
    for v in range(0, top + 1, step):
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e5e7eb"/>'
                   f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#4b5563">{v}</text>')
    for i, m in enumerate(load.months):
        x = LEFT + i * slot + slot * 0.18
        base = 0
        for k, cid in enumerate(ids):
            n = m.by_consortium.get(cid, 0)
            if n:
                out.append(f'<rect x="{x:.1f}" y="{y(base + n):.1f}" width="{slot * 0.64:.1f}" '
                           f'height="{y(base) - y(base + n):.1f}" fill="{COLOURS[k % len(COLOURS)]}">'
                           f"<title>{escape(names[cid])}: {n}</title></rect>")
                base += n
        colour = "#b91c1c" if m.over else "#111827"
        weight = "bold" if m.over else "normal"
        if m.events:
            out.append(f'<text x="{x + slot * 0.32:.1f}" y="{y(m.events) - 4:.1f}" text-anchor="middle" '
                       f'fill="{colour}" font-weight="{weight}">{m.events}</text>')
        out.append(f'<text x="{x + slot * 0.32:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" '
                   f'fill="{colour}" font-weight="{weight}">{escape(month_label(m.month, lang))}</text>')
    if load.capacity is not None:
        cy = y(load.capacity)
        label = f"上限 {load.capacity}" if lang == "ja" else f"capacity {load.capacity}"
        out.append(f'<line class="rv-load-capacity" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{cy:.1f}" y2="{cy:.1f}" '
                   f'stroke="#b91c1c" stroke-width="2" stroke-dasharray="6 4"/>'
                   f'<text x="{LEFT + 4}" y="{cy - 5:.1f}" fill="#b91c1c">{escape(label)}</text>')
    for k, cid in enumerate(ids):
        ly = TOP + 28 + k * 18
        out.append(f'<rect x="{LEFT + plot_w + 14}" y="{ly - 10}" width="12" height="12" '
                   f'fill="{COLOURS[k % len(COLOURS)]}"/><text x="{LEFT + plot_w + 32}" y="{ly}">'
                   f"{escape(names[cid])}</text>")
    out.append("</svg>")
    return "".join(out)
