"""Greedy counting: by satisfaction per unit of cost (pabutools'
``greedy_utilitarian_welfare``) and by votes, points or Borda points as the Polish
cities in Pabulib publish (``greedy_by_score``). Pure: the standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from eraati.budgeting.election import (
    LEXICOGRAPHIC,
    Election,
    Money,
    OrdinalScoring,
    Outcome,
    Project,
    Step,
    TieBreak,
    Utility,
    make_outcome,
)


def greedy(
    election: Election,
    *,
    utility: Utility = "cost",
    tie_break: TieBreak = LEXICOGRAPHIC,
    initial: Sequence[Step] = (),
) -> Outcome:
    """pabutools' ``greedy_utilitarian_welfare`` with ``Cost_Sat`` or ``Cardinality_Sat``.

    Projects are taken by total satisfaction per unit of cost, highest first, and
    funded if they still fit; projects nobody chose come last but are still funded
    if they fit, as in pabutools. ``initial`` steps are kept first (completion).
    """
    votes = election.votes()
    ranks = tie_break.ranks(election.projects)
    taken = {s.project_id for s in initial}
    ratios = {p.id: _ratio(p, votes[p.id], utility) for p in election.projects}

    def rank(project: Project) -> tuple[int, Fraction, int]:
        ratio = ratios[project.id]
        first = (0, Fraction(0)) if ratio is None else (1, -ratio)
        return (*first, ranks[project.id])

    left = election.budget - sum((s.cost for s in initial), 0)
    steps = list(initial)
    for project in sorted(
        (p for p in election.projects if p.id not in taken), key=rank
    ):
        if project.cost <= left:
            left -= project.cost
            ratio = ratios[project.id]
            score = Fraction(votes[project.id]) if ratio is None else ratio
            steps.append(Step(project.id, project.cost, votes[project.id], score))
    return make_outcome(f"greedy-{utility}", election, steps)


def _ratio(project: Project, votes: int, utility: Utility) -> Fraction | None:
    """Satisfaction per unit of cost, as pabutools computes it (None: infinite).

    Under ``Cost_Sat`` a free project gives no satisfaction, so it ranks with the
    projects nobody chose; under ``Cardinality_Sat`` a free chosen project is first.
    """
    total = votes * (project.cost if utility == "cost" else 1)
    if total <= 0:
        return Fraction(0)
    return Fraction(total) / project.cost if project.cost > 0 else None


def greedy_by_score(
    election: Election,
    *,
    threshold: Money | None = None,
    skip: bool = True,
    ordinal: OrdinalScoring = "borda",
    tie_break: TieBreak = LEXICOGRAPHIC,
) -> Outcome:
    """The count most cities publish (Pabulib greedy, greedy-threshold, greedy-no-skip).

    Projects are ranked by score (:meth:`Election.scores`), highest first. Only
    projects with a score of at least ``threshold`` (and above 0) are eligible. With
    ``skip`` a project that no longer fits is passed over; without it the count
    stops there.
    """
    scores = election.scores(ordinal)
    votes = election.votes()
    ranks = tie_break.ranks(election.projects)
    floor = 0 if threshold is None else threshold
    eligible = [
        p for p in election.projects if scores[p.id] > 0 and scores[p.id] >= floor
    ]
    eligible.sort(key=lambda p: (-scores[p.id], ranks[p.id]))
    left, steps = election.budget, []
    for project in eligible:
        if project.cost > left:
            if skip:
                continue
            break
        left -= project.cost
        score = Fraction(scores[project.id])
        steps.append(Step(project.id, project.cost, votes[project.id], score))
    rule = "greedy-by-score" if skip else "greedy-no-skip"
    return make_outcome(rule, election, steps)
