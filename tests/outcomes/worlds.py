"""A panel and a budgeting process with things in every state, at fixed times.

Plain functions (not fixtures), so that the browser test builds the same world in
its live server's app context.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from eraati.accounts.models import User
from eraati.budgeting.models import (
    Area,
    Follow,
    ImplementationStatus,
    Phase,
    Process,
    Project,
    ProjectStatus,
    ProjectUpdate,
    Proposal,
    ProposalStatus,
    VoterRecord,
)
from eraati.extensions import db
from eraati.panels.models import Membership, Organisation, Panel, Unit
from eraati.rooms import services as rooms
from eraati.rooms.models import Participant
from eraati.surveys import services as surveys
from eraati.surveys.builtin import SELF_EVALUATION, ensure_builtin_templates
from eraati.surveys.models import FollowUp, RoundState

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def days_ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


@dataclass
class PanelWorld:
    panel: Panel
    stopped: int  #: not going ahead 10 days ago, with a reason
    stale: int  #: new for 61 days
    done: int  #: done 100 days ago
    fresh: int  #: new 5 days ago
    suggestion: int  #: the resident's suggestion, not accepted yet
    survey: int  #: a published round with a follow-up 20 days ago

    def keys(self, *names: str) -> set[str]:
        return {
            f"survey-{self.survey}"
            if name == "survey"
            else f"idea-{getattr(self, name)}"
            for name in names
        }


def build_panel(resident: User) -> PanelWorld:
    """A panel whose session the resident took part in and suggested an idea in."""
    panel = Panel(
        unit=Unit(
            organisation=Organisation(slug="hva", name={"en": "Wellbeing"}),
            name={"en": "Health centre"},
        ),
        name={"en": "Health panel", "fi": "Terveysraati", "sv": "Hälsorådet"},
    )
    db.session.add_all([panel, Membership(panel=panel, user=resident)])
    db.session.flush()
    session = rooms.schedule_session(
        panel,
        title={"en": "Spring meeting", "fi": "Kevättapaaminen", "sv": "Vårmöte"},
        starts_at=days_ago(200) + timedelta(days=5),
        ends_at=days_ago(200) + timedelta(days=5, hours=2),
        now=days_ago(200),
    )
    participant = db.session.query(Participant).filter_by(user_id=resident.id).one()
    participant.joined_at = days_ago(195)

    def idea(name: str, created: int, *steps, **kwargs) -> int:
        made = rooms.make_idea(session, name, now=days_ago(created), **kwargs)
        for status, reason, when in steps:
            rooms.change_idea_status(made, status, reason, None, days_ago(when))
        return made.id

    world = PanelWorld(
        panel=panel,
        stopped=idea(
            "Evening opening hours",
            100,
            ("under_consideration", None, 90),
            ("not_going_ahead", "No staff for the evenings", 10),
        ),
        stale=idea("A ramp at the door", 61),
        done=idea(
            "Bigger signs", 190, ("under_consideration", None, 150), ("done", None, 100)
        ),
        fresh=idea("Benches in the hall", 5),
        suggestion=idea(
            "Coffee after meetings",
            3,
            suggested_by=participant,
            accepted=False,
        ),
        survey=_published_round(panel),
    )
    db.session.commit()
    return world


def _published_round(panel: Panel) -> int:
    templates = ensure_builtin_templates()
    round_ = surveys.schedule_round(
        templates[SELF_EVALUATION], days_ago(80), days_ago(50), panel=panel
    )
    round_.state = RoundState.CLOSED
    round_.published_at = days_ago(40)
    round_.publication_note = {"en": "We will shorten the queues."}
    db.session.add(
        FollowUp(
            round_id=round_.id,
            note={"en": "The queues are shorter now."},
            created_at=days_ago(20),
        )
    )
    db.session.flush()
    return round_.id


@dataclass
class ProcessWorld:
    process: Process
    keys: dict[str, str]  #: item keys by title


def build_process(resident: User, other: User) -> ProcessWorld:
    """The resident voted in the north, sent two ideas and follows one project."""
    process = Process(
        year=2026,
        title={"en": "Budgeting 2026", "fi": "Osbu 2026", "sv": "Budget 2026"},
        total_budget=Decimal(100_000),
        phase=Phase.IMPLEMENTATION,
    )
    north = Area(process=process, name={"en": "North"}, budget=Decimal(50_000))
    south = Area(process=process, name={"en": "South"}, budget=Decimal(50_000))
    db.session.add_all([process, north, south])
    db.session.flush()

    def project(title, area, status, reason=None) -> Project:
        made = Project(
            process_id=process.id,
            area_id=area.id,
            external_id=title,
            title={"en": title},
            cost=Decimal(10_000),
            status=status,
            status_reason=reason,
            created_at=days_ago(300),
            status_changed_at=days_ago(300),
        )
        db.session.add(made)
        db.session.flush()
        return made

    playground = project("Playground", north, ProjectStatus.FUNDED)
    skatepark = project(
        "Skate park", north, ProjectStatus.DROPPED, "Too costly to keep up"
    )
    library = project("Library hours", south, ProjectStatus.FUNDED)
    db.session.add(
        ProjectUpdate(
            project_id=playground.id,
            status=ImplementationStatus.CANCELLED,
            note="The site was sold",
            created_at=days_ago(3),
        )
    )

    def proposal(author, title, status, note=None, linked=None) -> Proposal:
        made = Proposal(
            process_id=process.id,
            area_id=north.id,
            author_id=author.id,
            title=title,
            description="...",
            status=status,
            outcome_note=note,
            project_id=linked.id if linked else None,
            created_at=days_ago(400),
            decided_at=None if status is ProposalStatus.SUBMITTED else days_ago(400),
        )
        db.session.add(made)
        db.session.flush()
        return made

    swings = proposal(resident, "Swings", ProposalStatus.LINKED, linked=playground)
    pool = proposal(resident, "Pool", ProposalStatus.REJECTED, "Too expensive")
    sauna = proposal(other, "Sauna", ProposalStatus.SUBMITTED)
    db.session.add_all(
        [
            VoterRecord(process_id=process.id, user_id=resident.id, area_id=north.id),
            Follow(user_id=resident.id, project_id=library.id),
        ]
    )
    db.session.commit()
    return ProcessWorld(
        process,
        {
            "Swings": f"proposal-{swings.id}",
            "Pool": f"proposal-{pool.id}",
            "Sauna": f"proposal-{sauna.id}",
            "Playground": f"project-{playground.id}",
            "Skate park": f"project-{skatepark.id}",
            "Library hours": f"project-{library.id}",
        },
    )
