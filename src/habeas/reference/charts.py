"""Charts as inline SVG, drawn with matplotlib (no JavaScript, no network).

Every chart carries its title, axis labels with units, and a footer naming the source file and
its retrieval date, so a chart copied out of habeas still says where it comes from.
"""

from __future__ import annotations

import io
import re

BLUE, ORANGE, GREY = "#2b6cb0", "#dd6b20", "#a0aec0"
_FONT = {"font.size": 9, "svg.fonttype": "none", "svg.hashsalt": "habeas"}


def _figure(width=7.5, height=3.6):
    import matplotlib
    from matplotlib.figure import Figure  # imported on first use: pages without charts stay fast

    matplotlib.rcParams.update(_FONT)
    return Figure(figsize=(width, height), dpi=100)


def _margins(fig, *, labels=None, top_ticks=False, right=0.3):
    """Fixed margins in inches (a layout engine would double the drawing time): room for the
    category labels on the left, the title (and top tick labels) above, axis label and footer below."""
    w, h = fig.get_size_inches()
    left = 0.2 + 0.072 * max((len(str(x)) for x in labels), default=0) if labels is not None else 0.75
    top = 0.42 + (0.25 if top_ticks else 0)
    fig.subplots_adjust(left=min(left, w * 0.6) / w, right=1 - right / w, top=1 - top / h, bottom=0.78 / h)


def _finish(fig, ax, title: str, footer: str) -> str:
    fig.suptitle(title, x=0.005, y=0.995, ha="left", va="top", fontsize=10.5, fontweight="bold")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.text(0.005, 0.005, footer, fontsize=7, color="#4a5568", ha="left", va="bottom")
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: the SVG goes inline
    return re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1', svg, count=1).replace(
        "<svg ", '<svg role="img" style="max-width:100%;height:auto" ', 1)


def hbar(labels, values, *, title, xlabel, footer, value_fmt="{:.0f}", color=BLUE, height=None) -> str:
    """Horizontal bars, largest at the top, each labelled with its value."""
    n = len(labels)
    fig = _figure(height=height or max(2.2, 0.28 * n + 1.2))
    _margins(fig, labels=labels)
    ax = fig.add_subplot()
    y = list(range(n))[::-1]
    ax.barh(y, values, color=color)
    ax.set_yticks(y, labels)
    ax.set_xlabel(xlabel)
    top = max(values) if values else 1
    for yi, v in zip(y, values):
        ax.text(v + top * 0.01, yi, value_fmt.format(v), va="center", fontsize=8)
    ax.set_xlim(0, top * 1.12 or 1)
    ax.set_ylim(-0.6, n - 0.4)
    return _finish(fig, ax, title, footer)


def columns(x, series: dict, *, title, ylabel, footer, xlabel="", stacked=True) -> str:
    """Vertical bars over integer x (years); several series stack."""
    fig = _figure()
    _margins(fig)
    ax = fig.add_subplot()
    colors = [BLUE, ORANGE, GREY]
    bottom = [0] * len(x)
    for (name, vals), c in zip(series.items(), colors):
        ax.bar(x, vals, bottom=bottom if stacked else None, color=c, label=name, width=0.85)
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_ylabel(ylabel)
    if xlabel:
        ax.set_xlabel(xlabel)
    if len(series) > 1:
        ax.legend(frameon=False, loc="upper left")
    ax.margins(x=0.01)
    return _finish(fig, ax, title, footer)


def grouped_hbar(labels, series: dict, *, title, xlabel, footer) -> str:
    """Horizontal bars, one group per label, one bar per series (e.g. death sentences vs all)."""
    n, k = len(labels), len(series)
    fig = _figure(height=max(2.4, 0.45 * n + 1.2))
    _margins(fig, labels=labels)
    ax = fig.add_subplot()
    h = 0.8 / k
    colors = [ORANGE, BLUE, GREY]
    for j, ((name, vals), c) in enumerate(zip(series.items(), colors)):
        ys = [n - 1 - i + (k - 1 - 2 * j) * h / 2 for i in range(n)]
        ax.barh(ys, vals, height=h, color=c, label=name)
        for yi, v in zip(ys, vals):
            ax.text(v + 0.5, yi, f"{v:.0f}%", va="center", fontsize=7.5)
    ax.set_yticks(list(range(n))[::-1], labels)
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, 105)
    ax.legend(frameon=False, loc="lower right")
    return _finish(fig, ax, title, footer)


def heatmap(rows, cols, values, *, title, footer, cbar_label) -> str:
    """A table of percentages as a colour grid with the numbers written in."""
    fig = _figure(height=max(2.6, 0.32 * len(rows) + 1.5))
    _margins(fig, labels=rows, top_ticks=True)
    ax = fig.add_subplot()
    im = ax.imshow(values, cmap="Blues", vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(cols)), cols)
    ax.set_yticks(range(len(rows)), rows)
    ax.xaxis.tick_top()
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7.5,
                    color="white" if v > 55 else "black")
    fig.colorbar(im, ax=ax, label=cbar_label, shrink=0.8)
    return _finish(fig, ax, title, footer)


def histogram(edges, counts, *, title, xlabel, ylabel, footer) -> str:
    fig = _figure()
    _margins(fig)
    ax = fig.add_subplot()
    widths = [b - a for a, b in zip(edges[:-1], edges[1:])]
    ax.bar(edges[:-1], counts, width=widths, align="edge", color=BLUE, edgecolor="white")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xticks(edges)
    return _finish(fig, ax, title, footer)


def boxes(labels, samples, *, title, xlabel, footer) -> str:
    """Box plots (median, quartiles, whiskers at 1.5 IQR, no outlier dots), one row per label."""
    fig = _figure(height=max(2.4, 0.4 * len(labels) + 1.2))
    _margins(fig, labels=[f"{lab} (n={len(x)})" for lab, x in zip(labels, samples)])
    ax = fig.add_subplot()
    ax.boxplot(samples[::-1], orientation="horizontal", showfliers=False, widths=0.6,
               tick_labels=[f"{lab} (n={len(s)})" for lab, s in zip(labels, samples)][::-1],
               medianprops={"color": ORANGE, "linewidth": 2}, patch_artist=True,
               boxprops={"facecolor": "#bee3f8", "edgecolor": BLUE})
    ax.set_xlabel(xlabel)
    ax.set_xlim(left=0)
    return _finish(fig, ax, title, footer)
