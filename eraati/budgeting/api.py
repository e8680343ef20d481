"""Participatory budgeting in the read-only JSON API: ``/api/v1/pb/...``.

Registered on the survey results' API blueprint (:mod:`eraati.surveys.api`), whose
OpenAPI document takes :data:`PATHS` and :data:`SCHEMAS`. Processes in draft do not
appear. Votes and outcomes appear once voting has closed. Nothing personal: no
voter, proposer or decision-maker, and no ballot, only counts. Money is a decimal
string in euros ("40000.00"), so no value is rounded in transit.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask import Blueprint, abort, jsonify, url_for
from sqlalchemy import select

from eraati.budgeting import queries
from eraati.budgeting.council import find_decision
from eraati.budgeting.explain import Reason
from eraati.budgeting.models import (
    BallotType,
    CountingRule,
    Phase,
    Process,
    Project,
    ProjectStatus,
)
from eraati.budgeting.results import percent
from eraati.core.i18n import current_language
from eraati.core.i18n import text_in_reader_language as tr
from eraati.extensions import db

bp = Blueprint("pb", __name__, url_prefix="/pb")

#: Statuses whose reason is published (a rejection or the council's drop).
WITH_REASON = (ProjectStatus.REJECTED, ProjectStatus.DROPPED)


@bp.get("/processes")
def processes():
    """Processes past their draft, newest first."""
    found = db.session.scalars(
        select(Process)
        .where(Process.phase != Phase.DRAFT)
        .order_by(Process.year.desc(), Process.id.desc())
    )
    return jsonify(
        language=current_language(), processes=[process_json(p) for p in found]
    )


@bp.get("/processes/<int:process_id>")
def process(process_id: int):
    """A process with its areas and projects, and its results once voting closed."""
    found = db.session.get(Process, process_id)
    if found is None or found.phase is Phase.DRAFT:
        abort(404)
    body = process_json(found)
    projects = db.session.scalars(
        select(Project)
        .where(Project.process_id == found.id)
        .order_by(Project.area_id, Project.id)
    ).all()
    results = None
    if queries.results_public(found):
        results = {a.area.id: a for a in queries.process_results(found).areas}
    body["areas"] = [
        area_json(area, [p for p in projects if p.area_id == area.id], results)
        for area in found.areas
    ]
    body["decision"] = decision_json(found)
    return jsonify(language=current_language(), process=body)


# -- JSON shapes ---------------------------------------------------------------------


def money(value) -> str:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return str(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))


def process_json(process: Process) -> dict:
    public = queries.results_public(process)
    return {
        "id": process.id,
        "year": process.year,
        "title": tr(process.title),
        "description": tr(process.description),
        "phase": process.phase.value,
        "total_budget": money(process.total_budget),
        "ballot_type": process.ballot_type.value,
        "rule": process.rule.value,
        "completion": process.completion,
        "results_public": public,
        "page_url": url_for("budgeting.process_page", process_id=process.id),
        "results_url": url_for("budgeting.results.page", process_id=process.id)
        if public
        else None,
    }


def area_json(area, projects: list[Project], results: dict | None) -> dict:
    found = None if results is None else results.get(area.id)
    body = {
        "id": area.id,
        "name": tr(area.name),
        "budget": money(area.budget),
        "is_citywide": area.is_citywide,
        "projects": [project_json(p, found) for p in projects],
    }
    if found is not None:
        body["results"] = area_results_json(found)
    return body


def project_json(project: Project, found: queries.AreaResult | None) -> dict:
    body = {
        "id": project.id,
        "title": tr(project.title),
        "description": tr(project.description),
        "cost": money(project.cost),
        "status": project.status.value,
        "status_reason": project.status_reason
        if project.status in WITH_REASON
        else None,
    }
    pid = str(project.id)
    if found is None or pid not in found.projects:
        return body
    count = found.count
    explained = {e.project_id: e for e in count.explanation.projects}.get(pid)
    return body | {
        "votes": count.votes[pid],
        "points": None if count.points is None else _number(count.points[pid]),
        "selected_by_rule": pid in count.official.selected,
        "greedy": pid in count.greedy.selected,
        "equal_shares": pid in count.equal_shares.selected,
        "equal_shares_reason": None
        if explained is None
        else explanation_json(explained),
    }


def explanation_json(explained) -> dict:
    return {
        "reason": explained.reason.value,
        "order": explained.order,
        "price_per_supporter": None
        if explained.price is None
        else money(explained.price),
        "covered_percent": None
        if explained.covered is None
        else percent(explained.covered, 1),
    }


def area_results_json(found: queries.AreaResult) -> dict:
    count = found.count
    return {
        "ballots": found.turnout.ballots,
        "eligible": found.turnout.eligible,
        "turnout_percent": found.turnout.percent,
        "voter_share": money(count.explanation.share),
        "outcomes": {
            name: outcome_json(outcome, count.budget)
            for name, outcome in (
                ("rule", count.official),
                ("greedy", count.greedy),
                ("equal_shares", count.equal_shares),
            )
        },
    }


def outcome_json(outcome, budget) -> dict:
    return {
        "method": outcome.rule,
        "selected": [int(pid) for pid in outcome.selected],
        "total_cost": money(outcome.total_cost),
        "budget_percent": percent(outcome.total_cost, budget),
    }


def decision_json(process: Process) -> dict:
    decision = find_decision(process)
    locked = decision is not None and decision.locked_at is not None
    return {
        "awaiting": queries.awaiting_council(process, decision),
        "locked_at": decision.locked_at.isoformat() if locked else None,
        "rejected_whole": bool(locked and decision.rejected_whole),
        "note": decision.note if locked and decision.rejected_whole else None,
    }


def _number(value) -> int | float:
    return value if isinstance(value, int) else float(value)


# -- OpenAPI -----------------------------------------------------------------------------


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _responses(schema: str, description: str) -> dict:
    error = {"$ref": "#/components/responses/Error"}
    return {
        "200": {
            "description": description,
            "content": {"application/json": {"schema": _ref(schema)}},
        },
        "404": error,
    }


MONEY = {"type": "string", "format": "decimal", "description": "euros, e.g. 40000.00"}
NULLABLE_MONEY = {**MONEY, "type": ["string", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_STRING = {"type": ["string", "null"]}
IDS = {"type": "array", "items": {"type": "integer"}}

PATHS = {
    "/pb/processes": {
        "get": {
            "summary": "Participatory budgeting processes, newest first",
            "operationId": "listBudgetingProcesses",
            "responses": _responses("PbProcessList", "Processes past their draft"),
        }
    },
    "/pb/processes/{process_id}": {
        "get": {
            "summary": "A process with its areas, projects and (once voting closed) results",
            "operationId": "getBudgetingProcess",
            "parameters": [
                {
                    "name": "process_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1},
                }
            ],
            "responses": _responses("PbProcessDetail", "The process"),
        }
    },
}

SCHEMAS = {
    "PbProcess": {
        "type": "object",
        "required": ["id", "year", "title", "phase", "total_budget"],
        "properties": {
            "id": {"type": "integer"},
            "year": {"type": "integer"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "phase": {"type": "string", "enum": [p.value for p in Phase]},
            "total_budget": MONEY,
            "ballot_type": {"type": "string", "enum": [b.value for b in BallotType]},
            "rule": {"type": "string", "enum": [r.value for r in CountingRule]},
            "completion": NULLABLE_STRING,
            "results_public": {"type": "boolean"},
            "page_url": {"type": "string"},
            "results_url": NULLABLE_STRING,
        },
    },
    "PbProcessList": {
        "type": "object",
        "properties": {
            "language": {"type": "string"},
            "processes": {"type": "array", "items": _ref("PbProcess")},
        },
    },
    "PbProject": {
        "type": "object",
        "description": "Vote fields are present once voting has closed.",
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "cost": MONEY,
            "status": {"type": "string", "enum": [s.value for s in ProjectStatus]},
            "status_reason": NULLABLE_STRING,
            "votes": {"type": "integer"},
            "points": {"type": ["number", "null"]},
            "selected_by_rule": {"type": "boolean"},
            "greedy": {"type": "boolean"},
            "equal_shares": {"type": "boolean"},
            "equal_shares_reason": {
                "type": ["object", "null"],
                "properties": {
                    "reason": {"type": "string", "enum": [r.value for r in Reason]},
                    "order": NULLABLE_INT,
                    "price_per_supporter": NULLABLE_MONEY,
                    "covered_percent": NULLABLE_INT,
                },
            },
        },
    },
    "PbOutcome": {
        "type": "object",
        "properties": {
            "method": {"type": "string"},
            "selected": IDS,
            "total_cost": MONEY,
            "budget_percent": NULLABLE_INT,
        },
    },
    "PbArea": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "budget": MONEY,
            "is_citywide": {"type": "boolean"},
            "projects": {"type": "array", "items": _ref("PbProject")},
            "results": {
                "type": "object",
                "description": "Present once voting has closed.",
                "properties": {
                    "ballots": {"type": "integer"},
                    "eligible": NULLABLE_INT,
                    "turnout_percent": NULLABLE_INT,
                    "voter_share": MONEY,
                    "outcomes": {
                        "type": "object",
                        "properties": {
                            "rule": _ref("PbOutcome"),
                            "greedy": _ref("PbOutcome"),
                            "equal_shares": _ref("PbOutcome"),
                        },
                    },
                },
            },
        },
    },
    "PbProcessDetail": {
        "type": "object",
        "properties": {
            "language": {"type": "string"},
            "process": {
                "allOf": [
                    _ref("PbProcess"),
                    {
                        "type": "object",
                        "properties": {
                            "areas": {"type": "array", "items": _ref("PbArea")},
                            "decision": {
                                "type": "object",
                                "properties": {
                                    "awaiting": {"type": "boolean"},
                                    "locked_at": {
                                        "type": ["string", "null"],
                                        "format": "date-time",
                                    },
                                    "rejected_whole": {"type": "boolean"},
                                    "note": NULLABLE_STRING,
                                },
                            },
                        },
                    },
                ]
            },
        },
    },
}
