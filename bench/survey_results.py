"""Time the pure results layer on 100 000 synthetic responses.

The database does the counting (one GROUP BY per question); this measures what runs
after it: counts in, suppressed summaries, breakdowns, trends and SVG charts out.
Counting the synthetic answers is done first and not timed.

    .venv/bin/python bench/survey_results.py [--responses 100000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable

from eraati.surveys import charts
from eraati.surveys.results import (
    AGREEMENT_CODES,
    AGREEMENT_KEYS,
    CANNOT_SAY,
    band_counts,
    mean_trend,
    share_trend,
    summarise_agreement,
    summarise_breakdown,
    summarise_matrix,
    summarise_multiple,
    summarise_number,
    summarise_recommendation,
    summarise_single,
    summarise_yes_no,
)

UNITS = [f"unit-{index:02d}" for index in range(20)]
AGES = ["under-18", "18-29", "30-49", "50-64", "65-plus", "not-stated"]
ROUNDS = [f"2026-{month:02d}" for month in range(1, 13)]
OPTIONS = ("a", "b", "c", "d", "e")
STATEMENTS = ("advance-notice", "fair-turns", "influence", "summary", "follow-up")
AGREEMENT = (*AGREEMENT_KEYS, CANNOT_SAY)


def synthetic_counts(responses: int, seed: int = 2026) -> dict:
    """Per-question counts as the GROUP BY queries would return them."""
    rng = random.Random(seed)
    # Three units with 2, 3 and 4 respondents make suppression do real work.
    small = [UNITS[0]] * 2 + [UNITS[1]] * 3 + [UNITS[2]] * 4
    units = small + [rng.choice(UNITS[3:]) for _ in range(responses - len(small))]
    people = [
        (
            unit,
            rng.choice(AGES),
            rng.choice(ROUNDS),
            rng.choices(AGREEMENT, [40, 30, 15, 10, 5])[0],
            rng.choices(range(1, 11), [1, 1, 1, 2, 3, 4, 6, 10, 12, 10])[0],
        )
        for unit in units
    ]
    return {
        "agreement": Counter(p[3] for p in people),
        "agreement_by_unit": _by(people, 0, lambda p: p[3] != CANNOT_SAY, 3),
        "agreement_by_age": _by(people, 1, lambda p: p[3] != CANNOT_SAY, 3),
        "recommend": Counter(p[4] for p in people),
        "recommend_by_round": _by(people, 2, lambda p: True, 4),
        "single": Counter(rng.choice(OPTIONS) for _ in range(responses)),
        "multiple": Counter(
            o for o in OPTIONS for _ in range(rng.randint(0, responses))
        ),
        "yes_no": Counter(rng.choice(("yes", "no")) for _ in range(responses)),
        "number": Counter(rng.randint(0, 120) for _ in range(responses)),
        "matrix": {
            s: Counter(rng.choice(AGREEMENT_KEYS) for _ in range(responses))
            for s in STATEMENTS
        },
    }


def _by(people, key: int, keep: Callable, value: int) -> dict[str, Counter]:
    groups: dict[str, Counter] = {}
    for person in people:
        if keep(person):
            groups.setdefault(person[key], Counter())[person[value]] += 1
    return groups


def summarise_all(data: dict, responses: int) -> list:
    """Everything a results page, export and annual report would ask for."""
    answered = sum(data["agreement"].values())
    out = [
        summarise_agreement(data["agreement"], answered, cannot_say=True),
        summarise_recommendation(data["recommend"], responses),
        summarise_single(data["single"], responses, options=OPTIONS),
        summarise_multiple(data["multiple"], responses, options=OPTIONS),
        summarise_yes_no(data["yes_no"], responses),
        summarise_number(data["number"], responses),
        summarise_matrix(data["matrix"], dict.fromkeys(STATEMENTS, responses)),
    ]
    for groups in (data["agreement_by_unit"], data["agreement_by_age"]):
        n = {group: sum(counts.values()) for group, counts in groups.items()}
        out.append(
            summarise_breakdown(
                groups, n, options=AGREEMENT_KEYS, codes=AGREEMENT_CODES
            )
        )
    by_round = data["recommend_by_round"]
    rounds = [
        (
            label,
            summarise_recommendation(by_round[label], sum(by_round[label].values())),
        )
        for label in ROUNDS
    ]
    bands = {label: band_counts(counts) for label, counts in by_round.items()}
    n = {label: sum(counts.values()) for label, counts in by_round.items()}
    out.append(summarise_breakdown(bands, n, options=("low", "middle", "high")))
    out += [share_trend(rounds, "high"), mean_trend(rounds)]
    return out


def draw_all(summaries: list) -> list[str]:
    agreement, recommend, single = summaries[:3]
    labels = {share.key: share.key for share in single.shares}

    def text(share) -> str:
        return f"{share.percent} %"

    def point_text(point) -> str:
        return f"{point.value:.0f}"

    return [
        charts.bar_chart(
            charts.bars_from_shares(single.shares, labels, text),
            chart_id="single",
            title="t",
            description="d",
            hidden_label="fewer than 5",
        ),
        charts.stacked_bar_chart(
            [charts.stacked_row("statement", agreement.shares, text)],
            legend=list(AGREEMENT_KEYS),
            chart_id="agreement",
            title="t",
            description="d",
            hidden_label="fewer than 5",
        ),
        charts.line_chart(
            charts.marks_from_trend(summaries[-2], point_text),
            chart_id="trend",
            title="t",
            description="d",
            hidden_label="fewer than 5",
        ),
    ]


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def report(name: str, times: list[float]) -> None:
    ms = [t * 1000 for t in times]
    print(
        f"{name:<38} median {statistics.median(ms):8.3f} ms"
        f"   min {min(ms):8.3f} ms   max {max(ms):8.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    start = time.perf_counter()
    data = synthetic_counts(args.responses)
    print(
        f"synthetic responses: {args.responses:,}  (counted in "
        f"{time.perf_counter() - start:.2f} s, not part of the figures below)"
    )
    summaries = summarise_all(data, args.responses)
    unit_table = summaries[7]
    hidden = sum(row.suppressed for row in unit_table.rows)
    cells = sum(s.suppressed for row in unit_table.rows for s in row.shares)
    print(
        f"by {len(UNITS)} units: {hidden} rows hidden (3 small), {cells} cells hidden"
    )
    report(
        "all summaries + 3 breakdowns + trends",
        timed(lambda: summarise_all(data, args.responses), args.repeat),
    )
    groups = data["agreement_by_unit"]
    n = {group: sum(counts.values()) for group, counts in groups.items()}
    report(
        "one breakdown, 20 units x 4 steps",
        timed(
            lambda: summarise_breakdown(groups, n, options=AGREEMENT_KEYS), args.repeat
        ),
    )
    rng = random.Random(7)
    sparse = {
        f"g{g}": {f"o{o}": rng.choice([0, 0, 1, 2, 3, 8, 20]) for o in range(10)}
        for g in range(100)
    }
    sparse_n = {group: sum(counts.values()) for group, counts in sparse.items()}
    options = tuple(f"o{o}" for o in range(10))
    report(
        "worst case: 100 groups x 10, sparse",
        timed(lambda: summarise_breakdown(sparse, sparse_n, options=options), 3),
    )
    report("three SVG charts", timed(lambda: draw_all(summaries), args.repeat))


if __name__ == "__main__":
    main()
