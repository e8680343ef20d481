"""Inline SVG charts for results pages, built on the server as plain strings.

Every chart is an ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``
and scales to its container (``viewBox``, ``width="100%"``) down to 320 px. Colours
are presentation attributes only: the CSP has no ``'unsafe-inline'``, so there is no
``style`` attribute and no ``<style>`` or ``<script>`` element. Graphics have at least
3:1 contrast against white, text at least 4.5:1. Hidden values are drawn as one
hatched marker with the caller's label, never at a size that hints at the value.

The module does not translate: callers pass every text already translated and every
number already formatted for the reader's locale. Each chart belongs next to a data
table with the same figures (the template draws it, from the same ``Bar`` rows).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from eraati.surveys.results import Share, TrendPoint

WIDTH = 400
PAD = 8
LINE = 18  # one line of 14-unit text
TEXT = "#1a1a1a"  # 17.4:1 on white
MUTED = "#4a4a4a"  # 8.9:1: hatching, axes
BAR = "#0b5394"  # 7.8:1: the brand blue
#: Agreement steps, agree to disagree: a blue-to-orange diverging set, each dark
#: enough (>= 4.5:1) to carry white text and to stand out against the white gaps.
AGREEMENT_COLOURS = ("#083a69", "#3b75af", "#c2410c", "#8c2d04")
FONT = "system-ui, sans-serif"
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# Characters XML 1.0 cannot carry at all; a label with them would break the page.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Bar:
    """One labelled value; ``percent`` None draws the hidden marker."""

    label: str
    percent: int | None
    text: str = ""  # the value as the reader's locale writes it, e.g. "47 % (8)"


@dataclass(frozen=True, slots=True)
class Segment:
    percent: int | None
    text: str = ""


@dataclass(frozen=True, slots=True)
class StackedRow:
    label: str
    segments: tuple[Segment, ...]  # one per scale step, in scale order


@dataclass(frozen=True, slots=True)
class Mark:
    """A trend point; ``value`` None is a gap, hidden when ``suppressed``."""

    label: str
    value: float | None
    text: str = ""
    suppressed: bool = False


# -- from results ---------------------------------------------------------------------


def bars_from_shares(
    shares: Sequence[Share],
    labels: Mapping[str, str],
    text: Callable[[Share], str],
) -> tuple[Bar, ...]:
    """Chart rows (and data-table rows) from a summary's shares.

    ``text`` formats a shown share for the reader's locale; it is never called for a
    hidden one.
    """
    return tuple(
        Bar(labels[s.key], s.percent, text(s))
        if _shown(s)
        else Bar(labels[s.key], None)
        for s in shares
    )


def stacked_row(
    label: str, shares: Sequence[Share], text: Callable[[Share], str]
) -> StackedRow:
    """One statement of an agreement chart from its summary's shares."""
    segments = tuple(
        Segment(s.percent, text(s)) if _shown(s) else Segment(None) for s in shares
    )
    return StackedRow(label, segments)


def marks_from_trend(
    points: Sequence[TrendPoint], text: Callable[[TrendPoint], str]
) -> tuple[Mark, ...]:
    """Trend marks; ``text`` is only called for points with a value."""
    return tuple(
        Mark(p.label, p.value, text(p) if p.value is not None else "", p.suppressed)
        for p in points
    )


def _shown(share: Share) -> bool:
    return not share.suppressed and share.percent is not None


# -- charts ---------------------------------------------------------------------------


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    hidden_label: str,
) -> str:
    """Horizontal bars of shares: label above each bar, value after it."""
    room = 110  # for the value text after the longest bar
    length = WIDTH - 2 * PAD - room
    body: list[str] = []
    y = PAD
    for bar in bars:
        lines = _wrap(bar.label, WIDTH - 2 * PAD)
        body += _text_lines(lines, PAD, y + 14)
        y += LINE * len(lines) + 2
        if bar.percent is None:
            body += _hidden_marker(chart_id, PAD, y, hidden_label)
        else:
            width = length * min(bar.percent, 100) / 100
            body.append(_rect(PAD, y, width, 18, BAR))
            body.append(_text(bar.text, PAD + width + 6, y + 14))
        y += 18 + 12
    return _svg(chart_id, title, description, y, body)


