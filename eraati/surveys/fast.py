"""Fast feedback: a unit's one-question link, answered without signing in.

Answers go to the unit's fast round of the current month, made on first use, so the
same results pages compare months and units.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from eraati.extensions import db
from eraati.surveys import logic, services, snapshot
from eraati.surveys.models import (
    Audience,
    FastFeedbackPoint,
    QuestionnaireItem,
    Round,
    RoundKind,
    RoundState,
)


def find_point(token: str) -> FastFeedbackPoint | None:
    return db.session.scalar(
        select(FastFeedbackPoint).where(
            FastFeedbackPoint.token == token, FastFeedbackPoint.is_active.is_(True)
        )
    )


def item(point: FastFeedbackPoint) -> QuestionnaireItem:
    return db.session.scalars(
        select(QuestionnaireItem)
        .where(QuestionnaireItem.questionnaire_id == point.questionnaire_id)
        .order_by(QuestionnaireItem.page, QuestionnaireItem.position)
    ).first()


def current_round(point: FastFeedbackPoint, now: datetime) -> Round:
    """This month's fast round of the unit, opened on first use."""
    timezone = current_app.config["TIMEZONE"]
    local = now.astimezone(ZoneInfo(timezone))
    opens_at, closes_at = services.month_window(local.year, local.month, timezone)
    opens_at = min(opens_at, now)  # a month's first hours belong to it too
    found = db.session.scalar(
        select(Round).where(
            Round.kind == RoundKind.FAST,
            Round.unit_id == point.unit_id,
            Round.questionnaire_id == point.questionnaire_id,
            Round.closes_at == closes_at,
        )
    )
    if found is not None:
        return found
    round_ = Round(
        questionnaire_id=point.questionnaire_id,
        unit_id=point.unit_id,
        kind=RoundKind.FAST,
        audience=Audience.PUBLIC,
        state=RoundState.OPEN,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    db.session.add(round_)
    db.session.flush()
    return round_


def answer(point: FastFeedbackPoint, form, language: str, now: datetime) -> None:
    round_ = current_round(point, now)
    specs = snapshot.questionnaire_view(round_.questionnaire_id).specs
    checked = logic.check_page(specs, specs[0].page, form, {})
    if not checked.ok:
        raise services.SurveyError("incomplete")
    services.submit(round_, checked.values, language, now)
