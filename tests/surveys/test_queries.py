"""SQL aggregation feeding the pure results layer: counts, n, suppression, breakdowns.

The helpers at the top make rounds with known answers; the other results tests
import them.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Unit
from eraati.surveys import queries, services
from eraati.surveys.models import (
    Answer,
    Question,
    Questionnaire,
    QuestionnaireItem,
    QuestionType,
    RoundState,
    TextReview,
)
from eraati.surveys.results import AgreementSummary, ChoiceSummary, MatrixSummary
from tests.surveys.conftest import item_ids

SEED_001_COUNTS = {"a": 1, "b": 8, "c": 3, "d": 1, "e": 4}


def make_round(
    panel, questionnaire, *, published=True, unit_id=None, months_ago=1, note=None
):
    """A closed round of ``questionnaire`` that opened ``months_ago`` months ago."""
    opens = utcnow() - timedelta(days=30 * months_ago)
    round_ = services.schedule_round(
        questionnaire,
        opens,
        opens + timedelta(days=20),
        panel=panel,
        unit_id=unit_id,
    )
    round_.state = RoundState.CLOSED
    if published:
        round_.published_at = opens + timedelta(days=25)
        round_.publication_note = note or {"en": "We will act.", "fi": "Toimimme."}
    db.session.commit()
    return round_


def submit_many(round_, answers: list[dict], *, channel=None) -> None:
    """Store responses; each is ``{bank question key: value}`` (matrix: a dict)."""
    ids = item_ids(round_)
    now = round_.opens_at + timedelta(hours=1)
    for answer in answers:
        values = {ids[key]: _value(value) for key, value in answer.items()}
        kwargs = {"channel": channel} if channel else {}
        services.submit(round_, values, "fi", now, **kwargs)
    db.session.commit()


def _value(value):
    if isinstance(value, int | float):
        return Decimal(str(value))
    return value


def repeat(count: int, answer: dict) -> list[dict]:
    return [dict(answer) for _ in range(count)]


def custom_questionnaire(panel, specs) -> Questionnaire:
    """A questionnaire of ``(key, type, options)`` questions, all on one page."""
    questionnaire = Questionnaire(
        panel_id=panel.id,
        title={"en": "Custom survey", "fi": "Oma kysely", "sv": "Egen enkät"},
        purpose={"fi": "Testi"},
    )
    for position, (key, kind, options) in enumerate(specs):
        # A bank question keeps its identity when a second round reuses it.
        question = db.session.scalar(db.select(Question).where(Question.key == key))
        question = question or Question(
            key=key,
            type=kind,
            text={"en": f"Question {key}", "fi": f"Kysymys {key}"},
            options=[{"key": o, "label": {"en": o.upper()}} for o in options],
            max_choices=len(options) or None,
            is_background=key.startswith("background"),
        )
        questionnaire.items.append(
            QuestionnaireItem(question=question, page=1, position=position)
        )
    db.session.add(questionnaire)
    db.session.commit()
    return questionnaire


def seed_round(panel, published=True):
    """Seed 001's 17 respondents: 1, 8, 3, 1 and 4 on five options."""
    questionnaire = custom_questionnaire(
        panel, [("seed", QuestionType.SINGLE, tuple(SEED_001_COUNTS))]
    )
    round_ = make_round(panel, questionnaire, published=published)
    answers = [
        {"seed": key} for key, count in SEED_001_COUNTS.items() for _ in range(count)
    ]
    submit_many(round_, answers)
    return round_


def small_group_round(panel, templates):
    """25 respondents; 3 under 30 (a small group), 10 aged 30-64, 12 aged 65+."""
    round_ = make_round(panel, templates["self-evaluation"])
    answers = (
        repeat(3, {"background-age": "under-30", "panel-meaningful": "disagree"})
        + repeat(10, {"background-age": "30-64", "panel-meaningful": "agree"})
        + repeat(12, {"background-age": "65-plus", "panel-meaningful": "agree"})
    )
    for index, answer in enumerate(answers):
        answer["panel-recommend"] = str(8 + index % 3)
    submit_many(round_, answers)
    return round_


def by_key(result):
    return {share.key: share for share in result.summary.shares}


def results_of(round_) -> dict[str, queries.QuestionResult]:
    found = queries.round_results(round_)
    return {result.question.key: result for result in found.questions}


# -- counting ---------------------------------------------------------------------------


def test_counts_and_n_come_from_grouped_sql(panel, templates):
    round_ = make_round(panel, templates["self-evaluation"])
    rows = {"advance-notice": "agree", "fair-turns": "somewhat_agree"}
    submit_many(
        round_,
        repeat(6, {"panel-meaningful": "agree", "panel-ground-rules": rows})
        + repeat(5, {"panel-meaningful": "somewhat_disagree"}),
    )

    found = results_of(round_)

    meaningful = found["panel-meaningful"].summary
    assert isinstance(meaningful, AgreementSummary)
    assert meaningful.n == 11
    assert {
        k: (s.count, s.percent) for k, s in by_key(found["panel-meaningful"]).items()
    } == {
        "agree": (6, 55),
        "somewhat_agree": (0, 0),
        "somewhat_disagree": (5, 45),
        "disagree": (0, 0),
    }
    matrix = found["panel-ground-rules"].summary
    assert isinstance(matrix, MatrixSummary)
    rows_n = {row.key: row.summary.n for row in matrix.rows}
    assert rows_n["advance-notice"] == 6 and rows_n["summary"] == 0
    assert queries.round_results(round_).responses == 11


