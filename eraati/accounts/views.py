"""Signing in by emailed link (or staff password), signing out, and the profile page."""

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
from flask_login import current_user, login_required, login_user, logout_user

from eraati.accounts import services
from eraati.accounts.consents import CONSENT_TEXTS
from eraati.accounts.forms import (
    ConfirmSignInForm,
    PasswordSignInForm,
    ProfileForm,
    SetPasswordForm,
    SignInForm,
)
from eraati.accounts.models import ConsentPurpose
from eraati.core.i18n import current_language
from eraati.core.security import safe_next_path
from eraati.core.time import utcnow
from eraati.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGNIN_RATE_LIMIT"]


LINK_ERRORS = {
    "invalid": lambda: _("This sign-in link is not valid. Ask for a new link."),
    "expired": lambda: _("This sign-in link has expired. Ask for a new link."),
    "used": lambda: _("This sign-in link has already been used. Ask for a new link."),
}


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in():
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        next_path = safe_next_path(form.next.data, default="") or None
        services.send_sign_in_link(email, current_language(), utcnow(), next_path)
        db.session.commit()
        return redirect(url_for("accounts.check_email"))
    return render_template(
        "accounts/sign_in.html", form=form
    ), 400 if form.errors else 200


@bp.route("/sign-in/sent")
def check_email():
    return render_template("accounts/check_email.html")


@bp.route("/sign-in/link/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def confirm_link(token: str):
    form = ConfirmSignInForm()
    now = utcnow()
    try:
        if request.method == "POST" and form.validate_on_submit():
            user, row = services.redeem_login_token(token, now)
            db.session.commit()
            login_user(user, remember=True)
            flash(_("You are signed in."), "success")
            return redirect(safe_next_path(row.next_path, url_for("site.home")))
        row = services.peek_login_token(token, now)
    except services.SignInLinkError as error:
        db.session.rollback()
        message = LINK_ERRORS[error.reason]()
        return render_template("accounts/link_error.html", message=message), 400
    if request.method == "POST":  # the form itself was refused (CSRF handled elsewhere)
        abort(400)
    return render_template("accounts/confirm_link.html", form=form, email=row.email)


@bp.route("/sign-in/password", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in_password():
    form = PasswordSignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.check_password(
            form.email.data.strip().lower(), form.password.data
        )
        if user is not None:
            user.last_sign_in_at = utcnow()
            db.session.commit()
            login_user(user)
            return redirect(safe_next_path(form.next.data, url_for("site.home")))
        form.password.errors.append(_("The email address or password is wrong."))
    status = 400 if form.errors else 200
    return render_template("accounts/sign_in_password.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    ConfirmSignInForm().validate_on_submit()  # CSRF is checked by CSRFProtect
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("site.home"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    consents = services.current_consents(current_user)
    form = ProfileForm(
        obj=current_user,
        data=None
        if request.method == "POST"
        else {
            "deeper_surveys": _granted(consents[ConsentPurpose.DEEPER_SURVEYS]),
            "live_sessions": _granted(consents[ConsentPurpose.LIVE_SESSIONS]),
            "preferred_language": current_user.preferred_language or current_language(),
        },
    )
    if form.validate_on_submit():
        _save_profile(form)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return (
        render_template(
            "accounts/profile.html",
            form=form,
            consents=consents,
            consent_texts=CONSENT_TEXTS,
        ),
        400 if form.errors else 200,
    )


def _granted(event) -> bool:
    return bool(event and event.granted)


def _save_profile(form: ProfileForm) -> None:
    now = utcnow()
    current_user.display_name = form.display_name.data.strip()
    current_user.preferred_language = form.preferred_language.data
    language = current_user.preferred_language
    services.record_consent(
        current_user,
        ConsentPurpose.DEEPER_SURVEYS,
        form.deeper_surveys.data,
        language,
        now,
    )
    services.record_consent(
        current_user,
        ConsentPurpose.LIVE_SESSIONS,
        form.live_sessions.data,
        language,
        now,
    )
    new_email = services.normalise_email(form.email.data)
    if new_email != current_user.email:
        if services.find_user(new_email) is not None:
            flash(
                _(
                    "That email address is already in use. Your other changes are saved."
                ),
                "error",
            )
        else:
            services.send_email_change_link(current_user, new_email, now)
            flash(
                _("We sent a confirmation link to %(email)s.", email=new_email), "info"
            )


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def set_password():
    if not current_user.role.is_staff:
        abort(403)
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password(current_user, form.password.data)
        db.session.commit()
        flash(_("Your password is set."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/set_password.html", form=form
    ), 400 if form.errors else 200
