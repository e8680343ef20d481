"""Results of e-panel questionnaires: counts in, frozen summaries out.

Pure statistics, no Flask and no SQLAlchemy. The database layer feeds the rows of its
``GROUP BY`` queries as plain mappings (``{option_key: count}``) plus ``n``, the number
of respondents who answered the question; pages, exports and the API render the
frozen dataclasses that come back, so all three show the same (suppressed) figures.

Rounding: a share is ``count / base`` as a whole percent, rounded half up cell by
cell, so one question's shares may add up to 99 % or 101 % (seed 001: 17 respondents,
101 %). They are never forced to 100: each published number stays recomputable alone.

Small groups are hidden (disclosure control, ``k`` = 5 by default); ``suppress``
documents the exact algorithm. A hidden value carries ``suppressed=True`` and no
number. Show one marker for every hidden value, worded so it is also true of values
hidden only to protect a small one (e.g. "hidden: small group"): a marker that
differs between the two would tell readers which cell is the small one.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Generic, Protocol, TypeVar

# The answer keys are the ones the answering logic stores (one source of truth).
from eraati.surveys.logic import AGREEMENT_KEYS, CANNOT_SAY, YES_NO_KEYS

DEFAULT_K = 5
#: Agreement coded for the mean: higher means more agreement.
AGREEMENT_CODES: Mapping[str, int] = MappingProxyType(
    {"agree": 4, "somewhat_agree": 3, "somewhat_disagree": 2, "disagree": 1}
)
#: The seed's 1-10 recommendation bands (001:216-230); deliberately not NPS.
RECOMMENDATION_BANDS: Mapping[str, range] = MappingProxyType(
    {"low": range(1, 4), "middle": range(4, 8), "high": range(8, 11)}
)

Id = TypeVar("Id", bound=Hashable)
Number = int | float | Decimal


class SuppressionError(ValueError):
    """The locked figures leave no way to protect a hidden value (inconsistent input)."""


class ChoiceKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    YES_NO = "yes_no"


@dataclass(frozen=True, slots=True)
class Share:
    """One option's count and whole-percent share, or a hidden marker."""

    key: str
    count: int | None  # None when suppressed
    percent: int | None  # None when suppressed or when nobody answered
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class ChoiceSummary:
    """Single choice, multiple choice (shares of respondents) or yes/no."""

    kind: ChoiceKind
    n: int | None  # respondents who answered; None when the summary is hidden
    shares: tuple[Share, ...]
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class AgreementSummary:
    """The 4-point agreement scale; "cannot say" is reported but not in the shares.

    ``n`` counts the answers on the scale (the base of shares and mean). ``n_total``
    adds the "cannot say" answers and is None whenever those are hidden, since
    ``n_total - n`` would reveal them; callers must not print that total elsewhere.
    """

    n: int | None
    shares: tuple[Share, ...]
    cannot_say: Share | None  # None when the option was not offered
    n_total: int | None
    mean: float | None  # coded with AGREEMENT_CODES unless told otherwise
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class RecommendationSummary:
    """The 1-10 recommendation: band shares (low/middle/high) and the mean rating."""

    n: int | None
    shares: tuple[Share, ...]
    mean: float | None
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class NumberSummary:
    """A number question; the extremes only when k respondents share each value."""

    n: int | None
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class MatrixRow:
    key: str
    summary: AgreementSummary | ChoiceSummary


