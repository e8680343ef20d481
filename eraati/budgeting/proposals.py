"""Residents' ideas, comments, following and follow-up representatives (services:
they flush, never commit)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from eraati.budgeting import photos
from eraati.budgeting.models import (
    Area,
    AreaRepresentative,
    Comment,
    Follow,
    Phase,
    Project,
    Proposal,
    ProposalStatus,
)
from eraati.core.time import utcnow
from eraati.extensions import db


def can_edit(proposal: Proposal, process_phase: Phase, user) -> bool:
    """The author may edit an idea until the proposals phase ends."""
    return (
        process_phase is Phase.PROPOSALS
        and user.is_authenticated
        and proposal.author_id == user.id
    )


def find_duplicate(process_id: int, author_id: int, title: str) -> Proposal | None:
    return db.session.scalar(
        select(Proposal).where(
            Proposal.process_id == process_id,
            Proposal.author_id == author_id,
            Proposal.title == title,
        )
    )


def submit(proposal: Proposal, photo: tuple[bytes, str] | None) -> Proposal | None:
    """Store a new idea and let its author follow it; None if the author already
    sent an idea with this title (a double submit), and then no photo is kept."""
    if photo is not None:
        proposal.photo_path = photos.save(*photo)
    try:
        with db.session.begin_nested():
            db.session.add(proposal)
    except IntegrityError:
        photos.delete(proposal.photo_path)
        return None
    set_following(proposal.author_id, True, proposal=proposal)
    return proposal


def replace_photo(proposal: Proposal, photo: tuple[bytes, str] | None, remove: bool):
    """Swap or drop the photo; returns the old name to delete after the commit."""
    old = proposal.photo_path
    if photo is not None:
        proposal.photo_path = photos.save(*photo)
    elif remove:
        proposal.photo_path = None
    return old if old != proposal.photo_path else None


def set_outcome(
    proposal: Proposal, status: ProposalStatus, project: Project | None, note: str
) -> bool:
    """Record what became of the idea; True when that changed (then people hear)."""
    before = (proposal.status, proposal.project_id, proposal.outcome_note)
    proposal.status = status
    proposal.project_id = project.id if status is ProposalStatus.LINKED else None
    proposal.outcome_note = note.strip() or None
    db.session.flush()
    return before != (proposal.status, proposal.project_id, proposal.outcome_note)


# --- Comments --------------------------------------------------------------------


def add_comment(author_id: int, body: str, *, proposal=None, project=None) -> Comment:
    """A plain-text comment; the same text sent twice in a row is kept once."""
    target = (
        Comment.proposal_id == proposal.id
        if proposal is not None
        else Comment.project_id == project.id
    )
    last = db.session.scalar(
        select(Comment)
        .where(target, Comment.author_id == author_id)
        .order_by(Comment.id.desc())
        .limit(1)
    )
    if last is not None and last.body == body.strip():
        return last
    comment = Comment(
        author_id=author_id,
        body=body.strip(),
        proposal_id=proposal.id if proposal is not None else None,
        project_id=project.id if project is not None else None,
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def comments_on(*, proposal=None, project=None) -> list[Comment]:
    target = (
        Comment.proposal_id == proposal.id
        if proposal is not None
        else Comment.project_id == project.id
    )
    return list(db.session.scalars(select(Comment).where(target).order_by(Comment.id)))


def hide_comment(comment: Comment, official_id: int, reason: str) -> None:
    comment.hidden_reason = reason.strip()
    comment.hidden_at = utcnow()
    comment.hidden_by_id = official_id
    db.session.flush()


# --- Following -------------------------------------------------------------------


def _follow_target(proposal, project):
    if proposal is not None:
        return Follow.proposal_id == proposal.id, {"proposal_id": proposal.id}
    return Follow.project_id == project.id, {"project_id": project.id}


def _follows(user_id: int, condition) -> bool:
    found = select(Follow.id).where(condition, Follow.user_id == user_id)
    return db.session.scalar(found) is not None


def is_following(user, *, proposal=None, project=None) -> bool:
    if not user.is_authenticated:
        return False
    return _follows(user.id, _follow_target(proposal, project)[0])


def set_following(user_id: int, follow: bool, *, proposal=None, project=None) -> None:
    """Follow or stop following; a repeat (double click, two tabs) changes nothing."""
    condition, values = _follow_target(proposal, project)
    if not follow:
        db.session.execute(delete(Follow).where(condition, Follow.user_id == user_id))
        return
    if _follows(user_id, condition):
        return
    try:
        with db.session.begin_nested():
            db.session.add(Follow(user_id=user_id, **values))
    except IntegrityError:
        pass  # a parallel request followed first: the same outcome


def followed_project_ids(user, process_id: int) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        db.session.scalars(
            select(Follow.project_id)
            .join(Project, Project.id == Follow.project_id)
            .where(Follow.user_id == user.id, Project.process_id == process_id)
        )
    )


# --- Follow-up representatives ---------------------------------------------------


def representatives(area: Area) -> list[AreaRepresentative]:
    return list(
        db.session.scalars(
            select(AreaRepresentative)
            .where(AreaRepresentative.area_id == area.id)
            .order_by(AreaRepresentative.id)
        )
    )


def is_representative(user, area_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return (
        db.session.scalar(
            select(AreaRepresentative.id).where(
                AreaRepresentative.area_id == area_id,
                AreaRepresentative.user_id == user.id,
            )
        )
        is not None
    )


def add_representative(area: Area, user_id: int, added_by_id: int) -> bool:
    """Name a representative; False if they already were one."""
    try:
        with db.session.begin_nested():
            db.session.add(
                AreaRepresentative(
                    area_id=area.id, user_id=user_id, added_by_id=added_by_id
                )
            )
    except IntegrityError:
        return False
    return True


def remove_representative(area: Area, user_id: int) -> None:
    db.session.execute(
        delete(AreaRepresentative).where(
            AreaRepresentative.area_id == area.id,
            AreaRepresentative.user_id == user_id,
        )
    )
