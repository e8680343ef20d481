"""Notices to people with accounts: the one seam every domain sends through.

Categories name what a person can switch off in their notification settings; a notice
without a category (sign-in links, erasure confirmations, reports to admins) always
goes out at once. A person who chose a digest gets the notice in the next one.
"""

from __future__ import annotations

from flask import current_app

from eraati.core.urls import public_url
from eraati.extensions import db
from eraati.mail import preferences
from eraati.mail.models import Category, Delivery, MailLog, QueuedNotice
from eraati.mail.services import render_mail, send_mail

__all__ = ["Category", "notify", "notice_links"]


def notify(
    user,
    category: Category | None,
    template: str,
    subject,
    *,
    fallback_language: str | None = None,
    **context,
) -> MailLog | None:
    """Send ``template`` to ``user`` in their language; None when nothing was sent.

    ``fallback_language`` is used when the person has not chosen a language (e.g.
    the language they were invited in). A notice in a category the person switched
    off is dropped; one for a digest is queued, rendered in their language now.
    """
    if not user.email or not user.is_active_account:
        return None
    language = (
        user.preferred_language
        or fallback_language
        or current_app.config["DEFAULT_LANGUAGE"]
    )
    if category is None:
        return send_mail(user.email, template, language, subject, **context)
    category = Category(category)
    if not preferences.wants_email(user, category):
        return None
    if preferences.delivery(user) is not Delivery.IMMEDIATE:
        _queue(user, category, template, language, subject, context)
        return None
    return send_mail(
        user.email,
        template,
        language,
        subject,
        **notice_links(user, category),
        **context,
    )


def notice_links(user, category: Category | None) -> dict[str, str]:
    """The footer links of a notice: stop this category (None: all), and settings."""
    token = preferences.unsubscribe_token(user, category)
    return {
        "unsubscribe_url": public_url("notifications.unsubscribe", token=token),
        "unsubscribe_all": category is None,
        "settings_url": public_url("notifications.settings"),
    }


def _queue(user, category, template, language, subject, context) -> QueuedNotice:
    subject_text, text_body, _html = render_mail(template, language, subject, **context)
    notice = QueuedNotice(
        user_id=user.id,
        category=category,
        language=language,
        subject=subject_text[:255],
        body=text_body,
    )
    db.session.add(notice)
    db.session.flush()
    return notice
