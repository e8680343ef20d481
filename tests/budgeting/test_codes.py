"""Vote codes for mailing and paper ballots keyed in by staff."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from eraati.accounts.models import Role
from eraati.budgeting import codes, voting
from eraati.budgeting.models import Ballot, PaperBallotEntry, VoteCode
from eraati.core.time import utcnow
from eraati.extensions import db
from tests.budgeting.test_voting import make_process, project_ids

EN = {"Accept-Language": "en"}


@pytest.fixture
def official(create_user, login):
    return login(create_user(Role.OFFICIAL))


def test_codes_come_once_as_csv_and_the_database_keeps_only_hashes(client, official):
    process = make_process()
    area = process.areas[0]
    url = f"/manage/pb/{process.id}/areas/{area.id}/codes"
    response = client.post(url, data={"count": "25"}, headers=EN)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    plain = [row["code"] for row in rows]
    assert len(plain) == len(set(plain)) == 25
    assert all(
        f"/pb/{process.id}/vote?code={row['code']}" in row["url"] for row in rows
    )
    stored = db.session.scalars(sa.select(VoteCode.code_hash)).all()
    assert len(stored) == 25
    assert not set(plain) & set(stored)
    # The print page shows the same codes with QR codes, once.
    sheets = client.get(f"{url}/print", headers=EN).get_data(as_text=True)
    assert all(code in sheets for code in plain)
    assert sheets.count("<svg") == 25
    again = client.get(f"{url}/print", headers=EN).get_data(as_text=True)
    assert plain[0] not in again
    assert "codes are shown only once" in again


def test_a_bad_count_is_refused_with_a_message(client, official):
    process = make_process()
    area = process.areas[0]
    response = client.post(
        f"/manage/pb/{process.id}/areas/{area.id}/codes",
        data={"count": "0"},
        headers=EN,
    )
    assert response.status_code == 400
    assert "Make 1 to 250 codes at a time." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(VoteCode.id))) == 0


def test_a_code_votes_only_in_its_own_area(app):
    process = make_process()
    north, south = process.areas
    [code] = voting.generate_codes(process, north, 1)
    db.session.commit()
    south_project = project_ids(south)[0]
    with pytest.raises(voting.VotingError) as refused:
        voting.cast_ballot(
            process, voting.CodeVerifier(code), [south_project], utcnow()
        )
    assert refused.value.code == "unknown_project"
    db.session.rollback()
    ballot, _ = voting.cast_ballot(
        process, voting.CodeVerifier(code), [project_ids(north)[2]], utcnow()
    )
    assert ballot.area_id == north.id


def test_paper_ballots_store_a_ballot_and_an_unlinked_audit_row(client, official):
    process = make_process()
    north = process.areas[0]
    chosen = project_ids(north)[:1]
    response = client.post(
        f"/manage/pb/{process.id}/areas/{north.id}/paper",
        data={"project": chosen},
        headers=EN,
    )
    assert response.status_code == 302
    ballot = db.session.scalars(sa.select(Ballot)).one()
    assert ballot.paper and ballot.choices == chosen and ballot.area_id == north.id
    entry = db.session.scalars(sa.select(PaperBallotEntry)).one()
    assert entry.entered_by_id == official.id
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("pb_paper_entries")}
    assert columns == {"id", "process_id", "area_id", "entered_by_id", "entered_on"}
    foreign = sa.inspect(db.engine).get_foreign_keys("pb_paper_entries")
    assert "pb_ballots" not in {fk["referred_table"] for fk in foreign}


def test_an_invalid_paper_ballot_stores_nothing(client, official):
    process = make_process()
    north = process.areas[0]
    response = client.post(
        f"/manage/pb/{process.id}/areas/{north.id}/paper",
        data={"project": project_ids(north)},  # 80 000 € on a 70 000 € budget
        headers=EN,
    )
    assert response.status_code == 400
    assert "more than the budget" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Ballot.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(PaperBallotEntry.id))) == 0


def test_the_paper_verifier_only_records_the_entry(app, create_user):
    process = make_process()
    north = process.areas[0]
    verifier = codes.PaperVerifier(north.id, create_user(Role.OFFICIAL).id)
    assert verifier.area_id(process) == north.id
    verifier.claim(process)
    verifier.claim(process)  # staff key in many ballots for one area
    assert db.session.scalar(sa.select(sa.func.count(PaperBallotEntry.id))) == 2


def test_the_link_of_a_qr_code_opens_the_page_with_the_code_filled_in(client):
    process = make_process()
    code = voting.generate_codes(process, process.areas[0], 1)[0]
    db.session.commit()
    link = urlsplit(codes.vote_url(process, code))
    page = client.get(f"{link.path}?{link.query}", headers=EN)
    assert page.status_code == 200
    assert f'value="{code}"' in page.get_data(as_text=True)
    # A code that is refused stays in its field, to be mended rather than retyped.
    refused = client.post(
        f"/pb/{process.id}/vote",
        data={"code": "WRONG-CODE", "action": "code"},
        headers=EN,
    )
    assert refused.status_code == 400
    assert 'value="WRONG-CODE"' in refused.get_data(as_text=True)
