"""Server-side SVG charts for the report pages: no JavaScript, no CDN, printable.

Every function is pure: plain Python values in, one ``<svg>`` string out (a well-formed XML document
fragment, so tests parse it with ``xml.etree``). Labels are user data and are always escaped. Each chart
carries ``role="img"``, an ``aria-label``, a ``<title>`` and a ``<desc>`` listing its figures, and a
``<title>`` per bar or point (the browser's tooltip). A suppressed figure — any non-numeric value such as
``"<5"`` from ``apps.reports.suppression`` — is drawn as a hatched, outlined bar as long as the largest
value it may hide (5) and labelled with the string itself; lines break around it.

Bars never go below zero: a negative value is drawn with no length and labelled with its value.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Callable, Sequence
from html import escape

SUPPRESSED_UPPER_BOUND = 5  # a suppressed group has fewer than 5 people
FONT = "'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif"
FONT_SIZE = 12
PRIMARY = "#0b6bcb"
ACCENT = "#e8710a"
MUTED = "#5c6678"
GRID = "#dde2ea"
TEXT = "#1d2433"
PALETTE = (PRIMARY, ACCENT, "#177245", "#8a3ffc", "#b42318", "#007d79", "#8a5a00", "#5c6678")

Value = int | float | str | None
Formatter = Callable[[float], str]


# ---------------------------------------------------------------------------------------------- helpers


def is_suppressed(value: Value) -> bool:
    """A figure hidden by small-group suppression (a string such as ``"<5"``)."""
    return isinstance(value, str)


def number(value: Value) -> float | None:
    """The numeric value, or ``None`` for a suppressed or missing one."""
    if value is None or isinstance(value, str | bool):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def default_format(value: float) -> str:
    """Integers with thousands separators, other numbers with one decimal."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def show(value: Value, fmt: Formatter = default_format) -> str:
    """A value as text: suppressed strings as they are, missing ones as an em dash."""
    if is_suppressed(value):
        return str(value)
    numeric = number(value)
    return "—" if numeric is None else fmt(numeric)


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Approximate rendered width: full-width (CJK) characters take 1em, others about 0.6em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def truncate(text: str, max_width: float, size: float = FONT_SIZE) -> str:
    """``text`` cut with an ellipsis so that it fits ``max_width`` pixels."""
    if text_width(text, size) <= max_width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > max_width:
            break
        out += ch
    return out + "…"


def nice_ticks(maximum: float, count: int = 5, minimum: float = 0.0) -> list[float]:
    """Round tick values from ``minimum`` (0 or below) up to at least ``maximum`` (1, 2, 2.5, 5 × 10^n steps)."""
    minimum = min(minimum, 0.0)
    if maximum <= 0 and minimum >= 0:
        return [0.0, 1.0]
    raw = (max(maximum, 0.0) - minimum) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    value = math.floor(minimum / step + 1e-9) * step if minimum < 0 else 0.0
    ticks = []
    while value < maximum - 1e-9:
        ticks.append(round(value, 10))
        value += step
    ticks.append(round(value, 10))
    return ticks


def _attr(value) -> str:
    return escape(str(value), quote=True)


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _uid(*parts) -> str:
    return "c" + hashlib.blake2s(repr(parts).encode("utf-8"), digest_size=5).hexdigest()


def _open(width: float, height: float, title: str, desc: str, uid: str, kind: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" height="{_num(height)}" '
        f'aria-label="{_attr(title)}" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="{_attr(FONT)}" font-size="{FONT_SIZE}" fill="{TEXT}">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
        f'<defs><pattern id="{uid}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{MUTED}" stroke-width="2"/></pattern></defs>',
    ]


def _bar_rect(x: float, y: float, w: float, h: float, color: str, suppressed: bool, uid: str, tip: str,
              series: int = 0) -> str:
    fill = f"url(#{uid}-hatch)" if suppressed else color
    stroke = f' stroke="{MUTED}" stroke-dasharray="3 2"' if suppressed else ""
    cls = "bar bar-suppressed" if suppressed else "bar"
    return (f'<rect class="{cls}" data-series="{series}" x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" '
            f'height="{_num(h)}" fill="{fill}"{stroke}><title>{escape(tip)}</title></rect>')


def _scale_max(values: Sequence[Value]) -> float:
    numeric = [v for v in (number(x) for x in values) if v is not None]
    top = max([*numeric, 0.0])
    if any(is_suppressed(v) for v in values):
        top = max(top, SUPPRESSED_UPPER_BOUND)
    return top or 1.0


def _length(value: Value, top: float, span: float) -> float:
    if is_suppressed(value):
        return span * SUPPRESSED_UPPER_BOUND / top
    numeric = number(value)
    return 0.0 if numeric is None or numeric <= 0 else span * numeric / top


