"""Front page, accessibility statement with feedback, privacy notice, page editing."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eraati.accounts.models import Role
from eraati.core.forms import clean_translations
from eraati.core.i18n import current_language
from eraati.core.security import role_required
from eraati.core.time import utcnow
from eraati.extensions import db, limiter
from eraati.mail.services import send_mail
from eraati.panels.services import panels_of
from eraati.site import services
from eraati.site.forms import FeedbackForm, PageForm
from eraati.site.models import AccessibilityFeedback, PageSlug

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    memberships = panels_of(current_user) if current_user.is_authenticated else []
    return render_template("site/home.html", memberships=memberships)


@bp.route("/accessibility", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def accessibility():
    form = FeedbackForm(page_address=request.referrer or "")
    if form.validate_on_submit():
        feedback = AccessibilityFeedback(
            message=form.message.data.strip(),
            contact_email=(form.contact_email.data or "").strip().lower() or None,
            page_address=(form.page_address.data or "")[:500],
            language=current_language(),
        )
        db.session.add(feedback)
        _notify_feedback_recipient(feedback)
        db.session.commit()
        flash(
            _(
                "Thank you. We received your feedback. If you gave an email address, we answer within 14 days."
            ),
            "success",
        )
        return redirect(url_for(".accessibility"))
    page = services.get_page(PageSlug.ACCESSIBILITY)
    status = 400 if form.errors else 200
    return render_template("site/page.html", page=page, feedback_form=form), status


def _notify_feedback_recipient(feedback: AccessibilityFeedback) -> None:
    recipient = current_app.config["ACCESSIBILITY_FEEDBACK_EMAIL"]
    if recipient:
        send_mail(
            recipient,
            "accessibility_feedback",
            current_app.config["DEFAULT_LANGUAGE"],
            _l("Accessibility feedback"),
            feedback=feedback,
        )


@bp.get("/privacy")
def privacy():
    return render_template("site/page.html", page=services.get_page(PageSlug.PRIVACY))


@bp.route("/admin/pages/<slug>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_page(slug: str):
    try:
        page = services.get_page(PageSlug(slug))
    except ValueError:
        abort(404)
    form = PageForm(obj=page)
    if form.validate_on_submit():
        page.title = clean_translations(form.title.data)
        page.body = clean_translations(form.body.data)
        page.updated_at = utcnow()
        page.updated_by_id = current_user.id
        db.session.add(page)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(f".{page.slug.value}"))
    status = 400 if form.errors else 200
    return render_template("site/edit_page.html", form=form, page=page), status
