"""Results of a participatory budgeting vote for residents, their downloads, and the
yearly implementation report (page, PDF, CSV).

Nested in the residents' blueprint (``/pb``). Results are public once voting has
closed; until the council locks its decision they say the decision is awaited.
Figures come from :mod:`eraati.budgeting.queries`, laid out by
:mod:`eraati.budgeting.results_tables`.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from eraati.accounts.models import Role
from eraati.budgeting import exports, queries
from eraati.budgeting import report as pb_report
from eraati.budgeting.manage_labels import RULE_LABELS
from eraati.budgeting.models import Phase, Process
from eraati.budgeting.results_tables import area_display
from eraati.extensions import db
from eraati.surveys import exports as survey_exports
from eraati.surveys import report as survey_report

bp = Blueprint("results", __name__)

FORMATS = ("csv", "xlsx")


# -- access --------------------------------------------------------------------------


def is_official() -> bool:
    return current_user.is_authenticated and current_user.has_role(Role.OFFICIAL)


def visible_process(process_id: int, *, officials_early: bool = False) -> Process:
    """The process if its results are public (or an official may see it early)."""
    process = db.session.get(Process, process_id)
    if process is None or process.phase is Phase.DRAFT:
        abort(404)
    if not queries.results_public(process) and not (officials_early and is_official()):
        abort(404, _("The results are published when voting has closed."))
    return process


# -- routes -------------------------------------------------------------------------------


@bp.get("/<int:process_id>/results", endpoint="page")
def results_page(process_id: int):
    """Per area: winners, turnout, greedy and equal shares side by side, and why."""
    process = visible_process(process_id)
    found = queries.process_results(process)
    rule_is_own = process.rule.value != "points"
    return render_template(
        "budgeting/results/process.html",
        process=process,
        results=found,
        rule=RULE_LABELS[process.rule],
        areas=[area_display(area, rule_is_own=rule_is_own) for area in found.areas],
    )


@bp.get("/<int:process_id>/results/projects.<fmt>", endpoint="projects")
def projects_download(process_id: int, fmt: str):
    """Projects with their votes and outcomes as CSV or XLSX (officials: any time)."""
    process = visible_process(process_id, officials_early=True)
    _check_format(fmt)
    found = (
        queries.process_results(process) if queries.results_public(process) else None
    )
    table = exports.projects_table(process, found)
    return survey_exports.download(table, fmt, f"pb-{process.id}-projects")


@bp.get("/<int:process_id>/report", endpoint="report")
def report_page(process_id: int):
    """The yearly implementation report as a printable page."""
    content = pb_report.implementation_report(visible_process(process_id))
    return render_template(
        "budgeting/report/process.html",
        process=content.process,
        document=pb_report.report_document(content),
    )


@bp.get("/<int:process_id>/report.pdf", endpoint="report_pdf")
def report_pdf(process_id: int):
    content = pb_report.implementation_report(visible_process(process_id))
    data = survey_report.render_pdf(pb_report.report_document(content))
    return current_app.response_class(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": (
                f'attachment; filename="pb-{process_id}-implementation.pdf"'
            )
        },
    )


@bp.get("/<int:process_id>/report.csv", endpoint="report_csv")
def report_csv(process_id: int):
    content = pb_report.implementation_report(visible_process(process_id))
    table = exports.report_table(content)
    return survey_exports.download(table, "csv", f"pb-{process_id}-implementation")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        abort(400, _("Downloads are available as CSV and XLSX."))
