"""Results pages: a round's results, a bank question across units and rounds, a
panel's results by year, the annual report (page and PDF) and the downloads.

Published rounds are public; officials also see unpublished ones, under a banner.
Figures come from :mod:`eraati.surveys.queries`; the helpers here lay them out as
:class:`~eraati.surveys.report.Table` objects in the reader's language, each with
its inline SVG chart, so pages and the PDF show exactly the same numbers.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from eraati.accounts.models import Role
from eraati.core.i18n import current_language
from eraati.core.security import role_required
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Panel, Unit
from eraati.surveys import api, charts, exports, labels, queries, report
from eraati.surveys.logic import AGREEMENT_KEYS, CANNOT_SAY
from eraati.surveys.models import Question, QuestionType, Round
from eraati.surveys.publishing import follow_ups
from eraati.surveys.report import (
    Cell,
    Row,
    Section,
    Table,
    answer_labels,
    row_labels,
    tr,
)
from eraati.surveys.results import (
    AgreementSummary,
    ChoiceKind,
    MatrixSummary,
    NumberSummary,
    RecommendationSummary,
    mean_trend,
    round_half_up,
    share_trend,
)

bp = Blueprint("surveys_results", __name__)
bp.register_blueprint(api.bp)

#: Free-text answers listed per question on a page (the exports carry them all).
TEXT_LIMIT = 200
FORMATS = ("csv", "xlsx")
#: Low, middle, high: orange to blue like the agreement scale, white text on each.
BAND_COLOURS = ("#8c2d04", "#4a4a4a", "#083a69")
MEAN_TYPES = (QuestionType.AGREEMENT, QuestionType.MATRIX, QuestionType.RECOMMEND)


# -- access ---------------------------------------------------------------------------


def is_official() -> bool:
    return current_user.is_authenticated and current_user.has_role(Role.OFFICIAL)


def visible_round(round_id: int) -> Round:
    """The round if it is published or the reader is an official; else 404."""
    round_ = db.session.get(Round, round_id)
    if round_ is None or (round_.published_at is None and not is_official()):
        abort(404, _("There are no published results at this address."))
    return round_


def _panel(panel_id: int) -> Panel:
    panel = db.session.get(Panel, panel_id)
    if panel is None or panel.is_archived:
        abort(404)
    return panel


def _choice(name: str, allowed: dict, default=None):
    """A query parameter that must be one of ``allowed``'s keys; else 400."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if raw not in allowed:
        abort(400, _("That choice is not available. Choose one from the list."))
    return allowed[raw]


# -- figures in the reader's language ------------------------------------------------------


def marker() -> str:
    """The one marker of every hidden value (also those hidden to protect others)."""
    return _("hidden (small group)")


def pct(value: int | None) -> str:
    return "–" if value is None else format_percent(Decimal(value) / 100)


def num(value) -> str:
    return format_decimal(value)


def mean_text(value: float) -> str:
    # Rounded half up first: babel alone would round 7.85 to 7.8.
    return format_decimal(Decimal(repr(round_half_up(value, 1))), format="#,##0.0")


def value_text(value: float) -> str:
    return format_decimal(Decimal(repr(round_half_up(value, 2))))


def compact(share) -> str:
    return f"{pct(share.percent)} ({num(share.count)})"


def hidden_cell(span: int = 1) -> Cell:
    return Cell(marker(), hidden=True, span=span)


def count_cell(n: int | None, span: int = 1) -> Cell:
    return hidden_cell(span) if n is None else Cell(num(n), span=span)


def mean_cell(mean: float | None, n: int | None, span: int = 1) -> Cell:
    if mean is not None:
        return Cell(mean_text(mean), span=span)
    return Cell("–", span=span) if n == 0 else hidden_cell(span)


def share_cells(share) -> tuple[Cell, ...]:
    if share.suppressed:
        return (hidden_cell(2),)
    return (Cell(pct(share.percent)), Cell(num(share.count)))


