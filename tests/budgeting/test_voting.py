"""One person, one vote, and a secret ballot, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import sqlalchemy as sa

from eraati import create_app
from eraati.budgeting import voting
from eraati.budgeting.models import (
    Area,
    Ballot,
    Eligibility,
    Phase,
    Process,
    Project,
    ProjectStatus,
    VoteCode,
    VoterRecord,
)
from eraati.core.time import utcnow
from eraati.extensions import db
from tests.conftest import empty_all_tables, make_test_config, migrate_once


def make_process(allow_change=False) -> Process:
    process = Process(
        year=2026,
        title={"fi": "Osbu"},
        total_budget=Decimal(100_000),
        phase=Phase.VOTING,
        allow_ballot_change=allow_change,
    )
    north = Area(process=process, name={"fi": "Pohjoinen"}, budget=Decimal(70_000))
    south = Area(process=process, name={"fi": "Etelä"}, budget=Decimal(30_000))
    db.session.add_all([process, north, south])
    db.session.flush()
    for number, (area, cost) in enumerate(
        [(north, 40_000), (north, 35_000), (north, 5_000), (south, 20_000)]
    ):
        db.session.add(
            Project(
                process_id=process.id,
                area_id=area.id,
                external_id=str(number + 1),
                title={"fi": f"Hanke {number + 1}"},
                cost=Decimal(cost),
                status=ProjectStatus.ON_BALLOT,
            )
        )
    db.session.commit()
    return process


def project_ids(area) -> list[str]:
    return [
        str(p.id)
        for p in db.session.query(Project)
        .filter_by(area_id=area.id)
        .order_by(Project.id)
    ]


def test_the_schema_has_no_path_from_a_ballot_to_a_voter(app):
    ballot = sa.inspect(db.engine).get_foreign_keys("pb_ballots")
    assert {fk["referred_table"] for fk in ballot} == {"pb_processes", "pb_areas"}
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("pb_ballots")}
    assert columns == {
        "id",
        "process_id",
        "area_id",
        "choices",
        "cast_on",
        "change_key_hash",
        "paper",
    }
    for table in ("pb_voter_records", "pb_vote_codes"):
        referred = {
            fk["referred_table"] for fk in sa.inspect(db.engine).get_foreign_keys(table)
        }
        assert "pb_ballots" not in referred
        names = {c["name"] for c in sa.inspect(db.engine).get_columns(table)}
        assert not names & {"ballot_id", "created_at", "used_at", "voted_at"}


def test_a_code_votes_once_and_the_ballot_keeps_no_trace_of_it(app):
    process = make_process()
    north = process.areas[0]
    [code] = voting.generate_codes(process, north, 1)
    db.session.commit()
    ids = project_ids(north)
    chosen = [ids[0], ids[2]]  # 40 000 + 5 000 of 70 000
    ballot, key = voting.cast_ballot(
        process, voting.CodeVerifier(code.lower()), chosen, utcnow()
    )
    db.session.commit()
    assert key is None and ballot.choices == chosen
    assert len(ballot.id) == 32 and not ballot.id.isdigit()
    with pytest.raises(voting.VotingError) as used:
        voting.cast_ballot(process, voting.CodeVerifier(code), [], utcnow())
    assert used.value.code == "code_used"
    assert db.session.query(VoteCode).one().used is True


@pytest.mark.parametrize(
    ("choices", "code"),
    [(["1", "2", "3"], "over_budget"), (["999"], "unknown_project")],
)
def test_invalid_ballots_store_nothing_and_keep_the_code(app, choices, code):
    process = make_process()
    north = process.areas[0]
    [vote_code] = voting.generate_codes(process, north, 1)
    db.session.commit()
    ids = project_ids(north)
    raw = [ids[int(c) - 1] if c in "123" else c for c in choices]
    with pytest.raises(voting.VotingError) as refused:
        voting.cast_ballot(process, voting.CodeVerifier(vote_code), raw, utcnow())
    db.session.rollback()
    assert refused.value.code == code
    assert db.session.query(Ballot).count() == 0
    assert db.session.query(VoteCode).one().used is False


def test_voting_outside_the_voting_phase_is_refused(app):
    process = make_process()
    process.phase = Phase.COUNCIL
    [code] = voting.generate_codes(process, process.areas[0], 1)
    db.session.commit()
    with pytest.raises(voting.VotingError) as refused:
        voting.cast_ballot(process, voting.CodeVerifier(code), [], utcnow())
    assert refused.value.code == "not_voting"


def test_a_code_from_another_process_is_unknown(app):
    first, second = make_process(), make_process()
    [code] = voting.generate_codes(first, first.areas[0], 1)
    db.session.commit()
    with pytest.raises(voting.VotingError) as refused:
        voting.cast_ballot(second, voting.CodeVerifier(code), [], utcnow())
    assert refused.value.code == "unknown_code"


def test_an_eligible_account_votes_once_and_can_change_by_key(app, create_user):
    process = make_process(allow_change=True)
    north = process.areas[0]
    user = create_user()
    db.session.add(
        Eligibility(process_id=process.id, user_id=user.id, area_id=north.id)
    )
    db.session.commit()
    ballot, key = voting.cast_ballot(
        process, voting.AccountVerifier(user.id), project_ids(north)[:1], utcnow()
    )
    db.session.commit()
    with pytest.raises(voting.VotingError) as twice:
        voting.cast_ballot(process, voting.AccountVerifier(user.id), [], utcnow())
    db.session.rollback()
    assert twice.value.code == "already_voted"
    voting.change_ballot(process, key, project_ids(north)[1:3])
    db.session.commit()
    assert db.session.query(Ballot).one().choices == project_ids(north)[1:3]
    assert db.session.query(VoterRecord).count() == 1


def test_ineligible_accounts_cannot_vote(app, create_user):
    process = make_process()
    with pytest.raises(voting.VotingError) as refused:
        voting.cast_ballot(
            process, voting.AccountVerifier(create_user().id), [], utcnow()
        )
    assert refused.value.code == "not_eligible"


def test_exported_ballots_come_in_random_order(app):
    process = make_process()
    north = process.areas[0]
    for code in voting.generate_codes(process, north, 30):
        voting.cast_ballot(process, voting.CodeVerifier(code), [], utcnow())
    db.session.commit()
    orders = {tuple(b.id for b in voting.shuffled_ballots(process)) for _ in range(5)}
    assert len(orders) > 1


@pytest.mark.postgres
def test_twenty_concurrent_submissions_with_one_code_or_account_store_one_ballot(
    postgresql_url, instance_path
):
    engine = {"pool_size": 25, "max_overflow": 0}
    app = create_app(
        make_test_config(
            postgresql_url, instance_path, SQLALCHEMY_ENGINE_OPTIONS=engine
        )
    )
    migrate_once(app)
    try:
        with app.app_context():
            from eraati.accounts.services import create_user

            process = make_process()
            north = process.areas[0]
            [code] = voting.generate_codes(process, north, 1)
            user = create_user("voter@example.fi")
            db.session.add(
                Eligibility(process_id=process.id, user_id=user.id, area_id=north.id)
            )
            db.session.commit()
            ids = (process.id, user.id, project_ids(north)[:1])
        for make_verifier in (
            lambda: voting.CodeVerifier(code),
            lambda: voting.AccountVerifier(ids[1]),
        ):
            barrier = threading.Barrier(20)

            def attempt(_, make_verifier=make_verifier, barrier=barrier):
                with app.app_context():
                    process = db.session.get(Process, ids[0])
                    verifier = make_verifier()
                    barrier.wait(timeout=30)
                    try:
                        voting.cast_ballot(process, verifier, ids[2], utcnow())
                        db.session.commit()
                        return True
                    except voting.VotingError:
                        db.session.rollback()
                        return False
                    finally:
                        db.session.remove()

            with ThreadPoolExecutor(max_workers=20) as pool:
                results = list(pool.map(attempt, range(20)))
            assert results.count(True) == 1
        with app.app_context():
            assert db.session.query(Ballot).count() == 2
    finally:
        empty_all_tables(app)