def _legend_positions(names: Sequence[str], x0: float, right: float) -> list[tuple[float, int]]:
    """(x, row) of each legend entry, wrapping to a new row at ``right``."""
    positions, x, row = [], x0, 0
    for name in names:
        needed = 14 + text_width(name) + 16
        if x > x0 and x + needed - 16 > right:
            x, row = x0, row + 1
        positions.append((x, row))
        x += needed
    return positions


def _legend(names: Sequence[str], colors: Sequence[str], x0: float, y0: float, right: float) -> tuple[list[str], int]:
    """Legend entries (a swatch and a name each) and how many rows they take."""
    out = []
    positions = _legend_positions(names, x0, right)
    for name, color, (x, row) in zip(names, colors, positions, strict=False):
        y = y0 + row * 18
        out.append(f'<rect x="{_num(x)}" y="{_num(y - 9)}" width="10" height="10" fill="{color}"/>')
        out.append(f'<text class="legend" x="{_num(x + 14)}" y="{_num(y)}">{escape(name)}</text>')
    return out, (positions[-1][1] + 1 if positions else 0)


# ---------------------------------------------------------------------------------------------- charts


def bar_chart(items: Sequence[tuple[str, Value]], *, title: str, width: int = 640, fmt: Formatter = default_format,
              color: str = PRIMARY, empty: str = "—") -> str:
    """Horizontal bars, one per ``(label, value)``, longest scale at the largest value."""
    return paired_bar_chart([(label, value) for label, value in items], title=title, series=(), width=width,
                            fmt=fmt, colors=(color,), empty=empty)


