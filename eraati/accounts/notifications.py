"""Notification settings on the profile, and the unsubscribe link of every notice.

The unsubscribe link works without signing in: its signed token names the person
and the category. Its POST needs no CSRF token (mail programs post it in one click,
RFC 8058); the signature is what authorises it.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField

from eraati.accounts.models import User
from eraati.config import LANGUAGES
from eraati.core.forms import choices
from eraati.core.i18n import LANGUAGE_NAMES, current_language
from eraati.core.time import utcnow
from eraati.extensions import csrf, db
from eraati.mail import preferences
from eraati.mail.models import Category, Delivery

bp = Blueprint("notifications", __name__)

CATEGORY_LABELS = {
    Category.INVITATIONS: _l("Invitations to questionnaires"),
    Category.REMINDERS: _l("Reminders"),
    Category.SESSION_NOTICES: _l("Notices about panel sessions: time and agenda"),
    Category.SUMMARIES: _l("Summaries of sessions and results of questionnaires"),
    Category.STATUS_CHANGES: _l("What became of ideas and projects"),
    Category.PB_PHASES: _l("Participatory budgeting: when a new phase begins"),
}

DELIVERY_LABELS = {
    Delivery.IMMEDIATE: _l("Each notice at once"),
    Delivery.DAILY: _l("All notices of the day in one mail, the next morning"),
    Delivery.WEEKLY: _l("All notices of the week in one mail, on Mondays"),
}

LINK_ERRORS = {
    "invalid": lambda: _(
        "This link is not valid. Sign in to change your notification settings."
    ),
    "expired": lambda: _(
        "This link is too old to use. Sign in to change your notification settings."
    ),
}


class NotificationsForm(FlaskForm):
    delivery = RadioField(
        _l("When notices come"), choices=choices(DELIVERY_LABELS.items())
    )
    preferred_language = RadioField(
        _l("Language of notices"),
        choices=choices((code, LANGUAGE_NAMES[code]) for code in LANGUAGES),
    )


for _category in Category:
    setattr(
        NotificationsForm, _category.value, BooleanField(CATEGORY_LABELS[_category])
    )


@bp.route("/profile/notifications", methods=["GET", "POST"])
@login_required
def settings():
    chosen = preferences.choices(current_user)
    form = NotificationsForm(
        data=None
        if request.method == "POST"
        else {
            "delivery": preferences.delivery(current_user).value,
            "preferred_language": current_user.preferred_language or current_language(),
            **{category.value: by_email for category, by_email in chosen.items()},
        }
    )
    if form.validate_on_submit():
        now = utcnow()
        for category in Category:
            preferences.set_choice(
                current_user, category, form[category.value].data, now
            )
        preferences.set_delivery(current_user, Delivery(form.delivery.data))
        current_user.preferred_language = form.preferred_language.data
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for(".settings"))
    return render_template(
        "accounts/notifications.html",
        form=form,
        categories=[form[category.value] for category in Category],
    ), 400 if form.errors else 200


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    now = utcnow()
    try:
        user_id, category = preferences.read_unsubscribe_token(token, now)
    except preferences.UnsubscribeLinkError as error:
        return _link_error(error.reason)
    user = db.session.get(User, user_id)
    if user is None or user.erased_at is not None:
        return _link_error("invalid")
    label = CATEGORY_LABELS[category] if category else None
    if request.method == "POST":
        preferences.unsubscribe(user, category, now)
        db.session.commit()
        return render_template("accounts/notifications_stopped.html", label=label)
    return render_template("accounts/notifications_unsubscribe.html", label=label)


def _link_error(reason: str):
    return render_template(
        "accounts/notifications_link_error.html", message=LINK_ERRORS[reason]()
    ), 400
