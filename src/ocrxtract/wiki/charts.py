"""Small SVG charts for the wiki: grouped bars and a scatter, written as plain text.

The wiki's generated pages are plain Markdown written before ``mkdocs build``; their charts are
static SVG files made here, with no plotting library: the same figures always give the same
bytes, so regenerating the pages changes nothing unless the results changed.

Both charts take already-computed values; they compute no metric.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

log = logging.getLogger(__name__)

#: Colours of the series, in order (colour-blind safe: Okabe and Ito's palette).
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
WIDTH = 760
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 48, 92


@dataclass(frozen=True)
class Point:
    """One point of a scatter chart.

    Attributes:
        series: Legend entry (one colour per series).
        label: Text written beside the point.
        x: Horizontal value (must be > 0 on a logarithmic axis).
        y: Vertical value.
    """

    series: str
    label: str
    x: float
    y: float


def _fmt(value: float) -> str:
    """Coordinates with one decimal, so that output is stable and small."""
    return f"{value:.1f}"


def _text(x: float, y: float, content: str, *, anchor: str = "middle", size: int = 12,
          extra: str = "") -> str:  # fmt: skip
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}" font-size="{size}" '
        f'style="{FONT}"{extra}>{escape(content)}</text>'
    )


def _frame(width: int, height: int, title: str) -> list[str]:
    label = escape(title, {'"': "&quot;"})
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        _text(width / 2, 24, title, size=15, extra=' font-weight="600"'),
    ]


def _legend(series: Sequence[str], width: int, y: float, *, left: int = LEFT) -> list[str]:
    parts = []
    step = min(160.0, (width - left - RIGHT) / max(1, len(series)))
    for index, name in enumerate(series):
        x = left + index * step
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{_fmt(x)}" y="{_fmt(y - 10)}" width="12" height="12" fill="{colour}"/>'
        )
        parts.append(_text(x + 18, y, name, anchor="start"))
    return parts


def bar_chart(
    title: str,
    groups: Sequence[str],
    series: Sequence[str],
    values: dict[tuple[str, str], float | None],
    *,
    x_label: str,
    x_max: float = 1.0,
    percent: bool = True,
) -> str:
    """Grouped horizontal bars: one group (row) per category, one bar per series.

    Horizontal, so that long category names (dataset names) stay readable on the left.

    Args:
        title: Chart title (also the SVG's accessible name).
        groups: Categories, top to bottom.
        series: Bars inside each group (one colour each, with a legend).
        values: ``(group, series) -> value``; a missing or ``None`` value draws no bar and
            writes ``n/a`` in its place.
        x_label: Name of the value axis.
        x_max: End of the value axis.
        percent: Write values as percentages.

    Returns:
        The SVG document.
    """
    label_w, bar_h, gap = 330, 12, 10
    left, width = label_w + 16, WIDTH + 100
    plot_w = width - left - RIGHT - 32  # room for the value after a full bar
    group_h = bar_h * max(1, len(series)) + gap
    plot_h = group_h * max(1, len(groups))
    height = TOP + plot_h + 76
    out = _frame(width, height, title)
    for tick in range(6):
        value = x_max * tick / 5
        x = left + plot_w * tick / 5
        out.append(
            f'<line x1="{_fmt(x)}" y1="{TOP}" x2="{_fmt(x)}" y2="{TOP + plot_h}" stroke="#dddddd"/>'
        )
        label = f"{value * 100:.0f} %" if percent else f"{value:g}"
        out.append(_text(x, TOP + plot_h + 16, label, size=11))
    out.append(_text(left + plot_w / 2, TOP + plot_h + 36, x_label, size=12))
    for g_index, group in enumerate(groups):
        top = TOP + g_index * group_h + gap / 2
        middle = top + bar_h * len(series) / 2
        out.append(_text(left - 8, middle + 4, group, anchor="end", size=11))
        for s_index, name in enumerate(series):
            found = values.get((group, name))
            y = top + s_index * bar_h
            if found is None or not math.isfinite(found):
                out.append(_text(left + 4, y + bar_h - 3, "n/a", anchor="start", size=9))
                continue
            value = found
            bar_w = plot_w * max(0.0, min(value, x_max)) / x_max
            colour = PALETTE[s_index % len(PALETTE)]
            out.append(
                f'<rect x="{left}" y="{_fmt(y)}" width="{_fmt(bar_w)}" height="{bar_h - 1}" '
                f'fill="{colour}"><title>{escape(name)}, {escape(group)}: {value:.4f}</title>'
                "</rect>"
            )
            label = f"{value * 100:.1f}" if percent else f"{value:.3g}"
            out.append(_text(left + bar_w + 4, y + bar_h - 3, label, anchor="start", size=9))
    out.append(f'<line x1="{left}" y1="{TOP}" x2="{left}" y2="{TOP + plot_h}" stroke="#333333"/>')
    out += _legend(series, width, height - 16, left=left)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _wrap(items: Sequence[str], width: int) -> list[str]:
    """Items joined with `` · `` into lines of at most ``width`` characters."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + 3 + len(item) <= width:
            lines[-1] += " · " + item
        else:
            lines.append(item)
    return lines


def _log_ticks(low: float, high: float) -> list[float]:
    ticks = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for mantissa in (1, 2, 5):
            value = mantissa * 10.0**exponent
            if low <= value <= high:
                ticks.append(value)
    return ticks


def scatter_chart(
    title: str,
    points: Sequence[Point],
    *,
    x_label: str,
    y_label: str,
    y_max: float = 1.0,
    percent: bool = True,
    key: Sequence[str] = (),
) -> str:
    """A scatter with a logarithmic x axis (speeds span orders of magnitude).

    Args:
        title: Chart title (also the SVG's accessible name).
        points: The points; those with ``x <= 0`` or a non-finite value are left out (logged).
        x_label: Name of the horizontal axis.
        y_label: Name of the vertical axis.
        y_max: Top of the vertical axis (its bottom is 0).
        percent: Write y ticks as percentages.
        key: Lines written under the chart (e.g. what short point labels stand for).

    Returns:
        The SVG document.
    """
    key_lines = _wrap(key, 110)
    height = 420 + 16 * len(key_lines)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, 420 - TOP - BOTTOM
    kept = [p for p in points if p.x > 0 and math.isfinite(p.x) and math.isfinite(p.y)]
    if len(kept) < len(points):
        log.info("scatter %r: %d point(s) without a usable value left out", title,
                 len(points) - len(kept))  # fmt: skip
    series = list(dict.fromkeys(p.series for p in kept))
    out = _frame(WIDTH, height, title)
    if kept:
        low = 10.0 ** math.floor(math.log10(min(p.x for p in kept)))
        high = 10.0 ** math.ceil(math.log10(max(p.x for p in kept)))
        if high <= low:
            high = low * 10
    else:
        low, high = 0.1, 10.0
    span = math.log10(high) - math.log10(low)

    def x_of(value: float) -> float:
        return LEFT + plot_w * (math.log10(value) - math.log10(low)) / span

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * max(0.0, min(value, y_max)) / y_max

    for tick in range(6):
        value = y_max * tick / 5
        y = y_of(value)
        out.append(
            f'<line x1="{LEFT}" y1="{_fmt(y)}" x2="{WIDTH - RIGHT}" y2="{_fmt(y)}" '
            'stroke="#dddddd"/>'
        )
        label = f"{value * 100:.0f} %" if percent else f"{value:g}"
        out.append(_text(LEFT - 6, y + 4, label, anchor="end", size=11))
    for value in _log_ticks(low, high):
        x = x_of(value)
        out.append(
            f'<line x1="{_fmt(x)}" y1="{TOP}" x2="{_fmt(x)}" y2="{TOP + plot_h}" stroke="#eeeeee"/>'
        )
        out.append(_text(x, TOP + plot_h + 16, f"{value:g}", size=11))
    out.append(_text(LEFT + plot_w / 2, TOP + plot_h + 36, x_label, size=12))
    out.append(
        _text(16, TOP + plot_h / 2, y_label, size=12,
              extra=f' transform="rotate(-90 16 {_fmt(TOP + plot_h / 2)})"')
    )  # fmt: skip
    for point in kept:
        colour = PALETTE[series.index(point.series) % len(PALETTE)]
        x, y = x_of(point.x), y_of(point.y)
        out.append(
            f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="5" fill="{colour}"><title>'
            f"{escape(point.series)}, {escape(point.label)}: {point.x:.3g} ; {point.y:.4f}"
            "</title></circle>"
        )
        right_side = x > LEFT + plot_w * 0.8
        out.append(
            _text(x - 8 if right_side else x + 8, y - 6, point.label,
                  anchor="end" if right_side else "start", size=10)
        )  # fmt: skip
    out.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="#333333"/>'
    )
    out += _legend(series, WIDTH, TOP + plot_h + 64)
    for number, line in enumerate(key_lines):
        out.append(_text(LEFT, TOP + plot_h + 90 + 16 * number, line, anchor="start", size=11))
    out.append("</svg>")
    return "\n".join(out) + "\n"