def share_cell(share) -> Cell:
    return hidden_cell() if share.suppressed else Cell(compact(share))


def round_title(round_: Round) -> str:
    return tr(round_.title) or tr(round_.questionnaire.title)


def round_month(round_: Round) -> str:
    return format_date(round_.opens_at, "LLLL y")


# -- one summary as table columns --------------------------------------------------------


class Columns:
    """How a question's summaries fill a row: shares, n, mean (or number figures)."""

    def __init__(self, question):
        self.question = question
        self.kind = question.type
        self.labels = answer_labels(question)
        keys = queries.option_keys(question)
        if self.kind in (QuestionType.AGREEMENT, QuestionType.MATRIX):
            keys = AGREEMENT_KEYS + ((CANNOT_SAY,) if question.allow_cannot_say else ())
        self.keys = keys
        self.with_mean = self.kind in MEAN_TYPES

    def head(self) -> tuple[str, ...]:
        if self.kind is QuestionType.NUMBER:
            return (_("Respondents (n)"), _("Mean"), _("Median"))
        means = (_("Mean"),) if self.with_mean else ()
        return (*(self.labels[k] for k in self.keys), _("Respondents (n)"), *means)

    def cells(self, summary) -> tuple[Cell, ...]:
        width = len(self.head())
        if summary is None or getattr(summary, "suppressed", False):
            return (hidden_cell(width),)
        if isinstance(summary, NumberSummary):
            median = "–" if summary.median is None else value_text(summary.median)
            return (
                count_cell(summary.n),
                mean_cell(summary.mean, summary.n),
                Cell(median),
            )
        shares = [*summary.shares]
        if getattr(summary, "cannot_say", None) is not None:
            shares.append(summary.cannot_say)
        cells = [share_cell(s) for s in shares]
        cells.append(count_cell(summary.n))
        if self.with_mean:
            cells.append(mean_cell(summary.mean, summary.n))
        return tuple(cells)


def pick(result, row_key: str | None):
    """A matrix statement's summary, or the question's own."""
    summary = result.summary if result is not None else None
    if isinstance(summary, MatrixSummary):
        return next((r.summary for r in summary.rows if r.key == row_key), None)
    return summary


# -- a question on a round page -------------------------------------------------------------


def question_display(result, splits=()) -> dict:
    """Everything a round page shows for one question: chart, table, texts, notes."""
    question = result.question
    text = tr(question.text)
    summary = result.summary
    table = _summary_table(question, text, summary) if summary is not None else None
    return {
        "id": question.id,
        "text": text,
        "type": question.type.value,
        "table": table,
        "texts": result.texts,
        "text_count": result.text_n,
        "text_n": None if result.text_n is None else num(result.text_n),
        "hidden": result.hidden,
        "splits": tuple(splits),
    }


def _summary_table(question, text: str, summary) -> Table:
    chart_id = f"q{question.id}-chart"
    names = answer_labels(question)
    if isinstance(summary, MatrixSummary):
        return _matrix_table(question, text, summary, chart_id)
    if isinstance(summary, NumberSummary):
        return _number_table(text, summary)
    if isinstance(summary, AgreementSummary):
        return _agreement_table(text, summary, names, chart_id)
    rows = [*_share_rows(summary.shares, names), _n_row(summary.n)]
    notes = _rounding_notes(summary.shares)
    if isinstance(summary, RecommendationSummary):
        rows.append(
            Row(_("Mean rating (1-10)"), (mean_cell(summary.mean, summary.n, 2),))
        )
    elif summary.kind is ChoiceKind.MULTIPLE:
        notes = (
            _(
                "Respondents could choose several options, so the shares can add up to more than %(full)s.",
                full=pct(100),
            ),
        )
    chart = _bars(chart_id, text, summary, names)
    return _table(text, _share_head(), rows, chart, notes)


def _table(caption, head, rows, chart=None, notes=()) -> Table:
    return Table(caption, tuple(head), tuple(rows), chart, tuple(notes))


