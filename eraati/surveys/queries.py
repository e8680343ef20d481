"""SQL aggregation for results: grouped counts in, the pure layer's summaries out.

Every figure is counted by the database (``GROUP BY`` on ``survey_answers``, on the
``(round_id, question_id, option_key)`` and ``(question_id, round_id)`` indexes) and
then summarised by :mod:`eraati.surveys.results`, so pages, exports, the API and the
annual report all show the same suppressed numbers. Python only walks grouped rows.

Figures are published round by round and never summed across rounds: a year total
next to the monthly pages would let a reader subtract the visible months from it and
recover a hidden one (differencing across releases).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import aliased

from eraati.extensions import db
from eraati.surveys import results, snapshot
from eraati.surveys.logic import AGREEMENT_KEYS, CANNOT_SAY, SMILEY_KEYS
from eraati.surveys.models import (
    Answer,
    Question,
    QuestionnaireItem,
    QuestionType,
    Response,
    Round,
    TextReview,
)

#: The group of respondents who skipped the background question.
NOT_STATED = "-"
#: Background questions usable for breakdowns: one answer per respondent.
BACKGROUND_TYPES = (QuestionType.SINGLE, QuestionType.YES_NO)
#: Question types that a breakdown can show (counts of options).
BREAKDOWN_TYPES = (
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.YES_NO,
    QuestionType.SMILEY,
    QuestionType.AGREEMENT,
    QuestionType.RECOMMEND,
    QuestionType.MATRIX,
)
_FIXED_KEYS = {
    QuestionType.YES_NO: ("yes", "no"),
    QuestionType.SMILEY: SMILEY_KEYS,
}


@dataclass
class Counts:
    """Grouped counts of one question in one round (filled from SQL rows)."""

    #: ``{row_key: {option_key: count}}``; row_key None except for a matrix.
    options: dict[str | None, dict[str, int]] = field(default_factory=dict)
    numbers: dict[Decimal, int] = field(default_factory=dict)
    #: Free-text answers given (one per respondent).
    texts: int = 0
    #: Distinct respondents, counted only for multiple choice.
    respondents: int = 0


@dataclass(frozen=True)
class QuestionResult:
    """One question's published figures in one round."""

    question: Any  # a snapshot QuestionView or a Question: same attributes
    summary: Any  # a results.*Summary, or None for free text
    texts: tuple[str, ...] = ()
    #: Respondents to a free-text question; None when the group is small.
    text_n: int | None = None

    @property
    def hidden(self) -> bool:
        """Whether any figure of this question is hidden."""
        summary = self.summary
        if summary is None:
            return self.text_n is None
        if isinstance(summary, results.NumberSummary):
            extremes = summary.n and None in (summary.minimum, summary.maximum)
            return summary.suppressed or bool(extremes)
        return any(share.suppressed for share in all_shares(summary))


@dataclass(frozen=True)
class RoundResults:
    round_id: int
    #: Responses to the round; None when printing it would reveal a hidden figure.
    responses: int | None
    questions: tuple[QuestionResult, ...]

    @property
    def hidden(self) -> bool:
        return self.responses is None or any(q.hidden for q in self.questions)


def all_shares(summary) -> list[results.Share]:
    """Every share of a summary, matrix rows and "cannot say" included."""
    if summary is None or isinstance(summary, results.NumberSummary):
        return []
    if isinstance(summary, results.MatrixSummary):
        return [s for row in summary.rows for s in all_shares(row.summary)]
    extra = getattr(summary, "cannot_say", None)
    return [*summary.shares, *([extra] if extra is not None else [])]


def min_group() -> int:
    """The smallest group shown (k); settable as ``SUPPRESSION_K`` for tests."""
    from flask import current_app

    return int(current_app.config.get("SUPPRESSION_K", results.DEFAULT_K))


# -- counting -------------------------------------------------------------------------