def paired_bar_chart(items: Sequence[tuple], *, title: str, series: Sequence[str], width: int = 640,
                     fmt: Formatter = default_format, colors: Sequence[str] = (PRIMARY, ACCENT),
                     empty: str = "—") -> str:
    """Horizontal bars with one bar per series in each row: ``(label, value_a, value_b, ...)``.

    ``series`` names the values for the legend (none: a plain bar chart). All bars share one scale.
    """
    n_series = max((len(row) - 1 for row in items), default=1) or 1
    values = [v for row in items for v in row[1:]]
    uid = _uid("bars", title, tuple(tuple(row) for row in items), tuple(series))
    desc = "; ".join(
        f"{row[0]}: " + ", ".join(
            (f"{series[i]} " if i < len(series) else "") + show(v, fmt) for i, v in enumerate(row[1:]))
        for row in items) or empty
    bar_h = 16 if n_series == 1 else 11
    row_h = bar_h * n_series + 10 + (2 * (n_series - 1))
    label_w = min(max([text_width(str(row[0])) for row in items] + [40]) + 20, width * 0.38)
    legend_rows = _legend(series, colors, label_w, 14, width - 4)[1] if series else 0
    top_pad = 8 + 18 * legend_rows if series else 6
    value_w = max([text_width(show(v, fmt)) for v in values] + [24]) + 10
    plot_x = label_w
    span = max(width - label_w - value_w, 40)
    height = top_pad + max(len(items), 1) * row_h + 6
    top = _scale_max(values)
    out = _open(width, height, title, desc, uid, "bars")
    if series:
        out += _legend(series, colors, plot_x, 14, width - 4)[0]
    if not items:
        out.append(f'<text x="{_num(width / 2)}" y="{_num(top_pad + 14)}" text-anchor="middle" '
                   f'fill="{MUTED}">{escape(empty)}</text>')
    out.append(f'<line x1="{_num(plot_x)}" y1="{top_pad - 2}" x2="{_num(plot_x)}" '
               f'y2="{_num(height - 4)}" stroke="{GRID}"/>')
    for index, row in enumerate(items):
        label = str(row[0])
        y = top_pad + index * row_h + 5
        out.append('<g class="row">')
        out.append(f'<text class="label" x="{_num(label_w - 8)}" y="{_num(y + (row_h - 10) / 2 + 4)}" '
                   f'text-anchor="end"><title>{escape(label)}</title>{escape(truncate(label, label_w - 12))}</text>')
        for s, value in enumerate(row[1:]):
            by = y + s * (bar_h + 2)
            length = _length(value, top, span)
            name = f"{series[s]}: " if s < len(series) else ""
            tip = f"{label} — {name}{show(value, fmt)}"
            out.append(_bar_rect(plot_x, by, length, bar_h, colors[s % len(colors)], is_suppressed(value), uid,
                                 tip, s))
            out.append(f'<text class="value" x="{_num(plot_x + length + 4)}" y="{_num(by + bar_h - 3)}" '
                       f'font-size="{FONT_SIZE - 1}" fill="{MUTED}">{escape(show(value, fmt))}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def line_chart(x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[Value]]], *, title: str,
               width: int = 640, height: int = 260, fmt: Formatter = default_format, empty: str = "—") -> str:
    """One line per ``(name, values)`` across the ``x_labels`` (e.g. snapshot periods).

    A suppressed or missing point breaks the line; a suppressed one is marked with its label at the foot.
    """
    uid = _uid("line", title, tuple(x_labels), tuple((n, tuple(v)) for n, v in series))
    desc = "; ".join(f"{name}: " + ", ".join(f"{x} {show(v, fmt)}" for x, v in zip(x_labels, values, strict=False))
                     for name, values in series) or empty
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    all_values = [v for _name, values in series for v in values]
    numeric_values = [v for v in (number(x) for x in all_values) if v is not None]
    ticks = nice_ticks(max(numeric_values + [0.0]), 4, min(numeric_values + [0.0]))
    left = max(text_width(fmt(t)) for t in ticks) + 14
    names = [name for name, _values in series]
    legend_rows = _legend(names, colors, left, 14, width - 8)[1]
    top, bottom, right = 16 + 18 * legend_rows, 36, 16
    plot_w, plot_h = width - left - right, height - top - bottom
    y_of = lambda v: top + plot_h - plot_h * (v - ticks[0]) / (ticks[-1] - ticks[0])  # noqa: E731
    n = len(x_labels)
    x_of = (lambda i: left + plot_w / 2) if n <= 1 else (lambda i: left + plot_w * i / (n - 1))
    out = _open(width, height, title, desc, uid, "line")
    if series:
        out += _legend(names, colors, left, 14, width - 8)[0]
    for tick in ticks:
        y = y_of(tick)
        out.append(f'<line class="grid" x1="{_num(left)}" y1="{_num(y)}" x2="{_num(left + plot_w)}" y2="{_num(y)}" '
                   f'stroke="{GRID}"/>')
        out.append(f'<text x="{_num(left - 6)}" y="{_num(y + 4)}" text-anchor="end" fill="{MUTED}" '
                   f'font-size="{FONT_SIZE - 1}">{escape(fmt(tick))}</text>')
    step = max(1, math.ceil(n / max(1, plot_w // 70)))
    for i, label in enumerate(x_labels):
        if i % step == 0 or i == n - 1:
            out.append(f'<text class="x-label" x="{_num(x_of(i))}" y="{_num(top + plot_h + 18)}" '
                       f'text-anchor="middle" fill="{MUTED}" font-size="{FONT_SIZE - 1}">'
                       f'{escape(truncate(str(label), 80))}</text>')
    if not x_labels or not series:
        out.append(f'<text x="{_num(left + plot_w / 2)}" y="{_num(top + plot_h / 2)}" text-anchor="middle" '
                   f'fill="{MUTED}">{escape(empty)}</text>')
    for s, (name, values) in enumerate(series):
        color = colors[s]
        out.append(f'<g class="series" data-series="{s}">')
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, value in enumerate(list(values)[:n]):
            numeric = number(value)
            if numeric is None:
                if segment:
                    segments.append(segment)
                segment = []
                if is_suppressed(value):
                    tip = f"{name}, {x_labels[i]}: {value}"
                    out.append(f'<text class="suppressed" x="{_num(x_of(i))}" y="{_num(top + plot_h - 4)}" '
                               f'text-anchor="middle" fill="{color}" font-size="{FONT_SIZE - 2}">'
                               f'{escape(str(value))}<title>{escape(tip)}</title></text>')
                continue
            segment.append(f"{_num(x_of(i))},{_num(y_of(numeric))}")
        if segment:
            segments.append(segment)
        for points in segments:
            out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="2"/>')
        for i, value in enumerate(list(values)[:n]):
            numeric = number(value)
            if numeric is not None:
                tip = f"{name}, {x_labels[i]}: {fmt(numeric)}"
                out.append(f'<circle class="point" cx="{_num(x_of(i))}" cy="{_num(y_of(numeric))}" r="3.5" '
                           f'fill="{color}"><title>{escape(tip)}</title></circle>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def funnel_chart(stages: Sequence[tuple[str, Value]], *, title: str, width: int = 640,
                 fmt: Formatter = default_format, empty: str = "—") -> str:
    """Centred bars narrowing stage by stage, each with its value and its share of the first stage."""
    uid = _uid("funnel", title, tuple(stages))
    desc = "; ".join(f"{label}: {show(v, fmt)}" for label, v in stages) or empty
    row_h, bar_h = 34, 24
    label_w = min(max([text_width(str(label)) for label, _v in stages] + [40]) + 20, width * 0.42)
    value_w = 110
    span = width - label_w - value_w
    centre = label_w + span / 2
    height = max(len(stages), 1) * row_h + 8
    top = _scale_max([v for _label, v in stages])
    first = number(stages[0][1]) if stages else None
    out = _open(width, height, title, desc, uid, "funnel")
    if not stages:
        out.append(f'<text x="{_num(width / 2)}" y="20" text-anchor="middle" fill="{MUTED}">{escape(empty)}</text>')
    for index, (label, value) in enumerate(stages):
        y = 4 + index * row_h
        length = max(_length(value, top, span), 2.0)
        numeric = number(value)
        share = f" ({numeric / first:.0%})" if numeric is not None and first and index else ""
        out.append('<g class="stage">')
        out.append(f'<text class="label" x="{_num(label_w - 8)}" y="{_num(y + bar_h / 2 + 4)}" text-anchor="end">'
                   f'<title>{escape(str(label))}</title>{escape(truncate(str(label), label_w - 12))}</text>')
        out.append(_bar_rect(centre - length / 2, y, length, bar_h, PALETTE[index % 3], is_suppressed(value), uid,
                             f"{label}: {show(value, fmt)}{share}"))
        out.append(f'<text class="value" x="{_num(label_w + span + 8)}" y="{_num(y + bar_h / 2 + 4)}">'
                   f'{escape(show(value, fmt) + share)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def histogram(counts: Sequence[Value], edges: Sequence[float], *, title: str, width: int = 640, height: int = 220,
              fmt: Formatter = default_format, edge_fmt: Formatter = lambda e: f"{e:g}", empty: str = "—") -> str:
    """Vertical adjacent bars: ``counts[i]`` values between ``edges[i]`` and ``edges[i + 1]``."""
    if len(edges) != len(counts) + 1:
        raise ValueError("a histogram needs one more edge than counts")
    uid = _uid("hist", title, tuple(counts), tuple(edges))
    desc = "; ".join(f"{edge_fmt(edges[i])}–{edge_fmt(edges[i + 1])}: {show(c, fmt)}"
                     for i, c in enumerate(counts)) or empty
    ticks = nice_ticks(_scale_max(counts), 4)
    left = max(text_width(fmt(t)) for t in ticks) + 14
    top, bottom, right = 14, 34, 12
    plot_w, plot_h = width - left - right, height - top - bottom
    bin_w = plot_w / max(len(counts), 1)
    out = _open(width, height, title, desc, uid, "histogram")
    for tick in ticks:
        y = top + plot_h - plot_h * tick / ticks[-1]
        out.append(f'<line class="grid" x1="{_num(left)}" y1="{_num(y)}" x2="{_num(left + plot_w)}" y2="{_num(y)}" '
                   f'stroke="{GRID}"/>')
        out.append(f'<text x="{_num(left - 6)}" y="{_num(y + 4)}" text-anchor="end" fill="{MUTED}" '
                   f'font-size="{FONT_SIZE - 1}">{escape(fmt(tick))}</text>')
    if not counts or all(number(c) == 0 for c in counts):
        out.append(f'<text x="{_num(left + plot_w / 2)}" y="{_num(top + plot_h / 2)}" text-anchor="middle" '
                   f'fill="{MUTED}">{escape(empty)}</text>')
    label_every = max(1, math.ceil(len(edges) / max(1, plot_w // 44)))
    for i, count in enumerate(counts):
        h = _length(count, ticks[-1], plot_h)
        x = left + i * bin_w
        tip = f"{edge_fmt(edges[i])}–{edge_fmt(edges[i + 1])}: {show(count, fmt)}"
        out.append(_bar_rect(x + 1, top + plot_h - h, max(bin_w - 2, 1), h, PRIMARY, is_suppressed(count), uid, tip))
        if is_suppressed(count):
            out.append(f'<text class="value" x="{_num(x + bin_w / 2)}" y="{_num(top + plot_h - h - 4)}" '
                       f'text-anchor="middle" font-size="{FONT_SIZE - 1}" fill="{MUTED}">{escape(str(count))}</text>')
    for i, edge in enumerate(edges):
        if i % label_every == 0 or i == len(edges) - 1:
            out.append(f'<text class="x-label" x="{_num(left + i * bin_w)}" y="{_num(top + plot_h + 16)}" '
                       f'text-anchor="middle" fill="{MUTED}" font-size="{FONT_SIZE - 1}">'
                       f'{escape(edge_fmt(edge))}</text>')
    out.append(f'<line x1="{_num(left)}" y1="{_num(top + plot_h)}" x2="{_num(left + plot_w)}" '
               f'y2="{_num(top + plot_h)}" stroke="{MUTED}"/>')
    out.append("</svg>")
    return "".join(out)
