"""What participatory budgeting publishes after the vote, read from the database.

Results pages, downloads, the API and the implementation report all read here, so
they show the same figures. Outcomes are counted again from the stored ballots on
every read (:mod:`eraati.budgeting.results`), as the council's review does.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from sqlalchemy import Text, cast, func, select

from eraati.budgeting import results, tally
from eraati.budgeting.council import find_decision
from eraati.budgeting.models import (
    Area,
    Ballot,
    CouncilDecision,
    Eligibility,
    Phase,
    Process,
    Project,
    ProjectStatus,
    ProjectUpdate,
    VoteCode,
)
from eraati.extensions import db

#: Phases in which voting has closed and the results are public.
RESULT_PHASES = (Phase.COUNCIL, Phase.IMPLEMENTATION, Phase.FINISHED)
#: Projects that were on the ballot (the council's drops included).
ON_BALLOT = (
    ProjectStatus.ON_BALLOT,
    ProjectStatus.SELECTED,
    ProjectStatus.FUNDED,
    ProjectStatus.DROPPED,
)


def results_public(process: Process) -> bool:
    return process.phase in RESULT_PHASES


def awaiting_council(process: Process, decision: CouncilDecision | None) -> bool:
    """Before the council locks its decision, the outcome is not final yet.

    Only in the council phase: processes imported from Pabulib, or whose decision
    was made outside the service, move on without a locked decision here.
    """
    locked = decision is not None and decision.locked_at is not None
    return process.phase is Phase.COUNCIL and not locked


@dataclass(frozen=True)
class AreaResult:
    area: Area
    projects: dict[str, Project]  #: on the ballot, by id as text, in id order
    count: results.AreaCount
    turnout: results.Turnout


@dataclass(frozen=True)
class ProcessResults:
    process: Process
    decision: CouncilDecision | None
    areas: tuple[AreaResult, ...]

    @property
    def awaiting_council(self) -> bool:
        return awaiting_council(self.process, self.decision)


def process_results(process: Process) -> ProcessResults:
    """Every area's count and turnout."""
    projects = ballot_projects(process)
    turnouts = turnout(process)
    decision = find_decision(process)
    # Rejecting the whole proposal drops the winners; the vote's outcome stands.
    keep_dropped = bool(decision and decision.locked_at and decision.rejected_whole)
    areas = tuple(
        AreaResult(
            area,
            projects[area.id],
            area_count(process, area, projects[area.id], keep_dropped=keep_dropped),
            turnouts[area.id],
        )
        for area in process.areas
    )
    return ProcessResults(process, decision, areas)


def ballot_projects(process: Process) -> dict[int, dict[str, Project]]:
    """Projects that were on the ballot, per area id."""
    found: dict[int, dict[str, Project]] = {area.id: {} for area in process.areas}
    rows = db.session.scalars(
        select(Project)
        .where(Project.process_id == process.id, Project.status.in_(ON_BALLOT))
        .order_by(Project.id)
    )
    for project in rows:
        found.setdefault(project.area_id, {})[str(project.id)] = project
    return found


def area_count(
    process: Process,
    area: Area,
    projects: dict[str, Project],
    *,
    keep_dropped: bool = False,
) -> results.AreaCount:
    """The area's count, without the projects the council dropped (unless kept).

    Counting equal shares on a large vote takes seconds, so counts are kept in
    memory under a digest of everything they depend on: the stored ballots (read as
    text, which is cheap), the projects' costs and statuses, and the rules.
    """
    rows = db.session.execute(
        select(Ballot.id, cast(Ballot.choices, Text))
        .where(Ballot.process_id == process.id, Ballot.area_id == area.id)
        .order_by(Ballot.id)
    ).all()
    dropped = frozenset(
        pid
        for pid, p in projects.items()
        if p.status is ProjectStatus.DROPPED and not keep_dropped
    )
    key = (
        _digest(rows),
        area.budget,
        tuple((pid, p.cost) for pid, p in projects.items()),
        dropped,
        process.ballot_type,
        process.rule,
        process.completion,
        process.score_threshold,
    )
    found = _COUNTS.get(key)
    if found is None:
        found = _count(process, area, projects, [text for _, text in rows], dropped)
        _COUNTS.put(key, found)
    return found


def _count(process, area, projects, stored: list[str], dropped) -> results.AreaCount:
    kind = process.ballot_type.value
    # A project taken off the ballot since (e.g. found not feasible) is not counted.
    ballots = [
        _kept(results.tally_ballot(json.loads(c), kind), projects) for c in stored
    ]
    election = tally.Election.of(
        results.exact_money(area.budget),
        [
            tally.Project(pid, results.exact_money(p.cost))
            for pid, p in projects.items()
        ],
        ballots,
    )
    return results.count_area(
        election,
        rule=process.rule.value,
        completion=process.completion,
        ballot_type=kind,
        threshold=process.score_threshold,
        dropped=dropped,
    )


def _digest(rows) -> str:
    digest = hashlib.sha256()
    for ballot_id, text in rows:
        digest.update(f"{ballot_id}:{text}\n".encode())
    return digest.hexdigest()


class _Recent:
    """The last few counts, shared by the threads of this process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
            return self.items.get(key)

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)


_COUNTS = _Recent(64)


def _kept(ballot: tally.Ballot, projects: dict[str, Project]) -> tally.Ballot:
    unknown = ballot.supported() - projects.keys()
    return results.ballot_without(ballot, unknown) if unknown else ballot


def turnout(process: Process) -> dict[int, results.Turnout]:
    """Ballots per area, and who could vote where the service knows it.

    Who could vote: vote codes issued, accounts on the voter list, and ballots
    keyed in from paper (their voters were checked where they voted).
    """
    ballots = _per_area(Ballot, process)
    paper = _per_area(Ballot, process, Ballot.paper.is_(True))
    codes = _per_area(VoteCode, process)
    accounts = _per_area(Eligibility, process)
    found = {}
    for area in process.areas:
        listed = codes[area.id] + accounts[area.id]
        eligible = listed + paper[area.id] if listed else None
        found[area.id] = results.Turnout(ballots[area.id], eligible)
    return found


def _per_area(model, process: Process, *where) -> defaultdict[int, int]:
    rows = db.session.execute(
        select(model.area_id, func.count())
        .where(model.process_id == process.id, *where)
        .group_by(model.area_id)
    )
    return defaultdict(int, {area_id: count for area_id, count in rows.all()})  # noqa: C416


def funded_projects(process: Process) -> list[Project]:
    return list(
        db.session.scalars(
            select(Project)
            .where(
                Project.process_id == process.id,
                Project.status == ProjectStatus.FUNDED,
            )
            .order_by(Project.area_id, Project.id)
        )
    )


def histories(projects: list[Project]) -> dict[int, list[ProjectUpdate]]:
    """Each project's implementation updates, oldest first."""
    found: dict[int, list[ProjectUpdate]] = {p.id: [] for p in projects}
    updates = db.session.scalars(
        select(ProjectUpdate)
        .where(ProjectUpdate.project_id.in_(list(found)))
        .order_by(ProjectUpdate.created_at, ProjectUpdate.id)
    )
    for update in updates:
        found[update.project_id].append(update)
    return found