def test_multiple_choice_n_counts_respondents_not_choices(panel):
    questionnaire = custom_questionnaire(
        panel, [("many", QuestionType.MULTIPLE, ("a", "b", "c"))]
    )
    round_ = make_round(panel, questionnaire)
    submit_many(round_, repeat(6, {"many": ["a", "b"]}) + repeat(6, {"many": ["a"]}))

    summary = results_of(round_)["many"].summary

    assert isinstance(summary, ChoiceSummary)
    assert summary.n == 12
    assert {s.key: s.percent for s in summary.shares} == {"a": 100, "b": 50, "c": 0}


def test_numbers_are_grouped_by_value(panel):
    questionnaire = custom_questionnaire(panel, [("age", QuestionType.NUMBER, ())])
    round_ = make_round(panel, questionnaire)
    submit_many(round_, repeat(5, {"age": 30}) + repeat(5, {"age": 40}) + [{"age": 99}])

    summary = results_of(round_)["age"].summary

    assert summary.n == 11
    assert summary.minimum == 30.0
    assert summary.maximum is None  # one person's own answer


def test_free_text_lists_only_published_wording(panel, templates):
    round_ = make_round(panel, templates["self-evaluation"])
    submit_many(round_, [{"panel-what-works": f"Raw text {n}"} for n in range(6)])
    answers = db.session.scalars(
        db.select(Answer).where(Answer.text.is_not(None)).order_by(Answer.id)
    ).all()
    answers[0].text_review = TextReview.PUBLISHED
    answers[0].text_published = "Edited text"
    answers[1].text_review = TextReview.HIDDEN
    db.session.commit()

    texts = results_of(round_)["panel-what-works"]

    assert texts.texts == ("Edited text",)
    assert texts.text_n == 6


def test_free_text_of_a_small_group_is_never_shown(panel, templates):
    round_ = make_round(panel, templates["self-evaluation"])
    submit_many(round_, [{"panel-what-works": "Only me"}])
    db.session.execute(
        db.update(Answer).values(
            text_review=TextReview.PUBLISHED, text_published="Only me"
        )
    )
    db.session.commit()

    texts = results_of(round_)["panel-what-works"]

    assert texts.texts == ()
    assert texts.text_n is None
    assert texts.hidden


def test_seed_001_single_choice_with_default_k(panel):
    summary = results_of(seed_round(panel))["seed"].summary

    shown = {s.key: (s.count, s.percent) for s in summary.shares if not s.suppressed}
    assert shown == {"b": (8, 47)}
    assert summary.n == 17


@pytest.mark.parametrize("app_config", [{"SUPPRESSION_K": 1}])
def test_seed_001_percentages_add_up_to_101(panel):
    summary = results_of(seed_round(panel))["seed"].summary

    assert [s.percent for s in summary.shares] == [6, 47, 18, 6, 24]


# -- suppression shared with the pages -------------------------------------------------------


def test_small_background_group_and_one_more_are_hidden(panel, templates):
    found = results_of(small_group_round(panel, templates))

    age = by_key(found["background-age"])
    assert age["under-30"].suppressed
    assert age["30-64"].suppressed  # secondary: else 25 - 10 - 12 gives the 3
    assert age["65-plus"].count == 12


def test_response_count_is_withheld_when_it_would_reveal_cannot_say(panel, templates):
    round_ = make_round(panel, templates["self-evaluation"])
    rows = {"advance-notice": "agree"}
    answers = repeat(10, {"panel-ground-rules": rows})
    answers += repeat(2, {"panel-ground-rules": {"advance-notice": "cannot_say"}})
    submit_many(round_, answers)

    found = queries.round_results(round_)

    row = found.questions[1].summary.rows[0].summary
    assert row.n == 10 and row.n_total is None and row.cannot_say.suppressed
    assert found.responses is None  # 12 - 10 would be the 2 "cannot say"


# -- breakdowns, rounds of a question -------------------------------------------------------


def test_breakdown_by_background_covers_everyone(panel, templates):
    round_ = small_group_round(panel, templates)
    submit_many(round_, repeat(6, {"panel-meaningful": "somewhat_agree"}))
    background = db.session.scalar(
        db.select(Question).where(Question.key == "background-age")
    )
    questions = [r.question for r in queries.round_results(round_).questions]

    splits = queries.background_breakdowns(round_.id, background, questions)

    meaningful = next(s for s in splits if s.question.key == "panel-meaningful")
    rows = {row.group: row for row in meaningful.breakdown.rows}
    assert set(rows) == {"under-30", "30-64", "65-plus", queries.NOT_STATED}
    assert rows["under-30"].suppressed
    assert rows["65-plus"].n == 12
    assert meaningful.breakdown.total.n == 31
    page = results_of(round_)["panel-meaningful"].summary
    assert meaningful.breakdown.total.shares == page.shares


def test_rounds_of_a_question_by_unit_and_year(panel, templates):
    other = Unit(organisation_id=panel.unit.organisation_id, name={"fi": "Toinen"})
    db.session.add(other)
    db.session.commit()
    old = make_round(panel, templates["self-evaluation"], months_ago=3)
    new = make_round(panel, templates["self-evaluation"], months_ago=1)
    elsewhere = make_round(
        panel, templates["self-evaluation"], unit_id=other.id, months_ago=2
    )
    make_round(panel, templates["self-evaluation"], published=False)
    question = db.session.scalar(
        db.select(Question).where(Question.key == "panel-meaningful")
    )

    rounds = queries.rounds_with_question(question.id)

    assert rounds == [old, elsewhere, new]
    assert queries.latest_per_unit(rounds) == sorted(
        [new, elsewhere], key=lambda r: r.unit_id
    )
    assert len(queries.rounds_with_question(question.id, published_only=False)) == 4