def answer_counts(
    round_ids: Sequence[int], questions: Sequence[Any]
) -> dict[tuple[int, int], Counts]:
    """Grouped counts per (round, question), one query per kind of value.

    Options, matrix cells, numbers and texts are grouped apart: one GROUP BY over
    all columns made PostgreSQL expect too many groups and sort on disk (four times
    slower), and SQLite cannot answer the matrix's row_key from an index.
    """
    found: dict[tuple[int, int], Counts] = {}
    if not round_ids or not questions:
        return found
    kinds: dict[str, list[int]] = {
        "options": [],
        "matrix": [],
        "number": [],
        "text": [],
    }
    for question in questions:
        kind = question.type.value if question.type.value in kinds else "options"
        kinds[kind].append(question.id)
    # Without row_key the counts come from the index alone (an index-only scan).
    options = _grouped(round_ids, kinds["options"], Answer.option_key)
    for round_id, question_id, option_key, count in options:
        counts = found.setdefault((round_id, question_id), Counts())
        counts.options.setdefault(None, {})[option_key] = count
    for round_id, question_id, row_key, option_key, count in _grouped(
        round_ids, kinds["matrix"], Answer.row_key, Answer.option_key
    ):
        counts = found.setdefault((round_id, question_id), Counts())
        counts.options.setdefault(row_key, {})[option_key] = count
    for round_id, question_id, number, count in _grouped(
        round_ids, kinds["number"], Answer.number
    ):
        if number is not None:
            found.setdefault((round_id, question_id), Counts()).numbers[
                Decimal(number)
            ] = count
    for round_id, question_id, count in _grouped(round_ids, kinds["text"]):
        found.setdefault((round_id, question_id), Counts()).texts = count
    multiple = [q.id for q in questions if q.type is QuestionType.MULTIPLE]
    for (round_id, question_id), n in _respondents(round_ids, multiple).items():
        found.setdefault((round_id, question_id), Counts()).respondents = n
    return found


def _grouped(round_ids: Sequence[int], question_ids: Sequence[int], *columns):
    """``(round, question, *columns, count)`` rows; none when no question asks."""
    if not question_ids:
        return []
    keys = (Answer.round_id, Answer.question_id, *columns)
    return db.session.execute(
        select(*keys, func.count())
        .where(Answer.round_id.in_(round_ids), Answer.question_id.in_(question_ids))
        .group_by(*keys)
    ).all()


def _respondents(
    round_ids: Sequence[int], question_ids: Sequence[int]
) -> dict[tuple[int, int], int]:
    if not question_ids:
        return {}
    rows = db.session.execute(
        select(
            Answer.round_id,
            Answer.question_id,
            func.count(distinct(Answer.response_id)),
        )
        .where(Answer.round_id.in_(round_ids), Answer.question_id.in_(question_ids))
        .group_by(Answer.round_id, Answer.question_id)
    )
    return {(r, q): n for r, q, n in rows}


def published_texts(
    round_ids: Sequence[int], question_ids: Sequence[int], limit: int | None = None
) -> dict[tuple[int, int], list[str]]:
    """Free-text answers a moderator published (their edited wording), oldest first."""
    found: dict[tuple[int, int], list[str]] = {}
    if not round_ids or not question_ids:
        return found
    query = (
        select(Answer.round_id, Answer.question_id, Answer.text_published)
        .where(
            Answer.round_id.in_(round_ids),
            Answer.question_id.in_(question_ids),
            Answer.text_review == TextReview.PUBLISHED,
            Answer.text_published.is_not(None),
        )
        .order_by(Answer.id)
    )
    for round_id, question_id, text in db.session.execute(query):
        texts = found.setdefault((round_id, question_id), [])
        if limit is None or len(texts) < limit:
            texts.append(text)
    return found


def response_counts(round_ids: Iterable[int]) -> dict[int, int]:
    """Responses per round (zero included)."""
    ids = list(round_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Response.round_id, func.count())
        .where(Response.round_id.in_(ids))
        .group_by(Response.round_id)
    )
    return dict.fromkeys(ids, 0) | dict(rows.all())


# -- summaries ------------------------------------------------------------------------


def option_keys(question, counted: Iterable[str] = ()) -> tuple[str, ...]:
    """A question's option keys in display order (options removed later kept last)."""
    kind = question.type
    if kind in (QuestionType.AGREEMENT, QuestionType.MATRIX):
        return AGREEMENT_KEYS
    if kind is QuestionType.RECOMMEND:
        return tuple(results.RECOMMENDATION_BANDS)
    if kind in _FIXED_KEYS:
        return _FIXED_KEYS[kind]
    declared = tuple(option["key"] for option in question.options)
    return declared + tuple(sorted(set(counted) - set(declared)))


