"""Results pages: published rounds for everyone, suppression shown, charts with tables."""

from __future__ import annotations

import re
from html import unescape

import pytest

from eraati.accounts.models import Role
from eraati.extensions import db
from eraati.surveys.models import FollowUp, Question, QuestionType
from tests.surveys.test_queries import (
    custom_questionnaire,
    make_round,
    repeat,
    seed_round,
    small_group_round,
    submit_many,
)

EN = {"Accept-Language": "en"}
HIDDEN = "hidden (small group)"


def page(client, url, headers=EN, status=200) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def table_cells(html: str, caption: str) -> dict[str, list[str]]:
    """``{row header: [cell texts]}`` of the table with this caption."""
    start = html.index(f"<caption>{caption}</caption>")
    body = html[start : html.index("</table>", start)]
    rows = {}
    for header, cells in re.findall(
        r'<th scope="row">(.*?)</th>(.*?)</tr>', body, flags=re.S
    ):
        rows[unescape(header)] = [
            unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells)
        ]
    return rows


def test_published_round_shows_seed_001_as_the_pure_layer_does(client, panel):
    round_ = seed_round(panel)

    html = page(client, f"/results/rounds/{round_.id}")

    cells = table_cells(html, "Question seed")
    assert cells["B"] == ["47%", "8"]
    assert cells["A"] == cells["C"] == cells["D"] == cells["E"] == [HIDDEN]
    assert cells["Respondents who answered (n)"] == ["17"]
    assert "groups with fewer than 5 respondents are hidden" in html
    assert "17 responses" in html


@pytest.mark.parametrize("app_config", [{"SUPPRESSION_K": 1}])
def test_rounded_shares_adding_up_to_101_get_a_note(client, panel):
    round_ = seed_round(panel)

    html = page(client, f"/results/rounds/{round_.id}")

    cells = table_cells(html, "Question seed")
    assert [cells[key][0] for key in "ABCDE"] == ["6%", "47%", "18%", "6%", "24%"]
    assert "so together they make 101%." in html


def test_finnish_percentages_have_a_no_break_space(client, panel):
    round_ = seed_round(panel)

    html = page(client, f"/results/rounds/{round_.id}", {"Accept-Language": "fi"})

    assert "47\u00a0%" in unescape(html)
    assert '<html lang="fi"' in html


def test_each_chart_is_followed_by_a_table_with_the_same_numbers(client, panel):
    round_ = seed_round(panel)

    html = page(client, f"/results/rounds/{round_.id}")

    svg_at = html.index("<svg")
    table_at = html.index("<table", svg_at)
    assert html.index("</svg>") < table_at
    assert 'role="img"' in html[svg_at:table_at]
    assert "47% (8)" in html[svg_at:table_at]
    assert '<th scope="col">Share</th>' in html
    assert "<caption>" in html


def test_unpublished_round_is_hidden_from_the_public(client, panel):
    round_ = seed_round(panel, published=False)

    page(client, f"/results/rounds/{round_.id}", status=404)
    page(client, "/results/rounds/999999", status=404)


def test_officials_see_unpublished_round_with_a_banner(
    client, panel, create_user, login
):
    round_ = seed_round(panel, published=False)
    login(create_user(Role.OFFICIAL))

    html = page(client, f"/results/rounds/{round_.id}")

    assert "Not published." in html
    assert "Anonymised answers as CSV" in html


def test_small_group_is_hidden_with_secondary_suppression(client, panel, templates):
    round_ = small_group_round(panel, templates)

    html = page(client, f"/results/rounds/{round_.id}")

    cells = table_cells(html, "Your age group")
    assert cells["under 30"] == [HIDDEN]
    assert cells["30-64"] == [HIDDEN]
    assert cells["65 or over"] == ["48%", "12"]


def test_breakdown_by_background_hides_the_small_group(client, panel, templates):
    round_ = small_group_round(panel, templates)
    age = db.session.scalar(db.select(Question).where(Question.key == "background-age"))

    html = page(client, f"/results/rounds/{round_.id}?by={age.id}")

    caption = (
        "I find it meaningful to take part in developing the service even if I do "
        "not use it myself, by Your age group"
    )
    cells = table_cells(html, caption)
    assert cells["under 30"] == [HIDDEN]
    assert cells["65 or over"][0] == "100% (12)"
    assert cells["All respondents"][-2] == "25"


