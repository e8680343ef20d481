"""Admin pages for accounts: find people, add staff, change roles, block sign-in."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from eraati.accounts import services
from eraati.accounts.forms import ROLE_LABELS, RoleForm, UserForm
from eraati.accounts.models import Role, User
from eraati.audit import record
from eraati.core.security import role_required
from eraati.extensions import db

bp = Blueprint("accounts_manage", __name__, url_prefix="/admin/users")

PAGE_SIZE = 50


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def users():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data, form.role.data, form.display_name.data
            )
        except services.AccountError:
            form.email.errors.append(_("That email address already has an account."))
        else:
            record("user.created", user, role=user.role)
            db.session.commit()
            flash(_("Account %(email)s added.", email=user.email), "success")
            return redirect(url_for(".users"))
    query = request.args.get("q", "").strip()[:100]
    page = max(request.args.get("page", 1, type=int), 1)
    # Erased accounts stay as emptied rows (their ids are never reused): not people.
    statement = select(User).where(User.erased_at.is_(None)).order_by(User.email)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            or_(User.email.like(pattern), func.lower(User.display_name).like(pattern))
        )
    rows = db.session.scalars(
        statement.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "accounts/manage/users.html",
        form=form,
        users=rows[:PAGE_SIZE],
        has_more=len(rows) > PAGE_SIZE,
        page=page,
        query=query,
        role_labels=ROLE_LABELS,
    ), 400 if form.errors else 200


@bp.post("/<int:user_id>")
@role_required(Role.ADMIN)
def change(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400, _("Choose one of the roles listed."))
    if user.id == current_user.id and (
        form.role.data != "admin" or not form.active.data
    ):
        abort(400, _("You cannot remove your own administrator rights."))
    before = (user.role, user.is_active_account)
    user.role = Role(form.role.data)
    user.is_active_account = form.active.data
    if not user.role.is_staff:
        user.password_hash = None
    if (user.role, user.is_active_account) != before:
        record("user.role_changed", user, role=user.role, active=user.is_active_account)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for(".users", q=request.args.get("q") or None))
