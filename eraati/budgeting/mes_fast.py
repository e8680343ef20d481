"""Many runs of equal shares, fast, for the add1 completion (numpy; exact outcomes).

pabutools' add1 reruns the Method of Equal Shares with every voter's share raised
by 1 until the outcome is exhaustive or overspends: a city-wide vote needs a few
hundred runs. :class:`Search` makes one run cost a few milliseconds and still
takes every decision exactly as pabutools' exact fractions do:

- Money is kept per voter group in floating point, but every price paid is exact:
  a fraction over a common denominator, computed from the supporters who pay all
  they have (their money is the share minus the exact prices of the rounds in
  which they paid in full). Rounding therefore never accumulates: a group's money
  is off by at most one unit in the last place per payment.
- A project's water level (what each supporter pays) is found in floating point
  with a proven error bound. A decision (is it affordable, which project has the
  lowest price per unit of satisfaction) is taken in floating point only when the
  bound settles it; near-ties are decided on exact prices, and exact ties by the
  tie-breaking order, as in pabutools.
- Runs can be made from the highest share down. While the same projects have been
  funded, every voter has at most as much money in the run with the smaller share
  (paying for a project is monotone in the money), so every price there is at
  least the price in the run above: lower bounds that spare most of the work of
  finding the cheapest project.

What the bounds cannot settle (a voter left with almost exactly the price, an
affordability sum equal to the cost up to rounding) makes :meth:`Search.run`
return None; the caller then uses the exact engine of :mod:`eraati.budgeting.equal_shares`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol

import numpy as np

EPS = 2.0**-52
REPEAT = 16  # groups up to this size are listed once per voter (weight 1) ...
LISTED = 4_000_000  # ... or all groups, when listing every voter stays below this
EXACT_FLOATS = 2.0**50  # money in prepared units must stay well inside a float
_sum = np.add.reduce  # without ndarray.sum's Python wrapper
_count = np.count_nonzero


class Candidates(Protocol):
    """What :class:`Search` needs to know about the projects (equal_shares' _Prepared)."""

    projects: Sequence[Any]  # with an ``id``
    costs: Sequence[int]
    utils: Sequence[int]
    ranks: Sequence[int]
    lowest: Sequence[float]


def _supporters(
    projects: Sequence[Any], groups: Sequence[frozenset[str]]
) -> list[np.ndarray]:
    """The groups choosing each project, from one pass over all the choices."""
    index = {project.id: j for j, project in enumerate(projects)}
    chosen = [index.get(pid, -1) for group in groups for pid in group]
    members = np.repeat(np.arange(len(groups)), [len(group) for group in groups])
    chosen_array = np.array(chosen, dtype=np.intp)
    kept = chosen_array >= 0
    by_project = np.argsort(chosen_array[kept], kind="stable")
    members = members[kept][by_project]
    ends = np.searchsorted(chosen_array[kept][by_project], np.arange(len(projects) + 1))
    return [members[ends[j] : ends[j + 1]] for j in range(len(projects))]


class _Unsettled(Exception):
    """A decision the floating-point bounds cannot settle."""


@dataclass
class Run:
    """One run: funded candidates in order, with their exact prices per supporter.

    ``bounds[r]`` holds, after round ``r``'s price estimates, a lower bound of every
    candidate's price per unit of satisfaction (inf: funded or unaffordable) and
    ``levels[r]`` a lower bound of the water levels found (0: not looked at): the
    run at the next lower share starts from them. ``left`` (with ``finish``) is
    what the supporters of each candidate left unfunded still have.
    """

    share: int
    winners: list[int] = field(default_factory=list)
    prices: list[Fraction] = field(default_factory=list)
    bounds: list[np.ndarray] = field(default_factory=list)
    levels: list[np.ndarray] = field(default_factory=list)
    left: dict[int, Fraction] = field(default_factory=dict)


@dataclass
class _Guess:
    """A water level in floating point, its error bound and the money it saw."""

    project: int
    level: float
    error: float
    light: np.ndarray
    heavy: np.ndarray | None


class Search:
    """Equal-shares runs over fixed candidates for any starting share (prepared units).

    ``candidates`` gives the projects with their integer costs and satisfactions,
    tie-breaking ranks and a lower bound of each price per unit of satisfaction;
    ``groups`` are the distinct sets of chosen projects and ``weights`` how many
    voters chose each.
    """

    def __init__(
        self,
        candidates: Candidates,
        groups: Sequence[frozenset[str]],
        weights: Sequence[int],
    ) -> None:
        self.cost_int = list(candidates.costs)
        self.util_int = list(candidates.utils)
        self.cost = [float(c) for c in self.cost_int]
        self.util = [float(u) for u in self.util_int]
        self.ranks = list(candidates.ranks)
        self.lowest = np.array(candidates.lowest, dtype=float)
        self.groups = len(groups)
        self.light: list[np.ndarray] = []
        self.heavy: list[np.ndarray | None] = []
        self.heavy_w: list[np.ndarray] = []
        self.total: list[float] = []
        sizes = np.array(weights, dtype=np.intp)
        supporters = _supporters(candidates.projects, groups)
        listed = sum(int(sizes[members].sum()) for members in supporters)
        repeat = REPEAT if listed > LISTED else np.inf
        for members in supporters:
            size = sizes[members]
            small = size <= repeat
            self.light.append(np.repeat(members[small], size[small]))
            big = ~small
            self.heavy.append(members[big] if big.any() else None)
            self.heavy_w.append(size[big].astype(float))
            self.total.append(float(size.sum()))
        # paid[r, g]: group g paid the full price in round r (of the current run).
        self.paid = np.zeros((len(self.cost) + 1, self.groups), dtype=np.uint8)

    @staticmethod
    def fits(costs: Sequence[int], share: int) -> bool:
        """Whether floats hold these amounts with room to spare."""
        return max([share, *costs]) < EXACT_FLOATS

    def run(
        self, share: int, above: Run | None = None, finish: bool = False
    ) -> Run | None:
        """One run at ``share``; ``above`` is a run at a larger share, or None.

        With ``finish`` the run also records what each unfunded candidate's
        supporters have left. Returns None when a decision needs exact money.
        """
        try:
            state = _State(self, share, above)
            result = state.run()
            if finish:
                state.finish()
            return result
        except _Unsettled:
            return None


class _State:
    """The state of one run: money per group, exact prices so far, lower bounds."""

    def __init__(self, search: Search, share: int, above: Run | None) -> None:
        self.s = search
        self.share = share
        self.money = np.full(search.groups, float(share))
        self.unit_error = 4 * EPS * float(share)  # one payment's rounding, at most
        self.error = 0.0  # bound on any group's money error
        self.numerators: list[int] = []  # exact prices so far, over the denominator
        self.denominator = 1
        self.above = above
        self.result = Run(share)
        self.round = 0

    def run(self) -> Run:
        s, result, above = self.s, self.result, self.above
        bound = s.lowest.copy()
        for r in range(len(s.cost) + 1):
            self.round = r
            start = None
            if above is not None:
                np.maximum(bound, above.bounds[r], out=bound)
                start = above.levels[r]
            levels = np.zeros(len(s.cost))
            looked, best_high = self._look(bound, levels, start)
            result.bounds.append(bound.copy())
            result.levels.append(levels)
            if not looked:
                break
            winner, price = self._choose(looked, best_high)
            bound[winner.project] = math.inf
            result.winners.append(winner.project)
            result.prices.append(price)
            self._pay(winner, price)
            if above is not None and (
                r >= len(above.winners) or above.winners[r] != winner.project
            ):
                above = None  # the runs part: its bounds no longer hold here
        return result

    def _look(
        self, bound: np.ndarray, levels: np.ndarray, start: np.ndarray | None
    ) -> tuple[list[tuple[float, _Guess]], float]:
        """Estimate prices in order of their lower bounds until none can be lower."""
        util = self.s.util
        looked = []
        best_high = math.inf
        for j in np.argsort(bound, kind="stable").tolist():
            if not bound[j] <= best_high or bound[j] == math.inf:
                break  # the rest cannot be cheaper, or are funded or unaffordable
            guess = self._estimate(j, 0.0 if start is None else float(start[j]))
            if guess is None:
                bound[j] = math.inf
                continue
            u = util[j]
            low = (guess.level - guess.error) / u * (1 - 4 * EPS)
            high = (guess.level + guess.error) / u * (1 + 4 * EPS)
            if low > bound[j]:
                bound[j] = low
            levels[j] = guess.level - guess.error
            if high < best_high:
                best_high = high
            looked.append((low, guess))
        return looked, best_high

    def _estimate(self, j: int, start: float) -> _Guess | None:
        """Candidate ``j``'s water level now, or None if its supporters cannot pay.

        pabutools' poor/rich iteration on floating-point money: from a level known
        to be too low, the level only rises, and it stops once no more supporters
        turn out to have less than it.
        """
        s = self.s
        light = self.money.take(s.light[j])
        heavy_groups = s.heavy[j]
        cost, total = s.cost[j], s.total[j]
        money = float(_sum(light))
        heavy = weights = None
        if heavy_groups is not None:
            heavy = self.money.take(heavy_groups)
            weights = s.heavy_w[j]
            money += float(_sum(heavy * weights))
        size = len(light) + (0 if heavy is None else len(heavy))
        rounding = 4 * (size + 4) * EPS * (cost + money)
        slack = total * self.error + rounding
        if money < cost - slack:
            return None
        if money <= cost + slack:
            raise _Unsettled("affordability")
        base = cost / total
        level = max(base, start)
        filled, count = self._filled(light, heavy, weights, level)
        while True:
            if not count:
                raise _Unsettled("level")
            if filled > cost and level > base:  # the start was too high after all
                level = base
                filled, count = self._filled(light, heavy, weights, level)
                continue
            level += (cost - filled) / count
            # Converged once nobody has between the old and the new level; those
            # surely above the new one also bound the error (see below).
            reach = level * 1e-9 + 2 * self.error
            edge = level + reach + self.error
            above = float(_count(light > edge))
            if heavy is not None:
                above += float(_sum(weights[heavy > edge]))
            if above == count:
                break
            filled, rich = self._filled(light, heavy, weights, level)
            if rich == count:
                break
            count = rich
        return self._bounded(j, level, light, heavy, rounding, reach, above)

    @staticmethod
    def _filled(
        light: np.ndarray,
        heavy: np.ndarray | None,
        weights: np.ndarray | None,
        level: float,
    ) -> tuple[float, float]:
        """What the supporters pay at ``level`` and how many pay it in full."""
        filled = float(_sum(np.minimum(light, level)))
        count = float(_count(light >= level))
        if heavy is not None:
            assert weights is not None
            filled += float(_sum(np.minimum(heavy, level) * weights))
            count += float(_sum(weights[heavy >= level]))
        return filled, count

    def _bounded(
        self,
        j: int,
        level: float,
        light: np.ndarray,
        heavy: np.ndarray | None,
        rounding: float,
        reach: float,
        above: float,
    ) -> _Guess:
        """The level with its error bound.

        F(y), what the supporters pay at level y, is concave and rises by at least
        the weight of those with more than y; the exact F differs from the computed
        one by at most the money error of those near the level, plus rounding.
        So the exact level is within that difference / (weight ``above`` of the
        supporters surely above ``level + reach``) of ``level``, if that is at most
        ``reach``.
        """
        if above <= 0:
            raise _Unsettled("level")
        error = ((self.s.total[j] - above) * self.error + rounding) / above
        if error > reach:
            raise _Unsettled("level")
        return _Guess(j, level, error, light, heavy)

    def _choose(
        self, looked: list[tuple[float, _Guess]], best_high: float
    ) -> tuple[_Guess, Fraction]:
        """The cheapest candidate and its exact price; near-ties decided exactly."""
        contenders = [guess for low, guess in looked if low <= best_high]
        if len(contenders) == 1:
            return contenders[0], self._exact_level(contenders[0])
        s = self.s
        priced = [(self._exact_level(guess), guess) for guess in contenders]
        price, winner = min(
            priced,
            key=lambda pair: (
                pair[0] / s.util_int[pair[1].project],
                s.ranks[pair[1].project],
            ),
        )
        return winner, price

    def _exact_level(self, guess: _Guess) -> Fraction:
        """The exact water level: (cost - money of those who pay all) / the others.

        A supporter who pays all still has the share minus the exact prices of the
        rounds in which it paid in full, so their money sums to the share times
        their number minus, per round, its price times how many of them paid then.
        """
        s, j = self.s, guess.project
        margin = guess.error + self.error + self.unit_error
        low, high = guess.level - margin, guess.level + margin
        if low <= 0:
            raise _Unsettled("level near zero")
        light, heavy = guess.light, guess.heavy
        rich = _count(light >= high)
        if _count(light > low) != rich:
            raise _Unsettled("a supporter has about the level")
        poor = s.light[j][np.flatnonzero((light > 0) & (light <= low))]
        paying_all = len(poor)
        counts = self._paid_counts(poor)
        if heavy is not None:
            weights = s.heavy_w[j]
            if _count((heavy > low) & (heavy < high)):
                raise _Unsettled("a supporter has about the level")
            rich += int(_sum(weights[heavy >= high]))
            poor_heavy = np.flatnonzero((heavy > 0) & (heavy <= low))
            paying_all += int(_sum(weights[poor_heavy]))
            counts = counts + self._paid_counts(
                s.heavy[j][poor_heavy], weights[poor_heavy]
            )
        if not rich:
            raise _Unsettled("nobody pays the level")
        numerator = self._exact_sum(s.cost_int[j], -paying_all, counts)
        price = Fraction(numerator, self.denominator * int(rich))
        # Strictly inside: then float subtraction keeps the rich above 0 and the poor
        # below (and a price outside means the bounds were wrong: never trust them).
        if not low < float(price) < high:
            raise _Unsettled("bound")
        return price

    def _exact_sum(self, money: int, shares: int, counts: np.ndarray) -> int:
        """money + shares * share + sum over rounds of counts * price, times the
        common denominator of the prices."""
        paid = sum(
            n * c for n, c in zip(self.numerators, counts.tolist(), strict=True) if c
        )
        return (money + shares * self.share) * self.denominator + paid

    def _paid_counts(self, groups: np.ndarray, weights: np.ndarray | None = None):
        """Per earlier round, how many of these groups' voters paid in full."""
        r = self.round
        if not r or not len(groups):
            return np.zeros(r, dtype=np.int64)
        paid = self.s.paid[:r].take(groups, axis=1)
        if weights is None:
            return _sum(paid, axis=1, dtype=np.int64)
        return _sum(paid * weights.astype(np.int64), axis=1)

    def _pay(self, winner: _Guess, price: Fraction) -> None:
        """Supporters pay the price or all they have; prices stay exact."""
        s, j = self.s, winner.project
        den = price.denominator  # keep every price over one common denominator
        scale = den // math.gcd(den, self.denominator)
        if scale > 1:
            self.numerators = [n * scale for n in self.numerators]
            self.denominator *= scale
        self.numerators.append(price.numerator * (self.denominator // den))
        level = float(price)
        self.error += self.unit_error
        row = s.paid[self.round]
        row.fill(0)
        self._spend(row, s.light[j], winner.light, level)
        if winner.heavy is not None:
            self._spend(row, s.heavy[j], winner.heavy, level)

    def _spend(
        self, row: np.ndarray, groups: np.ndarray, money: np.ndarray, level: float
    ) -> None:
        """Pay at ``level``; :meth:`_exact_level` made sure nobody has about the
        level, so those who pay in full surely have money left, the others none."""
        left = money - level
        row[groups] = left > 0
        self.money[groups] = np.maximum(left, 0.0, out=left)

    def finish(self) -> None:
        """What each unfunded candidate's supporters still have, exactly."""
        s, result = self.s, self.result
        self.round = len(result.winners)
        funded = set(result.winners)
        for j in range(len(s.cost)):
            if j in funded:
                continue
            light = self.money.take(s.light[j])
            alive = s.light[j][np.flatnonzero(light > 0)]
            voters, counts = len(alive), self._paid_counts(alive)
            heavy_groups = s.heavy[j]
            if heavy_groups is not None:
                live = np.flatnonzero(self.money.take(heavy_groups) > 0)
                weights = s.heavy_w[j][live]
                voters += int(_sum(weights))
                counts = counts + self._paid_counts(heavy_groups[live], weights)
            left = self._exact_sum(0, voters, -counts)
            result.left[j] = Fraction(left, self.denominator)


def same_between(low: Run, high: Run, utils: Sequence[int]) -> bool:
    """Whether every run with a share between ``low``'s and ``high``'s funds the same
    projects in the same order, when these two do.

    By induction on the rounds: with the same projects funded so far, every voter
    has at least ``low``'s money and at most ``high``'s, so each price per unit of
    satisfaction lies between ``high``'s (a lower bound) and ``low``'s. The project
    ``low`` funded is still the cheapest if its price there is below every other
    candidate's lower bound in ``high``; what nobody can afford in ``high`` nobody
    can afford below it.
    """
    if low.winners != high.winners:
        return False
    for r, (winner, price) in enumerate(zip(low.winners, low.prices, strict=True)):
        highest = float(price / utils[winner]) * (1 + 8 * EPS)
        others = high.bounds[r]
        own, others[winner] = others[winner], math.inf
        cheaper = bool(others.min() <= highest)
        others[winner] = own
        if cheaper:
            return False
    return True


class Sweep:
    """The funded projects of the runs at steps 0, 1, 2, ... (``units(step)`` is the
    share), computed in blocks.

    A block is made from its two ends: the top first, its bottom with the top's
    lower bounds, then the middle of any part whose ends may differ inside it
    (:func:`same_between`), recursively. Where whole stretches fund the same
    projects, most runs are never made. ``exact(step)`` makes a run that the
    floating-point bounds could not settle.
    """

    def __init__(
        self,
        search: Search,
        units: Callable[[int], int],
        exact: Callable[[int], Sequence[int]],
    ) -> None:
        self.search, self.units, self.exact = search, units, exact
        self.found: dict[int, tuple[int, ...]] = {}
        self.block = 4
        self.runs = 0

    def winners(self, step: int) -> tuple[int, ...]:
        if step not in self.found:
            self._fill(step, step + self.block - 1)
        return self.found[step]

    def plan(self, steps_left: float) -> None:
        """Size the next block for about ``steps_left`` more steps (at most double)."""
        wanted = math.ceil(steps_left) + 1 if math.isfinite(steps_left) else 64
        self.block = max(2, min(wanted, 2 * self.block, 32))

    def _run(self, step: int, above: Run | None) -> Run | None:
        self.runs += 1
        units = self.units(step)
        run = self.search.run(units, above) if self.search.fits((), units) else None
        self.found[step] = tuple(self.exact(step) if run is None else run.winners)
        return run

    def _fill(self, low: int, high: int) -> None:
        top = self._run(high, None)
        bottom = self._run(low, top) if low < high else top
        self._between(low, bottom, high, top)

    def _between(self, low: int, below: Run | None, high: int, above: Run | None):
        if high - low <= 1:
            return
        utils = self.search.util_int
        if below and above and same_between(below, above, utils):
            for step in range(low + 1, high):
                self.found[step] = self.found[low]
            return
        middle = (low + high) // 2
        run = self._run(middle, above)
        self._between(low, below, middle, run)
        self._between(middle, run, high, above)
