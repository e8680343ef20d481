"""What became of things people took part in, as one plain list (pure: no Flask,
no SQLAlchemy). The queries in :mod:`eraati.outcomes.queries` fill it from rooms,
budgeting and surveys; the pages and the feeds only filter, order and show it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum


class Kind(StrEnum):
    IDEA = "idea"  #: an idea raised in a panel's session
    SESSION = "session"  #: a session the person took part in
    SURVEY = "survey"  #: a questionnaire's results and what was done about them
    PROPOSAL = "proposal"  #: a resident's idea in participatory budgeting
    PROJECT = "project"  #: a participatory budgeting project


class Stage(StrEnum):
    """One scale for every kind, so that a filter means the same everywhere."""

    NEW = "new"  #: not handled yet
    UNDER_WAY = "under_way"
    DONE = "done"
    STOPPED = "stopped"  #: does not go ahead; the reason is published


#: Days a period filter looks back.
PERIODS = (30, 90, 365)


@dataclass(frozen=True)
class Outcome:
    #: Unique and stable, e.g. ``idea-12``: the page anchor and the feed entry's id.
    key: str
    kind: Kind
    title: str
    stage: Stage
    #: The status in the reader's language, as the domain words it.
    status: str
    updated: datetime
    link: str
    #: Why it stopped (published), when it did.
    reason: str | None = None
    #: The latest published note on it, when there is one.
    note: str | None = None
    #: Personal pages: why it is on the person's list ("You follow this").
    relations: tuple[str, ...] = field(default=())
    #: Officials' view: no status update for too long.
    stale: bool = False


@dataclass(frozen=True)
class Filters:
    stage: Stage | None = None
    kind: Kind | None = None
    #: Only what was updated in the last so many days.
    period: int | None = None


class FilterError(ValueError):
    """A filter value that is not one of the offered choices."""


def parse_filters(args: dict[str, str], kinds: Iterable[Kind]) -> Filters:
    """Filters from GET parameters; empty values mean "all"."""
    stage = args.get("status") or None
    kind = args.get("kind") or None
    period = args.get("period") or None
    try:
        return Filters(
            stage=Stage(stage) if stage else None,
            kind=_allowed_kind(kind, kinds) if kind else None,
            period=_allowed_period(period) if period else None,
        )
    except ValueError as error:
        raise FilterError(str(error)) from error


def _allowed_kind(value: str, kinds: Iterable[Kind]) -> Kind:
    kind = Kind(value)
    if kind not in set(kinds):
        raise ValueError(value)
    return kind


def _allowed_period(value: str) -> int:
    days = int(value)
    if days not in PERIODS:
        raise ValueError(value)
    return days


def apply_filters(
    items: Iterable[Outcome], filters: Filters, now: datetime
) -> list[Outcome]:
    since = now - timedelta(days=filters.period) if filters.period else None
    return [
        item
        for item in items
        if (filters.stage is None or item.stage is filters.stage)
        and (filters.kind is None or item.kind is filters.kind)
        and (since is None or item.updated >= since)
    ]


def is_stale(item: Outcome, now: datetime, days: int) -> bool:
    """An idea still open whose status has not changed in ``days`` days."""
    return (
        item.kind is Kind.IDEA
        and item.stage in (Stage.NEW, Stage.UNDER_WAY)
        and item.updated <= now - timedelta(days=days)
    )


def mark_stale(items: Iterable[Outcome], now: datetime, days: int) -> list[Outcome]:
    return [replace(item, stale=is_stale(item, now, days)) for item in items]


def ordered(items: Iterable[Outcome]) -> list[Outcome]:
    """Stale ideas first (the longest waiting first), then the latest updates."""
    items = list(items)
    stale = sorted((i for i in items if i.stale), key=lambda i: (i.updated, i.key))
    rest = sorted(
        (i for i in items if not i.stale),
        key=lambda i: (i.updated, i.key),
        reverse=True,
    )
    return stale + rest


def merged(items: Iterable[Outcome]) -> list[Outcome]:
    """One entry per key; what it is to the person is gathered from every copy."""
    by_key: dict[str, Outcome] = {}
    for item in items:
        seen = by_key.get(item.key)
        if seen is None:
            by_key[item.key] = item
        else:
            extra = tuple(r for r in item.relations if r not in seen.relations)
            by_key[item.key] = replace(seen, relations=seen.relations + extra)
    return list(by_key.values())