@dataclass(frozen=True, slots=True)
class MatrixSummary:
    """Several statements on one scale: one summary per statement."""

    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    group: str | None  # None for the total row
    n: int | None
    shares: tuple[Share, ...]
    mean: float | None = None
    suppressed: bool = False  # the whole group is hidden


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A question by unit or by background group; shares are row percentages.

    ``total`` is exactly the question's own summary (same counts, same suppression):
    a total-row figure is hidden here if and only if the results page hides it.
    """

    rows: tuple[BreakdownRow, ...]
    total: BreakdownRow
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class TrendPoint:
    label: str
    n: int | None
    value: float | None  # None when suppressed or when nobody answered
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class Relation(Generic[Id]):
    """Published figures that add up: ``sum(parts) == total``.

    ``total`` None means a constant that is always shown (a question's ``n``).
    """

    parts: tuple[Id, ...]
    total: Id | None = None

    def members(self) -> tuple[Id, ...]:
        return self.parts if self.total is None else (*self.parts, self.total)


# -- rounding --------------------------------------------------------------------


def percent(count: int, base: int) -> int:
    """``100 * count / base`` rounded half up to a whole percent (integer arithmetic)."""
    if base <= 0 or not 0 <= count <= base:
        raise ValueError(f"count {count} out of 0..{base}")
    return (200 * count + base) // (2 * base)


def round_half_up(value: float, decimals: int = 1) -> float:
    """Round a mean for display the same way on pages, exports and the API.

    Goes through the shortest repr so 7.85 rounds to 7.9, as a reader expects
    (babel's own formatting would round half to even).
    """
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def is_small(count: int, k: int) -> bool:
    """The primary rule: 1..k-1 respondents. Zero is shown: it names nobody."""
    return 0 < count < k


# -- suppression -----------------------------------------------------------------


def suppress(
    values: Mapping[Id, int],
    relations: Sequence[Relation[Id]],
    *,
    primary: Iterable[Id],
    k: int = DEFAULT_K,
    locked: Iterable[Id] = (),
    cascades: Mapping[Id, Sequence[Id]] | None = None,
) -> frozenset[Id]:
    """Which of ``values`` to hide so no hidden value can be recomputed.

    1. Primary: hide ``primary`` (normally the cells with 0 < count < k) and, through
       ``cascades``, everything a hidden member drags along (a hidden group's cells).
    2. Secondary, relation by relation in the given order until nothing changes: a
       relation (parts adding up to a total) must hide none of its members or at least
       two, and when its total is shown the hidden parts must hold 0 or >= k
       respondents together (their sum is ``total - visible``, itself a cell). Else
       hide the smallest visible non-zero member that is not ``locked`` (zeros only as
       a last resort; ties by the order of ``values``) and repeat.
    3. Linear check: solve the published equations for the hidden values (exact
       Gaussian elimination); if one is still determined (e.g. a cell bridging two
       hidden cycles of a table), hide the smallest visible member of a relation it
       is in and go back to 2. The result is deterministic.

    ``locked`` members keep their state: a breakdown's total row, already fixed by
    the question's own summary, so both views show exactly the same numbers.
    """
    problem = _Problem(
        values,
        relations,
        k,
        frozenset(locked),
        cascades or {},
        {member: index for index, member in enumerate(values)},
    )
    hidden: set[Id] = set()
    problem.hide(hidden, primary)
    while True:
        problem.apply_relations(hidden)
        determined = _determined(values, relations, hidden)
        if not determined:
            return frozenset(hidden)
        around = [r for r in relations if determined[0] in r.members()]
        members = [m for r in around for m in r.members()]
        problem.hide(hidden, [problem.next_smallest(members, hidden)])


@dataclass(frozen=True, slots=True)
class _Problem(Generic[Id]):
    values: Mapping[Id, int]
    relations: Sequence[Relation[Id]]
    k: int
    locked: frozenset[Id]
    cascades: Mapping[Id, Sequence[Id]]
    order: Mapping[Id, int]  # ties go to the member listed first

    def hide(self, hidden: set[Id], members: Iterable[Id]) -> None:
        for member in members:
            hidden.add(member)
            hidden.update(self.cascades.get(member, ()))

    def apply_relations(self, hidden: set[Id]) -> None:
        """Step 2 of ``suppress``, to a fixed point."""
        changed = True
        while changed:
            changed = False
            for relation in self.relations:
                while self.needs_more(relation, hidden):
                    extra = self.next_smallest(relation.members(), hidden)
                    self.hide(hidden, [extra])
                    changed = True

    def needs_more(self, relation: Relation[Id], hidden: set[Id]) -> bool:
        if sum(member in hidden for member in relation.members()) == 1:
            return True
        if relation.total is not None and relation.total in hidden:
            return False  # nothing published to subtract from
        hidden_sum = sum(self.values[p] for p in relation.parts if p in hidden)
        return is_small(hidden_sum, self.k)

    def next_smallest(self, members: Iterable[Id], hidden: set[Id]) -> Id:
        candidates = [m for m in members if m not in hidden and m not in self.locked]
        if not candidates:
            raise SuppressionError("no visible member left to hide")
        # Hiding a zero adds nothing to the hidden sum, so zeros come last.
        return min(
            candidates,
            key=lambda m: (self.values[m] == 0, self.values[m], self.order[m]),
        )


def _determined(
    values: Mapping[Id, int], relations: Sequence[Relation[Id]], hidden: set[Id]
) -> list[Id]:
    """Hidden members whose value follows from the published equations."""
    unknowns = [member for member in values if member in hidden]
    column = {member: index for index, member in enumerate(unknowns)}
    rows = [_coefficients(relation, column) for relation in relations]
    pivots = _reduced_pivot_rows([row for row in rows if row])
    # A pivot whose reduced row has no other entry is fixed: x_j = constant.
    return [unknowns[j] for j, row in sorted(pivots.items()) if len(row) == 1]


def _coefficients(relation: Relation[Id], column: Mapping[Id, int]) -> dict[int, int]:
    row: dict[int, int] = {}
    for part in relation.parts:
        if part in column:
            row[column[part]] = row.get(column[part], 0) + 1
    if relation.total is not None and relation.total in column:
        row[column[relation.total]] = row.get(column[relation.total], 0) - 1
    return {j: value for j, value in row.items() if value}


def _reduced_pivot_rows(rows: list[dict[int, int]]) -> dict[int, dict[int, int]]:
    """Reduced row echelon form of sparse integer rows, keyed by pivot column.

    Fraction-free (each row scaled by its gcd) because exact rationals were ten
    times slower on large tables; only which entries are non-zero matters here.
    """
    pivots: dict[int, dict[int, int]] = {}
    for row in rows:
        for j, pivot_row in pivots.items():
            if j in row:
                row = _eliminate(row, pivot_row, j)
        if not row:
            continue
        j = min(row)
        for other, other_row in pivots.items():
            if j in other_row:
                pivots[other] = _eliminate(other_row, row, j)
        pivots[j] = row
    return pivots


def _eliminate(
    row: dict[int, int], pivot_row: dict[int, int], j: int
) -> dict[int, int]:
    """``row`` with column ``j`` cleared by a multiple of ``pivot_row``."""
    a, b = pivot_row[j], row[j]
    result = {c: a * value for c, value in row.items()}
    for c, value in pivot_row.items():
        result[c] = result.get(c, 0) - b * value
    result = {c: value for c, value in result.items() if value}
    divisor = math.gcd(*result.values()) if result else 1
    return {c: value // divisor for c, value in result.items()}


# -- per-question summaries -----------------------------------------------------------


def summarise_single(
    counts: Mapping[str, int],
    n: int,
    *,
    options: Sequence[str] | None = None,
    kind: ChoiceKind = ChoiceKind.SINGLE,
    k: int = DEFAULT_K,
) -> ChoiceSummary:
    """One answer per respondent; the counts add up to ``n`` (checked)."""
    keys = _keys(counts, options)
    _check_total(counts, n)
    if is_small(n, k):
        return ChoiceSummary(kind, None, _hidden_shares(keys), suppressed=True)
    values = {key: counts.get(key, 0) for key in keys}
    primary = [key for key in keys if is_small(values[key], k)]
    hidden = suppress(values, [Relation(tuple(keys))], primary=primary, k=k)
    return ChoiceSummary(kind, n, _shares(values, n, hidden))


def summarise_yes_no(
    counts: Mapping[str, int], n: int, *, k: int = DEFAULT_K
) -> ChoiceSummary:
    """Yes/no is a single choice: one small side hides the other too."""
    return summarise_single(counts, n, options=YES_NO_KEYS, kind=ChoiceKind.YES_NO, k=k)


def summarise_multiple(
    counts: Mapping[str, int],
    n: int,
    *,
    options: Sequence[str] | None = None,
    k: int = DEFAULT_K,
) -> ChoiceSummary:
    """Shares of respondents (they may add up past 100 %).

    Options do not add up to ``n``, so there is no secondary suppression; instead an
    option is also hidden when only 1..k-1 respondents did *not* choose it, because
    ``n - count`` would name that small group.
    """
    keys = _keys(counts, options)
    _check_nonnegative(counts)
    if any(count > n for count in counts.values()):
        raise ValueError("an option has more choosers than respondents")
    if is_small(n, k):
        kind = ChoiceKind.MULTIPLE
        return ChoiceSummary(kind, None, _hidden_shares(keys), suppressed=True)
    values = {key: counts.get(key, 0) for key in keys}
    hidden = {key for key in keys if _small_either_side(values[key], n, k)}
    return ChoiceSummary(ChoiceKind.MULTIPLE, n, _shares(values, n, hidden))


def summarise_agreement(
    counts: Mapping[str, int],
    n: int,
    *,
    cannot_say: bool = False,
    codes: Mapping[str, float] = AGREEMENT_CODES,
    k: int = DEFAULT_K,
) -> AgreementSummary:
    """The 4-point scale; ``n`` includes any "cannot say" answers.

    Shares and mean are of the answers on the scale. "Cannot say" is its own figure
    (share of ``n``), hidden when small; then ``n_total`` is withheld too.
    """
    allowed = (*AGREEMENT_KEYS, CANNOT_SAY) if cannot_say else AGREEMENT_KEYS
    _keys(counts, allowed)
    _check_total(counts, n)
    unsure = counts.get(CANNOT_SAY, 0)
    on_scale = _without(counts, CANNOT_SAY)
    scale = summarise_single(on_scale, n - unsure, options=AGREEMENT_KEYS, k=k)
    other = _cannot_say_share(unsure, n, k, scale.suppressed) if cannot_say else None
    shown_total = other is None or not other.suppressed
    return AgreementSummary(
        n=scale.n,
        shares=scale.shares,
        cannot_say=other,
        n_total=n if shown_total and not scale.suppressed else None,
        mean=_coded_mean(scale.shares, counts, codes),
        suppressed=scale.suppressed,
    )


def summarise_recommendation(
    counts: Mapping[int, int] | Mapping[str, int], n: int, *, k: int = DEFAULT_K
) -> RecommendationSummary:
    """The 1-10 question: band shares 1-3 / 4-7 / 8-10 and the mean rating.

    Ratings may come as ints or as the stored option keys ("1".."10"). The mean is
    withheld when a band is hidden: with ``n`` it is a second equation that could
    solve two hidden bands.
    """
    ratings = _ratings(counts)
    _check_total(ratings, n)
    bands = summarise_single(
        band_counts(ratings), n, options=tuple(RECOMMENDATION_BANDS), k=k
    )
    coded = {str(rating): count for rating, count in ratings.items()}
    codes = {str(rating): rating for rating in range(1, 11)}
    mean = _coded_mean(bands.shares, coded, codes)
    return RecommendationSummary(bands.n, bands.shares, mean, bands.suppressed)


def band_counts(counts: Mapping[int, int] | Mapping[str, int]) -> dict[str, int]:
    """1-10 ratings folded into the seed's bands, e.g. to feed a breakdown."""
    ratings = _ratings(counts)
    return {
        band: sum(count for rating, count in ratings.items() if rating in members)
        for band, members in RECOMMENDATION_BANDS.items()
    }


def _ratings(counts: Mapping[int, int] | Mapping[str, int]) -> dict[int, int]:
    ratings: dict[int, int] = {}
    for key, count in counts.items():
        rating = int(key)
        if rating not in range(1, 11):
            raise ValueError("ratings run from 1 to 10")
        ratings[rating] = ratings.get(rating, 0) + count
    return ratings


def summarise_number(
    counts: Mapping[Number, int], n: int, *, k: int = DEFAULT_K
) -> NumberSummary:
    """n, mean and median; min and max only when >= k respondents gave that value.

    An extreme is one person's own answer unless k people share it. Exact arithmetic
    (the database returns Decimals), so the order of the rows does not matter.
    """
    _check_total(counts, n)
    if n == 0:
        return NumberSummary(0, None, None, None, None)
    if is_small(n, k):
        return NumberSummary(None, None, None, None, None, suppressed=True)
    values = sorted(
        (Fraction(value), count) for value, count in counts.items() if count
    )
    low, high = values[0], values[-1]
    return NumberSummary(
        n=n,
        mean=float(sum(value * count for value, count in values) / n),
        median=float(_median(values, n)),
        minimum=float(low[0]) if low[1] >= k else None,
        maximum=float(high[0]) if high[1] >= k else None,
    )


def summarise_matrix(
    rows: Mapping[str, Mapping[str, int]],
    n: Mapping[str, int],
    *,
    options: Sequence[str] | None = None,
    cannot_say: bool = False,
    k: int = DEFAULT_K,
) -> MatrixSummary:
    """One summary per statement: agreement scale, or single choice over ``options``."""

    def one(key: str) -> AgreementSummary | ChoiceSummary:
        if options is None:
            return summarise_agreement(
                rows.get(key, {}), n[key], cannot_say=cannot_say, k=k
            )
        return summarise_single(rows.get(key, {}), n[key], options=options, k=k)

    if set(rows) - set(n):
        raise ValueError("every statement needs its n")
    return MatrixSummary(tuple(MatrixRow(key, one(key)) for key in n))


def visible_free_text(
    answers: Sequence[str], n: int, *, k: int = DEFAULT_K
) -> tuple[str, ...]:
    """Free-text answers of a group, or none at all when the group is under k.

    For a breakdown group pass ``n=0`` when its row is suppressed.
    """
    return tuple(answers) if n >= k else ()


# -- breakdowns ---------------------------------------------------------------------


def summarise_breakdown(
    counts: Mapping[str, Mapping[str, int]],
    n: Mapping[str, int],
    *,
    options: Sequence[str],
    multiple: bool = False,
    codes: Mapping[str, float] | None = None,
    k: int = DEFAULT_K,
) -> Breakdown:
    """A question by group (unit, age group...): ``counts[group][option]``.

    ``n[group]`` is the group's respondents to the question, in display order; the
    groups must cover every respondent (add a "not stated" group), since the total
    row is their sum. A group that is small, or hidden to protect another, is hidden
    whole. ``codes`` adds a mean per row (agreement scale), shown only when the
    row hides nothing. See ``suppress`` for the algorithm.
    """
    if set(counts) - set(n):
        raise ValueError("counts for a group without n")
    rows = {group: counts.get(group, {}) for group in n}
    for group, row in rows.items():
        _keys(row, options)
        _check_row(row, n[group], multiple)
    totals = {
        option: sum(row.get(option, 0) for row in rows.values()) for option in options
    }
    everyone = sum(n.values())
    summarise = summarise_multiple if multiple else summarise_single
    overall = summarise(totals, everyone, options=options, k=k)
    mean = _mean_or_none(overall.shares, totals, codes)
    total_row = BreakdownRow(None, overall.n, overall.shares, mean, overall.suppressed)
    if overall.suppressed:
        hidden_rows = tuple(_hidden_row(group, options) for group in n)
        return Breakdown(hidden_rows, total_row, suppressed=True)
    hidden = _breakdown_hidden(rows, n, options, overall, multiple, k)
    return Breakdown(
        tuple(
            _breakdown_row(group, rows[group], n[group], options, hidden, codes)
            for group in n
        ),
        total_row,
    )


Cell = tuple[str, ...]  # ("cell", group, option), ("n", group), ("total", option)...


def _breakdown_hidden(
    rows: Mapping[str, Mapping[str, int]],
    n: Mapping[str, int],
    options: Sequence[str],
    overall: ChoiceSummary,
    multiple: bool,
    k: int,
) -> frozenset[Cell]:
    """Pose the table to ``suppress``: cells, group sizes, the total row and N."""
    values: dict[Cell, int] = {}
    for group, row in rows.items():
        values[("n", group)] = n[group]
        values.update({("cell", group, o): row.get(o, 0) for o in options})
    for option in options:
        values[("total", option)] = sum(row.get(option, 0) for row in rows.values())
    values[("N",)] = sum(n.values())
    primary: list[Cell] = [("n", g) for g in rows if is_small(n[g], k)]
    primary += [
        ("cell", g, o)
        for g, row in rows.items()
        for o in options
        if is_small(row.get(o, 0), k)
        or (multiple and is_small(n[g] - row.get(o, 0), k))
    ]
    # The total row is fixed by the question's own summary: same numbers everywhere.
    primary += [("total", share.key) for share in overall.shares if share.suppressed]
    return suppress(
        values,
        _table_relations(tuple(rows), options, multiple),
        primary=primary,
        k=k,
        locked=[("total", o) for o in options] + [("N",)],
        cascades={("n", g): [("cell", g, o) for o in options] for g in rows},
    )


def _table_relations(
    groups: Sequence[str], options: Sequence[str], multiple: bool
) -> list[Relation[Cell]]:
    """Columns add up to the total row and group sizes to N; rows to their n,
    unless one respondent may choose several options."""
    relations = [Relation(tuple(("n", g) for g in groups), ("N",))]
    relations += [
        Relation(tuple(("cell", g, o) for g in groups), ("total", o)) for o in options
    ]
    if not multiple:
        relations += [
            Relation(tuple(("cell", g, o) for o in options), ("n", g)) for g in groups
        ]
        relations.append(Relation(tuple(("total", o) for o in options), ("N",)))
    return relations


def _breakdown_row(
    group: str,
    row: Mapping[str, int],
    n: int,
    options: Sequence[str],
    hidden: frozenset[Cell],
    codes: Mapping[str, float] | None,
) -> BreakdownRow:
    if ("n", group) in hidden:
        return _hidden_row(group, options)
    values = {option: row.get(option, 0) for option in options}
    shares = _shares(values, n, {o for o in options if ("cell", group, o) in hidden})
    return BreakdownRow(group, n, shares, _mean_or_none(shares, values, codes))


def _hidden_row(group: str, options: Sequence[str]) -> BreakdownRow:
    return BreakdownRow(group, None, _hidden_shares(options), suppressed=True)


# -- trends ---------------------------------------------------------------------------


class _HasShares(Protocol):
    @property
    def n(self) -> int | None: ...
    @property
    def shares(self) -> tuple[Share, ...]: ...


class _HasMean(Protocol):
    @property
    def n(self) -> int | None: ...
    @property
    def mean(self) -> float | None: ...
    @property
    def suppressed(self) -> bool: ...


def share_trend(
    rounds: Sequence[tuple[str, _HasShares]], key: str
) -> tuple[TrendPoint, ...]:
    """One option's share round by round, taken from each round's own summary.

    Reading the summaries (not raw counts) keeps every point exactly as hidden as
    on that round's results page.
    """
    points = []
    for label, summary in rounds:
        share = next((s for s in summary.shares if s.key == key), None)
        if share is None:
            raise ValueError(f"round {label!r} has no option {key!r}")
        value = None if share.percent is None else float(share.percent)
        points.append(TrendPoint(label, summary.n, value, share.suppressed))
    return tuple(points)


def mean_trend(rounds: Sequence[tuple[str, _HasMean]]) -> tuple[TrendPoint, ...]:
    """The mean round by round; a withheld mean is a suppressed point."""
    return tuple(
        TrendPoint(label, s.n, s.mean, s.suppressed or (s.mean is None and bool(s.n)))
        for label, s in rounds
    )


# -- helpers ----------------------------------------------------------------------------


def _without(counts: Mapping[str, int], key: str) -> dict[str, int]:
    return {option: count for option, count in counts.items() if option != key}


def _keys(counts: Mapping[str, int], options: Sequence[str] | None) -> tuple[str, ...]:
    """Display order: ``options`` if given (zero rows included), else as counted."""
    if options is None:
        return tuple(counts)
    unknown = set(counts) - set(options)
    if unknown:
        raise ValueError(f"unknown options: {sorted(map(str, unknown))}")
    return tuple(options)


def _check_nonnegative(counts: Mapping[Any, int]) -> None:
    if any(count < 0 for count in counts.values()):
        raise ValueError("counts cannot be negative")


def _check_total(counts: Mapping[Any, int], n: int) -> None:
    _check_nonnegative(counts)
    if sum(counts.values()) != n:
        raise ValueError(f"counts add up to {sum(counts.values())}, not n={n}")


def _check_row(row: Mapping[str, int], n: int, multiple: bool) -> None:
    if multiple:
        _check_nonnegative(row)
        if any(count > n for count in row.values()):
            raise ValueError("an option has more choosers than respondents")
    else:
        _check_total(row, n)


def _small_either_side(count: int, n: int, k: int) -> bool:
    return is_small(count, k) or is_small(n - count, k)


def _shares(
    values: Mapping[str, int], base: int, hidden: Iterable[str]
) -> tuple[Share, ...]:
    hidden_keys = set(hidden)
    return tuple(
        Share(key, None, None, True)
        if key in hidden_keys
        else Share(key, count, percent(count, base) if base else None)
        for key, count in values.items()
    )


def _hidden_shares(keys: Iterable[str]) -> tuple[Share, ...]:
    return tuple(Share(key, None, None, True) for key in keys)


def _cannot_say_share(count: int, n: int, k: int, scale_hidden: bool) -> Share:
    if scale_hidden or is_small(count, k):
        return Share(CANNOT_SAY, None, None, True)
    return Share(CANNOT_SAY, count, percent(count, n) if n else None)


def _coded_mean(
    shares: Sequence[Share], counts: Mapping[str, int], codes: Mapping[str, float]
) -> float | None:
    """Exact mean of the coded answers; withheld if any share is hidden.

    With ``n`` known, a mean is one more equation: it could solve two hidden cells.
    """
    coded = {key: count for key, count in counts.items() if key in codes}
    total = sum(coded.values())
    if total == 0 or any(share.suppressed for share in shares):
        return None
    weighted = sum(Fraction(codes[key]) * count for key, count in coded.items())
    return float(weighted / total)


def _mean_or_none(
    shares: Sequence[Share],
    counts: Mapping[str, int],
    codes: Mapping[str, float] | None,
) -> float | None:
    return None if codes is None else _coded_mean(shares, counts, codes)


def _median(values: Sequence[tuple[Fraction, int]], n: int) -> Fraction:
    """Median of a frequency table: the middle answer, or the mean of the two."""
    middle = ((n - 1) // 2, n // 2)
    found: list[Fraction] = []
    seen = 0
    for value, count in values:
        found += [value] * sum(seen <= position < seen + count for position in middle)
        seen += count
    return (found[0] + found[1]) / 2