def summarise(question, counts: Counts | None, k: int):
    """The pure layer's summary of one question's counts (None for free text)."""
    counts = counts or Counts()
    kind = question.type
    if kind is QuestionType.TEXT:
        return None
    if kind is QuestionType.NUMBER:
        return results.summarise_number(
            counts.numbers, sum(counts.numbers.values()), k=k
        )
    if kind is QuestionType.MATRIX:
        return _matrix(question, counts, k)
    chosen = _known(question, counts.options.get(None, {}))
    n = sum(chosen.values())
    if kind is QuestionType.AGREEMENT:
        return results.summarise_agreement(
            chosen, n, cannot_say=question.allow_cannot_say, k=k
        )
    if kind is QuestionType.RECOMMEND:
        return results.summarise_recommendation(chosen, n, k=k)
    if kind is QuestionType.MULTIPLE:
        keys = option_keys(question, chosen)
        return results.summarise_multiple(chosen, counts.respondents, options=keys, k=k)
    if kind is QuestionType.YES_NO:
        return results.summarise_yes_no(chosen, n, k=k)
    return results.summarise_single(
        chosen, n, options=option_keys(question, chosen), k=k
    )


def _known(question, chosen: dict[str, int]) -> dict[str, int]:
    """Drop keys a fixed scale cannot have (never stored by the answering logic)."""
    kind = question.type
    if kind is QuestionType.RECOMMEND:
        allowed = {str(rating) for rating in range(1, 11)}
    elif kind in (QuestionType.AGREEMENT, QuestionType.MATRIX):
        allowed = set(AGREEMENT_KEYS) | (
            {CANNOT_SAY} if question.allow_cannot_say else set()
        )
    elif kind in _FIXED_KEYS:
        allowed = set(_FIXED_KEYS[kind])
    else:
        return dict(chosen)
    return {key: count for key, count in chosen.items() if key in allowed}


def _matrix(question, counts: Counts, k: int) -> results.MatrixSummary:
    rows = {
        row["key"]: _known(question, counts.options.get(row["key"], {}))
        for row in question.rows
    }
    n = {key: sum(values.values()) for key, values in rows.items()}
    return results.summarise_matrix(rows, n, cannot_say=question.allow_cannot_say, k=k)


def question_results(
    round_ids: Sequence[int], questions: Sequence[Any], text_limit: int | None = None
) -> dict[tuple[int, int], QuestionResult]:
    """Every (round, question) result of the given rounds and bank questions."""
    counts = answer_counts(round_ids, questions)
    return _results(round_ids, questions, counts, text_limit)


def _results(round_ids, questions, counts, text_limit) -> dict:
    k = min_group()
    text_ids = [q.id for q in questions if q.type is QuestionType.TEXT]
    texts = published_texts(round_ids, text_ids, text_limit)
    return {
        (r, q.id): _result(q, counts.get((r, q.id)), texts.get((r, q.id), []), k)
        for r in round_ids
        for q in questions
    }


def _result(question, counts: Counts | None, texts: list[str], k: int):
    if question.type is not QuestionType.TEXT:
        return QuestionResult(question, summarise(question, counts, k))
    n = counts.texts if counts else 0
    shown = results.visible_free_text(texts, n, k=k)
    return QuestionResult(question, None, shown, None if results.is_small(n, k) else n)


def round_results(round_: Round, text_limit: int | None = None) -> RoundResults:
    """All questions of a round, in questionnaire order, with the response count."""
    view = snapshot.questionnaire_view(round_.questionnaire_id)
    questions = [item.question for item in view.items]
    counts = answer_counts([round_.id], questions)
    found = _results([round_.id], questions, counts, text_limit)
    ordered = tuple(found[(round_.id, q.id)] for q in questions)
    responses = response_counts([round_.id])[round_.id]
    if _reveals_cannot_say(responses, ordered, counts, round_.id):
        responses = None
    return RoundResults(round_.id, responses, ordered)


def _reveals_cannot_say(
    responses: int,
    questions: Sequence[QuestionResult],
    counts: dict[tuple[int, int], Counts],
    round_id: int,
) -> bool:
    """Whether the response count minus a shown n would give a hidden "cannot say".

    The pure layer withholds ``n_total`` for that reason; a required question
    answered by everyone makes the round's response count that same total.
    """
    for result in questions:
        summaries = _agreement_summaries(result.summary)
        known = counts.get((round_id, result.question.id), Counts()).options
        for row_key, summary in summaries:
            if summary.n_total is None and not summary.suppressed:
                if sum(known.get(row_key, {}).values()) == responses:
                    return True
    return False


def _agreement_summaries(summary) -> list[tuple[str | None, Any]]:
    if isinstance(summary, results.AgreementSummary):
        return [(None, summary)]
    if isinstance(summary, results.MatrixSummary):
        return [(row.key, row.summary) for row in summary.rows]
    return []


# -- rounds of a bank question ---------------------------------------------------------


