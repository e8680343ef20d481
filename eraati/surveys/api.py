"""Read-only JSON API of published results, ``/api/v1``, with its OpenAPI document.

Only published rounds appear. The figures are the results pages' own summaries: a
hidden value is ``null`` next to ``"suppressed": true``. Texts are in the reader's
language (``Accept-Language`` or ``?lang=``). Errors are JSON (``core.errors``).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eraati.budgeting import api as pb_api
from eraati.core.i18n import current_language
from eraati.extensions import db
from eraati.surveys import queries, results
from eraati.surveys.models import Question, QuestionType, Round
from eraati.surveys.report import answer_labels, row_labels, tr

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Participatory budgeting's endpoints share the prefix and the OpenAPI document.
bp.register_blueprint(pb_api.bp)


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if not raw.isdigit():
        abort(400, _("%(name)s must be a whole number.", name=name))
    return int(raw)


def _published(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None or round_.published_at is None:
        abort(404, _("There are no published results at this address."))
    return round_


@bp.get("/rounds")
def rounds():
    """Published rounds, newest first; filter by ``panel`` or ``unit``."""
    query = (
        select(Round)
        .where(Round.published_at.is_not(None))
        .options(selectinload(Round.questionnaire))
    )
    panel_id, unit_id = _int_arg("panel"), _int_arg("unit")
    if panel_id is not None:
        query = query.where(Round.panel_id == panel_id)
    if unit_id is not None:
        query = query.where(Round.unit_id == unit_id)
    found = db.session.scalars(query.order_by(Round.opens_at.desc(), Round.id)).all()
    return jsonify(language=current_language(), rounds=[round_json(r) for r in found])


@bp.get("/rounds/<int:round_id>")
def round_results(round_id: int):
    """One published round with every question's summary."""
    round_ = _published(round_id)
    found = queries.round_results(round_)
    return jsonify(
        language=current_language(),
        round=round_json(round_)
        | {
            "responses": found.responses,
            "responses_suppressed": found.responses is None,
        },
        questions=[question_json(result) for result in found.questions],
    )


@bp.get("/questions/<int:question_id>/trend")
def question_trend(question_id: int):
    """A bank question round by round over published rounds (optionally one unit)."""
    question = db.session.get(Question, question_id) or abort(404)
    if question.type is QuestionType.TEXT:
        abort(404, _("Free-text answers are not compared across rounds."))
    rounds_ = queries.rounds_with_question(question_id, unit_id=_int_arg("unit"))
    found = queries.question_results([r.id for r in rounds_], [question])
    return jsonify(
        language=current_language(),
        question={"id": question.id, "key": question.key, "text": tr(question.text)},
        points=[
            {
                "round": round_json(r),
                "summary": summary_json(question, found[(r.id, question.id)].summary),
            }
            for r in rounds_
        ],
    )


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    document = dict(OPENAPI)
    document["servers"] = [{"url": current_app.config["PUBLIC_BASE_URL"] + "/api/v1"}]
    return jsonify(document)


# -- JSON shapes ------------------------------------------------------------------------


def round_json(round_: Round) -> dict:
    return {
        "id": round_.id,
        "title": tr(round_.title) or tr(round_.questionnaire.title),
        "panel_id": round_.panel_id,
        "unit_id": round_.unit_id,
        "opens_at": round_.opens_at.isoformat(),
        "closes_at": round_.closes_at.isoformat(),
        "published_at": round_.published_at.isoformat(),
        "results_url": url_for("surveys_results.round", round_id=round_.id),
    }


def question_json(result: queries.QuestionResult) -> dict:
    question = result.question
    body = {
        "id": question.id,
        "key": question.key,
        "type": question.type.value,
        "text": tr(question.text),
    }
    if result.summary is None:
        return body | {
            "n": result.text_n,
            "suppressed": result.text_n is None,
            "texts": list(result.texts),
        }
    return body | summary_json(question, result.summary)


def summary_json(question, summary) -> dict:
    """A summary with hidden values as null and ``suppressed`` flags."""
    if isinstance(summary, results.MatrixSummary):
        statements = row_labels(question)
        return {
            "rows": [
                {"key": row.key, "label": statements.get(row.key, row.key)}
                | summary_json(question, row.summary)
                for row in summary.rows
            ]
        }
    if isinstance(summary, results.NumberSummary):
        figures = ("mean", "median", "minimum", "maximum")
        return {
            "n": summary.n,
            "suppressed": summary.suppressed,
            **{name: _round(getattr(summary, name), 2) for name in figures},
        }
    names = answer_labels(question)
    body = {
        "n": summary.n,
        "suppressed": summary.suppressed,
        "shares": [share_json(share, names) for share in summary.shares],
    }
    if hasattr(summary, "mean"):
        body["mean"] = _round(summary.mean, 1)
    if isinstance(summary, results.AgreementSummary):
        cannot = summary.cannot_say
        body["cannot_say"] = None if cannot is None else share_json(cannot, names)
        body["n_total"] = summary.n_total
    return body


def share_json(share: results.Share, names: dict[str, str]) -> dict:
    return {
        "key": share.key,
        "label": names.get(share.key, share.key),
        "count": share.count,
        "percent": share.percent,
        "suppressed": share.suppressed,
    }


