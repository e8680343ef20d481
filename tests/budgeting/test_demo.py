"""`eraati demo` adds a vote in progress and a finished vote imported from Pabulib."""

from __future__ import annotations

import re

from eraati.budgeting.demo import (
    DROPPED,
    FINISHED,
    VOTING,
    demo_codes,
    load_budgeting_demo,
    print_vote_codes,
)
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
from eraati.demo import DEMO_STEPS, load_foundation
from eraati.extensions import db

MODELS = (Process, Area, Project, Ballot, VoteCode, Eligibility, CouncilDecision)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def load() -> None:
    load_foundation()
    load_budgeting_demo()
    db.session.commit()


def process(title: dict[str, str]) -> Process:
    return next(p for p in db.session.query(Process) if p.title["fi"] == title["fi"])


def test_demo_processes_are_added_once(app):
    assert "participatory budgeting" in [label for label, _step in DEMO_STEPS]
    load()
    counts = [db.session.query(m).count() for m in (*MODELS, ProjectUpdate)]
    load()
    assert [db.session.query(m).count() for m in (*MODELS, ProjectUpdate)] == counts

    voting = process(VOTING["title"])
    assert voting.phase is Phase.VOTING and len(voting.areas) == 2
    assert all(set(area.name) == {"fi", "sv", "en"} for area in voting.areas)

    finished = process(FINISHED["title"])
    assert finished.phase is Phase.FINISHED
    assert db.session.query(Ballot).filter_by(process_id=finished.id).count() == 687
    projects = {
        p.external_id: p
        for p in db.session.query(Project).filter_by(process_id=finished.id)
    }
    dropped = projects[DROPPED[0]]
    assert dropped.status is ProjectStatus.DROPPED and dropped.status_reason
    funded = [p for p in projects.values() if p.status is ProjectStatus.FUNDED]
    # Without the dropped winner the next one by points fits: four are funded.
    assert sorted(p.external_id for p in funded) == ["424", "447", "449", "537"]
    assert db.session.query(ProjectUpdate).count() >= len(funded)
    assert db.session.query(CouncilDecision).one().locked_at is not None


def test_a_printed_demo_code_casts_a_ballot(client):
    load()
    voting = process(VOTING["title"])
    printed: list[str] = []
    print_vote_codes(printed.append)
    code = next(c for c in demo_codes() if any(c in line for line in printed))
    page = client.get(f"/pb/{voting.id}/vote").get_data(as_text=True)
    form = {"csrf_token": CSRF.search(page).group(1), "code": code, "action": "code"}
    assert client.post(f"/pb/{voting.id}/vote", data=form).status_code == 302
    page = client.get(f"/pb/{voting.id}/ballot").get_data(as_text=True)
    form = {"csrf_token": CSRF.search(page).group(1), "action": "blank"}
    assert client.post(f"/pb/{voting.id}/ballot", data=form).status_code == 302
    page = client.get(f"/pb/{voting.id}/confirm").get_data(as_text=True)
    form = {"csrf_token": CSRF.search(page).group(1)}
    assert client.post(f"/pb/{voting.id}/confirm", data=form).status_code == 302
    assert db.session.query(Ballot).filter_by(process_id=voting.id).count() == 1
    # The used code is no longer printed.
    again: list[str] = []
    print_vote_codes(again.append)
    assert not any(code in line for line in again) and len(again) == len(printed) - 1