def year_bounds(year: int, timezone: str) -> tuple[datetime, datetime]:
    """The start of ``year`` and of the next one, local time, as UTC instants."""
    zone, utc = ZoneInfo(timezone), ZoneInfo("UTC")
    start = datetime(year, 1, 1, tzinfo=zone).astimezone(utc)
    return start, datetime(year + 1, 1, 1, tzinfo=zone).astimezone(utc)


def local_year(moment: datetime, timezone: str) -> int:
    """The calendar year of an instant on the local wall clock."""
    return moment.astimezone(ZoneInfo(timezone)).year


def rounds_with_question(
    question_id: int,
    *,
    published_only: bool = True,
    unit_id: int | None = None,
    between: tuple[datetime, datetime] | None = None,
) -> list[Round]:
    """Rounds whose questionnaire asks this bank question, oldest first."""
    query = (
        select(Round)
        .join(
            QuestionnaireItem,
            QuestionnaireItem.questionnaire_id == Round.questionnaire_id,
        )
        .where(QuestionnaireItem.question_id == question_id)
        .order_by(Round.opens_at, Round.id)
    )
    if published_only:
        query = query.where(Round.published_at.is_not(None))
    if unit_id is not None:
        query = query.where(Round.unit_id == unit_id)
    if between is not None:
        query = query.where(Round.opens_at >= between[0], Round.opens_at < between[1])
    return list(db.session.scalars(query))


def latest_per_unit(rounds: Sequence[Round]) -> list[Round]:
    """The latest of the given rounds (oldest first) for each unit, by unit id."""
    latest = {round_.unit_id: round_ for round_ in rounds}
    return [latest[unit_id] for unit_id in sorted(latest)]


def background_questions(questionnaire_ids: Iterable[int]) -> list[Question]:
    """Background questions that can split results (single choice), bank order."""
    # IN (subquery), not DISTINCT: PostgreSQL cannot compare the JSON columns.
    asked = select(QuestionnaireItem.question_id).where(
        QuestionnaireItem.questionnaire_id.in_(list(questionnaire_ids))
    )
    return list(
        db.session.scalars(
            select(Question)
            .where(
                Question.id.in_(asked),
                Question.is_background.is_(True),
                Question.type.in_(BACKGROUND_TYPES),
            )
            .order_by(Question.id)
        )
    )


# -- breakdown by a background question ---------------------------------------------------


@dataclass(frozen=True)
class BreakdownResult:
    question: Any
    row_key: str | None  # the statement of a matrix
    groups: tuple[str, ...]  # background option keys, then NOT_STATED
    breakdown: results.Breakdown


def background_breakdowns(
    round_id: int, background, questions: Sequence[Any]
) -> list[BreakdownResult]:
    """Each question of a round split by the respondents' answer to ``background``.

    A LEFT self-join on the response puts those who skipped the background question
    (a NULL group) in a "not stated" group, so the groups cover every respondent and the total row
    is the round's own summary (same counts, same suppression).
    """
    usable = [
        q for q in questions if q.type in BREAKDOWN_TYPES and q.id != background.id
    ]
    if not usable:
        return []
    groups = (*option_keys(background), NOT_STATED)
    cells = _breakdown_cells(round_id, background.id, [q.id for q in usable])
    multiple = [q.id for q in usable if q.type is QuestionType.MULTIPLE]
    group_n = _breakdown_respondents(round_id, background.id, multiple)
    k = min_group()
    found = []
    for question in usable:
        row_keys = (
            [row["key"] for row in question.rows]
            if question.type is QuestionType.MATRIX
            else [None]
        )
        for row_key in row_keys:
            table = cells.get((question.id, row_key), {})
            breakdown = _breakdown(
                question, table, group_n.get(question.id, {}), groups, k
            )
            found.append(BreakdownResult(question, row_key, groups, breakdown))
    return found


def _breakdown_cells(
    round_id: int, background_id: int, question_ids: Sequence[int]
) -> dict[tuple[int, str | None], dict[str, dict[str, int]]]:
    group = aliased(Answer)
    rows = db.session.execute(
        select(
            Answer.question_id,
            Answer.row_key,
            group.option_key,
            Answer.option_key,
            func.count(),
        )
        .select_from(Answer)
        .outerjoin(
            group,
            and_(
                group.response_id == Answer.response_id,
                group.round_id == round_id,
                group.question_id == background_id,
            ),
        )
        .where(
            Answer.round_id == round_id,
            Answer.question_id.in_(question_ids),
            Answer.option_key.is_not(None),
        )
        .group_by(
            Answer.question_id,
            Answer.row_key,
            group.option_key,
            Answer.option_key,
        )
    )
    cells: dict[tuple[int, str | None], dict[str, dict[str, int]]] = {}
    for question_id, row_key, group_key, option_key, count in rows:
        table = cells.setdefault((question_id, row_key), {})
        table.setdefault(group_key or NOT_STATED, {})[option_key] = count
    return cells


