"""Time the participatory-budgeting counting rules on the shared Pabulib instances.

Usage: ``.venv/bin/python bench/pb_tally.py [--pabutools-max-voters N] [--only TEXT]``

For every ``.pb`` file in the data folder (``ERAATI_PB_DATA``, by default
``../shared/data/pb`` beside the repository) and every rule of
``pabutools-baseline.json``, this prints the time our ``eraati.budgeting.tally``
takes (parsing timed apart), the time pabutools 1.2.3 took on this machine type
(from the baseline), the speed-up, and whether the selected projects, in order,
are the same. With ``--pabutools-max-voters N`` pabutools also runs live on the
instances with at most N voters (its add1 rules can take minutes). This is a
script, not a test: it prints figures and never fails on timings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# Counting uses numpy's element-wise operations, never its BLAS: idle BLAS threads
# would only spin and add CPU time to whatever is measured next.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# mes_fast (numpy) is imported here, as a server process has it: importing numpy
# takes about 0.1 s, which is no part of counting any one election.
from eraati.budgeting import mes_fast, pabulib, tally  # noqa: E402, F401

Rule = Callable[[tally.Election], tally.Outcome]

RULES: dict[str, Rule] = {
    "greedy_cost": lambda e: tally.greedy(e),
    "mes_cost": lambda e: tally.method_of_equal_shares(e),
    "mes_cost_add1": lambda e: tally.method_of_equal_shares(e, completion="add1"),
    "mes_cost_add1_greedy": lambda e: tally.method_of_equal_shares(
        e, completion="add1-greedy"
    ),
    "mes_cost_add1_exhaustion": lambda e: tally.method_of_equal_shares(
        e, completion="add1-exhaustion"
    ),
}
# Not in the baseline: equal shares with approval (cardinality) utilities.
EXTRA_RULES: dict[str, Rule] = {
    "mes_cardinality": lambda e: tally.method_of_equal_shares(e, utility="cardinality"),
    "mes_cardinality_add1_greedy": lambda e: tally.method_of_equal_shares(
        e, utility="cardinality", completion="add1-greedy"
    ),
}


def city_count(parsed: pabulib.PabulibFile) -> Rule:
    """The count the file says the city used (META rule and threshold).

    Ties go to the cheaper project: that reproduces every file's selected column
    (only Warszawa Marymont-Potok has a tie that decides anything).
    """
    skip = parsed.rule != "greedy-no-skip"
    return lambda e: tally.greedy_by_score(
        e, threshold=parsed.threshold, skip=skip, tie_break=tally.CHEAPEST_FIRST
    )


def data_dir() -> Path:
    default = REPO.parent / "shared" / "data" / "pb"
    return Path(os.environ.get("ERAATI_PB_DATA", default))


T = TypeVar("T")
Entry = dict[str, Any]  # one instance of pabutools-baseline.json
Live = dict[str, Callable[[Any, Any], list[str]]]


def timed(call: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def pabutools_rules() -> Live:
    """The baseline's exact pabutools calls (imported only when asked for)."""
    from pabutools.election import Cardinality_Sat, Cost_Sat
    from pabutools.rules import (
        exhaustion_by_budget_increase,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    def names(allocation: Any) -> list[str]:
        return [p.name for p in allocation]

    def mes(sat: Any, i: Any, p: Any, add1: bool = False) -> Any:
        step = 1 if add1 else None
        return method_of_equal_shares(i, p, sat_class=sat, voter_budget_increment=step)

    def add1_greedy(sat: Any, i: Any, p: Any) -> list[str]:
        start = mes(sat, i, p, add1=True)
        return names(
            greedy_utilitarian_welfare(
                i, p, sat_class=sat, initial_budget_allocation=start
            )
        )

    return {
        "greedy_cost": lambda i, p: names(
            greedy_utilitarian_welfare(i, p, sat_class=Cost_Sat)
        ),
        "mes_cost": lambda i, p: names(mes(Cost_Sat, i, p)),
        "mes_cost_add1": lambda i, p: names(mes(Cost_Sat, i, p, add1=True)),
        "mes_cost_add1_greedy": lambda i, p: add1_greedy(Cost_Sat, i, p),
        "mes_cost_add1_exhaustion": lambda i, p: names(
            exhaustion_by_budget_increase(
                i,
                p,
                rule=method_of_equal_shares,
                rule_params={"sat_class": Cost_Sat},
                budget_step=p.num_ballots(),
            )
        ),
        "mes_cardinality": lambda i, p: names(mes(Cardinality_Sat, i, p)),
        "mes_cardinality_add1_greedy": lambda i, p: add1_greedy(Cardinality_Sat, i, p),
    }


def recorded(entry: Entry, rule: str) -> tuple[list[str] | None, float | None, str]:
    """The baseline's outcome and time for a rule, and how to print that time."""
    rules = entry.get("rules", {})
    found = rules.get(rule)
    if found is None:
        return None, None, "-"
    seconds = found["wall_s"]
    if rule == "mes_cost_add1_greedy":  # recorded without its MES part
        seconds += rules["mes_cost_add1"]["wall_s"]
    if found["status"] != "ok":  # timed out: no outcome
        return None, seconds, f">{seconds:.0f}"
    return found["selected_in_order"], seconds, f"{seconds:.3f}"


class Bench:
    """Runs every rule on one instance and prints one row per rule."""

    def __init__(self, live: Live, max_live_voters: int) -> None:
        self.live = live
        self.max_live_voters = max_live_voters
        self.total = 0.0
        self.worst = 0.0
        self.over = 0  # rules taking 1 s or more of CPU, parsing included
        self.parse_cpu = 0.0

    def instance(self, path: Path, entry: Entry) -> None:
        cpu = time.process_time()
        parsed, parse_s = timed(lambda: pabulib.load(path))
        self.parse_cpu = time.process_time() - cpu
        election = parsed.election
        voters, projects = election.num_voters, len(election.projects)
        name = path.name[:44]
        print(
            f"{name:<44} {voters:>7} {projects:>4} {'(parse)':<28} {parse_s:>7.3f}"
            f" {self.parse_cpu:>7.3f}"
        )
        self.total += parse_s
        theirs = None
        if self.live and voters <= self.max_live_voters:
            from pabutools.election import parse_pabulib

            theirs = parse_pabulib(str(path))
        rules = {**RULES, **EXTRA_RULES, "city_count": city_count(parsed)}
        for rule, run in rules.items():
            self.rule(rule, run, parsed, entry, theirs)

    def rule(
        self,
        rule: str,
        run: Rule,
        parsed: pabulib.PabulibFile,
        entry: Entry,
        theirs: tuple[Any, Any] | None,
    ) -> None:
        cpu = time.process_time()
        outcome, ours = timed(lambda: run(parsed.election))
        cpu = time.process_time() - cpu
        self.total += ours
        self.worst = max(self.worst, ours)
        expected, seconds, shown = recorded(entry, rule)
        if theirs is not None and rule in self.live:
            expected, seconds = timed(lambda: self.live[rule](*theirs))
            shown = f"{seconds:.3f}"
        same = (
            "-"
            if expected is None
            else ("yes" if list(outcome.selected) == expected else "NO")
        )
        city = parsed.selected_by_city()
        if rule == "city_count" and city is not None:  # the file records no order
            same = "yes*" if sorted(outcome.selected) == sorted(city) else "NO*"
        ratio = "-" if seconds is None else f"{seconds / max(cpu, 1e-6):.0f}x"
        with_parse = cpu + self.parse_cpu
        self.over += with_parse >= 1
        print(
            f"{'':<44} {'':>7} {'':>4} {rule:<28} {ours:>7.3f} {cpu:>7.3f}"
            f" {with_parse:>7.3f} {shown:>11} {ratio:>9} {same:>5}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pabutools-max-voters",
        type=int,
        default=0,
        help="also run pabutools live on instances with at most this many voters",
    )
    parser.add_argument("--only", default="", help="instances whose name has this")
    args = parser.parse_args()
    folder = data_dir()
    baseline_file = folder / "pabutools-baseline.json"
    if not baseline_file.is_file():
        print(f"no Pabulib data at {folder}: set ERAATI_PB_DATA", file=sys.stderr)
        return 2
    baseline = {
        i["file"]: i for i in json.loads(baseline_file.read_text())["instances"]
    }
    live = pabutools_rules() if args.pabutools_max_voters else {}
    bench = Bench(live, args.pabutools_max_voters)
    header = (
        f"{'instance':<44} {'voters':>7} {'proj':>4} {'rule':<28} {'ours s':>7} {'cpu s':>7}"
        f" {'+parse':>7} {'pabutools s':>11} {'speed-up':>9} {'equal':>5}"
    )
    print(header)
    print("-" * len(header))
    for path in sorted(folder.glob("*.pb")):
        if args.only in path.name:
            bench.instance(path, baseline.get(path.name, {}))
    print(
        f"\nslowest single rule: {bench.worst:.2f} s;"
        f" everything, parsing included: {bench.total:.1f} s;"
        f" rules at 1 s of CPU or more with their parsing: {bench.over}"
    )
    print("equal: same projects in the same order as pabutools; * same set as the")
    print("file's selected column (what the city funded); - nothing to compare with.")
    print("ours s: wall clock; cpu s: CPU time of this process (steadier when the")
    print("machine is shared); +parse: cpu s plus the CPU time of parsing the file.")
    print("speed-up: pabutools s / cpu s (the baseline ran one")
    print("process per vCPU, so its wall time was about its CPU time).")
    print("pabutools s: from pabutools-baseline.json unless run live; add1_greedy")
    print("includes its add1 part; >N: pabutools stopped at the N s limit.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
