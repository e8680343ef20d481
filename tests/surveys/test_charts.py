"""Server-made SVG charts: well-formed, accessible, CSP-clean, escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eraati.surveys import charts
from eraati.surveys.charts import (
    Bar,
    Mark,
    Segment,
    StackedRow,
    bar_chart,
    bars_from_shares,
    line_chart,
    marks_from_trend,
    stacked_bar_chart,
    stacked_row,
)
from eraati.surveys.results import (
    TrendPoint,
    summarise_agreement,
    summarise_single,
)

SVG = "{http://www.w3.org/2000/svg}"
HIDDEN = "alle 5 vastaajaa"
NASTY = 'A <b> & "c"'
LEGEND = ["Samaa mieltä", "Jossain määrin samaa", "Jossain määrin eri", "Eri mieltä"]


def percent_text(share) -> str:
    return f"{share.percent}\u00a0% ({share.count})"


def bars() -> str:
    summary = summarise_single({"a": 1, "b": 8, "c": 3, "d": 1, "e": 4}, 17)
    labels = {key: f"{NASTY} {key}" for key in "abcde"}
    return bar_chart(
        bars_from_shares(summary.shares, labels, percent_text),
        chart_id="q1-bars",
        title=NASTY,
        description="Vastaukset, n = 17",
        hidden_label=HIDDEN,
    )


def stacked() -> str:
    counts = {"agree": 8, "somewhat_agree": 4, "somewhat_disagree": 3, "disagree": 1}
    rows = [
        stacked_row(NASTY, summarise_agreement(counts, 16, k=1).shares, percent_text),
        stacked_row("Pieni", summarise_agreement(counts, 16).shares, percent_text),
    ]
    return stacked_bar_chart(
        rows,
        legend=LEGEND,
        chart_id="q2",
        title="Arviointi",
        description=NASTY,
        hidden_label=HIDDEN,
    )


def trend() -> str:
    points = [
        TrendPoint(f"2026-{month:02d}", 20, 40.0 + month, False)
        for month in range(1, 7)
    ]
    points[2] = TrendPoint("2026-03", 17, None, True)
    marks = marks_from_trend(points, lambda point: f"{point.value:.0f} %")
    return line_chart(
        marks, chart_id="q3", title="Kehitys", description="d", hidden_label=HIDDEN
    )


CHARTS = [bars, stacked, trend]


@pytest.fixture(params=CHARTS, ids=lambda make: make.__name__)
def svg(request) -> str:
    return request.param()


def test_chart_is_well_formed_and_scales(svg):
    root = ET.fromstring(svg)

    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")


def test_chart_is_an_image_labelled_by_its_title_and_desc(svg):
    root = ET.fromstring(svg)
    title, desc = root[0], root[1]

    assert root.get("role") == "img"
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_chart_has_nothing_a_strict_csp_blocks(svg):
    root = ET.fromstring(svg)

    for element in root.iter():
        assert element.tag not in (f"{SVG}style", f"{SVG}script")
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)


def test_labels_are_escaped():
    svg = bars()

    assert NASTY not in svg
    assert "A &lt;b&gt; &amp; &quot;c&quot;" in svg
    root = ET.fromstring(svg)
    assert root[0].text == NASTY
    assert any((text.text or "").startswith(NASTY) for text in root.iter(f"{SVG}text"))


@given(st.text(max_size=80))
def test_any_label_keeps_the_chart_well_formed(label):
    svg = bar_chart(
        [Bar(label, 40, label), Bar(label, None)],
        chart_id="x",
        title=label,
        description=label,
        hidden_label=label,
    )
    ET.fromstring(svg)


def test_hidden_values_are_hatched_and_labelled():
    root = ET.fromstring(bars())
    hatched = [
        rect
        for rect in root.iter(f"{SVG}rect")
        if rect.get("fill") == "url(#q1-bars-hatch)"
    ]
    texts = [text.text for text in root.iter(f"{SVG}text")]

    assert len(hatched) == 4  # four hidden options, one fixed-size marker each
    assert {rect.get("width") for rect in hatched} == {"27"}
    assert texts.count(HIDDEN) == 4
    assert "47\u00a0% (8)" in texts


def test_hidden_steps_do_not_move_the_shown_ones():
    """A shown step after hidden ones starts where it would if they were zero."""
    rows = [StackedRow("s", (Segment(None), Segment(50, "50 %"), Segment(None)))]
    root = ET.fromstring(
        stacked_bar_chart(
            rows,
            legend=LEGEND[:3],
            chart_id="s",
            title="t",
            description="d",
            hidden_label=HIDDEN,
        )
    )
    coloured = [
        r
        for r in root.iter(f"{SVG}rect")
        if r.get("fill") == charts.AGREEMENT_COLOURS[1]
    ]
    bar = [r for r in coloured if r.get("height") == "24"]

    assert [r.get("x") for r in bar] == [str(charts.PAD)]


def test_rounded_shares_over_100_stay_inside_the_bar():
    rows = [StackedRow("s", (Segment(47), Segment(24), Segment(18), Segment(12)))]
    root = ET.fromstring(
        stacked_bar_chart(
            rows,
            legend=LEGEND,
            chart_id="s",
            title="t",
            description="d",
            hidden_label="",
        )
    )
    segments = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "24"]
    end = max(float(r.get("x")) + float(r.get("width")) for r in segments)

    assert end <= charts.WIDTH - charts.PAD + 0.1


def test_hidden_block_is_drawn_even_when_shown_shares_round_to_100():
    rows = [StackedRow("s", (Segment(50), Segment(50), Segment(None)))]
    root = ET.fromstring(
        stacked_bar_chart(
            rows,
            legend=LEGEND[:3],
            chart_id="s",
            title="t",
            description="d",
            hidden_label="h",
        )
    )
    hatched = [
        r
        for r in root.iter(f"{SVG}rect")
        if r.get("fill") == "url(#s-hatch)" and r.get("height") == "24"
    ]

    assert len(hatched) == 1 and float(hatched[0].get("width")) >= 8


def test_trend_line_breaks_at_a_hidden_point():
    root = ET.fromstring(trend())

    assert len(list(root.iter(f"{SVG}polyline"))) == 2  # before and after March
    assert len(list(root.iter(f"{SVG}circle"))) == 5
    assert [t.text for t in root.iter(f"{SVG}text")].count(HIDDEN) == 1


@pytest.mark.parametrize("chart_id", ["", "1abc", 'x" onload="alert(1)', "a b"])
def test_unusable_ids_are_refused(chart_id):
    with pytest.raises(ValueError):
        bar_chart([], chart_id=chart_id, title="t", description="d", hidden_label="h")


def test_ids_are_prefixed_so_two_charts_share_a_page():
    ids = re.findall(r' id="([^"]+)"', bars() + stacked())

    assert len(ids) == len(set(ids))


def test_long_labels_wrap_to_fit_a_narrow_screen():
    label = "Koen mielekkääksi osallistua palvelun kehittämiseen, vaikka en itse käyttäisi palvelua"
    root = ET.fromstring(
        bar_chart(
            [Bar(label, 50, "50 %")],
            chart_id="w",
            title="t",
            description="d",
            hidden_label="",
        )
    )
    lines = [t.text for t in root.iter(f"{SVG}text")][:-1]

    assert len(lines) > 1 and " ".join(lines) == label
    assert max(len(line) for line in lines) * 14 * 0.55 <= charts.WIDTH - 2 * charts.PAD


# -- contrast (WCAG 1.4.3 and 1.4.11) -------------------------------------------------------


def contrast(colour: str, background: str = "#ffffff") -> float:
    def luminance(value: str) -> float:
        channels = [int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_graphics_have_3_to_1_and_text_4_5_to_1_against_white(svg):
    root = ET.fromstring(svg)
    for element in root.iter():
        for name in ("fill", "stroke"):
            colour = element.get(name, "")
            if not colour.startswith("#") or colour == "#ffffff":
                continue  # none, patterns, and the white gaps between segments
            needed = 4.5 if element.tag in (f"{SVG}text", f"{SVG}svg") else 3
            assert contrast(colour) >= needed, (element.tag, colour)


def test_white_text_sits_only_on_colours_dark_enough_for_it():
    for colour in charts.AGREEMENT_COLOURS:
        assert contrast(colour) >= 4.5


def test_value_text_is_never_asked_for_a_hidden_value():
    def text(item) -> str:
        assert item.percent is not None and item.count is not None
        return "shown"

    summary = summarise_single({"a": 1, "b": 8, "c": 3, "d": 1, "e": 4}, 17)
    labels = dict.fromkeys("abcde", "x")

    assert [b.text for b in bars_from_shares(summary.shares, labels, text)] == [
        "",
        "shown",
        "",
        "",
        "",
    ]
    assert stacked_row("s", summary.shares, text).segments[0] == Segment(None)
    hidden = TrendPoint("2026-01", 17, None, True)
    assert marks_from_trend([hidden], text) == (Mark("2026-01", None, "", True),)
