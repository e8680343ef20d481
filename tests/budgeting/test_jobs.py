"""The phase job moves processes at their dates, once."""

from __future__ import annotations

from datetime import UTC, datetime

from eraati.budgeting.jobs import move_phases
from eraati.budgeting.models import Phase, Process
from eraati.extensions import db
from eraati.scheduler import registered_jobs

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


def make(phase_starts, phase=Phase.DRAFT) -> Process:
    process = Process(
        year=2027,
        title={"en": "Budget"},
        total_budget=1000,
        phase=phase,
        phase_starts=phase_starts,
    )
    db.session.add(process)
    db.session.commit()
    return process


def test_the_latest_passed_phase_wins_and_a_rerun_changes_nothing(app):
    process = make(
        {
            "information": "2027-01-01T00:00:00+00:00",
            "proposals": "2027-02-01T00:00:00+00:00",
            "voting": "2027-03-01T11:00:00+00:00",
            "council": "2027-03-01T13:00:00+00:00",  # not yet
        }
    )
    assert move_phases(NOW) == 1
    assert process.phase is Phase.VOTING
    assert move_phases(NOW) == 0
    assert process.phase is Phase.VOTING


def test_no_dates_or_future_dates_leave_the_phase(app):
    untouched = make({})
    ahead = make({"council": "2027-03-01T11:00:00+00:00"}, phase=Phase.FINISHED)
    future = make({"voting": "2028-01-01T00:00:00+00:00"}, phase=Phase.PROPOSALS)
    assert move_phases(NOW) == 0
    assert untouched.phase is Phase.DRAFT
    assert ahead.phase is Phase.FINISHED  # never moved backwards
    assert future.phase is Phase.PROPOSALS


def test_the_job_runs_every_five_minutes():
    [job] = [job for job in registered_jobs() if job.id == "pb-move-phases"]
    assert job.func is move_phases and job.trigger_args == {"minute": "*/5"}
