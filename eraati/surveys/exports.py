"""CSV and XLSX downloads: a round's published figures, and anonymised response rows.

The figures are the results page's own summaries, so both show the same numbers and
hide the same ones. Response rows carry no id (a random sequence number instead, in
a shuffled order), only the month of submission, only published free text, and
"hidden" in place of any background answer (or channel or month) that fewer than k
respondents share; a round with fewer than k responses has no row export at all.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from eraati.surveys import queries, results
from eraati.surveys.models import QuestionType, Round
from eraati.surveys.report import answer_labels, row_labels, tr

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Spreadsheets run a cell starting with these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportTable:
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]


# -- published figures ---------------------------------------------------------------


def aggregate_table(found: queries.RoundResults) -> ExportTable:
    """One row per question and option (statement and option for a matrix)."""
    header = (
        "question_key",
        _("Question"),
        "row_key",
        _("Statement"),
        "option_key",
        _("Answer"),
        "n",
        _("Count"),
        _("Percent"),
        _("Mean"),
        _("Median"),
        _("Smallest"),
        _("Largest"),
        _("Hidden (small group)"),
    )
    rows = [
        ("", _("Responses to the round"), "", "", "", "", found.responses)
        + (None,) * 6
        + (found.responses is None,)
    ]
    for result in found.questions:
        rows += _question_rows(result)
    return ExportTable(header, rows)


def _question_rows(result: queries.QuestionResult) -> list[tuple]:
    question = result.question
    lead = (question.key, tr(question.text))
    summary = result.summary
    if summary is None:
        return [(*lead, "", "", "", "", result.text_n, *[None] * 6, result.hidden)]
    if isinstance(summary, results.NumberSummary):
        figures = [summary.mean, summary.median, summary.minimum, summary.maximum]
        return [
            (*lead, "", "", "", "", summary.n, None, None)
            + tuple(_rounded(v, 2) for v in figures)
            + (result.hidden,)
        ]
    if isinstance(summary, results.MatrixSummary):
        statements = row_labels(question)
        return [
            row
            for r in summary.rows
            for row in _share_rows(
                question, (*lead, r.key, statements.get(r.key, r.key)), r.summary
            )
        ]
    return _share_rows(question, (*lead, "", ""), summary)


def _share_rows(question, lead: tuple, summary) -> list[tuple]:
    names = answer_labels(question)
    mean = _rounded(getattr(summary, "mean", None), 1)
    rows = [_share_row(lead, names, share, summary.n, mean) for share in summary.shares]
    cannot_say = getattr(summary, "cannot_say", None)
    if cannot_say is not None:
        rows.append(_share_row(lead, names, cannot_say, summary.n_total, None))
    return rows


def _share_row(lead, names, share: results.Share, n, mean) -> tuple:
    return (
        *lead,
        share.key,
        names.get(share.key, share.key),
        n,
        share.count,
        share.percent,
        mean,
        None,
        None,
        None,
        share.suppressed,
    )


def _rounded(value: float | None, decimals: int) -> float | None:
    """Rounded as on the page (half up), so the numbers match."""
    return None if value is None else results.round_half_up(value, decimals)


# -- anonymised response rows ------------------------------------------------------------


def response_table(round_: Round, found: queries.RoundResults) -> ExportTable | None:
    """One row per response, or None when the round is too small to export."""
    k = queries.min_group()
    total = queries.response_counts([round_.id])[round_.id]
    if total < k:
        return None
    hidden = str(_("hidden"))
    questions = [result.question for result in found.questions]
    columns = _columns(questions, found, hidden)
    fetched = queries.response_rows(round_.id, questions)
    months = [day.strftime("%Y-%m") for _, day, *_rest in fetched]
    channels = [row[0].value for row in fetched]
    channel_hidden = _small_values(Counter(channels), k)
    month_hidden = _small_values(Counter(months), k)
    rows = [
        (
            number,
            hidden if channel in channel_hidden else channel,
            hidden if month in month_hidden else month,
            *(column.value(v) for column, v in zip(columns, row[2:], strict=True)),
        )
        for number, (row, channel, month) in enumerate(
            zip(fetched, channels, months, strict=True), 1
        )
    ]
    header = (_("Response"), _("Channel"), _("Month"), *(c.title for c in columns))
    return ExportTable(header, rows)


@dataclass(frozen=True)
class _Column:
    title: str
    kind: QuestionType
    #: Stored key → what the file shows (a label, or "hidden" for a small group).
    shown: dict[str, str]

    def value(self, raw):
        """A stored value as the reader reads it."""
        if raw is None:
            return None
        if self.kind is QuestionType.NUMBER:
            return float(raw)
        if self.kind is QuestionType.RECOMMEND:
            return int(raw)
        if self.kind is QuestionType.TEXT:
            return raw
        if self.kind is QuestionType.MULTIPLE:
            order = {key: index for index, key in enumerate(self.shown)}
            keys = sorted(raw.split(";"), key=lambda key: order.get(key, len(order)))
            return "; ".join(self.shown.get(key, key) for key in keys)
        return self.shown.get(raw, raw)


def _columns(
    questions: Sequence[Any], found: queries.RoundResults, hidden: str
) -> list[_Column]:
    summaries = {result.question.id: result.summary for result in found.questions}
    columns = []
    for question in questions:
        shown = answer_labels(question)
        if question.is_background:
            small = _hidden_keys(summaries[question.id])
            shown = {
                key: hidden if key in small else text for key, text in shown.items()
            }
        for row_key in queries.pivot_columns(question):
            title = question.key if row_key is None else f"{question.key}/{row_key}"
            columns.append(_Column(title, question.type, shown))
    return columns


def _hidden_keys(summary) -> frozenset[str]:
    """Background answers hidden on the results page, hidden in the rows too."""
    shares = getattr(summary, "shares", ())
    return frozenset(share.key for share in shares if share.suppressed)


def _small_values(counts: Counter, k: int) -> frozenset[str]:
    """Values to hide: small ones plus the secondary ones the page would hide."""
    summary = results.summarise_single(counts, sum(counts.values()), k=k)
    return _hidden_keys(summary)


# -- files ------------------------------------------------------------------------------


def download(table: ExportTable, fmt: str, basename: str):
    """The table as a CSV (UTF-8 with BOM, for Excel) or an XLSX attachment."""
    data = _csv(table) if fmt == "csv" else _xlsx(table)
    return current_app.response_class(
        data,
        mimetype=MIMETYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{basename}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


def _safe(value):
    """Booleans as words, and text that a spreadsheet would run made inert."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(table: ExportTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_safe(str(title)) for title in table.header])
    writer.writerows(
        ["" if value is None else _safe(value) for value in row] for row in table.rows
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(table: ExportTable) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([_safe(str(title)) for title in table.header])
    for row in table.rows:
        sheet.append([v if isinstance(v, bool) else _safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
