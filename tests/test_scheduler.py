"""Scheduled jobs: registered once, functions of `now`, safe to re-run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from eraati.accounts.jobs import purge_expired_login_tokens
from eraati.accounts.models import LoginToken
from eraati.extensions import db
from eraati.scheduler import build_scheduler, registered_jobs, run_job

NOW = datetime(2026, 3, 29, 10, 0, tzinfo=UTC)


def token(number, expires_at, used_at=None):
    return LoginToken(
        token_hash=f"{number:064d}",
        email=f"p{number}@example.fi",
        language="fi",
        created_at=expires_at - timedelta(minutes=30),
        expires_at=expires_at,
        used_at=used_at,
    )


def test_purge_removes_only_links_past_their_use_and_rerunning_changes_nothing(app):
    db.session.add_all(
        [
            token(1, NOW + timedelta(minutes=10)),  # still valid
            token(2, NOW - timedelta(hours=2)),  # expired recently: kept for support
            token(3, NOW - timedelta(days=2)),  # long expired
            token(4, NOW + timedelta(minutes=5), used_at=NOW - timedelta(days=3)),
        ]
    )
    db.session.commit()
    assert purge_expired_login_tokens(NOW) == 2
    db.session.commit()
    assert purge_expired_login_tokens(NOW) == 0
    left = sorted(t.email for t in db.session.query(LoginToken))
    assert left == ["p1@example.fi", "p2@example.fi"]


def test_run_job_commits_in_its_own_context(app):
    db.session.add(token(5, NOW - timedelta(days=5)))
    db.session.commit()
    job = next(j for j in registered_jobs() if j.id == "purge-expired-login-tokens")
    assert run_job(app, job, now=NOW) == 1
    assert db.session.query(LoginToken).count() == 0


def test_every_job_is_registered_once_with_a_local_time_trigger(app):
    scheduler = build_scheduler(app)
    scheduler.start(paused=True)
    try:
        jobs = scheduler.get_jobs()
        assert sorted(j.id for j in jobs) == sorted(j.id for j in registered_jobs())
        for job in jobs:
            assert str(job.trigger.timezone) == "Europe/Helsinki"
    finally:
        scheduler.shutdown(wait=False)


def test_no_job_runs_in_the_dst_gap():
    # 03:00-04:00 local time is skipped or repeated when clocks change.
    for job in registered_jobs():
        if job.trigger == "cron" and "hour" in job.trigger_args:
            assert job.trigger_args["hour"] not in (3, "3")


def test_purge_trigger_fires_hourly_across_the_spring_change(app):
    scheduler = build_scheduler(app)
    job = scheduler.get_job("purge-expired-login-tokens")
    helsinki = ZoneInfo("Europe/Helsinki")
    start = datetime(2026, 3, 29, 2, 20, tzinfo=helsinki)
    fire = job.trigger.get_next_fire_time(None, start)
    # 03:15 does not exist on this day: the next run is 04:15 EEST, one hour later.
    assert fire.astimezone(UTC) - start.astimezone(UTC) == timedelta(minutes=55)
