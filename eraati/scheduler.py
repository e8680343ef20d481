"""The one place that maps jobs to triggers.

Jobs are plain functions of ``now`` that reconcile state, so a missed or doubled run
heals itself. The single-process default (`eraati serve`) runs them in a background
thread; deployments with several web processes run `eraati scheduler` once instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import text

from eraati.core.time import utcnow
from eraati.extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    func: Callable[[datetime], object]
    #: Keyword arguments of an APScheduler trigger; cron times are local time.
    trigger: str
    trigger_args: dict


def registered_jobs() -> list[Job]:
    """Every scheduled job of every domain."""
    from eraati.accounts.jobs import purge_expired_login_tokens
    from eraati.budgeting import jobs as budgeting
    from eraati.mail.jobs import send_digests
    from eraati.retention import run_retention
    from eraati.rooms import jobs as rooms
    from eraati.surveys import jobs as surveys

    every_five = {"minute": "*/5"}
    return [
        # Quarter past the hour: never in 03:00-04:00 local, where DST repeats or skips.
        Job(
            "purge-expired-login-tokens",
            purge_expired_login_tokens,
            "cron",
            {"minute": 15},
        ),
        Job(
            "survey-monthly-rounds",
            surveys.schedule_monthly_rounds,
            "cron",
            {"hour": 0, "minute": 30},
        ),
        Job("survey-open-rounds", surveys.open_due_rounds, "cron", every_five),
        Job("survey-invitations", surveys.send_due_invitations, "cron", every_five),
        Job("survey-reminders", surveys.send_due_reminders, "cron", every_five),
        Job("survey-close-rounds", surveys.close_due_rounds, "cron", every_five),
        Job("room-agenda-notices", rooms.send_agenda_notices, "cron", every_five),
        Job("room-reminders", rooms.send_reminders, "cron", every_five),
        Job("room-closing-notices", rooms.send_closing_notices, "cron", every_five),
        Job("room-close-ended", rooms.close_ended_sessions, "cron", every_five),
        Job("pb-move-phases", budgeting.move_phases, "cron", every_five),
        Job("mail-digests", send_digests, "cron", {"hour": 7, "minute": 15}),
        Job("retention", run_retention, "cron", {"hour": 2, "minute": 15}),
    ]


def run_job(app: Flask, job: Job, now: datetime | None = None) -> object:
    """Run one job in an app context, once across processes, and commit."""
    with app.app_context():
        if not _take_lock(job.id):
            log.info("job %s is running elsewhere; skipped", job.id)
            return None
        try:
            result = job.func(now or utcnow())
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()


def _take_lock(job_id: str) -> bool:
    """A PostgreSQL advisory lock for this transaction; SQLite has one process anyway."""
    if db.engine.dialect.name != "postgresql":
        return True
    return bool(
        db.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(hashtext(:job))"), {"job": job_id}
        )
    )


def build_scheduler(app: Flask, blocking: bool = False) -> BaseScheduler:
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    timezone = app.config["TIMEZONE"]
    scheduler = scheduler_class(
        timezone=timezone,
        # A restart runs a missed job once, not once per missed slot.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    for job in registered_jobs():
        trigger = (
            CronTrigger(timezone=timezone, **job.trigger_args)
            if job.trigger == "cron"
            else IntervalTrigger(timezone=timezone, **job.trigger_args)
        )
        scheduler.add_job(
            run_job, trigger, args=(app, job), id=job.id, replace_existing=True
        )
    scheduler.add_listener(_report_problem, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    return scheduler


def _report_problem(event) -> None:
    if getattr(event, "exception", None):
        log.error("scheduled job %s failed: %s", event.job_id, event.exception)
    else:
        log.warning("scheduled job %s missed its time", event.job_id)