def stacked_bar_chart(
    rows: Sequence[StackedRow],
    *,
    legend: Sequence[str],
    chart_id: str,
    title: str,
    description: str,
    hidden_label: str,
    colours: Sequence[str] = AGREEMENT_COLOURS,
) -> str:
    """100 % bars, one per statement, steps in scale order.

    Hidden steps are merged into one hatched block at the end of the bar: drawn in
    place, the position of the next visible step would reveal them.
    """
    if len(colours) < len(legend):
        raise ValueError("one colour per legend entry")
    any_hidden = any(s.percent is None for row in rows for s in row.segments)
    body, y = _legend(chart_id, legend, colours, hidden_label if any_hidden else None)
    for row in rows:
        lines = _wrap(row.label, WIDTH - 2 * PAD)
        body += _text_lines(lines, PAD, y + 14)
        y += LINE * len(lines) + 2
        body += _stack(chart_id, row.segments, colours, y)
        y += 24 + 12
    return _svg(chart_id, title, description, y, body)


def line_chart(
    marks: Sequence[Mark],
    *,
    chart_id: str,
    title: str,
    description: str,
    hidden_label: str,
    y_range: tuple[float, float] = (0, 100),
    y_ticks: Sequence[tuple[float, str]] = ((0, "0"), (50, "50"), (100, "100")),
) -> str:
    """A value across rounds: points joined within runs of shown values.

    Hidden points sit as hatched squares on the axis, with the label once below.
    """
    left, top, plot_w, plot_h = 44, 16, WIDTH - 44 - 16, 150
    low, high = y_range
    span = high - low or 1

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (min(max(value, low), high) - low) / span)

    body = _axes(left, top, plot_w, plot_h, [(y_of(v), t) for v, t in y_ticks])
    step = plot_w / max(len(marks), 1)
    xs = [left + step * (index + 0.5) for index in range(len(marks))]
    body += _runs(marks, xs, y_of)
    body += _points(chart_id, marks, xs, y_of, top + plot_h, len(marks) <= 8)
    body += _x_labels(marks, xs, top + plot_h + 16, rotate=len(marks) > 4)
    y = top + plot_h + (70 if len(marks) > 4 else 30)
    if any(mark.suppressed for mark in marks):
        body += _hidden_marker(chart_id, PAD, y, hidden_label, size=12)
        y += 24
    return _svg(chart_id, title, description, y, body)


# -- pieces ---------------------------------------------------------------------------


def _svg(
    chart_id: str, title: str, description: str, height: float, body: list[str]
) -> str:
    if not _ID.match(chart_id):
        raise ValueError(f"not a usable id: {chart_id!r}")
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_num(height)}"'
        f' width="100%" role="img" class="chart"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' font-family="{FONT}" font-size="14" fill="{TEXT}">'
        f'<title id="{chart_id}-title">{_esc(title)}</title>'
        f'<desc id="{chart_id}-desc">{_esc(description)}</desc>'
        f"<defs>{_hatch(chart_id)}</defs>"
    )
    return head + "".join(body) + "</svg>"


def _hatch(chart_id: str) -> str:
    return (
        f'<pattern id="{chart_id}-hatch" width="6" height="6"'
        ' patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{MUTED}" stroke-width="2"/>'
        "</pattern>"
    )


def _hidden_marker(
    chart_id: str, x: float, y: float, label: str, size: float = 18
) -> list[str]:
    """A fixed-size hatched box and the label: the same whatever the hidden value."""
    box = (
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(size * 1.5)}"'
        f' height="{_num(size)}" fill="url(#{chart_id}-hatch)" stroke="{MUTED}"/>'
    )
    return [box, _text(label, x + size * 1.5 + 6, y + size - 4)]


def _legend(
    chart_id: str,
    legend: Sequence[str],
    colours: Sequence[str],
    hidden_label: str | None,
) -> tuple[list[str], float]:
    body: list[str] = []
    y = PAD
    for label, colour in zip(legend, colours, strict=False):
        lines = _wrap(label, WIDTH - 3 * PAD - 14)
        body.append(_rect(PAD, y + 2, 14, 14, colour))
        body += _text_lines(lines, PAD + 20, y + 14)
        y += LINE * len(lines)
    if hidden_label is not None:
        body += _hidden_marker(chart_id, PAD, y + 2, hidden_label, size=14)
        y += LINE
    return body, y + 10


