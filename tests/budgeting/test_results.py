"""Results for residents, the downloads, the API and the implementation report."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from eraati.accounts.models import Role
from eraati.budgeting.models import (
    Area,
    Ballot,
    CouncilDecision,
    Eligibility,
    ImplementationStatus,
    Phase,
    Process,
    Project,
    ProjectStatus,
    ProjectUpdate,
    VoteCode,
)
from eraati.core.time import utcnow
from eraati.extensions import db

EN = {"Accept-Language": "en"}
TITLES = {"A": "Playground", "B": "Library books", "C": "Benches"}


@pytest.fixture
def voted(create_user):
    """Budget 100 €, four ballots: A+B, A+B, A, C; A costs 60, B 40, C 20.

    Greedy funds A and B (most votes). Equal shares gives each voter 25: A's three
    supporters pay 20 each, C's one pays 20; B's two supporters then have 5 each
    left, 10 € of its 40 €. Six vote codes and two accounts could vote: 50 %.
    """
    process = Process(
        year=2026, title={"en": "City budget"}, total_budget=100, phase=Phase.COUNCIL
    )
    area = Area(process=process, name={"en": "North"}, budget=Decimal(100))
    db.session.add_all([process, area])
    db.session.flush()
    ids = {}
    for key, cost in (("A", 60), ("B", 40), ("C", 20)):
        project = Project(
            process_id=process.id,
            area_id=area.id,
            external_id=key,
            title={"en": TITLES[key]},
            cost=Decimal(cost),
            status=ProjectStatus.ON_BALLOT,
        )
        db.session.add(project)
        db.session.flush()
        ids[key] = str(project.id)
    for chosen in ("AB", "AB", "A", "C"):
        db.session.add(
            Ballot(
                process_id=process.id,
                area_id=area.id,
                choices=[ids[key] for key in chosen],
                cast_on=date(2026, 5, 1),
            )
        )
    for number in range(6):
        db.session.add(
            VoteCode(process_id=process.id, area_id=area.id, code_hash=f"{number:064}")
        )
    for email in ("voter@example.fi", "other@example.fi"):
        user = create_user(Role.RESIDENT, email=email)
        db.session.add(
            Eligibility(process_id=process.id, user_id=user.id, area_id=area.id)
        )
    db.session.commit()
    return process, ids


def page_text(client, url, status=200) -> str:
    response = client.get(url, headers=EN)
    assert response.status_code == status
    return response.get_data(as_text=True)


def test_the_results_show_winners_turnout_and_both_outcomes(client, voted):
    process, ids = voted
    text = page_text(client, f"/pb/{process.id}/results")

    assert "Awaiting council decision." in text
    assert "Ballots cast" in text and ">4<" in text
    assert "Could vote" in text and ">8 " in text and ">50%<" in text
    assert "Only greedy funds: Library books." in text
    assert "Only equal shares funds: Benches." in text
    # Why: prices per supporter, and what B's supporters could still pay.
    assert "Funded as number 1. Its supporters (3)" in text
    assert "had €10.00 left of their shares, 25% of its cost of €40.00" in text
    assert text.count('role="img"') == 2  # votes and budget share, each with a table
    assert "<caption>Votes per project in North</caption>" in text


def test_results_wait_for_the_vote_to_close(client, voted, create_user, login):
    process, _ = voted
    process.phase = Phase.VOTING
    db.session.commit()
    text = page_text(client, f"/pb/{process.id}/results", 404)
    assert "The results are published when voting has closed." in text
    assert client.get(f"/pb/{process.id}/results/projects.csv").status_code == 404
    login(create_user(Role.OFFICIAL))  # officials get the projects, without votes
    early = client.get(f"/pb/{process.id}/results/projects.csv", headers=EN)
    assert early.status_code == 200 and "Playground,60.00,60,,," in early.text
    detail = client.get(f"/api/v1/pb/processes/{process.id}").get_json()
    assert "votes" not in detail["process"]["areas"][0]["projects"][0]
    assert "results" not in detail["process"]["areas"][0]


def test_the_locked_decision_replaces_the_waiting_note(client, voted):
    process, ids = voted
    db.session.add(CouncilDecision(process_id=process.id, locked_at=utcnow()))
    db.session.get(Project, int(ids["A"])).status = ProjectStatus.FUNDED
    db.session.commit()
    text = page_text(client, f"/pb/{process.id}/results")
    assert "Awaiting council decision." not in text
    assert "The council decided on" in text


def test_projects_as_csv_and_xlsx(client, voted):
    process, ids = voted
    response = client.get(f"/pb/{process.id}/results/projects.csv", headers=EN)
    assert response.mimetype == "text/csv"
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    )
    header, *body = rows
    assert header[:3] == ["Area", "project_id", "Project"]
    by_title = {row[2]: dict(zip(header, row, strict=True)) for row in body}
    assert by_title["Playground"]["Votes"] == "3"
    assert by_title["Library books"]["Greedy"] == "true"
    assert by_title["Library books"]["Equal shares"] == "false"
    assert by_title["Benches"]["Won the vote"] == "true"  # the rule is equal shares
    assert by_title["Benches"]["Share of the area budget"] == "20"

    workbook = client.get(f"/pb/{process.id}/results/projects.xlsx", headers=EN)
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    values = list(sheet.values)
    assert len(values) == 4 and values[0][2] == header[2]
    assert {row[2]: row[5] for row in values[1:]} == {
        "Playground": 3,
        "Library books": 2,
        "Benches": 1,
    }
    assert client.get(f"/pb/{process.id}/results/projects.pdf").status_code == 400


def test_the_api_shape_without_anything_personal(client, voted):
    process, ids = voted
    db.session.add(
        CouncilDecision(process_id=process.id, decided_by_id=1, note="Internal")
    )
    db.session.commit()
    listed = client.get("/api/v1/pb/processes", headers=EN).get_json()
    assert [p["id"] for p in listed["processes"]] == [process.id]

    response = client.get(f"/api/v1/pb/processes/{process.id}", headers=EN)
    body = response.get_json()["process"]
    area = body["areas"][0]
    assert area["results"]["ballots"] == 4 and area["results"]["turnout_percent"] == 50
    outcomes = area["results"]["outcomes"]
    assert outcomes["greedy"]["selected"] == [int(ids["A"]), int(ids["B"])]
    assert outcomes["equal_shares"]["selected"] == [int(ids["A"]), int(ids["C"])]
    benches = next(p for p in area["projects"] if p["title"] == "Benches")
    assert benches["votes"] == 1 and benches["cost"] == "20.00"
    assert benches["equal_shares_reason"]["price_per_supporter"] == "20.00"
    assert body["decision"] == {
        "awaiting": True,
        "locked_at": None,
        "rejected_whole": False,
        "note": None,
    }
    text = response.get_data(as_text=True)
    for personal in ("example.fi", "user", "decided_by", "author", "Internal"):
        assert personal not in text


@pytest.fixture
def implemented(voted):
    process, ids = voted
    process.phase = Phase.IMPLEMENTATION
    for key in "AC":
        db.session.get(Project, int(ids[key])).status = ProjectStatus.FUNDED
    db.session.get(Project, int(ids["B"])).status = ProjectStatus.DROPPED
    db.session.get(Project, int(ids["B"])).status_reason = "No site"
    start = utcnow() - timedelta(days=30)
    for days, status, note in (
        (0, ImplementationStatus.PLANNED, None),
        (10, ImplementationStatus.DELAYED, "Snow in May"),
    ):
        db.session.add(
            ProjectUpdate(
                project_id=int(ids["A"]),
                status=status,
                note=note,
                created_at=start + timedelta(days=days),
            )
        )
    db.session.commit()
    return process, ids


def test_the_implementation_report(client, implemented):
    process, ids = implemented
    text = page_text(client, f"/pb/{process.id}/report")
    assert "City budget 2026: implementation report" in text
    assert "Playground – Delayed: Snow in May" in text
    assert "Benches" in text and "Not started" in text
    assert "Library books (€40.00): No site" in text  # dropped by the council

    pdf = client.get(f"/pb/{process.id}/report.pdf", headers=EN)
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.data)) == 1  # one page

    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/pb/{process.id}/report.csv", headers=EN)
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    history = [(row[2], row[6], row[7]) for row in rows[1:]]
    assert history == [
        ("Playground", "Planned", ""),
        ("Playground", "Delayed", "Snow in May"),
        ("Benches", "", ""),
    ]


def test_the_process_and_follow_up_pages_link_to_the_results(client, implemented):
    process, _ = implemented
    for url in (f"/pb/{process.id}", f"/pb/follow-up/{process.id}"):
        text = page_text(client, url)
        assert f'href="/pb/{process.id}/results"' in text
        assert f'href="/pb/{process.id}/report"' in text


@pytest.mark.parametrize(
    "url",
    [
        "/pb/{missing}/results",
        "/pb/{missing}/results/projects.csv",
        "/pb/{missing}/report",
        "/pb/{missing}/report.pdf",
        "/pb/{missing}/report.csv",
        "/api/v1/pb/processes/{missing}",
    ],
)
def test_unknown_processes_are_not_found(client, voted, url):
    process, _ = voted
    assert client.get(url.format(missing=process.id + 1)).status_code == 404
