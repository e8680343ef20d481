"""The budgeting domain's part of "my data": ideas, comments, follows, voting.

How someone voted is not here: a ballot has no voter (see
:mod:`eraati.budgeting.models`); only *whether* an account voted is. Erasure keeps
ideas and comments without their author, the ballots as they are, and the voter
list's rows without the person, so that published results and turnout stay.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from eraati.budgeting.models import (
    Area,
    AreaRepresentative,
    Comment,
    CouncilDecision,
    Eligibility,
    Follow,
    PaperBallotEntry,
    Process,
    ProjectUpdate,
    Proposal,
    VoterRecord,
)
from eraati.extensions import db
from eraati.mydata.rows import changed, without_address


def export(user) -> dict:
    return {
        "proposals": [
            {
                "proposal_id": proposal.id,
                "process_id": proposal.process_id,
                "process": process_title,
                "area": area_name,
                "title": proposal.title,
                "description": proposal.description,
                "estimated_cost": proposal.estimated_cost,
                "has_photo": proposal.photo_path is not None,
                "status": proposal.status.value,
                "outcome_note": proposal.outcome_note,
                "created_at": proposal.created_at,
            }
            for proposal, process_title, area_name in db.session.execute(
                select(Proposal, Process.title, Area.name)
                .join(Process, Process.id == Proposal.process_id)
                .join(Area, Area.id == Proposal.area_id)
                .where(Proposal.author_id == user.id)
                .order_by(Proposal.id)
            )
        ],
        "comments": [
            {
                "proposal_id": comment.proposal_id,
                "project_id": comment.project_id,
                "text": comment.body,
                "created_at": comment.created_at,
                "hidden_reason": comment.hidden_reason,
            }
            for comment in _rows(Comment, Comment.author_id == user.id)
        ],
        "follows": [
            {
                "proposal_id": follow.proposal_id,
                "project_id": follow.project_id,
                "created_at": follow.created_at,
            }
            for follow in _rows(Follow, Follow.user_id == user.id)
        ],
        "voting": _voting(user),
        "area_representative": [
            {"area_id": row.area_id, "created_at": row.created_at}
            for row in _rows(AreaRepresentative, AreaRepresentative.user_id == user.id)
        ],
        "staff_actions": {
            "comments_hidden": _count(Comment, Comment.hidden_by_id == user.id),
            "paper_ballots_entered": _count(
                PaperBallotEntry, PaperBallotEntry.entered_by_id == user.id
            ),
            "council_decisions": _count(
                CouncilDecision, CouncilDecision.decided_by_id == user.id
            ),
            "project_updates": _count(
                ProjectUpdate, ProjectUpdate.updated_by_id == user.id
            ),
        },
    }


def _voting(user) -> list[dict]:
    """Per process: whether the account could vote, and whether it did."""
    eligible = dict(
        db.session.execute(
            select(Eligibility.process_id, Eligibility.area_id).where(
                Eligibility.user_id == user.id
            )
        ).all()
    )
    voted = dict(
        db.session.execute(
            select(VoterRecord.process_id, VoterRecord.area_id).where(
                VoterRecord.user_id == user.id
            )
        ).all()
    )
    process_ids = sorted(eligible.keys() | voted.keys())
    titles = dict(
        db.session.execute(
            select(Process.id, Process.title).where(Process.id.in_(process_ids))
        ).all()
    )
    return [
        {
            "process_id": process_id,
            "process": titles.get(process_id, {}),
            "area_id": voted.get(process_id, eligible.get(process_id)),
            "eligible": process_id in eligible,
            "voted": process_id in voted,
        }
        for process_id in process_ids
    ]


def _rows(model, *where) -> list:
    return list(db.session.scalars(select(model).where(*where).order_by(model.id)))


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _unlink(column, user) -> int:
    return changed(
        update(column.class_).where(column == user.id).values({column.key: None})
    )


def erase(user) -> dict[str, int]:
    without_address(Proposal.description, user.email, Proposal.author_id == user.id)
    without_address(Comment.body, user.email, Comment.author_id == user.id)
    counts = {
        "proposals": _unlink(Proposal.author_id, user),
        "comments": _unlink(Comment.author_id, user),
        "follows": changed(delete(Follow).where(Follow.user_id == user.id)),
        # Whether they voted goes; the ballot, which never named them, stays.
        "voter_records": changed(
            delete(VoterRecord).where(VoterRecord.user_id == user.id)
        ),
        "eligibility": _unlink(Eligibility.user_id, user),
        "area_representative": changed(
            delete(AreaRepresentative).where(AreaRepresentative.user_id == user.id)
        ),
    }
    staff_links = [
        Comment.hidden_by_id,
        AreaRepresentative.added_by_id,
        PaperBallotEntry.entered_by_id,
        CouncilDecision.decided_by_id,
        ProjectUpdate.updated_by_id,
    ]
    counts["staff_actions"] = sum(_unlink(column, user) for column in staff_links)
    return counts
