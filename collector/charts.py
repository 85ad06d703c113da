"""Small server-rendered SVG charts for the collector's pages: no JavaScript, escaped labels.

Each function returns ``markupsafe.Markup`` holding one ``<svg>`` element, ready to be placed
in a Jinja2 template. Every piece of text that goes into the SVG (labels, titles, values) is
escaped here, so a district name or any other label can never inject markup. The text uses
the page's font (Sarabun, declared by the page's stylesheet), so Thai renders the same as the
rest of the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup, escape

FONT: Final = "Sarabun, sans-serif"
INK: Final = "#1f2933"
MUTED: Final = "#616e7c"
GRID: Final = "#d9e2ec"
BAR: Final = "#2f6f9f"


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, value and (optionally) its own colour and value text."""

    label: str
    value: float
    color: str = BAR
    value_text: str | None = None


def _num(x: float) -> str:
    """A coordinate, short and locale-free."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _ticks(value: float) -> tuple[float, list[str]]:
    """The axis of a count up to value: its top and the label of each gridline from 0 up.

    The step between gridlines is 1, 2 or 5 times a power of ten, never below 1 (a count is
    whole), and at most four steps reach the top, so every label is its gridline's value
    exactly ("0", "2", "4", "6", "8"), never a rounded 2.5.
    """
    if value <= 0:
        return 1.0, ["0", "1"]
    step = 1
    while step * 4 < value:
        for m in (2, 5 / 2, 2):  # 1 -> 2 -> 5 -> 10 -> 20 ...
            step = round(step * m)
            if step * 4 >= value:
                break
    steps = math.ceil(value / step)
    return float(step * steps), [f"{step * i:,}" for i in range(steps + 1)]


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    t = escape(title)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img" aria-label="{t}"'
        f' font-family="{FONT}"><title>{t}</title>' + "".join(body) + "</svg>"
    )


def column_chart(
    bars: Sequence[Bar],
    title: str,
    *,
    width: int = 760,
    height: int = 260,
    label_every: int = 1,
    empty_text: str = "",
) -> Markup:
    """Vertical bars of counts left to right (e.g. votes per day); every label_every-th bar
    is labelled, and the axis is labelled in whole numbers at its gridlines."""
    left, right, top, bottom = 48, 12, 14, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    body: list[str] = []
    if not bars:
        body.append(
            f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" fill="{MUTED}"'
            f' font-size="16">{escape(empty_text)}</text>'
        )
        return _svg(width, height, title, body)
    top_value, labels = _ticks(max(b.value for b in bars))
    for i, text in enumerate(labels):  # the base line and the grid lines, with their values
        y = top + plot_h - plot_h * i / (len(labels) - 1)
        body.append(
            f'<line x1="{left}" y1="{_num(y)}" x2="{width - right}" y2="{_num(y)}"'
            f' stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_num(y + 4)}" text-anchor="end" font-size="12"'
            f' fill="{MUTED}">{escape(text)}</text>'
        )
    slot = plot_w / len(bars)
    bar_w = max(1.0, slot * 0.8)
    for i, b in enumerate(bars):
        h = plot_h * b.value / top_value
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h - h
        label = escape(b.label)
        shown = escape(b.value_text if b.value_text is not None else f"{b.value:,.0f}")
        body.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" height="{_num(h)}"'
            f' fill="{escape(b.color)}"><title>{label}: {shown}</title></rect>'
        )
        if i % max(1, label_every) == 0:
            cx = left + slot * i + slot / 2
            body.append(
                f'<text x="{_num(cx)}" y="{height - bottom + 18}" text-anchor="middle"'
                f' font-size="12" fill="{INK}">{label}</text>'
            )
    return _svg(width, height, title, body)


def bar_chart(
    bars: Sequence[Bar],
    title: str,
    *,
    width: int = 520,
    bar_height: int = 30,
    label_width: int = 150,
    empty_text: str = "",
) -> Markup:
    """Horizontal bars top to bottom, each labelled on the left with its value on the right."""
    gap, value_w, pad = 8, 70, 6
    height = max(40, pad * 2 + len(bars) * (bar_height + gap))
    body: list[str] = []
    if not bars:
        body.append(
            f'<text x="{width // 2}" y="{height // 2 + 5}" text-anchor="middle" fill="{MUTED}"'
            f' font-size="16">{escape(empty_text)}</text>'
        )
        return _svg(width, height, title, body)
    top_value = max((b.value for b in bars), default=0) or 1
    plot_w = width - label_width - value_w
    for i, b in enumerate(bars):
        y = pad + i * (bar_height + gap)
        w = plot_w * max(0.0, b.value) / top_value
        label = escape(b.label)
        shown = escape(b.value_text if b.value_text is not None else f"{b.value:,.0f}")
        body.append(
            f'<text x="{label_width - 8}" y="{_num(y + bar_height * 0.68)}" text-anchor="end"'
            f' font-size="15" fill="{INK}">{label}</text>'
            f'<rect x="{label_width}" y="{y}" width="{_num(w)}" height="{bar_height}"'
            f' rx="3" fill="{escape(b.color)}"><title>{label}: {shown}</title></rect>'
            f'<text x="{_num(label_width + w + 6)}" y="{_num(y + bar_height * 0.68)}"'
            f' font-size="15" fill="{INK}">{shown}</text>'
        )
    return _svg(width, height, title, body)