@pytest.mark.parametrize("query", ["?by=abc", "?by=99999"])
def test_unknown_breakdown_is_a_translated_400(client, panel, query):
    round_ = seed_round(panel)

    html = page(client, f"/results/rounds/{round_.id}{query}", status=400)

    assert "That choice is not available" in html


def test_note_and_dated_follow_ups_are_shown(client, panel, templates):
    round_ = small_group_round(panel, templates)
    db.session.add(FollowUp(round_id=round_.id, note={"en": "Meetings moved."}))
    db.session.commit()

    html = page(client, f"/results/rounds/{round_.id}")

    assert "What we will do" in html
    assert "We will act." in html
    assert re.search(r"<time datetime=[^>]+>[A-Z][a-z]{2} \d+, \d{4}</time>", html)
    assert "Meetings moved." in html


def test_question_compared_across_rounds_and_units(client, panel, templates):
    first = small_group_round(panel, templates)
    second = make_round(panel, templates["self-evaluation"], months_ago=0)
    submit_many(second, repeat(7, {"panel-meaningful": "somewhat_agree"}))
    hidden = make_round(panel, templates["self-evaluation"], published=False)
    submit_many(hidden, repeat(9, {"panel-meaningful": "disagree"}))
    question = db.session.scalar(
        db.select(Question).where(Question.key == "panel-meaningful")
    )

    html = page(client, f"/results/questions/{question.id}")

    assert html.count('role="img"') == 2  # units chart and trend chart
    trend = [row for caption, row in _captions(html) if "round by round" in caption]
    assert trend
    assert "100% (7)" in html and "(9)" not in html
    assert first.id != second.id


def _captions(html):
    for caption in re.findall(r"<caption>(.*?)</caption>", html):
        yield unescape(caption), caption


def test_question_page_splits_each_unit_round_by_background(client, panel, templates):
    round_ = small_group_round(panel, templates)
    question, age = (
        db.session.scalar(db.select(Question).where(Question.key == key))
        for key in ("panel-meaningful", "background-age")
    )

    html = page(client, f"/results/questions/{question.id}?by={age.id}")

    split = next(c for c, _ in _captions(html) if "by Your age group" in c)
    cells = table_cells(html, split)
    assert cells["under 30"] == [HIDDEN]
    assert cells["65 or over"][0] == "100% (12)"
    assert round_.id


@pytest.mark.parametrize(
    "query", ["?year=1999", "?unit=abc", "?row=nothing", "?option=zzz", "?by=1"]
)
def test_question_page_refuses_unknown_choices(client, panel, templates, query):
    small_group_round(panel, templates)
    question = db.session.scalar(
        db.select(Question).where(Question.key == "panel-ground-rules")
    )

    page(client, f"/results/questions/{question.id}{query}", status=400)
    page(client, "/results/questions/999999", status=404)


def test_panel_index_lists_published_rounds_by_year(client, panel, templates):
    round_ = small_group_round(panel, templates)
    make_round(panel, templates["self-evaluation"], published=False)

    html = page(client, f"/results/panels/{panel.id}")

    assert html.count("/results/rounds/") == 1
    assert f"/results/rounds/{round_.id}" in html
    assert f"/results/panels/{panel.id}/report/{round_.opens_at.year}" in html
    page(client, "/results/panels/999999", status=404)


def test_every_question_type_renders(client, panel):
    questionnaire = custom_questionnaire(
        panel,
        [
            ("many", QuestionType.MULTIPLE, ("a", "b")),
            ("yesno", QuestionType.YES_NO, ()),
            ("count", QuestionType.NUMBER, ()),
            ("face", QuestionType.SMILEY, ()),
        ],
    )
    round_ = make_round(panel, questionnaire)
    answer = {"many": ["a", "b"], "yesno": "yes", "count": 3, "face": "happy"}
    submit_many(round_, repeat(6, answer))

    html = page(client, f"/results/rounds/{round_.id}")

    assert "so the shares can add up to more than 100%." in html
    assert table_cells(html, "Question count")["Mean"] == ["3"]
    assert table_cells(html, "Question yesno")["Yes"] == ["100%", "6"]
    assert table_cells(html, "Question face")["Good"] == ["100%", "6"]


def test_round_without_answers_has_no_charts(client, panel, templates):
    round_ = make_round(panel, templates["self-evaluation"])

    html = page(client, f"/results/rounds/{round_.id}")

    assert "0 responses" in html
    assert "<svg" not in html
    assert HIDDEN not in html
