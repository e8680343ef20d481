"""Gather what became of a panel's ideas and questionnaires, and of a budgeting
process's ideas and projects, as :class:`~eraati.outcomes.items.Outcome` lists.

Every query loads its rows in a fixed number of statements (no query per item).
Proposals and projects keep no time of their last status change: their last update
is the latest implementation update, else when they were created.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eraati.budgeting.manage_labels import IMPLEMENTATION_LABELS
from eraati.budgeting.models import (
    ImplementationStatus,
    Process,
    Project,
    ProjectStatus,
    ProjectUpdate,
    Proposal,
    ProposalStatus,
)
from eraati.budgeting.views import STATUS_LABELS as PROJECT_LABELS
from eraati.core.i18n import text_in_reader_language as tr
from eraati.extensions import db
from eraati.outcomes import labels
from eraati.outcomes.items import Kind, Outcome, Stage
from eraati.panels.models import Panel
from eraati.rooms.labels import IDEA_STATUS
from eraati.rooms.models import Idea
from eraati.rooms.rules import IdeaStatus
from eraati.surveys.models import FollowUp, Round

IDEA_STAGES = {
    IdeaStatus.NEW: Stage.NEW,
    IdeaStatus.UNDER_CONSIDERATION: Stage.UNDER_WAY,
    IdeaStatus.IN_PROGRESS: Stage.UNDER_WAY,
    IdeaStatus.DONE: Stage.DONE,
    IdeaStatus.NOT_GOING_AHEAD: Stage.STOPPED,
}
PROJECT_STAGES = {
    ProjectStatus.CANDIDATE: Stage.UNDER_WAY,
    ProjectStatus.REJECTED: Stage.STOPPED,
    ProjectStatus.ON_BALLOT: Stage.UNDER_WAY,
    ProjectStatus.SELECTED: Stage.UNDER_WAY,
    ProjectStatus.DROPPED: Stage.STOPPED,
    ProjectStatus.FUNDED: Stage.UNDER_WAY,
}
IMPLEMENTATION_STAGES = {
    ImplementationStatus.PLANNED: Stage.UNDER_WAY,
    ImplementationStatus.IN_PROGRESS: Stage.UNDER_WAY,
    ImplementationStatus.DELAYED: Stage.UNDER_WAY,
    ImplementationStatus.DONE: Stage.DONE,
    ImplementationStatus.CANCELLED: Stage.STOPPED,
}


# --- Panels: ideas from sessions, questionnaire results ------------------------------


def panel_outcomes(panel: Panel) -> list[Outcome]:
    """Every accepted idea of the panel and every published questionnaire round."""
    ideas = db.session.scalars(
        select(Idea)
        .where(Idea.panel_id == panel.id, Idea.accepted.is_(True))
        .options(selectinload(Idea.history))
    )
    return [*(idea_outcome(idea) for idea in ideas), *_round_outcomes(panel)]


def idea_outcome(idea: Idea, *relations: str) -> Outcome:
    latest = idea.history[-1] if idea.history else None
    stage = IDEA_STAGES[idea.status]
    written = latest.reason if latest is not None and latest.reason else None
    if idea.accepted:
        status = labels.text(IDEA_STATUS[idea.status])
        link = url_for("rooms.ideas", panel_id=idea.panel_id, _anchor=f"idea-{idea.id}")
    else:
        # Only the person who suggested it sees it before the moderator accepts it.
        status = labels.text(labels.SUGGESTED)
        link = url_for("rooms.room", session_id=idea.session_id)
    return Outcome(
        key=f"idea-{idea.id}",
        kind=Kind.IDEA,
        title=idea.title,
        stage=stage,
        status=status,
        updated=idea.status_changed_at,
        link=link,
        reason=written if stage is Stage.STOPPED else None,
        note=None if stage is Stage.STOPPED else written,
        relations=relations,
    )


def _round_outcomes(panel: Panel) -> list[Outcome]:
    rounds = db.session.scalars(
        select(Round)
        .where(Round.panel_id == panel.id, Round.published_at.is_not(None))
        .options(selectinload(Round.questionnaire))
    ).all()
    latest: dict[int, FollowUp] = {}
    follow_ups = db.session.scalars(
        select(FollowUp)
        .where(FollowUp.round_id.in_([round_.id for round_ in rounds]))
        .order_by(FollowUp.created_at, FollowUp.id)
    )
    for follow_up in follow_ups:
        latest[follow_up.round_id] = follow_up  # ordered: the last one wins
    return [_round_outcome(round_, latest.get(round_.id)) for round_ in rounds]


def _round_outcome(round_: Round, follow_up: FollowUp | None) -> Outcome:
    return Outcome(
        key=f"survey-{round_.id}",
        kind=Kind.SURVEY,
        title=tr(round_.title) or tr(round_.questionnaire.title),
        stage=Stage.UNDER_WAY,
        status=labels.text(
            labels.UPDATE_PUBLISHED if follow_up else labels.RESULTS_PUBLISHED
        ),
        updated=follow_up.created_at if follow_up else round_.published_at,
        link=url_for("surveys_results.round", round_id=round_.id),
        note=tr(follow_up.note if follow_up else round_.publication_note) or None,
    )


# --- Participatory budgeting: proposals and projects ---------------------------------


def process_outcomes(process: Process) -> list[Outcome]:
    """Every idea residents sent to the process, and every project."""
    projects = db.session.scalars(
        select(Project).where(Project.process_id == process.id)
    ).all()
    by_project = project_outcomes(projects)
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.process_id == process.id)
    )
    return [
        *(proposal_outcome(p, by_project.get(p.project_id)) for p in proposals),
        *by_project.values(),
    ]


def project_outcomes(
    projects: Iterable[Project], relations: dict[int, tuple[str, ...]] | None = None
) -> dict[int, Outcome]:
    """Outcomes of ``projects`` by project id, with their latest updates."""
    projects = list(projects)
    latest = _latest_updates([project.id for project in projects])
    relations = relations or {}
    return {
        project.id: _project_outcome(
            project, latest.get(project.id), relations.get(project.id, ())
        )
        for project in projects
    }


def _latest_updates(project_ids: list[int]) -> dict[int, ProjectUpdate]:
    latest: dict[int, ProjectUpdate] = {}
    if not project_ids:
        return latest
    updates = db.session.scalars(
        select(ProjectUpdate)
        .where(ProjectUpdate.project_id.in_(project_ids))
        .order_by(ProjectUpdate.created_at, ProjectUpdate.id)
    )
    for update in updates:
        latest[update.project_id] = update  # ordered: the last one wins
    return latest


def _project_outcome(
    project: Project, update: ProjectUpdate | None, relations: tuple[str, ...]
) -> Outcome:
    funded = project.status is ProjectStatus.FUNDED
    if funded and update is not None:
        stage = IMPLEMENTATION_STAGES[update.status]
        status = labels.text(IMPLEMENTATION_LABELS[update.status])
        written = update.note
    else:
        stage = PROJECT_STAGES[project.status]
        status = labels.text(PROJECT_LABELS[project.status])
        written = project.status_reason
    if funded:
        link = url_for(
            "budgeting_follow_up.project",
            process_id=project.process_id,
            project_id=project.id,
        )
    else:
        link = url_for(
            "budgeting.process_page",
            process_id=project.process_id,
            _anchor=f"area-{project.area_id}",
        )
    return Outcome(
        key=f"project-{project.id}",
        kind=Kind.PROJECT,
        title=tr(project.title),
        stage=stage,
        status=status,
        updated=_latest(
            project.created_at,
            project.status_changed_at,
            update.created_at if update is not None else None,
        ),
        link=link,
        reason=written if stage is Stage.STOPPED else None,
        note=None if stage is Stage.STOPPED else written,
        relations=relations,
    )


def proposal_outcome(
    proposal: Proposal, project: Outcome | None, *relations: str
) -> Outcome:
    """A linked idea goes as far as the project it became, and is as recent."""
    status = labels.text(labels.PROPOSAL_STATUS[proposal.status])
    stage, reason, note = Stage.NEW, None, proposal.outcome_note
    updated = _latest(proposal.created_at, proposal.decided_at)
    if proposal.status is ProposalStatus.REJECTED:
        stage, reason, note = Stage.STOPPED, proposal.outcome_note, None
    elif proposal.status is ProposalStatus.LINKED and project is not None:
        status = labels.text(labels.BECAME_PROJECT) % {"status": project.status}
        stage, reason = project.stage, project.reason
        updated = max(updated, project.updated)
    elif proposal.status is ProposalStatus.LINKED:
        stage = Stage.UNDER_WAY  # the project has since been deleted
    return Outcome(
        key=f"proposal-{proposal.id}",
        kind=Kind.PROPOSAL,
        title=proposal.title,
        stage=stage,
        status=status,
        updated=updated,
        link=url_for(
            "budgeting.proposal_page",
            process_id=proposal.process_id,
            proposal_id=proposal.id,
        ),
        reason=reason,
        note=note,
        relations=relations,
    )


def _latest(*moments):
    return max(moment for moment in moments if moment is not None)