def _share_head() -> tuple[str, ...]:
    return (_("Answer"), _("Share"), _("Respondents"))


def _share_rows(shares, names) -> list[Row]:
    return [Row(names.get(s.key, s.key), share_cells(s)) for s in shares]


def _n_row(n: int | None, label: str | None = None) -> Row:
    return Row(label or _("Respondents who answered (n)"), (count_cell(n, 2),), True)


def _rounding_notes(shares) -> tuple[str, ...]:
    """A note when the shown shares, each rounded alone, do not make 100 %."""
    if any(s.suppressed or s.percent is None for s in shares):
        return ()
    total = sum(s.percent for s in shares)
    if not shares or total == 100:
        return ()
    return (
        _(
            "Each share is rounded to a whole percent on its own, so together they make %(total)s.",
            total=pct(total),
        ),
    )


def _agreement_table(text, summary: AgreementSummary, names, chart_id) -> Table:
    rows = [*_share_rows(summary.shares, names)]
    rows.append(_n_row(summary.n, _("Respondents on the scale (n)")))
    notes = list(_rounding_notes(summary.shares))
    if summary.cannot_say is not None:
        rows.append(Row(names[CANNOT_SAY], share_cells(summary.cannot_say)))
        rows.append(_n_row(summary.n_total, _("All who answered, with “cannot say”")))
        notes.append(
            _(
                "The shares are of the answers on the scale; “cannot say” is shown apart."
            )
        )
    rows.append(
        Row(
            _("Mean (1 = disagree, 4 = agree)"),
            (mean_cell(summary.mean, summary.n, 2),),
        )
    )
    chart = _stacked(chart_id, text, [(_("All who answered"), summary)])
    return _table(text, _share_head(), rows, chart, notes)


def _number_table(text, summary: NumberSummary) -> Table:
    def figure(value):
        if value is None:
            return Cell("–") if summary.n == 0 else hidden_cell()
        return Cell(value_text(value))

    rows = [
        Row(_("Respondents who answered (n)"), (count_cell(summary.n),)),
        Row(_("Mean"), (figure(summary.mean),)),
        Row(_("Median"), (figure(summary.median),)),
        Row(_("Smallest"), (figure(summary.minimum),)),
        Row(_("Largest"), (figure(summary.maximum),)),
    ]
    return _table(text, (_("Figure"), _("Value")), rows)


def _matrix_table(question, text, summary: MatrixSummary, chart_id) -> Table:
    columns = Columns(question)
    statements = row_labels(question)
    rows = [
        Row(statements.get(r.key, r.key), columns.cells(r.summary))
        for r in summary.rows
    ]
    notes = next(
        (n for r in summary.rows if (n := _rounding_notes(r.summary.shares))), ()
    )
    chart = _stacked(
        chart_id,
        text,
        [(statements.get(r.key, r.key), r.summary) for r in summary.rows],
    )
    return _table(text, (_("Statement"), *columns.head()), rows, chart, notes)


# -- charts ---------------------------------------------------------------------------------


def _answered(summary) -> bool:
    """Nobody answered: the table says "–"; a chart would draw hidden markers."""
    return summary is not None and summary.n != 0


def _bars(chart_id, title, summary, names) -> Markup | None:
    if not _answered(summary):
        return None
    bars = charts.bars_from_shares(summary.shares, names, compact)
    return Markup(
        charts.bar_chart(
            bars,
            chart_id=chart_id,
            title=title,
            description=_("A bar chart of the figures in the table below."),
            hidden_label=marker(),
        )
    )


def _stacked(
    chart_id, title, rows, legend_keys=AGREEMENT_KEYS, colours=None
) -> Markup | None:
    """Stacked 100 % bars, one per (label, summary) with shares in ``legend_keys``."""
    names = {**labels.AGREEMENT, **labels.RECOMMEND_BANDS}
    stacks = [
        charts.stacked_row(
            label,
            [s for s in summary.shares if s.key in legend_keys],
            lambda s: pct(s.percent),
        )
        for label, summary in rows
        if _answered(summary)
    ]
    if not stacks:
        return None
    return Markup(
        charts.stacked_bar_chart(
            stacks,
            legend=[str(names[key]) for key in legend_keys],
            chart_id=chart_id,
            title=title,
            description=_("A stacked bar chart of the shares in the table below."),
            hidden_label=marker(),
            colours=colours or charts.AGREEMENT_COLOURS,
        )
    )


