"""The yearly implementation report of a participatory budgeting process.

Every funded project with its area, cost, implementation status now and its whole
history (dates and notes, so the reasons for delays and cancellations too), the
projects the council dropped, and totals per area. The printable page and the PDF
draw the same :class:`~eraati.surveys.report.Document` (the survey report's layout
and its DejaVu fonts); the CSV is :func:`eraati.budgeting.exports.report_table`.

There is no column for what a project actually cost, so the totals count the cost
approved in the vote: "completed" is the approved cost of the projects done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from eraati.budgeting import queries
from eraati.budgeting.council import find_decision
from eraati.budgeting.manage_labels import IMPLEMENTATION_LABELS
from eraati.budgeting.models import (
    Area,
    CouncilDecision,
    ImplementationStatus,
    Process,
    Project,
    ProjectStatus,
    ProjectUpdate,
)
from eraati.core.i18n import current_language, format_money
from eraati.core.i18n import text_in_reader_language as tr
from eraati.core.time import local
from eraati.extensions import db
from eraati.surveys.report import Cell, Document, Row, Section, Table

#: Statuses whose reason the report lists apart.
EXPLAINED = (ImplementationStatus.DELAYED, ImplementationStatus.CANCELLED)


@dataclass(frozen=True)
class FundedProject:
    project: Project
    history: tuple[ProjectUpdate, ...]  #: oldest first

    @property
    def latest(self) -> ProjectUpdate | None:
        return self.history[-1] if self.history else None

    @property
    def status(self) -> ImplementationStatus | None:
        return self.latest.status if self.latest else None


@dataclass(frozen=True)
class AreaTotals:
    area: Area
    funded: Decimal
    completed: Decimal
    cancelled: Decimal


@dataclass(frozen=True)
class ImplementationReport:
    process: Process
    decision: CouncilDecision | None
    projects: tuple[FundedProject, ...]
    dropped: tuple[Project, ...]
    totals: tuple[AreaTotals, ...]


def implementation_report(process: Process) -> ImplementationReport:
    funded = queries.funded_projects(process)
    histories = queries.histories(funded)
    projects = tuple(FundedProject(p, tuple(histories[p.id])) for p in funded)
    dropped = db.session.scalars(
        select(Project)
        .where(
            Project.process_id == process.id,
            Project.status == ProjectStatus.DROPPED,
        )
        .order_by(Project.area_id, Project.id)
    ).all()
    return ImplementationReport(
        process,
        find_decision(process),
        projects,
        tuple(dropped),
        tuple(_totals(area, projects) for area in process.areas),
    )


def _totals(area: Area, projects: tuple[FundedProject, ...]) -> AreaTotals:
    mine = [p for p in projects if p.project.area_id == area.id]

    def cost(status: ImplementationStatus | None = None) -> Decimal:
        return sum(
            (p.project.cost for p in mine if status is None or p.status is status),
            Decimal(0),
        )

    return AreaTotals(
        area,
        cost(),
        cost(ImplementationStatus.DONE),
        cost(ImplementationStatus.CANCELLED),
    )


def local_day(when: datetime) -> str:
    return format_date(local(when, current_app.config["TIMEZONE"]).date())


# -- the document -----------------------------------------------------------------------


def report_document(report: ImplementationReport) -> Document:
    process = report.process
    title = _(
        "%(process)s %(year)s: implementation report",
        process=tr(process.title),
        year=process.year,
    )
    subtitle = _(
        "What became of the projects that residents chose. Costs are the costs approved in the vote."
    )
    sections = [_totals_section(report)]
    for area in process.areas:
        mine = [p for p in report.projects if p.project.area_id == area.id]
        if mine:
            sections.append(_area_section(area, mine))
    if report.dropped:
        sections.append(_dropped_section(report.dropped))
    return Document(title, subtitle, current_language(), tuple(sections))


def _status_text(entry: FundedProject) -> str:
    if entry.status is None:
        return _("Not started")
    return str(IMPLEMENTATION_LABELS[entry.status])


def _totals_section(report: ImplementationReport) -> Section:
    paragraphs = []
    decision = report.decision
    if decision is not None and decision.locked_at is not None:
        paragraphs.append(
            _("The council decided on %(date)s.", date=local_day(decision.locked_at))
        )
        if decision.rejected_whole:
            paragraphs.append(
                _(
                    "The council rejected the whole proposal: %(reason)s",
                    reason=decision.note or "",
                )
            )
    if not report.projects:
        paragraphs.append(_("No projects have been funded yet."))
    rows = [
        Row(
            tr(t.area.name),
            (
                Cell(format_money(t.area.budget)),
                Cell(format_money(t.funded)),
                Cell(format_money(t.completed)),
                Cell(format_money(t.cancelled)),
            ),
        )
        for t in report.totals
    ]
    if len(rows) > 1:
        budget = sum((t.area.budget for t in report.totals), Decimal(0))
        sums = [
            sum((getattr(t, name) for t in report.totals), Decimal(0))
            for name in ("funded", "completed", "cancelled")
        ]
        cells = (Cell(format_money(budget)), *(Cell(format_money(v)) for v in sums))
        rows.append(Row(_("All areas"), cells, total=True))
    head = (_("Area"), _("Budget"), _("Funded"), _("Completed"), _("Cancelled"))
    table = Table(_("Money by area"), head, tuple(rows))
    return Section(_("Totals"), tuple(paragraphs), (table,))


def _area_section(area: Area, entries: list[FundedProject]) -> Section:
    projects = Table(
        _("Funded projects in %(area)s", area=tr(area.name)),
        (_("Project"), _("Cost"), _("Status now"), _("Updated")),
        tuple(
            Row(
                tr(e.project.title),
                (
                    Cell(format_money(e.project.cost)),
                    Cell(_status_text(e)),
                    Cell(local_day(e.latest.created_at) if e.latest else "–"),
                ),
            )
            for e in entries
        ),
    )
    history = Table(
        _("History of the projects in %(area)s", area=tr(area.name)),
        (_("Project"), _("Date"), _("Status"), _("Note")),
        tuple(
            Row(
                tr(e.project.title),
                (
                    Cell(local_day(update.created_at)),
                    Cell(str(IMPLEMENTATION_LABELS[update.status])),
                    Cell(update.note or ""),
                ),
            )
            for e in entries
            for update in e.history
        ),
    )
    explained = [e for e in entries if e.status in EXPLAINED]
    paragraphs = tuple(
        f"{tr(e.project.title)} – {_status_text(e)}: {e.latest.note or '–'}"
        for e in explained
    )
    if paragraphs:
        paragraphs = (
            _("Delayed and cancelled projects, with the reasons:"),
            *paragraphs,
        )
    tables = (projects, history) if history.rows else (projects,)
    return Section(tr(area.name), paragraphs, tables)


def _dropped_section(dropped: tuple[Project, ...]) -> Section:
    paragraphs = tuple(
        f"{tr(p.title)} ({format_money(p.cost)}): {p.status_reason or '–'}"
        for p in dropped
    )
    return Section(_("Dropped by the council"), paragraphs)
