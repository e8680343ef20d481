"""Officials handle residents' ideas (what each became, with a published reason),
hide comments with a reason, and name follow-up representatives of an area (routes
on the officials' blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eraati.accounts.models import Role, User
from eraati.budgeting import notices
from eraati.budgeting import proposals as services
from eraati.budgeting.forms import HideForm, OutcomeForm, RepresentativeForm
from eraati.budgeting.manage import _child, _process, bp
from eraati.budgeting.manage_labels import STATUS_LABELS
from eraati.budgeting.models import (
    Area,
    Comment,
    Phase,
    Project,
    Proposal,
    ProposalStatus,
)
from eraati.core.i18n import text_in_reader_language
from eraati.core.security import role_required
from eraati.extensions import db

#: Ideas are handled once residents can no longer send or edit them.
TOO_EARLY = {Phase.DRAFT, Phase.INFORMATION, Phase.PROPOSALS}


@bp.get("/<int:process_id>/proposals")
@role_required(Role.OFFICIAL)
def proposals(process_id: int):
    process = _process(process_id)
    rows = db.session.scalars(
        select(Proposal)
        .where(Proposal.process_id == process.id)
        .order_by(Proposal.area_id, Proposal.id)
    ).all()
    return render_template(
        "budgeting/proposals/manage_list.html", process=process, proposals=rows
    )


@bp.route("/<int:process_id>/proposals/<int:proposal_id>", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def proposal_outcome(process_id: int, proposal_id: int):
    """Link the idea to the project it became, or say why it will not become one."""
    process = _process(process_id)
    proposal = _child(Proposal, proposal_id, process)
    projects = db.session.scalars(
        select(Project).where(Project.process_id == process.id).order_by(Project.id)
    ).all()
    decided = proposal.status is not ProposalStatus.SUBMITTED
    form = OutcomeForm(
        data={
            "status": proposal.status.value if decided else None,
            "project_id": str(proposal.project_id or ""),
            "note": proposal.outcome_note or "",
        }
    )
    form.project_id.choices = [("", _("Choose a project"))] + [
        (str(p.id), _project_label(p)) for p in projects
    ]
    form.project_ids = frozenset(str(p.id) for p in projects)
    if form.validate_on_submit():
        if process.phase in TOO_EARLY:
            abort(409, _("Ideas are handled after the proposals phase has ended."))
        status = ProposalStatus(form.status.data)
        project = next((p for p in projects if str(p.id) == form.project_id.data), None)
        if services.set_outcome(proposal, status, project, form.note.data or ""):
            notices.proposal_decided(proposal)
        db.session.commit()
        flash(_("Saved. The proposer can see what became of the idea."), "success")
        return redirect(url_for(".proposals", process_id=process.id))
    return render_template(
        "budgeting/proposals/manage_outcome.html",
        form=form,
        process=process,
        proposal=proposal,
        too_early=process.phase in TOO_EARLY,
    ), (400 if form.errors else 200)


def _project_label(project: Project) -> str:
    title = text_in_reader_language(project.title)
    area = text_in_reader_language(project.area.name)
    return f"{title} ({area}, {STATUS_LABELS[project.status]})"


@bp.route("/<int:process_id>/comments/<int:comment_id>/hide", methods=["GET", "POST"])
@role_required(Role.OFFICIAL)
def hide_comment(process_id: int, comment_id: int):
    process = _process(process_id)
    comment = db.session.get(Comment, comment_id) or abort(404)
    back = _comment_page(comment)
    if back is None or back[0] != process.id:
        abort(404)
    form = HideForm()
    if form.validate_on_submit():
        services.hide_comment(comment, current_user.id, form.reason.data)
        db.session.commit()
        flash(_("The comment is hidden. The reason is shown in its place."), "success")
        return redirect(back[1])
    return render_template(
        "budgeting/proposals/hide_comment.html",
        form=form,
        process=process,
        comment=comment,
        back=back[1],
    ), (400 if form.errors else 200)


def _comment_page(comment: Comment) -> tuple[int, str] | None:
    """(process id, the public page the comment is on)."""
    if comment.proposal_id is not None:
        proposal = db.session.get(Proposal, comment.proposal_id)
        return proposal.process_id, url_for(
            "budgeting.proposal_page",
            process_id=proposal.process_id,
            proposal_id=proposal.id,
        )
    project = db.session.get(Project, comment.project_id)
    return project.process_id, url_for(
        "budgeting_follow_up.project",
        process_id=project.process_id,
        project_id=project.id,
    )


@bp.route(
    "/<int:process_id>/areas/<int:area_id>/representatives", methods=["GET", "POST"]
)
@role_required(Role.OFFICIAL)
def representatives(process_id: int, area_id: int):
    process = _process(process_id)
    area = _child(Area, area_id, process)
    form = RepresentativeForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            form.email.errors.append(
                _("No one has an account with this address. Ask them to sign in once.")
            )
        else:
            if services.add_representative(area, user.id, current_user.id):
                flash(
                    _("%(name)s now follows the implementation.", name=email), "success"
                )
            else:
                flash(_("%(name)s is already a representative.", name=email), "info")
            db.session.commit()
            return redirect(request.path)
    return render_template(
        "budgeting/proposals/representatives.html",
        form=form,
        process=process,
        area=area,
        people=services.representatives(area),
    ), (400 if form.errors else 200)


@bp.post("/<int:process_id>/areas/<int:area_id>/representatives/<int:user_id>/remove")
@role_required(Role.OFFICIAL)
def remove_representative(process_id: int, area_id: int, user_id: int):
    process = _process(process_id)
    area = _child(Area, area_id, process)
    services.remove_representative(area, user_id)
    db.session.commit()
    flash(_("The representative was removed."), "success")
    return redirect(url_for(".representatives", process_id=process.id, area_id=area.id))