def _line(chart_id, title, marks, y_range, ticks) -> Markup:
    return Markup(
        charts.line_chart(
            marks,
            chart_id=chart_id,
            title=title,
            description=_("A line chart of the figures in the table below."),
            hidden_label=marker(),
            y_range=y_range,
            y_ticks=ticks,
        )
    )


# -- breakdowns, side by side, trends ------------------------------------------------------


def breakdown_table(split: queries.BreakdownResult, background) -> Table:
    """A question (or statement) split by the groups of a background question."""
    question = split.question
    columns = Columns(question)
    columns.keys = [s.key for s in split.breakdown.total.shares]
    groups = {**answer_labels(background), queries.NOT_STATED: _("Not stated")}
    width = len(columns.head())
    rows = [
        Row(groups.get(r.group, r.group), _breakdown_cells(r, columns, width))
        for r in split.breakdown.rows
    ]
    total = split.breakdown.total
    rows.append(
        Row(_("All respondents"), _breakdown_cells(total, columns, width), True)
    )
    what = tr(question.text)
    if split.row_key is not None:
        what = f"{what}: {row_labels(question).get(split.row_key, split.row_key)}"
    caption = _(
        "%(question)s, by %(background)s", question=what, background=tr(background.text)
    )
    return _table(caption, (tr(background.text), *columns.head()), rows)


def _breakdown_cells(row, columns: Columns, width: int) -> tuple[Cell, ...]:
    if row.suppressed:
        return (hidden_cell(width),)
    cells = [share_cell(s) for s in row.shares]
    cells.append(count_cell(row.n))
    if columns.with_mean:
        cells.append(mean_cell(row.mean, row.n))
    return tuple(cells)


