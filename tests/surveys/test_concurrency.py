"""Concurrent submissions on PostgreSQL: every acknowledged answer stored, none twice."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from eraati import create_app
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.surveys import services
from eraati.surveys.builtin import SELF_EVALUATION, ensure_builtin_templates
from eraati.surveys.models import Audience, Invitation, Response, Round
from tests.conftest import empty_all_tables, make_test_config, migrate_once

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(postgresql_url, instance_path):
    # One connection per concurrent respondent, as gevent workers would hold.
    engine = {"pool_size": 60, "max_overflow": 0, "pool_pre_ping": True}
    config = make_test_config(
        postgresql_url, instance_path, SQLALCHEMY_ENGINE_OPTIONS=engine
    )
    app = create_app(config)
    migrate_once(app)
    yield app
    empty_all_tables(app)


def make_round(app, create_members: int = 0) -> int:
    from eraati.accounts.models import User
    from eraati.panels.models import Membership, Organisation, Panel, Unit

    with app.app_context():
        panel = Panel(
            unit=Unit(
                organisation=Organisation(slug="o", name={"fi": "O"}), name={"fi": "U"}
            ),
            name={"fi": "P"},
        )
        for number in range(create_members):
            user = User(email=f"c{number}@example.fi")
            db.session.add(Membership(panel=panel, user=user))
        db.session.add(panel)
        db.session.flush()
        now = utcnow()
        round_ = services.schedule_round(
            ensure_builtin_templates()[SELF_EVALUATION],
            now - timedelta(hours=1),
            now + timedelta(days=1),
            panel=panel,
            audience=Audience.MEMBERS,
        )
        services.open_round(round_, now)
        db.session.commit()
        return round_.id


def one_answer(round_) -> dict:
    item = next(
        i for i in round_.questionnaire.items if i.question.key == "panel-recommend"
    )
    return {item.id: "8"}


def submit_in_own_context(app, round_id, barrier, invitation_id=None):
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        barrier.wait(timeout=30)
        try:
            services.submit(
                round_, one_answer(round_), "fi", utcnow(), invitation_id=invitation_id
            )
            db.session.commit()
            return True
        except services.SurveyError:
            db.session.rollback()
            return False
        finally:
            db.session.remove()


def test_fifty_concurrent_submissions_store_exactly_fifty(pg_app):
    round_id = make_round(pg_app)
    barrier = threading.Barrier(50)
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(
            pool.map(
                lambda _: submit_in_own_context(pg_app, round_id, barrier), range(50)
            )
        )
    assert all(results)
    with pg_app.app_context():
        assert db.session.query(Response).filter_by(round_id=round_id).count() == 50


def test_the_same_invitation_used_twice_at_once_stores_one(pg_app):
    round_id = make_round(pg_app, create_members=1)
    with pg_app.app_context():
        invitation_id = (
            db.session.query(Invitation.id).filter_by(round_id=round_id).scalar()
        )
    barrier = threading.Barrier(8)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(
                lambda _: submit_in_own_context(
                    pg_app, round_id, barrier, invitation_id
                ),
                range(8),
            )
        )
    assert results.count(True) == 1
    with pg_app.app_context():
        assert db.session.query(Response).filter_by(round_id=round_id).count() == 1
        assert db.session.get(Invitation, invitation_id).answered is True
