"""CSV and XLSX downloads of a participatory budgeting process.

The projects file has one row per project on the ballot: its area, cost, votes, the
outcomes, the council's decision and how far its implementation has got. The
implementation report's file has one row per update of every funded project. The
files are written by :func:`eraati.surveys.exports.download` (UTF-8 with BOM for
Excel, formula-like text made inert). The ballots themselves are exported in the
Pabulib format by ``eraati pb export`` (:mod:`eraati.budgeting.interop`).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from eraati.budgeting import queries
from eraati.budgeting.manage_labels import IMPLEMENTATION_LABELS, STATUS_LABELS
from eraati.budgeting.models import Process, ProjectStatus
from eraati.budgeting.report import ImplementationReport
from eraati.budgeting.results import exact_money, percent
from eraati.core.i18n import text_in_reader_language as tr
from eraati.core.time import local
from eraati.surveys.exports import ExportTable


def projects_table(
    process: Process, found: queries.ProcessResults | None
) -> ExportTable:
    """Projects on the ballot; votes and outcomes only once results are public."""
    header = (
        _("Area"),
        "project_id",
        _("Project"),
        _("Cost"),
        _("Share of the area budget"),
        _("Votes"),
        _("Points"),
        _("Won the vote"),
        _("Greedy"),
        _("Equal shares"),
        _("Council decision"),
        _("Reason for dropping"),
        _("Implementation"),
    )
    counts = {a.area.id: a.count for a in found.areas} if found else {}
    by_area = queries.ballot_projects(process)
    latest = _latest_status(process)
    rows = []
    for area in process.areas:
        count = counts.get(area.id)
        for pid, project in by_area.get(area.id, {}).items():
            dropped = project.status is ProjectStatus.DROPPED
            rows.append(
                (
                    tr(area.name),
                    project.id,
                    tr(project.title),
                    project.cost,
                    percent(exact_money(project.cost), exact_money(area.budget)),
                    *_outcome_cells(count, pid),
                    str(STATUS_LABELS[project.status]),
                    project.status_reason if dropped else None,
                    latest.get(project.id),
                )
            )
    return ExportTable(header, rows)


def _outcome_cells(count, pid: str) -> tuple:
    if count is None:
        return (None,) * 5
    points = None if count.points is None else count.points[pid]
    return (
        count.votes[pid],
        points,
        pid in count.official.selected,
        pid in count.greedy.selected,
        pid in count.equal_shares.selected,
    )


def _latest_status(process: Process) -> dict[int, str]:
    """The latest implementation status of each funded project, as a label."""
    histories = queries.histories(queries.funded_projects(process))
    return {
        project_id: str(IMPLEMENTATION_LABELS[updates[-1].status])
        for project_id, updates in histories.items()
        if updates
    }


def report_table(report: ImplementationReport) -> ExportTable:
    """Every update of every funded project (a project without one: one row)."""
    header = (
        _("Area"),
        "project_id",
        _("Project"),
        _("Cost"),
        _("Status now"),
        _("Date"),
        _("Status"),
        _("Note"),
    )
    timezone = current_app.config["TIMEZONE"]
    rows = []
    for entry in report.projects:
        project = entry.project
        lead = (tr(project.area.name), project.id, tr(project.title), project.cost)
        now = str(IMPLEMENTATION_LABELS[entry.status]) if entry.status else None
        if not entry.history:
            rows.append((*lead, now or _("Not started"), None, None, None))
        for update in entry.history:
            rows.append(
                (
                    *lead,
                    now,
                    local(update.created_at, timezone).date().isoformat(),
                    str(IMPLEMENTATION_LABELS[update.status]),
                    update.note,
                )
            )
    return ExportTable(header, rows)
