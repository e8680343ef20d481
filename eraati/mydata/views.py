"""A person's own data: the readable page, the JSON download and deleting the
account. Everything here acts on the signed-in person; no route takes an id."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, session
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from eraati.core.time import utcnow
from eraati.extensions import db, login_manager
from eraati.mydata import services
from eraati.mydata.forms import DeleteAccountForm
from eraati.mydata.labels import readable

bp = Blueprint("mydata", __name__)

#: Set in the (signed-out) session after an erasure: a reload or a second click
#: shows the done page again rather than the sign-in page.
ERASED_KEY = "mydata_erased"


@bp.get("/my-data")
@login_required
def index():
    data = services.export_data(current_user, utcnow())
    return render_template("mydata/index.html", sections=readable(data))


@bp.get("/my-data.json")
@login_required
def download():
    now = utcnow()
    user = current_user._get_current_object()
    data = services.export_data(user, now)
    services.record_export(user, actor=user, requested_by="self")
    db.session.commit()
    return json_download(data, now)


def json_download(data: dict, now) -> Response:
    name = f"eraati-my-data-{now.date().isoformat()}.json"
    return Response(
        services.to_json(data),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",  # personal data: not kept by proxies
        },
    )


@bp.route("/my-data/delete", methods=["GET", "POST"])
def delete():
    if not current_user.is_authenticated:
        if session.get(ERASED_KEY):
            return render_template("mydata/deleted.html")
        return login_manager.unauthorized()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            erasure = services.erase_account(
                current_user._get_current_object(), utcnow(), requested_by="self"
            )
        except services.LastAdmin:
            abort(
                409,
                _(
                    "You are the only administrator. Name another administrator "
                    "before you delete your account."
                ),
            )
        except services.AlreadyErased:
            db.session.rollback()  # a simultaneous second click got there first
        else:
            db.session.commit()
            services.confirm_erasure(erasure)
        session.clear()
        logout_user()
        session[ERASED_KEY] = True
        return render_template("mydata/deleted.html")
    return render_template("mydata/delete.html", form=form), 400 if form.errors else 200