def _stack(
    chart_id: str, segments: Sequence[Segment], colours: Sequence[str], y: float
) -> list[str]:
    length = WIDTH - 2 * PAD
    shown = [
        (index, segment.percent, segment.text)
        for index, segment in enumerate(segments)
        if segment.percent is not None
    ]
    total = sum(share for _, share, _ in shown)
    # Rounded shares may add up to 101 %: scale so the bar never overflows, and keep
    # room for the hatched block even when the shown shares round up to 100 %.
    scale = length / max(100, total)
    if len(shown) < len(segments) and total:
        scale = min(scale, (length - 8) / total)
    body: list[str] = []
    x = float(PAD)
    for index, share, text in shown:
        width = share * scale
        body.append(_rect(x, y, width, 24, colours[index], gap=True))
        if width >= 40:
            body.append(_text(text, x + width / 2, y + 17, "#ffffff", "middle"))
        x += width
    rest = PAD + length - x
    if len(shown) < len(segments) and rest > 0:
        body.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(rest)}" height="24"'
            f' fill="url(#{chart_id}-hatch)" stroke="{MUTED}"/>'
        )
    return body


def _axes(
    left: float,
    top: float,
    width: float,
    height: float,
    ticks: Sequence[tuple[float, str]],
) -> list[str]:
    body = [
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + height}"'
        f' stroke="{MUTED}"/>'
    ]
    for y, label in ticks:
        body.append(
            f'<line x1="{left}" y1="{_num(y)}" x2="{left + width}" y2="{_num(y)}"'
            f' stroke="{MUTED}" stroke-width="0.5" stroke-dasharray="2 3"/>'
        )
        body.append(_text(label, left - 6, y + 5, anchor="end", size=12))
    return body


def _runs(
    marks: Sequence[Mark], xs: Sequence[float], y_of: Callable[[float], float]
) -> list[str]:
    """Polylines through consecutive shown points; a hidden point breaks the line."""
    body: list[str] = []
    run: list[str] = []
    for mark, x in [*zip(marks, xs, strict=True), (None, 0.0)]:
        if mark is not None and mark.value is not None:
            run.append(f"{_num(x)},{_num(y_of(mark.value))}")
            continue
        if len(run) > 1:
            body.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{BAR}"'
                ' stroke-width="2"/>'
            )
        run = []
    return body


def _points(
    chart_id: str,
    marks: Sequence[Mark],
    xs: Sequence[float],
    y_of: Callable[[float], float],
    base: float,
    with_values: bool,
) -> list[str]:
    body: list[str] = []
    for mark, x in zip(marks, xs, strict=True):
        if mark.value is not None:
            y = y_of(mark.value)
            body.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" fill="{BAR}"/>')
            if with_values:
                body.append(_text(mark.text, x, y - 8, anchor="middle", size=12))
        elif mark.suppressed:
            body.append(
                f'<rect x="{_num(x - 6)}" y="{_num(base - 12)}" width="12"'
                f' height="12" fill="url(#{chart_id}-hatch)" stroke="{MUTED}"/>'
            )
    return body


def _x_labels(
    marks: Sequence[Mark], xs: Sequence[float], y: float, rotate: bool
) -> list[str]:
    body = []
    for mark, x in zip(marks, xs, strict=True):
        turn = f' transform="rotate(-40 {_num(x)} {_num(y)})"' if rotate else ""
        anchor = "end" if rotate else "middle"
        body.append(
            f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}"'
            f' font-size="12"{turn}>{_esc(mark.label)}</text>'
        )
    return body


def _rect(
    x: float, y: float, width: float, height: float, fill: str, gap: bool = False
) -> str:
    # A white edge keeps neighbouring segments apart for colour-blind readers too.
    edge = ' stroke="#ffffff" stroke-width="2"' if gap else ""
    return (
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(width)}"'
        f' height="{_num(height)}" fill="{fill}"{edge}/>'
    )


def _text(
    content: str,
    x: float,
    y: float,
    fill: str = TEXT,
    anchor: str = "start",
    size: int = 14,
) -> str:
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" fill="{fill}" text-anchor="{anchor}"'
        f' font-size="{size}">{_esc(content)}</text>'
    )


def _text_lines(lines: Sequence[str], x: float, y: float) -> list[str]:
    return [_text(line, x, y + LINE * index) for index, line in enumerate(lines)]


def _wrap(text: str, width: float, size: int = 14) -> list[str]:
    """Greedy word wrap by an average glyph width (no font metrics on the server)."""
    limit = max(8, int(width / (size * 0.55)))
    lines: list[str] = []
    line = ""
    for word in text.split() or [""]:
        while len(word) > limit:  # a long URL or compound word: break it hard
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:limit])
            word = word[limit:]
        candidate = f"{line} {word}" if line else word
        if len(candidate) > limit and line:
            lines.append(line)
            candidate = word
        line = candidate
    lines.append(line)
    return lines


def _esc(text: str) -> str:
    return html.escape(_NOT_XML.sub("", text), quote=True)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")