def _breakdown_respondents(
    round_id: int, background_id: int, question_ids: Sequence[int]
) -> dict[int, dict[str, int]]:
    """Respondents per group for multiple choice (their options do not add up)."""
    if not question_ids:
        return {}
    group = aliased(Answer)
    key = group.option_key
    rows = db.session.execute(
        select(Answer.question_id, key, func.count(distinct(Answer.response_id)))
        .select_from(Answer)
        .outerjoin(
            group,
            and_(
                group.response_id == Answer.response_id,
                group.round_id == round_id,
                group.question_id == background_id,
            ),
        )
        .where(Answer.round_id == round_id, Answer.question_id.in_(question_ids))
        .group_by(Answer.question_id, key)
    )
    found: dict[int, dict[str, int]] = {}
    for question_id, group_key, n in rows:
        found.setdefault(question_id, {})[group_key or NOT_STATED] = n
    return found


def _breakdown(
    question,
    table: dict[str, dict[str, int]],
    respondents: dict[str, int],
    groups: Sequence[str],
    k: int,
) -> results.Breakdown:
    kind = question.type
    rows = {g: _known(question, table.get(g, {})) for g in groups}
    codes = None
    if kind in (QuestionType.AGREEMENT, QuestionType.MATRIX):
        # "Cannot say" is outside the shares, as in the question's own summary.
        rows = {
            g: {o: c for o, c in row.items() if o != CANNOT_SAY}
            for g, row in rows.items()
        }
        codes = results.AGREEMENT_CODES
    elif kind is QuestionType.RECOMMEND:
        rows = {g: results.band_counts(row) for g, row in rows.items()}
    multiple = kind is QuestionType.MULTIPLE
    keys = option_keys(question, {o for row in rows.values() for o in row})
    n = (
        {g: respondents.get(g, 0) for g in groups}
        if multiple
        else {g: sum(rows[g].values()) for g in groups}
    )
    return results.summarise_breakdown(
        rows, n, options=keys, multiple=multiple, codes=codes, k=k
    )


# -- anonymised response rows -----------------------------------------------------------


def response_rows(round_id: int, questions: Sequence[Any]):
    """One row per response in random order: channel, day, then one value per column.

    The answers are pivoted in SQL (one aggregate per column, grouped by response
    first and joined after: five times faster than grouping the join), so the export
    never loads answers one by one. Free text comes only in its published wording.
    """
    columns = [
        expression.label(f"c{index}")
        for index, expression in enumerate(
            expression for question in questions for _, expression in _pivot(question)
        )
    ]
    pivot = (
        select(Answer.response_id, *columns)
        .where(Answer.round_id == round_id)
        .group_by(Answer.response_id)
        .subquery()
    )
    query = (
        select(
            Response.channel,
            Response.submitted_on,
            *(pivot.c[column.name] for column in columns),
        )
        .outerjoin(pivot, pivot.c.response_id == Response.id)
        .where(Response.round_id == round_id)
        .order_by(func.random())
    )
    return db.session.execute(query).all()


def pivot_columns(question) -> list[str | None]:
    """The column keys of one question in a response row (matrix: one per row)."""
    return [key for key, _ in _pivot(question)]


def _pivot(question) -> list[tuple[str | None, Any]]:
    is_question = Answer.question_id == question.id
    kind = question.type
    if kind is QuestionType.MATRIX:
        return [
            (
                row["key"],
                func.max(
                    case(
                        (
                            and_(is_question, Answer.row_key == row["key"]),
                            Answer.option_key,
                        )
                    )
                ),
            )
            for row in question.rows
        ]
    if kind is QuestionType.MULTIPLE:
        value = func.aggregate_strings(case((is_question, Answer.option_key)), ";")
    elif kind is QuestionType.NUMBER:
        value = func.max(case((is_question, Answer.number)))
    elif kind is QuestionType.TEXT:
        published = and_(is_question, Answer.text_review == TextReview.PUBLISHED)
        value = func.max(case((published, Answer.text_published)))
    else:
        value = func.max(case((is_question, Answer.option_key)))
    return [(None, value)]
