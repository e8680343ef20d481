"""Residents' ideas: the public list and page, sending and editing an idea, comments,
the photo, and following ideas and projects (routes on the residents' blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from eraati.budgeting import photos
from eraati.budgeting import proposals as services
from eraati.budgeting.forms import CommentForm, ProposalForm
from eraati.budgeting.models import Phase, Process, Project, Proposal, ProposalStatus
from eraati.budgeting.views import STATUS_LABELS, _process, bp
from eraati.core.forms import choices
from eraati.core.i18n import text_in_reader_language
from eraati.core.security import safe_next_path
from eraati.extensions import db, limiter, login_manager


def _proposal(process: Process, proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.process_id != process.id:
        abort(404)
    return proposal


def _closed(process: Process):
    return render_template("budgeting/proposals/closed.html", process=process), 409


def _area_choices(form: ProposalForm, process: Process) -> None:
    form.area_id.choices = choices(
        (area.id, text_in_reader_language(area.name)) for area in process.areas
    )


@bp.get("/<int:process_id>/proposals")
def proposals(process_id: int):
    process = _process(process_id)
    area_id = request.args.get("area", type=int)
    query = select(Proposal).where(Proposal.process_id == process.id)
    if area_id:
        query = query.where(Proposal.area_id == area_id)
    return render_template(
        "budgeting/proposals/list.html",
        process=process,
        area_id=area_id,
        proposals=db.session.scalars(query.order_by(Proposal.id.desc())).all(),
    )


@bp.route("/<int:process_id>/proposals/new", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def new_proposal(process_id: int):
    process = _process(process_id)
    if process.phase is not Phase.PROPOSALS:
        return _closed(process)
    form = ProposalForm(area_id=request.args.get("area", type=int))
    _area_choices(form, process)
    if form.validate_on_submit():
        title = form.title.data.strip()
        stored = services.find_duplicate(process.id, current_user.id, title)
        if stored is None:
            new = Proposal(
                process_id=process.id,
                area_id=form.area_id.data,
                author_id=current_user.id,
                title=title,
                description=form.description.data.strip(),
                estimated_cost=form.estimated_cost.data,
            )
            if services.submit(new, form.checked_photo) is not None:
                db.session.commit()
                flash(_("Thank you! Your idea is published."), "success")
                return redirect(_page_url(new))
            # A parallel submit of the same idea was stored first.
            stored = services.find_duplicate(process.id, current_user.id, title)
        flash(_("You have already sent an idea with this title."), "info")
        return redirect(_page_url(stored))
    return render_template(
        "budgeting/proposals/form.html", form=form, process=process, proposal=None
    ), (400 if form.errors else 200)


def _page_url(proposal: Proposal) -> str:
    return url_for(
        "budgeting.proposal_page",
        process_id=proposal.process_id,
        proposal_id=proposal.id,
    )


@bp.route("/<int:process_id>/proposals/<int:proposal_id>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def proposal_page(process_id: int, proposal_id: int):
    """The idea, what became of it, and its comments (a POST adds a comment)."""
    process = _process(process_id)
    proposal = _proposal(process, proposal_id)
    form = CommentForm()
    if request.method == "POST":
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if form.validate_on_submit():
            services.add_comment(current_user.id, form.body.data, proposal=proposal)
            db.session.commit()
            flash(_("Your comment is published."), "success")
            return redirect(_page_url(proposal) + "#comments")
    return render_template(
        "budgeting/proposals/page.html",
        process=process,
        proposal=proposal,
        comments=services.comments_on(proposal=proposal),
        form=form,
        following=services.is_following(current_user, proposal=proposal),
        can_edit=services.can_edit(proposal, process.phase, current_user),
        linked=proposal.status is ProposalStatus.LINKED and proposal.project,
        status_labels=STATUS_LABELS,
    ), (400 if form.errors else 200)


@bp.route("/<int:process_id>/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def edit_proposal(process_id: int, proposal_id: int):
    process = _process(process_id)
    proposal = _proposal(process, proposal_id)
    if proposal.author_id != current_user.id:
        abort(403)
    if not services.can_edit(proposal, process.phase, current_user):
        return _closed(process)
    form = ProposalForm(obj=proposal)
    _area_choices(form, process)
    if form.validate_on_submit() and _title_free(form, proposal):
        proposal.area_id = form.area_id.data
        proposal.title = form.title.data.strip()
        proposal.description = form.description.data.strip()
        proposal.estimated_cost = form.estimated_cost.data
        old_photo = services.replace_photo(
            proposal, form.checked_photo, form.remove_photo.data
        )
        db.session.commit()
        photos.delete(old_photo)
        flash(_("Your changes are saved."), "success")
        return redirect(_page_url(proposal))
    return render_template(
        "budgeting/proposals/form.html", form=form, process=process, proposal=proposal
    ), (400 if form.errors else 200)


def _title_free(form: ProposalForm, proposal: Proposal) -> bool:
    same = services.find_duplicate(
        proposal.process_id, proposal.author_id, form.title.data.strip()
    )
    if same is not None and same.id != proposal.id:
        form.title.errors = [_("You have already sent an idea with this title.")]
        return False
    return True


@bp.get("/<int:process_id>/proposals/<int:proposal_id>/photo")
def proposal_photo(process_id: int, proposal_id: int):
    proposal = _proposal(_process(process_id), proposal_id)
    path = photos.path_of(proposal.photo_path) if proposal.photo_path else None
    if path is None:
        abort(404)
    return send_file(
        path, mimetype=photos.MIME_TYPES[path.suffix.lstrip(".")], max_age=3600
    )


# --- Following -------------------------------------------------------------------


@bp.post("/<int:process_id>/proposals/<int:proposal_id>/follow")
@login_required
def follow_proposal(process_id: int, proposal_id: int):
    proposal = _proposal(_process(process_id), proposal_id)
    return _set_following(_page_url(proposal), proposal=proposal)


@bp.post("/<int:process_id>/projects/<int:project_id>/follow")
@login_required
def follow_project(process_id: int, project_id: int):
    process = _process(process_id)
    project = db.session.get(Project, project_id)
    if project is None or project.process_id != process.id:
        abort(404)
    back = url_for("budgeting.process_page", process_id=process.id)
    return _set_following(back, project=project)


def _set_following(back: str, **target):
    """The button says what it does ("follow" or "unfollow"), so a double click or
    an old page never flips the choice back."""
    action = request.form.get("action")
    if action not in ("follow", "unfollow"):
        abort(400)
    services.set_following(current_user.id, action == "follow", **target)
    db.session.commit()
    if action == "follow":
        flash(
            _("You now follow this. We will send you mail when it moves on."), "success"
        )
    else:
        flash(_("You no longer follow this."), "success")
    return redirect(safe_next_path(request.form.get("next"), back))
