"""The stop link in invitations mailed to opt-in contacts who have no account.

They have no notification settings to change, so the link withdraws their opt-ins
(the opt-in records when; an account holder's consent log too). The link carries a keyed
digest of the address, never the address itself, and is signed; it works without
signing in, and a mail program's one-click unsubscribe may POST it without a form.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from eraati.core.time import utcnow
from eraati.extensions import csrf, db
from eraati.surveys import pool

bp = Blueprint("pool_stop", __name__)


@bp.route("/invitations/stop/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed link authorises; mail programs' one-click POST has no form
def stop_invitations(token: str):
    opt_ins = pool.opt_ins_of(token)
    if opt_ins is None:
        return render_template("surveys/pool_stop_error.html"), 400
    if request.method == "POST":
        pool.stop(opt_ins, utcnow())
        db.session.commit()
        return render_template("surveys/pool_stopped.html")
    return render_template("surveys/pool_stop.html", found=bool(opt_ins))
