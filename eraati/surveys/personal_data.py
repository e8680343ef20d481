"""The surveys domain's part of "my data": invitations, drafts, opt-ins.

Submitted answers are not here: a response has no link to anyone (see
:mod:`eraati.surveys.models`), so it can be neither shown nor erased, and it stays
counted. An invitation only says *that* its holder answered.
"""

from __future__ import annotations

from sqlalchemy import String, cast, delete, func, literal, or_, select, update

from eraati.extensions import db
from eraati.mydata.rows import changed
from eraati.surveys.models import Invitation, OptIn, Questionnaire, ResponseDraft, Round


def export(user) -> dict:
    return {
        "invitations": _invitations(user),
        "drafts": [
            {
                "round_id": draft.round_id,
                "page": draft.page,
                "updated_at": draft.updated_at,
                "answers": draft.answers,
            }
            for draft in db.session.scalars(
                select(ResponseDraft)
                .where(ResponseDraft.invitation_id.in_(_invitation_ids(user)))
                .order_by(ResponseDraft.id)
            )
        ],
        "opt_ins": [
            {
                "panel_id": opt_in.panel_id,
                "name": opt_in.name,
                "email": opt_in.email,
                "phone": opt_in.phone,
                "deeper_surveys": opt_in.deeper_surveys,
                "live_sessions": opt_in.live_sessions,
                "consent_version": opt_in.consent_version,
                "language": opt_in.language,
                "created_at": opt_in.created_at,
                "last_used_at": opt_in.last_used_at,
                "withdrawn_at": opt_in.withdrawn_at,
            }
            for opt_in in db.session.scalars(
                select(OptIn).where(_opt_ins_of(user)).order_by(OptIn.id)
            )
        ],
    }


def _invitations(user) -> list[dict]:
    rows = db.session.execute(
        select(Invitation, Round, Questionnaire.title)
        .join(Round, Round.id == Invitation.round_id)
        .join(Questionnaire, Questionnaire.id == Round.questionnaire_id)
        .where(Invitation.user_id == user.id)
        .order_by(Invitation.id)
    )
    return [
        {
            "round_id": round_.id,
            "round": round_.title or questionnaire_title,
            "panel_id": round_.panel_id,
            "opens_at": round_.opens_at,
            "closes_at": round_.closes_at,
            "sent_at": invitation.sent_at,
            "reminded_at": invitation.reminded_at,
            "answered": invitation.answered,
        }
        for invitation, round_, questionnaire_title in rows
    ]


def erase(user) -> dict[str, int]:
    """Invitations stay (response rates still add up) without the person and with a
    link that no longer works; drafts and opt-ins go."""
    drafts = changed(
        delete(ResponseDraft).where(
            ResponseDraft.invitation_id.in_(_invitation_ids(user))
        )
    )
    invitations = changed(
        update(Invitation)
        .where(Invitation.user_id == user.id)
        .values(
            user_id=None,
            nonce="",
            # Unique and never a SHA-256 hex digest, so no token matches it.
            token_hash=literal("retired-") + cast(Invitation.id, String),
        )
    )
    opt_ins = changed(delete(OptIn).where(_opt_ins_of(user)))
    return {"drafts": drafts, "invitations": invitations, "opt_ins": opt_ins}


def _invitation_ids(user):
    return select(Invitation.id).where(Invitation.user_id == user.id)


def _opt_ins_of(user):
    # Contact details left while answering without signing in carry the address.
    return or_(OptIn.user_id == user.id, func.lower(OptIn.email) == user.email)
