"""The site domain's part of "my data": accessibility feedback left with the
person's address, and the statutory pages an admin last edited."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from eraati.extensions import db
from eraati.mydata.rows import changed
from eraati.site.models import AccessibilityFeedback, Page


def _feedback_of(user):
    return func.lower(AccessibilityFeedback.contact_email) == user.email


def export(user) -> dict:
    return {
        "accessibility_feedback": [
            {
                "message": feedback.message,
                "page_address": feedback.page_address,
                "created_at": feedback.created_at,
            }
            for feedback in db.session.scalars(
                select(AccessibilityFeedback)
                .where(_feedback_of(user))
                .order_by(AccessibilityFeedback.id)
            )
        ],
        "pages_edited": [
            {"page": page.slug.value, "at": page.updated_at}
            for page in db.session.scalars(
                select(Page).where(Page.updated_by_id == user.id).order_by(Page.id)
            )
        ],
    }


def erase(user) -> dict[str, int]:
    return {
        "accessibility_feedback": changed(
            delete(AccessibilityFeedback).where(_feedback_of(user))
        ),
        "pages_edited": changed(
            update(Page).where(Page.updated_by_id == user.id).values(updated_by_id=None)
        ),
    }
