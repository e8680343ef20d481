"""A panel's annual report, and the tables that results pages and the PDF share.

The report gathers a year's published rounds: response counts, the key questions
(agreement scale, 1-10 recommendation, matrix statements) round by round, and the
"what we will do" notes with their follow-ups. Every figure is a round's own summary
(never a year total: see :mod:`eraati.surveys.queries`). The PDF is drawn with fpdf2
from the same :class:`Document` that the printable page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from eraati.core.i18n import text_in_reader_language
from eraati.extensions import db
from eraati.panels.models import Panel
from eraati.surveys import labels, queries
from eraati.surveys.models import FollowUp, QuestionType, Round
from eraati.surveys.publishing import follow_ups

#: The earliest year a report can be asked for.
FIRST_YEAR = 2000
#: Question types that summarise a round in the report (their mean is trended).
KEY_TYPES = (QuestionType.AGREEMENT, QuestionType.RECOMMEND, QuestionType.MATRIX)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


# -- tables shared by pages and the PDF -------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    hidden: bool = False  # the text is the small-group marker
    span: int = 1


@dataclass(frozen=True)
class Row:
    header: str
    cells: tuple[Cell, ...]
    total: bool = False


@dataclass(frozen=True)
class Table:
    """A data table; ``chart`` (inline SVG) goes before it on pages, not in the PDF."""

    caption: str
    head: tuple[str, ...]
    rows: tuple[Row, ...]
    chart: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    language: str
    sections: tuple[Section, ...]


def tr(texts) -> str:
    """Official-written text in the reader's language."""
    return text_in_reader_language(texts)


def answer_labels(question) -> dict[str, str]:
    """Labels of a question's answer keys in the reader's language (1-10 by band)."""
    kind = question.type
    if kind in (QuestionType.AGREEMENT, QuestionType.MATRIX):
        found = labels.AGREEMENT
    elif kind is QuestionType.RECOMMEND:
        found = labels.RECOMMEND_BANDS
    elif kind is QuestionType.YES_NO:
        found = labels.YES_NO
    elif kind is QuestionType.SMILEY:
        found = labels.SMILEY
    else:
        found = {o["key"]: tr(o["label"]) or o["key"] for o in question.options}
    return {key: str(text) for key, text in found.items()}


def row_labels(question) -> dict[str, str]:
    """A matrix's statements in the reader's language."""
    return {row["key"]: tr(row["label"]) or row["key"] for row in question.rows}


# -- the report's content ---------------------------------------------------------------


@dataclass(frozen=True)
class RoundEntry:
    round: Round
    results: queries.RoundResults
    follow_ups: tuple[FollowUp, ...]


@dataclass(frozen=True)
class AnnualReport:
    panel: Panel
    year: int
    rounds: tuple[RoundEntry, ...]
    #: Key bank questions asked in the year, in the order first asked.
    key_questions: tuple[Any, ...]

    def result(self, entry: RoundEntry, question_id: int):
        return next(
            (r for r in entry.results.questions if r.question.id == question_id), None
        )


def panel_rounds(
    panel_id: int,
    *,
    published_only: bool = True,
    between: tuple | None = None,
) -> list[Round]:
    """A panel's rounds, oldest first."""
    query = (
        select(Round)
        .where(Round.panel_id == panel_id)
        .order_by(Round.opens_at, Round.id)
    )
    if published_only:
        query = query.where(Round.published_at.is_not(None))
    if between is not None:
        query = query.where(Round.opens_at >= between[0], Round.opens_at < between[1])
    return list(db.session.scalars(query))


def annual_report(panel: Panel, year: int, timezone: str) -> AnnualReport:
    """The published rounds of ``year`` (local time) with their results and notes."""
    rounds = panel_rounds(panel.id, between=queries.year_bounds(year, timezone))
    entries = tuple(
        RoundEntry(r, queries.round_results(r), tuple(follow_ups(r))) for r in rounds
    )
    key: dict[int, Any] = {}
    for entry in entries:
        for result in entry.results.questions:
            if result.question.type in KEY_TYPES:
                key.setdefault(result.question.id, result.question)
    return AnnualReport(panel, year, entries, tuple(key.values()))


# -- PDF -----------------------------------------------------------------------------------


def font_paths() -> dict[str, Path]:
    """The Unicode fonts the PDF needs (Finnish and Swedish letters, the NBSP)."""
    paths = {style: FONT_DIR / name for style, name in FONTS.items()}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise RuntimeError(
            f"PDF font missing: {', '.join(missing)}. "
            "Install it with: apt-get install fonts-dejavu-core"
        )
    return paths


def render_pdf(document: Document) -> bytes:
    """The document as an A4 PDF with real tables (charts stay on the page)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    for style, path in font_paths().items():
        pdf.add_font("DejaVu", style, str(path))
    pdf.set_title(document.title)
    pdf.set_lang(document.language)
    pdf.set_creator("eRaati")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    _heading(pdf, document.title, 18)
    _paragraph(pdf, document.subtitle)
    for section in document.sections:
        _heading(pdf, section.heading, 14)
        for paragraph in section.paragraphs:
            _paragraph(pdf, paragraph)
        for table in section.tables:
            _table(pdf, table)
    return bytes(pdf.output())


def _heading(pdf, text: str, size: int) -> None:
    pdf.set_font("DejaVu", "B", size)
    pdf.ln(2)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _paragraph(pdf, text: str) -> None:
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _table(pdf, table: Table) -> None:
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 5, table.caption, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8 if len(table.head) > 5 else 9)
    columns = len(table.head)
    widths = (2.2, *([1] * (columns - 1))) if columns > 2 else (2, 1)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5) as drawn:
        head = drawn.row()
        for title in table.head:
            head.cell(title)
        for row in table.rows:
            line = drawn.row()
            line.cell(row.header)
            for cell in row.cells:
                line.cell(cell.text, colspan=cell.span)
    for note in table.notes:
        _paragraph(pdf, note)
    pdf.ln(3)
