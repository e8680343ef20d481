"""Publishing a round's results with a "what we will do" note, later status updates,
and the moderator step for free-text answers. Services flush; the caller commits."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from werkzeug.routing import BuildError

from eraati.accounts.models import User
from eraati.audit import record
from eraati.core.urls import public_url
from eraati.extensions import db
from eraati.mail.notify import Category, notify
from eraati.panels.models import Membership
from eraati.surveys.logic import MAX_TEXT_LENGTH
from eraati.surveys.models import (
    Answer,
    FollowUp,
    Round,
    RoundState,
    TextReview,
)
from eraati.surveys.services import SurveyError


def publish(round_: Round, note: dict[str, str], now: datetime) -> int:
    """Publish a closed round's results once and mail its panel's members."""
    if round_.state is not RoundState.CLOSED:
        raise SurveyError("not_closed")
    # Conditional, so that two officials publishing at once tell members once.
    claimed = db.session.execute(
        update(Round)
        .where(Round.id == round_.id, Round.published_at.is_(None))
        .values(published_at=now, publication_note=note)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise SurveyError("already_published")
    db.session.expire(round_, ["published_at", "publication_note"])
    record("survey.results_published", round_)
    return _tell_members(
        round_, "survey_published", _l("Results of your panel's questionnaire"), note
    )


def add_follow_up(round_: Round, note: dict[str, str], now: datetime) -> FollowUp:
    """A later status update on the published note; members are told again."""
    if round_.published_at is None:
        raise SurveyError("not_published")
    follow_up = FollowUp(round_id=round_.id, note=note, created_at=now)
    db.session.add(follow_up)
    db.session.flush()
    record("survey.follow_up_added", round_, follow_up=follow_up.id)
    _tell_members(
        round_,
        "survey_follow_up",
        _l("An update on what your panel's answers led to"),
        note,
    )
    return follow_up


def follow_ups(round_: Round) -> list[FollowUp]:
    return list(
        db.session.scalars(
            select(FollowUp)
            .where(FollowUp.round_id == round_.id)
            .order_by(FollowUp.created_at, FollowUp.id)
        )
    )


def results_link(round_: Round) -> str:
    """The public results page, or the panel's page while results pages are missing."""
    try:
        return public_url("surveys_results.round", round_id=round_.id)
    except BuildError:
        return public_url("panels.show", panel_id=round_.panel_id)


def _tell_members(round_: Round, template: str, subject, note: dict) -> int:
    """Mail every active member of the round's panel in their own language."""
    if round_.panel_id is None:
        return 0
    members = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.panel_id == round_.panel_id, User.is_active_account.is_(True))
        .order_by(User.id)
    ).all()
    link = results_link(round_)
    follow_up = template == "survey_follow_up"
    for user in members:
        notify(
            user,
            # Results are a summary; a later follow-up tells what became of them.
            Category.STATUS_CHANGES if follow_up else Category.SUMMARIES,
            template,
            subject,
            title=round_.title or round_.questionnaire.title,
            note=note,
            link=link,
        )
    return len(members)


# --- Free-text moderation ---------------------------------------------------------


def free_texts(round_: Round, review: TextReview | None = None) -> list[Answer]:
    """A round's free-text answers, optionally of one review state, oldest first."""
    query = select(Answer).where(Answer.round_id == round_.id, Answer.text.is_not(None))
    if review is not None:
        query = query.where(Answer.text_review == review)
    return list(db.session.scalars(query.order_by(Answer.question_id, Answer.id)))


def moderate_text(answer: Answer, action: str, text: str | None) -> Answer:
    """Publish an answer as edited by the moderator, or hide it."""
    if action == "hide":
        answer.text_review = TextReview.HIDDEN
    elif action == "publish":
        cleaned = (text or "").strip()
        if not cleaned:
            raise SurveyError("text_empty")
        if len(cleaned) > MAX_TEXT_LENGTH:
            raise SurveyError("text_too_long")
        answer.text_published = cleaned
        answer.text_review = TextReview.PUBLISHED
    else:
        raise SurveyError("unknown_action")
    db.session.flush()
    return answer