class Comparison:
    """A bank question's rounds laid out side by side (units) and in time (trend)."""

    def __init__(self, question, row_key, option, found, units):
        self.question = question
        self.row_key = row_key
        self.option = option
        self.found = found
        self.units = {unit.id: tr(unit.name) for unit in units}
        self.columns = Columns(question)
        self.text = tr(question.text)
        if row_key is not None:
            self.text = f"{self.text}: {row_labels(question).get(row_key, row_key)}"

    def summary(self, round_: Round):
        return pick(self.found.get((round_.id, self.question.id)), self.row_key)

    def side_by_side(self, rounds: list[Round]) -> Table | None:
        """Each unit's chosen round as its own summary (no totals across rounds)."""
        if not rounds or self.question.type is QuestionType.TEXT:
            return None
        labelled = [
            (f"{self.units.get(r.unit_id, '')}, {round_month(r)}", self.summary(r))
            for r in rounds
        ]
        rows = [Row(label, self.columns.cells(s)) for label, s in labelled]
        head = (_("Unit and round"), *self.columns.head())
        caption = _("%(question)s: units side by side", question=self.text)
        return _table(caption, head, rows, self._stacks(labelled))

    def splits(self, rounds: list[Round], background) -> list[Table]:
        """Each unit's round split by a background question it asked."""
        if background is None or self.question.type not in queries.BREAKDOWN_TYPES:
            return []
        tables = []
        for round_ in rounds:
            asked = queries.background_questions([round_.questionnaire_id])
            if background not in asked:
                continue
            for split in queries.background_breakdowns(
                round_.id, background, [self.question]
            ):
                if split.row_key == self.row_key:
                    table = breakdown_table(split, background)
                    where = (
                        f"{self.units.get(round_.unit_id, '')}, {round_month(round_)}"
                    )
                    tables.append(replace(table, caption=f"{table.caption}: {where}"))
        return tables

    def _stacks(self, labelled) -> Markup | None:
        kind = self.question.type
        if kind in (QuestionType.AGREEMENT, QuestionType.MATRIX):
            return _stacked("units-chart", self.text, labelled)
        if kind is QuestionType.RECOMMEND:
            return _stacked(
                "units-chart",
                self.text,
                labelled,
                ("low", "middle", "high"),
                BAND_COLOURS,
            )
        return None

    def trend(self, rounds: list[Round], chart_id: str = "trend-chart") -> Table | None:
        """The question round by round; the chart follows the mean or one option."""
        if not rounds or self.question.type is QuestionType.TEXT:
            return None
        summaries = [self.summary(r) for r in rounds]
        rows = [
            Row(round_month(r), self.columns.cells(s))
            for r, s in zip(rounds, summaries, strict=True)
        ]
        head = (_("Round"), *self.columns.head())
        caption = _("%(question)s: round by round", question=self.text)
        # Short month names on the axis: long ones would overlap there.
        marks = [
            (format_date(r.opens_at, "LLL y"), s)
            for r, s in zip(rounds, summaries, strict=True)
        ]
        return _table(caption, head, rows, self._trend_chart(marks, chart_id))

    def _trend_chart(self, labelled, chart_id: str) -> Markup | None:
        if any(summary is None for _, summary in labelled):
            return None
        kind = self.question.type
        if kind in (*MEAN_TYPES, QuestionType.NUMBER):
            points = mean_trend(labelled)
            y_range, ticks = _mean_axis(kind, points)
            marks = charts.marks_from_trend(points, lambda p: mean_text(p.value))
            title = _("%(question)s: mean", question=self.text)
            return _line(chart_id, title, marks, y_range, ticks)
        key = self.option or self.columns.keys[0]
        points = share_trend(labelled, key)
        marks = charts.marks_from_trend(points, lambda p: pct(int(p.value)))
        title = f"{self.text}: {self.columns.labels.get(key, key)}"
        ticks = [(v, pct(v)) for v in (0, 50, 100)]
        return _line(chart_id, title, marks, (0, 100), ticks)


def _mean_axis(kind, points):
    if kind in (QuestionType.AGREEMENT, QuestionType.MATRIX):
        return (1, 4), [(v, num(v)) for v in (1, 2, 3, 4)]
    if kind is QuestionType.RECOMMEND:
        return (1, 10), [(v, num(v)) for v in (1, 4, 8, 10)]
    values = [p.value for p in points if p.value is not None] or [0.0]
    low, high = min(values), max(values)
    high = high if high > low else low + 1
    return (low, high), [(low, value_text(low)), (high, value_text(high))]


# -- the annual report ---------------------------------------------------------------------


def report_document(content: report.AnnualReport) -> report.Document:
    """The annual report laid out: rounds, key results round by round, actions."""
    panel = content.panel
    title = _(
        "%(panel)s: annual report %(year)s", panel=tr(panel.name), year=content.year
    )
    subtitle = _(
        "Results of the panel's questionnaires in %(year)s. Only published rounds are included.",
        year=content.year,
    )
    sections = [_rounds_section(content)]
    if content.rounds:
        sections.append(_key_results_section(content))
        sections.append(_actions_section(content))
    return report.Document(title, subtitle, current_language(), tuple(sections))


def _rounds_section(content) -> Section:
    rows = [
        Row(
            f"{round_title(e.round)}, {round_month(e.round)}",
            (count_cell(e.results.responses),),
        )
        for e in content.rounds
    ]
    counts = [e.results.responses for e in content.rounds]
    if counts and None not in counts:
        rows.append(Row(_("All rounds"), (Cell(num(sum(counts))),), True))
    paragraphs = () if rows else (_("No results were published this year."),)
    table = _table(_("Responses per round"), (_("Round"), _("Responses")), rows)
    return Section(_("Rounds"), paragraphs, (table,) if rows else ())


