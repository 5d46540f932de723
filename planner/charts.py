"""Charts for analysts, with Japanese labels in a Japanese font (never empty boxes)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager

from .errors import PlannerError

JAPANESE_FONTS = ("Noto Sans CJK JP", "IPAexGothic", "IPAGothic", "Yu Gothic", "Meiryo", "Hiragino Sans")


def use_japanese_font() -> str:
    """Make matplotlib draw Japanese with an installed Japanese font; returns its name.

    The project's setup installs Debian's fonts-noto-cjk. Without any Japanese font, say so plainly
    rather than drawing empty boxes.
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in JAPANESE_FONTS:
        if name in installed:
            plt.rcParams["font.family"] = "sans-serif"
            plt.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
            plt.rcParams["axes.unicode_minus"] = False
            return name
    raise PlannerError(
        "日本語フォントが見つかりません。scripts/setup.sh を実行するか fonts-noto-cjk を入れてください。",
        "No Japanese font found. Run scripts/setup.sh or install fonts-noto-cjk.",
    )


def bar_points_by_item(table: pd.DataFrame, title: str = "メニュー別 計画ポイント"):
    ax = table.plot(kind="bar", stacked=True, figsize=(10, 5), colormap="tab20")
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("ポイント")
    ax.legend(title="メニュー", bbox_to_anchor=(1.01, 1), loc="upper left")
    plt.setp(ax.get_xticklabels(), rotation=0)
    ax.figure.tight_layout()
    return ax.figure


def bar_budget_use(table: pd.DataFrame, title: str = "予算と使用ポイント"):
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = range(len(table))
    ax.bar([i - 0.2 for i in x], table["予算"], width=0.4, label="予算", color="#c8d6e5")
    ax.bar([i + 0.2 for i in x], table["使用"], width=0.4, label="使用", color="#2e86de")
    ax.set_xticks(list(x), table["コンソーシアム"])
    ax.set_ylabel("ポイント")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig


def heatmap_schedule(table: pd.DataFrame, title: str = "月別のイベント計画（①〜⑥の数量）"):
    fig, ax = plt.subplots(figsize=(10, 4.5))
    im = ax.imshow(table.T.values, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(table.index)), table.index)
    ax.set_yticks(range(len(table.columns)), table.columns)
    top = table.values.max() if table.size else 0
    for (i, j), v in pd.DataFrame(table.T.values).stack().items():
        if v:  # white on the dark cells, so every figure stays readable
            ax.text(j, i, int(v), ha="center", va="center", fontsize=9, color="white" if v > top * 0.6 else "black")
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label="件数")
    fig.tight_layout()
    return fig


def scatter_students_vs_points(table: pd.DataFrame, title: str = "対象県の留学生数と計画ポイント"):
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.scatter(table["留学生数"], table["計画ポイント"], s=80, color="#10ac84")
    for n, (_, r) in enumerate(table.sort_values("留学生数").iterrows()):
        # alternate above and below: neighbours with similar figures would overprint each other
        ax.annotate(r["コンソーシアム"].removesuffix("コンソーシアム"), (r["留学生数"], r["計画ポイント"]),
                    textcoords="offset points", xytext=(6, 6 if n % 2 else -12), fontsize=9)
    ax.set_xlabel("対象県の外国人留学生数（令和3年、JASSO）")
    ax.set_ylabel("計画ポイント")
    ax.set_title(title)
    fig.tight_layout()
    return fig