def _round(value: float | None, decimals: int) -> float | None:
    # Rounded half up, as on the results pages.
    return None if value is None else results.round_half_up(value, decimals)


# -- OpenAPI ------------------------------------------------------------------------------


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(schema: str, description: str) -> dict:
    return {
        "200": {
            "description": description,
            "content": {"application/json": {"schema": _ref(schema)}},
        },
        "400": {"$ref": "#/components/responses/Error"},
        "404": {"$ref": "#/components/responses/Error"},
    }


def _id_parameter(name: str, where: str = "path") -> dict:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": {"type": "integer", "minimum": 1},
    }


NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_NUMBER = {"type": ["number", "null"]}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "eRaati published results",
        "version": "1.0.0",
        "description": (
            "Read-only results of published e-panel rounds. Groups of fewer than "
            "five respondents, and values that would reveal them, are null with "
            '"suppressed": true. Texts follow Accept-Language or ?lang= (fi, sv, en).'
        ),
    },
    "paths": {
        "/rounds": {
            "get": {
                "summary": "Published rounds, newest first",
                "operationId": "listRounds",
                "parameters": [
                    _id_parameter("panel", "query"),
                    _id_parameter("unit", "query"),
                ],
                "responses": _ok("RoundList", "Published rounds"),
            }
        },
        "/rounds/{round_id}": {
            "get": {
                "summary": "One published round with every question's summary",
                "operationId": "getRoundResults",
                "parameters": [_id_parameter("round_id")],
                "responses": _ok("RoundResults", "The round's results"),
            }
        },
        "/questions/{question_id}/trend": {
            "get": {
                "summary": "A bank question round by round over published rounds",
                "operationId": "getQuestionTrend",
                "parameters": [
                    _id_parameter("question_id"),
                    _id_parameter("unit", "query"),
                ],
                "responses": _ok("Trend", "The question's summary per round"),
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "operationId": "getOpenApi",
                "responses": {"200": {"description": "The OpenAPI document"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Round": {
                "type": "object",
                "required": ["id", "title", "unit_id", "opens_at", "closes_at"],
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string"},
                    "panel_id": NULLABLE_INT,
                    "unit_id": {"type": "integer"},
                    "opens_at": {"type": "string", "format": "date-time"},
                    "closes_at": {"type": "string", "format": "date-time"},
                    "published_at": {"type": "string", "format": "date-time"},
                    "results_url": {"type": "string"},
                    "responses": {
                        **NULLABLE_INT,
                        "description": "null when it would reveal a hidden value",
                    },
                    "responses_suppressed": {"type": "boolean"},
                },
            },
            "RoundList": {
                "type": "object",
                "properties": {
                    "language": {"type": "string"},
                    "rounds": {"type": "array", "items": _ref("Round")},
                },
            },
            "Share": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "label": {"type": "string"},
                    "count": NULLABLE_INT,
                    "percent": {
                        **NULLABLE_INT,
                        "description": "whole percent, rounded half up on its own",
                    },
                    "suppressed": {"type": "boolean"},
                },
            },
            "Summary": {
                "type": "object",
                "description": "Fields present depend on the question type.",
                "properties": {
                    "n": NULLABLE_INT,
                    "suppressed": {"type": "boolean"},
                    "shares": {"type": "array", "items": _ref("Share")},
                    "mean": NULLABLE_NUMBER,
                    "cannot_say": {"oneOf": [_ref("Share"), {"type": "null"}]},
                    "n_total": NULLABLE_INT,
                    "median": NULLABLE_NUMBER,
                    "minimum": NULLABLE_NUMBER,
                    "maximum": NULLABLE_NUMBER,
                    "texts": {"type": "array", "items": {"type": "string"}},
                    "rows": {
                        "type": "array",
                        "items": {
                            "allOf": [
                                _ref("Summary"),
                                {
                                    "type": "object",
                                    "properties": {
                                        "key": {"type": "string"},
                                        "label": {"type": "string"},
                                    },
                                },
                            ]
                        },
                    },
                },
            },
            "Question": {
                "allOf": [
                    _ref("Summary"),
                    {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "key": {"type": "string"},
                            "type": {
                                "type": "string",
                                "enum": [kind.value for kind in QuestionType],
                            },
                            "text": {"type": "string"},
                        },
                    },
                ]
            },
            "RoundResults": {
                "type": "object",
                "properties": {
                    "language": {"type": "string"},
                    "round": _ref("Round"),
                    "questions": {"type": "array", "items": _ref("Question")},
                },
            },
            "Trend": {
                "type": "object",
                "properties": {
                    "language": {"type": "string"},
                    "question": {"type": "object"},
                    "points": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "round": _ref("Round"),
                                "summary": _ref("Summary"),
                            },
                        },
                    },
                },
            },
            "Error": {
                "type": "object",
                "properties": {
                    "error": {
                        "type": "object",
                        "properties": {
                            "code": {"type": "integer"},
                            "title": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    }
                },
            },
        },
        "responses": {
            "Error": {
                "description": "A translated error",
                "content": {"application/json": {"schema": _ref("Error")}},
            }
        },
    },
}
OPENAPI["paths"].update(pb_api.PATHS)
OPENAPI["components"]["schemas"].update(pb_api.SCHEMAS)