def _key_results_section(content) -> Section:
    tables = []
    for question in content.key_questions:
        asked = [e for e in content.rounds if content.result(e, question.id)]
        found = {
            (e.round.id, question.id): content.result(e, question.id) for e in asked
        }
        row_keys = [r["key"] for r in question.rows] or [None]
        for row_key in row_keys:
            comparison = Comparison(question, row_key, None, found, [])
            # One chart id per table: several charts share the page.
            chart_id = f"key-{question.id}-{row_key or 0}"
            tables.append(comparison.trend([e.round for e in asked], chart_id))
    return Section(_("Key results"), (), tuple(tables))


def _actions_section(content) -> Section:
    paragraphs = []
    for entry in content.rounds:
        note = tr(entry.round.publication_note)
        if note:
            paragraphs.append(
                f"{round_title(entry.round)}, {round_month(entry.round)}: {note}"
            )
        for follow_up in entry.follow_ups:
            paragraphs.append(
                f"{format_date(follow_up.created_at)}: {tr(follow_up.note)}"
            )
    if not paragraphs:
        paragraphs.append(_("No actions were recorded this year."))
    return Section(_("What we will do and what we did"), tuple(paragraphs))


# -- routes: a round ------------------------------------------------------------------------


@bp.get("/results/rounds/<int:round_id>", endpoint="round")
def round_page(round_id: int):
    """A round's results question by question, optionally split by a background."""
    round_ = visible_round(round_id)
    found = queries.round_results(round_, text_limit=TEXT_LIMIT)
    backgrounds = queries.background_questions([round_.questionnaire_id])
    background = _choice("by", {str(q.id): q for q in backgrounds})
    splits: dict[int, list[Table]] = {}
    if background is not None:
        questions = [result.question for result in found.questions]
        for split in queries.background_breakdowns(round_.id, background, questions):
            splits.setdefault(split.question.id, []).append(
                breakdown_table(split, background)
            )
    return render_template(
        "surveys/results/round.html",
        round=round_,
        panel=db.session.get(Panel, round_.panel_id) if round_.panel_id else None,
        unit=db.session.get(Unit, round_.unit_id),
        title=round_title(round_),
        results=found,
        questions=[
            question_display(r, splits.get(r.question.id, ())) for r in found.questions
        ],
        follow_ups=follow_ups(round_),
        backgrounds=backgrounds,
        background=background,
        official=is_official(),
        k=queries.min_group(),
    )


@bp.get("/results/rounds/<int:round_id>/aggregates.<fmt>")
def aggregates(round_id: int, fmt: str):
    """A round's published figures as CSV or XLSX (the same as on its page)."""
    round_ = visible_round(round_id)
    _check_format(fmt)
    table = exports.aggregate_table(queries.round_results(round_))
    return exports.download(table, fmt, f"round-{round_.id}-results")


@bp.get("/results/rounds/<int:round_id>/responses.<fmt>")
@role_required(Role.OFFICIAL)
def responses(round_id: int, fmt: str):
    """Anonymised response rows, for officials (suppression applied)."""
    round_ = db.session.get(Round, round_id) or abort(404)
    _check_format(fmt)
    table = exports.response_table(round_, queries.round_results(round_))
    if table is None:
        abort(
            404,
            _(
                "This round has fewer than %(k)s responses, so its answers cannot be downloaded.",
                k=queries.min_group(),
            ),
        )
    return exports.download(table, fmt, f"round-{round_.id}-responses")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        abort(400, _("Downloads are available as CSV and XLSX."))


# -- routes: a bank question ----------------------------------------------------------------


