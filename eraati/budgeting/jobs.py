"""Scheduled participatory-budgeting jobs (plain functions of ``now``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from eraati.audit import record
from eraati.budgeting import notices
from eraati.budgeting.models import Phase, Process
from eraati.core.time import as_utc
from eraati.extensions import db

_ORDER = list(Phase)


def due_phase(process: Process, now: datetime) -> Phase:
    """The latest phase whose start has passed (the current one if none has)."""
    due = process.phase
    for value, start in (process.phase_starts or {}).items():
        try:
            phase, starts = Phase(value), as_utc(datetime.fromisoformat(start))
        except ValueError:
            continue  # a stray key must not stop every other process
        if starts <= now and _ORDER.index(phase) > _ORDER.index(due):
            due = phase
    return due


def move_phases(now: datetime) -> int:
    """Move every process to its due phase; idempotent, and never moves backwards
    (a phase set by hand past its dates stays). Returns how many moved."""
    moved = 0
    for process in db.session.scalars(
        select(Process).where(Process.phase != Phase.FINISHED)
    ):
        due = due_phase(process, as_utc(now))
        if due is not process.phase:
            process.phase = due
            notices.phase_changed(process)
            record("pb.phase_changed", process, actor=None, phase=due)
            moved += 1
    db.session.flush()
    return moved
