"""Pabulib interop: import a .pb file as a process, export a process as .pb."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import insert, select

from eraati.budgeting import pabulib, tally, voting
from eraati.budgeting.models import (
    Area,
    Ballot,
    BallotType,
    Phase,
    Process,
    Project,
    ProjectStatus,
)
from eraati.extensions import db

VOTE_TYPES = {
    "approval": BallotType.APPROVAL_BUDGET,
    "choose-1": BallotType.APPROVAL_COUNT,
    "cumulative": BallotType.CUMULATIVE,
    "ordinal": BallotType.RANKED,
}
BALLOT_VOTE_TYPES = {
    BallotType.APPROVAL_BUDGET: "approval",
    BallotType.APPROVAL_COUNT: "approval",
    BallotType.CUMULATIVE: "cumulative",
    BallotType.RANKED: "ordinal",
}
#: Ballots are written in chunks so a progress bar can follow a 130 000-voter file.
CHUNK = 5000


def money(value) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def import_file(
    parsed: pabulib.PabulibFile, progress: Callable[[Iterable], Iterable] = iter
) -> Process:
    """Create a finished process with one area, its projects and every ballot."""
    meta = parsed.meta
    budget = money(parsed.election.budget)
    title = " ".join(
        filter(None, [meta.get("unit"), meta.get("district"), meta.get("instance")])
    )
    process = Process(
        year=_year(meta),
        title={"en": title or meta.get("description", "Pabulib")},
        description={"en": meta.get("description", "")},
        total_budget=budget,
        phase=Phase.FINISHED,
        ballot_type=VOTE_TYPES.get(parsed.vote_type, BallotType.APPROVAL_BUDGET),
        min_projects=_int(meta.get("min_length")),
        max_projects=_int(meta.get("max_length"))
        or (1 if parsed.vote_type == "choose-1" else None),
        max_points=_int(meta.get("max_sum_points")),
        score_threshold=_int(meta.get("min_project_score_threshold")),
    )
    area = Area(
        process=process,
        name={"en": meta.get("district") or meta.get("unit") or title},
        budget=budget,
    )
    db.session.add_all([process, area])
    db.session.flush()
    ids = _import_projects(process, area, parsed)
    cast_on = _date(meta.get("date_end"))
    voters = parsed.voters or _expanded(parsed.election)
    chunks = [voters[start : start + CHUNK] for start in range(0, len(voters), CHUNK)]
    for chunk in progress(chunks):
        db.session.execute(
            insert(Ballot),
            [
                {
                    "id": uuid.uuid4().hex,
                    "process_id": process.id,
                    "area_id": area.id,
                    "choices": _choices(
                        voter.ballot if hasattr(voter, "ballot") else voter, ids
                    ),
                    "cast_on": cast_on,
                    "paper": False,
                }
                for voter in chunk
            ],
        )
    return process


def _expanded(election: tally.Election) -> list:
    return [ballot for ballot, count in election.ballots for _ in range(count)]


def _import_projects(process, area, parsed) -> dict[str, str]:
    """Create the projects; returns file id → our project id (as text)."""
    ids = {}
    selected = set(parsed.selected_by_city() or ())
    for project in parsed.election.projects:
        row = Project(
            process_id=process.id,
            area_id=area.id,
            external_id=project.id,
            title={"en": parsed.project_meta[project.id].get("name") or project.id},
            cost=money(project.cost),
            status=ProjectStatus.FUNDED
            if project.id in selected
            else ProjectStatus.ON_BALLOT,
        )
        db.session.add(row)
        db.session.flush()
        ids[project.id] = str(row.id)
    return ids


def _choices(ballot, ids: dict[str, str]):
    if isinstance(ballot, tally.CumulativeBallot):
        return {ids[pid]: int(points) for pid, points in ballot.points}
    if isinstance(ballot, tally.OrdinalBallot):
        return [ids[pid] for pid in ballot.ranking]
    return sorted((ids[pid] for pid in ballot.approved), key=int)


def _year(meta) -> int:
    for key in ("date_end", "date_begin", "edition"):
        value = meta.get(key, "")
        digits = [
            part
            for part in value.replace(".", "-").split("-")
            if len(part) == 4 and part.isdigit()
        ]
        if digits:
            return int(digits[0])
    return date.today().year


def _date(value: str | None) -> date:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value or "", pattern).date()
        except ValueError:
            continue
    return date.today()


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "", "None") else None
    except ValueError:
        return None


def export_process(process: Process) -> str:
    """The process as a Pabulib file; ballots in random order with new voter ids."""
    projects = list(
        db.session.scalars(
            select(Project).where(Project.process_id == process.id).order_by(Project.id)
        )
    )
    external = {str(p.id): p.external_id for p in projects}
    ballots = voting.shuffled_ballots(process)
    vote_type = BALLOT_VOTE_TYPES[process.ballot_type]
    out = io.StringIO()
    meta = {
        "description": (process.description or {}).get("en", "") or "eRaati export",
        "country": "Finland",
        "unit": (process.title or {}).get("en")
        or next(iter((process.title or {"": ""}).values())),
        "instance": str(process.year),
        "num_projects": str(len(projects)),
        "num_votes": str(len(ballots)),
        "budget": _plain(process.total_budget),
        "vote_type": vote_type,
        "rule": "unknown",
        "date_begin": "",
        "date_end": "",
    }
    out.write("META\nkey;value\n")
    out.writelines(f"{key};{value}\n" for key, value in meta.items())
    out.write("PROJECTS\nproject_id;cost;name\n")
    for project in projects:
        name = next(iter(project.title.values()), "").replace(";", ",")
        out.write(f"{project.external_id};{_plain(project.cost)};{name}\n")
    out.write(
        "VOTES\nvoter_id;vote" + (";points\n" if vote_type == "cumulative" else "\n")
    )
    for number, ballot in enumerate(ballots, start=1):
        out.write(f"{number};{_vote_cells(ballot.choices, external, vote_type)}\n")
    return out.getvalue()


def _vote_cells(choices, external: dict[str, str], vote_type: str) -> str:
    if vote_type == "cumulative":
        pairs = list(choices.items())
        return (
            ",".join(external[p] for p, _ in pairs)
            + ";"
            + ",".join(str(v) for _, v in pairs)
        )
    return ",".join(external[p] for p in choices)


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def tally_file(
    parsed: pabulib.PabulibFile, rule: str, completion: str
) -> tally.Outcome:
    return tally.count(parsed.election, rule, completion)