@bp.get("/results/questions/<int:question_id>", endpoint="question")
def question_page(question_id: int):
    """A bank question across units (side by side) and across rounds (a trend)."""
    question = db.session.get(Question, question_id) or abort(404)
    rounds = queries.rounds_with_question(question_id, published_only=not is_official())
    chosen = _comparison_choices(question, rounds)
    latest, in_unit = chosen["latest"], chosen["in_unit"]
    found = queries.question_results(
        sorted({r.id for r in (*latest, *in_unit)}), [question]
    )
    comparison = Comparison(
        question, chosen["row_key"], chosen["option"], found, chosen["units"]
    )
    return render_template(
        "surveys/results/question.html",
        question=question,
        text=tr(question.text),
        rows=row_labels(question),
        options=Columns(question).labels,
        side_by_side=comparison.side_by_side(latest),
        trend=comparison.trend(in_unit),
        splits=comparison.splits(latest, chosen["background"]),
        has_rounds=bool(rounds),
        official=is_official(),
        k=queries.min_group(),
        **chosen,
    )


def _comparison_choices(question, rounds: list[Round]) -> dict:
    """The reader's choices on a comparison page, checked against what exists."""
    years = sorted({_year(r) for r in rounds}, reverse=True)
    year = _choice("year", {str(y): y for y in years})
    row_key = _choice("row", {r["key"]: r["key"] for r in question.rows})
    units = _units(rounds)
    unit = _choice("unit", {str(u.id): u for u in units}, units[0] if units else None)
    latest = queries.latest_per_unit([r for r in rounds if year in (None, _year(r))])
    backgrounds = queries.background_questions({r.questionnaire_id for r in latest})
    return {
        "years": years,
        "year": year,
        "row_key": row_key or (question.rows[0]["key"] if question.rows else None),
        "option": _choice("option", {k: k for k in queries.option_keys(question)}),
        "units": units,
        "unit": unit,
        "latest": latest,
        "in_unit": [r for r in rounds if unit is not None and r.unit_id == unit.id],
        "backgrounds": backgrounds,
        "background": _choice("by", {str(q.id): q for q in backgrounds}),
    }


def _year(round_: Round) -> int:
    return queries.local_year(round_.opens_at, current_app.config["TIMEZONE"])


def _units(rounds: list[Round]) -> list[Unit]:
    ids = sorted({r.unit_id for r in rounds})
    if not ids:
        return []
    units = db.session.scalars(select(Unit).where(Unit.id.in_(ids))).all()
    return sorted(units, key=lambda u: tr(u.name).casefold())


# -- routes: a panel and its annual report --------------------------------------------------


@bp.get("/results/panels/<int:panel_id>", endpoint="panel")
def panel_page(panel_id: int):
    """A panel's published rounds by year, with links to the annual reports."""
    panel = _panel(panel_id)
    rounds = report.panel_rounds(panel.id, published_only=not is_official())
    by_year: dict[int, list[Round]] = {}
    for round_ in reversed(rounds):
        by_year.setdefault(_year(round_), []).append(round_)
    return render_template(
        "surveys/results/panel.html",
        panel=panel,
        by_year=by_year,
        round_title=round_title,
        round_month=round_month,
        official=is_official(),
    )


@bp.get("/results/panels/<int:panel_id>/report/<int:year>", endpoint="report")
def annual_report(panel_id: int, year: int):
    """The panel's annual report as a printable page."""
    content = _report(panel_id, year)
    return render_template(
        "surveys/results/report.html",
        panel=content.panel,
        year=year,
        document=report_document(content),
        k=queries.min_group(),
    )


@bp.get("/results/panels/<int:panel_id>/report/<int:year>.pdf", endpoint="report_pdf")
def annual_report_pdf(panel_id: int, year: int):
    """The annual report as a PDF in the reader's language."""
    data = report.render_pdf(report_document(_report(panel_id, year)))
    return current_app.response_class(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": (
                f'attachment; filename="annual-report-{panel_id}-{year}.pdf"'
            )
        },
    )


def _report(panel_id: int, year: int) -> report.AnnualReport:
    panel = _panel(panel_id)
    timezone = current_app.config["TIMEZONE"]
    if not report.FIRST_YEAR <= year <= queries.local_year(utcnow(), timezone):
        abort(404, _("There is no annual report for that year."))
    return report.annual_report(panel, year, timezone)
