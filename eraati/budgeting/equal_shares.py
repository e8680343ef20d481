"""The Method of Equal Shares with cost or approval (cardinality) utilities and the
add1 completions, exactly as pabutools 1.2 counts them. Pure: the standard library,
and numpy for the many runs of add1 (:mod:`.mes_fast`).

Each voter gets an equal share of the budget; keep funding the project its
supporters can pay at the lowest price per unit of utility (rho), cost utility
(``Cost_Sat``) or one unit per project (``Cardinality_Sat``). ``completion="add1"``
(pabutools ``voter_budget_increment=1``) raises every share by 1 until no supported
project would still fit or the next step would overspend; ``"add1-greedy"`` then
fills the rest by greedy; ``"add1-exhaustion"`` is pabutools'
``exhaustion_by_budget_increase`` (there any project that fits counts).
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property
from typing import TypeAlias, TypeVar

from eraati.budgeting.election import (
    LEXICOGRAPHIC,
    Completion,
    Election,
    Money,
    Outcome,
    Project,
    Step,
    TieBreak,
    Utility,
    make_outcome,
)
from eraati.budgeting.greedy import greedy

N = TypeVar("N", int, float)

_ZERO = 0  # class id shared by every voter who has spent all their money
_LOW, _HIGH = 1 - 1e-9, 1 + 1e-9  # margins around rounded values, far above their error
_REPEAT = 16  # groups up to this size are counted by listing them once per voter

Gather: TypeAlias = Callable[[Sequence[int]], tuple[int, ...]]


@dataclass(frozen=True)
class _Prepared:
    """Everything equal shares needs that does not depend on the voters' share.

    Voters with the same set of chosen projects behave identically, so they are
    grouped. Money is scaled by ``unit`` so that costs and every voter's starting
    share are integers; prices that are not whole in the current unit make the run
    refine its unit (see :class:`_Run`), which keeps all arithmetic exact.
    """

    projects: tuple[Project, ...]  # candidates: chosen by someone, cost above 0
    free: tuple[Project, ...]  # chosen by someone, costing nothing: funded first
    unit: int
    costs: tuple[int, ...]  # in prepared units
    utils: tuple[int, ...]  # a supporter's utility from each project, same units
    votes: tuple[int, ...]
    ranks: tuple[int, ...]  # tie-breaking position
    lowest: tuple[float, ...]  # a lower bound on each rho: cost / total utility
    groups: tuple[frozenset[str], ...]  # the distinct sets of chosen projects
    weights: tuple[int, ...]  # voters per group

    @property
    def num_groups(self) -> int:
        return len(self.groups)

    # Indexes of the exact engine, built on first use (the fast one has its own).
    @cached_property
    def _indexes(self) -> tuple[Sequence[Sequence[int]], ...]:
        return _supporters(self.projects, self.groups, self.weights)

    @property
    def supporters(self) -> Sequence[Sequence[int]]:  # supporter groups per project
        return self._indexes[0]

    @property
    def listed(self) -> Sequence[Sequence[int]]:
        """The same once per voter, to count classes (gather looks them up at C
        speed), except groups larger than _REPEAT, kept in heavy as (group, size)."""
        return self._indexes[1]

    @property
    def heavy(self) -> Sequence[Sequence[tuple[int, int]]]:
        return self._indexes[2]  # type: ignore[return-value]

    @cached_property
    def gather(self) -> tuple[Gather, ...]:
        return tuple(map(_gatherer, self.listed))


def _prepare(
    election: Election, utility: Utility, tie_break: TieBreak, shares: Sequence[Money]
) -> _Prepared:
    """Index the candidate projects and their supporters, and fix the money unit."""
    votes = election.votes()
    # A free project gives no satisfaction under Cost_Sat, so it is nobody's choice.
    supported = [p for p in election.projects if votes[p.id] > 0]
    free = [p for p in supported if p.cost == 0 and utility != "cost"]
    projects = tuple(p for p in supported if p.cost > 0)
    groups = _voter_groups(election)
    unit = _common_unit([election.budget, *shares, *(p.cost for p in projects)])
    unit *= max(election.num_voters, 1)
    ranks = tie_break.ranks(election.projects)
    costs = tuple(int(p.cost * unit) for p in projects)
    utils = costs if utility == "cost" else (unit,) * len(projects)
    counts = [votes[p.id] for p in projects]
    # pabutools starts each project at cost / total satisfaction; rho only rises.
    fractions = map(Fraction, costs, map(operator.mul, counts, utils))
    lowest = tuple(float(rho) * _LOW for rho in fractions)
    return _Prepared(
        projects=projects,
        free=tuple(sorted(free, key=lambda p: ranks[p.id])),
        unit=unit,
        costs=costs,
        utils=utils,
        votes=tuple(counts),
        ranks=tuple(ranks[p.id] for p in projects),
        lowest=lowest,
        groups=tuple(groups),
        weights=tuple(groups.values()),
    )


def _voter_groups(election: Election) -> Counter[frozenset[str]]:
    """Voters by the set of projects they chose (all that counts for these rules)."""
    groups: Counter[frozenset[str]] = Counter()
    for ballot, count in election.ballots:
        chosen = ballot.supported()
        if chosen:  # blank ballots hold a share but support nothing
            groups[chosen] += count
    return groups


def _supporters(
    projects: Sequence[Project],
    groups: Sequence[frozenset[str]],
    weights: Sequence[int],
) -> tuple[
    tuple[tuple[int, ...], ...],
    tuple[tuple[int, ...], ...],
    tuple[tuple[tuple[int, int], ...], ...],
]:
    """Per project: supporter groups, the same once per voter, and big groups."""
    index = {p.id: i for i, p in enumerate(projects)}
    supporters: list[list[int]] = [[] for _ in projects]
    listed: list[list[int]] = [[] for _ in projects]
    heavy: list[list[tuple[int, int]]] = [[] for _ in projects]
    for group, (chosen, count) in enumerate(zip(groups, weights, strict=True)):
        for j in (index[pid] for pid in chosen if pid in index):
            supporters[j].append(group)
            if count <= _REPEAT:
                listed[j].extend([group] * count)
            else:
                heavy[j].append((group, count))
    return (
        tuple(map(tuple, supporters)),
        tuple(map(tuple, listed)),
        tuple(map(tuple, heavy)),
    )


def _gatherer(groups: Sequence[int]) -> Gather:
    """A C-speed lookup of many positions at once (itemgetter returns a tuple)."""
    if len(groups) == 1:
        only = groups[0]
        return lambda seq: (seq[only],)
    if not groups:
        return lambda seq: ()
    return operator.itemgetter(*groups)


def _common_unit(values: Iterable[Money]) -> int:
    unit = 1
    for value in values:
        unit = math.lcm(unit, Fraction(value).denominator)
    return unit


def _share_out(
    cost: N, payers: int, money: list[N], counts: list[int]
) -> tuple[N, int]:
    """What the supporters who can pay the full price still owe, and how many they are.

    Supporters with less money than the price pay all they have, which raises the
    price for the others (pabutools walks the supporters by money left; this finds
    the same split by bisection, as the walk's stopping test is monotone).
    """
    if cost <= min(money) * payers:  # nobody runs short: all pay the same
        return cost, payers
    order = sorted(range(len(money)), key=money.__getitem__)
    money = list(map(money.__getitem__, order))
    counts = list(map(counts.__getitem__, order))
    paid = [0 * cost, *itertools.accumulate(map(operator.mul, money, counts))]
    seen = [0, *itertools.accumulate(counts)]

    def pays_in_full(i: int) -> bool:
        return bool(cost - paid[i] <= money[i] * (payers - seen[i]))

    first = bisect.bisect_left(range(len(money)), True, key=pays_in_full)
    return cost - paid[first], payers - seen[first]


class _Run:
    """One run of equal shares for a given starting share per voter.

    Voters are tracked by class: all voters in a class have the same money left
    (class 0 holds everyone who has spent all). A group of voters only stores its
    class id, so paying for a project touches each supporter group once with
    integer work, and money arithmetic happens once per class.

    Money is exact. A class stores an integer in the unit of its epoch; when a price
    is not a whole number of the current unit, the unit is refined by the missing
    factor and a new epoch starts, so nothing is rounded and nothing is rewritten.
    """

    def __init__(self, prep: _Prepared, share: int) -> None:
        self.prep = prep
        self.scale = 1  # current unit = prepared unit / scale
        self.money = [0, share]  # money left per class, in its epoch's unit
        self.rough = [0.0, float(share)]  # the same in prepared units, rounded
        self.epoch = [0, 0]  # epoch of each class
        self.factor = [1]  # per epoch: how many current units make one of its units
        self.cls = [1] * prep.num_groups  # class of each group
        # Per project, the supporters still worth looking up (see _drop_idle).
        self.supporters: list[Sequence[int]] = list(prep.supporters)
        self.listed: list[Sequence[int]] = list(prep.listed)
        self.gather = list(prep.gather)

    def class_weights(self, j: int) -> Counter[int]:
        """How many supporters of project ``j`` are in each class with money left."""
        cls = self.cls
        weights = Counter(self.gather[j](cls))
        idle = weights.pop(_ZERO, 0)
        for group, count in self.prep.heavy[j]:
            weights[cls[group]] += count
        weights.pop(_ZERO, None)
        if idle > 64 and 3 * idle > len(self.listed[j]):
            self._drop_idle(j)
        return weights

    def _drop_idle(self, j: int) -> None:
        """Voters who have spent all stay so for the run: stop looking them up."""
        cls = self.cls
        listed = [g for g in self.listed[j] if cls[g] != _ZERO]
        self.listed[j] = listed
        self.gather[j] = _gatherer(listed)
        self.supporters[j] = [g for g in self.supporters[j] if cls[g] != _ZERO]

    def current(self, classes: Iterable[int]) -> list[int]:
        """The money of each class, in the current unit."""
        classes = list(classes)
        units = map(self.factor.__getitem__, map(self.epoch.__getitem__, classes))
        return list(map(operator.mul, map(self.money.__getitem__, classes), units))

    def estimate(self, j: int, weights: Counter[int]) -> tuple[float, float] | None:
        """Bounds on rho computed in floating point, or None if surely unaffordable.

        Rounded money is within 2**-53 of the exact value; sums over up to a
        million classes stay within 1e-10 relative of the exact sums. The bound
        widens when most of the cost is covered by voters paying all they have,
        since the remainder is a difference of nearly equal sums.
        """
        cost = float(self.prep.costs[j])
        money = list(map(self.rough.__getitem__, weights))
        counts = list(weights.values())
        payers = sum(counts)
        total = sum(map(operator.mul, money, counts))
        if total < cost * _LOW:
            return None
        if total <= cost * _HIGH:  # too close to call in floating point
            price = self.price(j, weights)
            if price is None:
                return None
            rho = float(self.rho(j, price))
            return rho * _LOW, rho * _HIGH
        need, payers = _share_out(cost, payers, money, counts)
        if not payers or need <= cost * 1e-6:
            return 0.0, math.inf  # nearly all paid in full: exact arithmetic decides
        rho = need / (payers * self.prep.utils[j])
        error = 1e-10 * (2 * cost - need) / need
        return rho * (1 - error), rho * (1 + error)

    def price(self, j: int, weights: Counter[int]) -> tuple[int, int] | None:
        """The price per paying supporter as a fraction, or None if unaffordable.

        Supporters with less money than the price pay all they have and the others
        pay the price: the same outcome as pabutools' walk through the supporters.
        """
        cost = self.prep.costs[j] * self.scale
        money = self.current(weights)
        counts = list(weights.values())
        payers = sum(counts)
        if sum(map(operator.mul, money, counts)) < cost:
            return None
        return _share_out(cost, payers, money, counts)

    def rho(self, j: int, price: tuple[int, int]) -> Fraction:
        """Price per unit of utility, independent of the current money unit."""
        numerator, payers = price
        return Fraction(numerator, payers * self.scale * self.prep.utils[j])

    def pay(self, j: int, weights: Counter[int], price: tuple[int, int]) -> None:
        """Every supporter pays the price, or all they have if that is less."""
        numerator, payers = price
        step = payers // math.gcd(numerator, payers)
        if step > 1:  # make the price whole: refine the unit, start an epoch
            self.scale *= step
            self.factor = [f * step for f in self.factor]
            self.factor.append(1)
        paid = numerator * step // payers
        classes = list(weights)
        left = [m - paid for m in self.current(classes)]
        fresh = itertools.count(len(self.money))
        moves = zip(classes, left, strict=True)
        remap = {c: next(fresh) if m > 0 else _ZERO for c, m in moves}
        remap[_ZERO] = _ZERO
        kept = [m for m in left if m > 0]
        self.money.extend(kept)
        self.rough.extend([m / self.scale for m in kept])
        self.epoch.extend([len(self.factor) - 1] * len(kept))
        cls = self.cls
        for group in self.supporters[j]:
            cls[group] = remap[cls[group]]

    def coverage(self, j: int) -> Fraction:
        """Share of project ``j``'s cost that its supporters can still pay (max 1)."""
        weights = self.class_weights(j)
        money = sum(map(operator.mul, self.current(weights), weights.values()))
        return min(Fraction(money, self.prep.costs[j] * self.scale), Fraction(1))


@dataclass
class _Pass:
    """The result of one equal-shares run: funded candidates with rho and price."""

    chosen: list[int]
    rhos: list[Fraction]
    prices: list[Fraction]
    run: _Run

    def coverage(self, j: int) -> Fraction:
        return self.run.coverage(j)


@dataclass
class _Found:
    """The same from the fast engine: what each unfunded candidate's supporters had."""

    chosen: list[int]
    rhos: list[Fraction]
    prices: list[Fraction]
    left: dict[int, Fraction]
    costs: Sequence[int]

    def coverage(self, j: int) -> Fraction:
        return min(self.left[j] / self.costs[j], Fraction(1))


def _mes_pass(prep: _Prepared, share: int) -> _Pass:
    """Run equal shares once, for a starting ``share`` per voter in prepared units.

    Each round looks at candidates in order of a lower bound on their rho (pabutools
    keeps each project's last rho, which only rises as voters spend) and estimates
    rho in floating point with an error bound. Only the candidates that may win or
    tie are then priced exactly, so the choice is exact.
    """
    run = _Run(prep, share)
    bound = dict(enumerate(prep.lowest))
    result = _Pass([], [], [], run)
    while bound:
        looked = _estimate_round(run, bound)
        best = _exact_best(run, looked)
        if best is None:
            break
        j, weights, price, rho = best
        del bound[j]
        result.chosen.append(j)
        result.rhos.append(rho)
        result.prices.append(Fraction(price[0], price[1] * run.scale * prep.unit))
        run.pay(j, weights, price)
    return result


def _estimate_round(
    run: _Run, bound: dict[int, float]
) -> list[tuple[int, Counter[int], float, float]]:
    """Estimate rho for every candidate that might be the cheapest this round.

    Returns (project, class weights, low, high) for each; drops candidates whose
    supporters can no longer afford them (they never will again).
    """
    looked = []
    best_high = math.inf
    for j in sorted(bound, key=bound.__getitem__):
        if bound[j] > best_high * _HIGH:  # cannot win or tie this round
            break
        weights = run.class_weights(j)
        estimate = run.estimate(j, weights)
        if estimate is None:
            del bound[j]
            continue
        low, high = estimate
        bound[j] = low
        best_high = min(best_high, high)
        looked.append((j, weights, low, high))
    return [t for t in looked if t[2] <= best_high * _HIGH]


def _exact_best(
    run: _Run, looked: list[tuple[int, Counter[int], float, float]]
) -> tuple[int, Counter[int], tuple[int, int], Fraction] | None:
    """The exact cheapest candidate, ties going to the first in tie-breaking order."""
    best = None
    for j, weights, _, _ in sorted(looked, key=lambda t: run.prep.ranks[t[0]]):
        price = run.price(j, weights)
        if price is None:
            continue
        rho = run.rho(j, price)
        if best is None or rho < best[3]:
            best = (j, weights, price, rho)
    return best


def method_of_equal_shares(
    election: Election,
    *,
    utility: Utility = "cost",
    completion: Completion = "none",
    tie_break: TieBreak = LEXICOGRAPHIC,
    increment: Money = 1,
) -> Outcome:
    """pabutools' ``method_of_equal_shares`` with ``Cost_Sat`` or ``Cardinality_Sat``.

    ``completion`` (see the module doc): ``"none"``; ``"add1"`` is pabutools'
    ``voter_budget_increment=increment``; ``"add1-exhaustion"`` is
    ``exhaustion_by_budget_increase(..., budget_step=increment * voters)``;
    ``"add1-greedy"`` is ``"add1"`` followed by :func:`greedy` with the same utility.
    """
    prep = _prepare(election, utility, tie_break, (increment,))
    rule = f"mes-{utility}" + ("" if completion == "none" else f"-{completion}")
    voters = election.num_voters
    share = Fraction(election.budget, voters or 1)
    found: _Pass | _Found | None = None
    passes = 0
    if voters and completion == "none":
        found, passes = _mes_pass(prep, int(share * prep.unit)), 1
    elif voters:
        found, share, passes = _add1(election, prep, share, increment, completion)
    # Free projects come first in every run, but not when nobody voted (pabutools
    # then returns at once) nor in exhaustion's fallback (its start is empty).
    free = voters > 0 and (found is not None or completion != "add1-exhaustion")
    outcome = _mes_outcome(rule, election, prep, found, share, passes, free)
    if completion != "add1-greedy":
        return outcome
    filled = greedy(
        election, utility=utility, tie_break=tie_break, initial=outcome.steps
    )
    return replace(
        outcome,
        selected=filled.selected,
        total_cost=filled.total_cost,
        steps=filled.steps,
    )


def _add1(
    election: Election,
    prep: _Prepared,
    share: Fraction,
    increment: Money,
    completion: Completion,
) -> tuple[_Pass | _Found | None, Fraction, int]:
    """Raise the share per voter until the outcome is exhaustive or overspends.

    Returns the last run that fits the budget (``None``: even the first overspent),
    its share and the number of runs made, as pabutools' loop does.
    exhaustion_by_budget_increase also stops once the total of the shares passes
    budget * (voters + 1), returning the last run; if a project nobody chose still
    fits, it only stops there, which can take as many runs as the budget has units.
    The runs themselves come from :class:`_Runs` (fast, same outcomes).
    """
    every_project = completion == "add1-exhaustion"
    last_step = (
        math.floor(Fraction(election.budget) / increment) if every_project else -1
    )
    free_cost = sum((p.cost for p in prep.free), 0)
    runs = _Runs(prep, share, increment)
    for step in itertools.count():
        chosen = runs.winners(step)
        spent = free_cost + sum((prep.projects[j].cost for j in chosen), 0)
        runs.spend(step, spent, election.budget)
        if spent > election.budget:
            if not step:
                return None, share, 1
            return runs.exact(step - 1), share + (step - 1) * increment, step + 1
        if (
            _exhaustive(election, prep, chosen, spent, every_project)
            or step == last_step
        ):
            return runs.exact(step), share + step * increment, step + 1
    raise AssertionError("unreachable")


_FAST_FROM = 1000  # supporter entries: below this the exact engine alone is as fast


class _Runs:
    """The funded projects of each add1 run, by step (share = base + step * increment).

    Large elections use :mod:`eraati.budgeting.mes_fast` (same outcomes, much
    faster); the run that is returned is made once more to get its exact prices
    and what the supporters of the rest still had.
    """

    def __init__(self, prep: _Prepared, base: Fraction, increment: Money) -> None:
        self.prep, self.base, self.increment = prep, base, increment
        self.search = self.sweep = None
        if sum(map(len, prep.groups)) >= _FAST_FROM:
            from eraati.budgeting import mes_fast

            if mes_fast.Search.fits(prep.costs, self.units(0)):
                self.search = mes_fast.Search(prep, prep.groups, prep.weights)
                self.sweep = mes_fast.Sweep(self.search, self.units, self._chosen)
        self.spent: list[Money] = []

    def units(self, step: int) -> int:
        return int((self.base + step * self.increment) * self.prep.unit)

    def _chosen(self, step: int) -> list[int]:
        return _mes_pass(self.prep, self.units(step)).chosen

    def winners(self, step: int) -> tuple[int, ...]:
        if self.sweep is None:
            return tuple(self._chosen(step))
        return self.sweep.winners(step)

    def spend(self, step: int, spent: Money, budget: Money) -> None:
        """Size the sweep's next block from how fast spending nears the budget."""
        self.spent.append(spent)
        if self.sweep is None or step + 1 in self.sweep.found:
            return
        done = min(len(self.spent) - 1, self.sweep.block)
        rise = (spent - self.spent[-1 - done]) / done if done else 0
        self.sweep.plan((budget - spent) / rise if rise > 0 else math.inf)

    def exact(self, step: int) -> _Pass | _Found:
        """The run at ``step`` with its exact prices and what the rest lacked."""
        prep, units = self.prep, self.units(step)
        run = None
        if self.search is not None and self.search.fits((), units):
            run = self.search.run(units, finish=True)
        if run is None:
            found: _Pass | _Found = _mes_pass(prep, units)
        else:
            utils = [prep.utils[j] for j in run.winners]
            found = _Found(
                run.winners,
                [price / util for price, util in zip(run.prices, utils, strict=True)],
                [price / prep.unit for price in run.prices],
                run.left,
                prep.costs,
            )
        if tuple(found.chosen) != self.winners(step):
            raise AssertionError(f"fast and exact equal shares differ at step {step}")
        return found


def _exhaustive(
    election: Election,
    prep: _Prepared,
    chosen: Iterable[int],
    spent: Money,
    every_project: bool,
) -> bool:
    """No further project fits: among candidates (in-rule add1) or all projects."""
    left = election.budget - spent
    taken = {prep.projects[j].id for j in chosen} | {p.id for p in prep.free}
    pool = election.projects if every_project else prep.projects
    return all(p.id in taken or p.cost > left for p in pool)


def _mes_outcome(
    rule: str,
    election: Election,
    prep: _Prepared,
    found: _Pass | _Found | None,
    share: Fraction,
    passes: int,
    free: bool,
) -> Outcome:
    """Steps with each project's rho and effective votes, and what the rest lacked."""
    votes = election.votes()
    steps = [
        Step(p.id, 0, votes[p.id], Fraction(votes[p.id])) for p in prep.free if free
    ]
    if found is None:
        return make_outcome(rule, election, steps, voter_budget=share, passes=passes)
    for j, rho, price in zip(found.chosen, found.rhos, found.prices, strict=True):
        project = prep.projects[j]
        effective = Fraction(project.cost) / price
        steps.append(Step(project.id, project.cost, prep.votes[j], effective, rho))
    funded = set(found.chosen)
    coverage = tuple(
        (prep.projects[j].id, found.coverage(j))
        for j in range(len(prep.projects))
        if j not in funded
    )
    return make_outcome(
        rule, election, steps, voter_budget=share, passes=passes, coverage=coverage
    )
