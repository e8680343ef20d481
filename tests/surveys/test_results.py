"""The pure results layer: shares, means, bands, and small-group suppression.

No app, no database: counts in, summaries out.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eraati.surveys.results import (
    AGREEMENT_CODES,
    AGREEMENT_KEYS,
    CANNOT_SAY,
    Relation,
    SuppressionError,
    band_counts,
    mean_trend,
    percent,
    round_half_up,
    share_trend,
    summarise_agreement,
    summarise_breakdown,
    summarise_matrix,
    summarise_multiple,
    summarise_number,
    summarise_recommendation,
    summarise_single,
    summarise_yes_no,
    suppress,
    visible_free_text,
)


def test_the_statistics_layer_imports_only_the_standard_library():
    allowed = {"eraati.surveys.logic", "eraati.surveys.results"}
    for module in ("results", "charts"):
        path = Path(__file__).parents[2] / "eraati" / "surveys" / f"{module}.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert name in allowed or name.split(".")[0] in sys.stdlib_module_names


# -- rounding ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "base", "expected"),
    [
        (1, 17, 6),  # 5.88
        (8, 17, 47),  # 47.06
        (3, 17, 18),  # 17.65
        (4, 17, 24),  # 23.53
        (13, 17, 76),  # 76.47: never 77
        (1, 8, 13),  # 12.5: half up, not to even
        (1, 200, 1),  # 0.5
        (1, 3, 33),
        (2, 3, 67),
        (0, 5, 0),
        (5, 5, 100),
    ],
)
def test_percent_rounds_half_up_per_cell(count, base, expected):
    assert percent(count, base) == expected


@pytest.mark.parametrize(("count", "base"), [(1, 0), (-1, 5), (6, 5)])
def test_percent_rejects_impossible_shares(count, base):
    with pytest.raises(ValueError):
        percent(count, base)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(7.85, 1, 7.9), (7.849, 1, 7.8), (2.5, 0, 3.0), (3.1875, 2, 3.19)],
)
def test_round_half_up_for_means(value, decimals, expected):
    assert round_half_up(value, decimals) == expected


@given(
    st.integers(1, 10_000).flatmap(lambda b: st.tuples(st.integers(0, b), st.just(b)))
)
def test_percent_is_the_nearest_whole_percent(pair):
    count, base = pair
    shown = percent(count, base)
    assert 0 <= shown <= 100
    assert abs(Fraction(shown) - Fraction(100 * count, base)) <= Fraction(1, 2)


# -- seed 001: the panel self-evaluation, 17 respondents -------------------------------

#: 001:215-238, the chart after the agreement item and the 1-10 question, in the
#: order printed: "6 %", then "47 %", "18 %", "6 %", "24 %". n = 17 is the only
#: reading in which each is k/17 rounded (seed-notes-b.md, seed 001).
SEED_001_PRINTED = (6, 47, 18, 6, 24)
SEED_001_COUNTS = {"a": 1, "b": 8, "c": 3, "d": 1, "e": 4}


def test_seed_001_percentages_are_reproduced_and_add_up_to_101():
    summary = summarise_single(SEED_001_COUNTS, 17, k=1)

    assert tuple(share.percent for share in summary.shares) == SEED_001_PRINTED
    assert sum(SEED_001_PRINTED) == 101  # rounded per cell, not forced to 100
    assert summary.n == 17


def test_seed_001_given_ratings_chart_cannot_be_k_over_17():
    """The seed's "Annetut arviot" chart prints 77 %, 6 %, 12 %, 6 % (001:240-247).

    The notes read it as 13/1/2/1 of 17, but 13/17 is 76.47 %: no count out of 17
    rounds to 77 under any round-to-nearest rule. Half up per cell reproduces the
    first chart exactly and three of these four, so it stays; 76 is the truth.
    """
    assert all(percent(count, 17) != 77 for count in range(18))
    summary = summarise_single({"high": 13, "x": 1, "middle": 2, "low": 1}, 17, k=1)
    assert [share.percent for share in summary.shares] == [76, 6, 12, 6]


def test_seed_001_with_default_k_shows_only_the_group_of_eight():
    summary = summarise_single(SEED_001_COUNTS, 17)

    shown = {s.key: (s.count, s.percent) for s in summary.shares if not s.suppressed}
    assert shown == {"b": (8, 47)}
    assert summary.n == 17  # the 9 hidden answers are 1+3+1+4: not recoverable alone


# -- single choice, yes/no --------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ({"a": 10, "b": 10}, {"a", "b"}),
        ({"a": 3, "b": 14}, set()),  # one hidden cell is n - 14: hide the other too
        ({"a": 1, "b": 1, "c": 15}, set()),  # 1 + 1 < 5 would itself be a small cell
        ({"a": 2, "b": 4, "c": 11}, {"c"}),  # hidden together: 6 >= 5
        ({"a": 0, "b": 3, "c": 6, "d": 8}, {"a", "d"}),  # zero is shown, 6 is next
        ({"a": 5, "b": 5, "c": 0}, {"a", "b", "c"}),
    ],
)
def test_single_choice_primary_and_secondary_suppression(counts, shown):
    summary = summarise_single(counts, sum(counts.values()))

    assert {s.key for s in summary.shares if not s.suppressed} == shown
    for share in summary.shares:
        assert (share.count is None) is share.suppressed
        assert (share.percent is None) is share.suppressed


def test_small_question_is_hidden_whole():
    summary = summarise_single({"a": 4}, 4)

    assert summary.suppressed and summary.n is None
    assert all(share.suppressed for share in summary.shares)


def test_nobody_answered_is_not_a_small_group():
    summary = summarise_single({}, 0, options=("a", "b"))

    assert not summary.suppressed and summary.n == 0
    assert [(s.count, s.percent) for s in summary.shares] == [(0, None), (0, None)]


def test_options_fix_display_order_and_show_zero_rows():
    summary = summarise_single({"c": 5, "a": 5}, 10, options=("a", "b", "c"))

    assert [(s.key, s.percent) for s in summary.shares] == [
        ("a", 50),
        ("b", 0),
        ("c", 50),
    ]


@pytest.mark.parametrize(
    ("counts", "n", "options"),
    [
        ({"a": 3}, 4, None),  # counts must add up to n
        ({"a": -1, "b": 6}, 5, None),
        ({"z": 5}, 5, ("a", "b")),
    ],
)
def test_single_choice_rejects_inconsistent_counts(counts, n, options):
    with pytest.raises(ValueError):
        summarise_single(counts, n, options=options)


def test_yes_no_hides_both_sides_of_a_small_one():
    summary = summarise_yes_no({"yes": 16, "no": 1}, 17)

    assert [s.key for s in summary.shares] == ["yes", "no"]
    assert all(s.suppressed for s in summary.shares)
    assert summarise_yes_no({"yes": 12, "no": 8}, 20).shares[0].percent == 60


# -- multiple choice -------------------------------------------------------------------


def test_multiple_choice_shares_of_respondents_may_pass_100():
    summary = summarise_multiple({"a": 15, "b": 12, "c": 5}, 20)

    assert [s.percent for s in summary.shares] == [75, 60, 25]
    assert sum(s.percent for s in summary.shares) == 160


def test_multiple_choice_hides_an_option_almost_everyone_chose():
    summary = summarise_multiple({"a": 15, "b": 9, "c": 2}, 17)

    # a: only 2 did not choose it; c: chosen by 2.
    assert [s.suppressed for s in summary.shares] == [True, False, True]
    assert summary.shares[1].percent == 53


def test_multiple_choice_rejects_more_choosers_than_respondents():
    with pytest.raises(ValueError):
        summarise_multiple({"a": 6}, 5)


# -- agreement scale ---------------------------------------------------------------------


def test_agreement_codes_are_explicit():
    assert dict(AGREEMENT_CODES) == {
        "agree": 4,
        "somewhat_agree": 3,
        "somewhat_disagree": 2,
        "disagree": 1,
    }


def test_agreement_cannot_say_is_reported_but_not_in_shares():
    counts = {"agree": 10, "somewhat_agree": 6, "somewhat_disagree": 5, CANNOT_SAY: 5}
    summary = summarise_agreement(counts, 26, cannot_say=True)

    assert summary.n == 21 and summary.n_total == 26
    assert [s.percent for s in summary.shares] == [48, 29, 24, 0]  # 101 %
    assert (summary.cannot_say.count, summary.cannot_say.percent) == (5, 19)
    assert summary.mean == pytest.approx((40 + 18 + 10) / 21)


def test_agreement_small_cannot_say_withholds_the_total_too():
    counts = {"agree": 8, "somewhat_agree": 7, "somewhat_disagree": 6, CANNOT_SAY: 1}
    summary = summarise_agreement(counts, 22, cannot_say=True)

    assert summary.cannot_say.suppressed
    assert summary.n == 21 and summary.n_total is None  # 22 - 21 would name the 1
    assert summary.mean == pytest.approx((32 + 21 + 12) / 21)


def test_agreement_mean_is_withheld_when_a_cell_is_hidden():
    counts = {"agree": 8, "somewhat_agree": 4, "somewhat_disagree": 3, "disagree": 1}

    assert summarise_agreement(counts, 16).mean is None
    assert summarise_agreement(counts, 16, k=1).mean == 3.1875


@pytest.mark.parametrize(
    ("counts", "cannot_say"),
    [({CANNOT_SAY: 5}, False), ({"neutral": 5}, True)],
)
def test_agreement_rejects_options_outside_the_scale(counts, cannot_say):
    with pytest.raises(ValueError):
        summarise_agreement(counts, 5, cannot_say=cannot_say)


# -- 1-10 recommendation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "band"),
    [(1, "low"), (3, "low"), (4, "middle"), (7, "middle"), (8, "high"), (10, "high")],
)
def test_recommendation_bands_are_the_seed_bands_not_nps(rating, band):
    assert band_counts({rating: 1})[band] == 1


def test_recommendation_summary_from_stored_option_keys():
    counts = {"10": 8, "9": 4, "8": 3, "6": 5, "2": 5}
    summary = summarise_recommendation(counts, 25)

    assert [(s.key, s.count, s.percent) for s in summary.shares] == [
        ("low", 5, 20),
        ("middle", 5, 20),
        ("high", 15, 60),
    ]
    assert summary.mean == pytest.approx((80 + 36 + 24 + 30 + 10) / 25)


def test_recommendation_mean_is_withheld_with_a_hidden_band():
    summary = summarise_recommendation({10: 13, 5: 2, 2: 2}, 17)

    assert [s.suppressed for s in summary.shares] == [True, True, True]
    assert summary.mean is None


@pytest.mark.parametrize("rating", [0, 11, "x"])
def test_recommendation_rejects_ratings_off_the_scale(rating):
    with pytest.raises(ValueError):
        summarise_recommendation({rating: 5}, 5)


# -- number ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({1: 5, 2: 3, 7: 1, 10: 6}, (15, 5.2, 2.0, 1.0, 10.0)),
        ({1: 1, 2: 3, 7: 1, 10: 1}, (6, 4.0, 2.0, None, None)),  # extremes are people
        ({Decimal("1.5"): 5, Decimal("2.5"): 5}, (10, 2.0, 2.0, 1.5, 2.5)),
    ],
)
def test_number_summary(counts, expected):
    summary = summarise_number(counts, sum(counts.values()))

    got = (summary.n, summary.mean, summary.median, summary.minimum, summary.maximum)
    assert got == expected


def test_small_number_question_is_hidden():
    summary = summarise_number({3: 4}, 4)

    assert summary.suppressed and summary.n is None and summary.mean is None


# -- matrix and free text -----------------------------------------------------------------


def test_matrix_has_one_summary_per_statement():
    rows = {
        "advance-notice": {"agree": 9, "somewhat_agree": 6},
        "summary": {"agree": 3},
    }
    matrix = summarise_matrix(rows, {"advance-notice": 15, "summary": 3})

    assert [row.key for row in matrix.rows] == ["advance-notice", "summary"]
    assert matrix.rows[0].summary.shares[0].percent == 60
    assert matrix.rows[1].summary.suppressed


def test_free_text_is_never_shown_for_a_small_group():
    assert visible_free_text(["Hyvä raati"], 4) == ()
    assert visible_free_text(["Hyvä raati"], 5) == ("Hyvä raati",)


# -- breakdowns -----------------------------------------------------------------------------

UNITS = {
    "A": {"agree": 10, "somewhat_agree": 3, "somewhat_disagree": 6, "disagree": 7},
    "B": {"agree": 2, "somewhat_agree": 8, "somewhat_disagree": 9, "disagree": 5},
    "C": {"agree": 3, "somewhat_agree": 1},
}
UNIT_N = {"A": 26, "B": 24, "C": 4}


def test_breakdown_hides_a_small_group_and_one_more():
    table = summarise_breakdown(
        UNITS, UNIT_N, options=AGREEMENT_KEYS, codes=AGREEMENT_CODES
    )

    assert [row.suppressed for row in table.rows] == [False, True, True]
    a = table.rows[0]
    assert a.n == 26
    assert [s.count for s in a.shares] == [10, None, None, 7]
    assert a.mean is None  # a row with hidden cells gets no mean
    assert_protected(table, UNITS, UNIT_N, k=5)


def test_breakdown_total_row_is_the_question_summary():
    table = summarise_breakdown(UNITS, UNIT_N, options=AGREEMENT_KEYS)
    totals = {
        option: sum(row.get(option, 0) for row in UNITS.values())
        for option in AGREEMENT_KEYS
    }

    assert table.total.shares == summarise_agreement(totals, 54).shares
    assert table.total.n == 54


def test_breakdown_with_every_group_large_enough_hides_nothing():
    counts = {"A": {"yes": 10, "no": 6}, "B": {"yes": 5, "no": 9}}
    table = summarise_breakdown(counts, {"A": 16, "B": 14}, options=("yes", "no"))

    assert [[s.percent for s in row.shares] for row in table.rows] == [
        [63, 38],  # 101 %
        [36, 64],
    ]


def test_breakdown_of_a_tiny_question_is_hidden_whole():
    table = summarise_breakdown(
        {"A": {"x": 2}, "B": {"x": 1}}, {"A": 2, "B": 1}, options=("x",)
    )

    assert table.suppressed and table.total.suppressed
    assert all(row.suppressed for row in table.rows)


def test_multiple_choice_breakdown_protects_columns():
    counts = {"A": {"a": 8, "b": 2}, "B": {"a": 7, "b": 6}, "C": {"a": 9, "b": 9}}
    table = summarise_breakdown(
        counts, {"A": 12, "B": 11, "C": 15}, options=("a", "b"), multiple=True
    )

    b_column = [row.shares[1].suppressed for row in table.rows]
    assert b_column.count(True) >= 2  # A's 2 and one more, so 17 - b stays unknown


def test_breakdown_rejects_groups_without_n():
    with pytest.raises(ValueError):
        summarise_breakdown({"X": {"a": 5}}, {"A": 5}, options=("a",))


# -- the suppression engine --------------------------------------------------------------


def test_a_cell_bridging_two_hidden_cycles_is_protected_too():
    """Every row and column hides two or more, yet the bridge (0, 2) equals
    row0 + row1 - col0 - col1; the linear check must catch it."""
    cells = [(r, c) for r in range(4) for c in range(4)]
    values = dict.fromkeys(cells, 20)
    primary = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)]
    relations = [Relation(tuple((r, c) for c in range(4))) for r in range(4)]
    relations += [Relation(tuple((r, c) for r in range(4))) for c in range(4)]

    hidden = suppress(values, relations, primary=primary, k=1)

    assert hidden > set(primary)
    assert not bridges(set(hidden))


def test_suppression_reports_an_impossible_locked_table():
    values = {"a": 3, "b": 10}
    with pytest.raises(SuppressionError):
        suppress(values, [Relation(("a", "b"))], primary=["a"], locked=["b"])


# -- trends -------------------------------------------------------------------------------


def test_share_trend_follows_each_round_summary():
    rounds = [
        ("2026-01", summarise_yes_no({"yes": 12, "no": 8}, 20)),
        ("2026-02", summarise_yes_no({"yes": 3, "no": 14}, 17)),
        ("2026-03", summarise_yes_no({"yes": 2}, 2)),
    ]
    points = share_trend(rounds, "yes")

    assert [(p.label, p.n, p.value, p.suppressed) for p in points] == [
        ("2026-01", 20, 60.0, False),
        ("2026-02", 17, None, True),
        ("2026-03", None, None, True),
    ]


def test_mean_trend_marks_withheld_means():
    rounds = [
        ("2025", summarise_recommendation({9: 10, 7: 5}, 15)),
        ("2026", summarise_recommendation({9: 10, 2: 1}, 11)),
        ("2027", summarise_recommendation({}, 0)),
    ]
    points = mean_trend(rounds)

    assert [(p.value, p.suppressed) for p in points] == [
        (pytest.approx(125 / 15), False),
        (None, True),
        (None, False),
    ]


# -- properties ----------------------------------------------------------------------------

counts_1d = st.lists(st.integers(0, 40), min_size=1, max_size=6)


@given(counts_1d, st.integers(1, 8))
def test_single_choice_properties(values, k):
    counts = {f"o{index}": value for index, value in enumerate(values)}
    n = sum(values)
    summary = summarise_single(counts, n, k=k)

    if 0 < n < k:
        assert summary.suppressed and all(s.suppressed for s in summary.shares)
        return
    hidden = [s for s in summary.shares if s.suppressed]
    assert len(hidden) != 1
    assert not 0 < sum(counts[s.key] for s in hidden) < k
    for share in summary.shares:
        if 0 < counts[share.key] < k:
            assert share.suppressed
        if not share.suppressed:
            assert share.count == counts[share.key]
            assert share.percent is None or 0 <= share.percent <= 100
    if not any(0 < value < k for value in values):
        assert not hidden  # nothing is hidden without a small cell to protect


@given(counts_1d, st.permutations(range(6)))
def test_summaries_do_not_depend_on_row_order(values, order):
    counts = {f"o{index}": value for index, value in enumerate(values)}
    shuffled = {f"o{i}": counts[f"o{i}"] for i in order if f"o{i}" in counts}
    options = tuple(counts)

    assert summarise_single(shuffled, sum(values), options=options) == summarise_single(
        counts, sum(values), options=options
    )


tables = st.integers(2, 4).flatmap(
    lambda groups: st.integers(2, 4).flatmap(
        lambda options: st.lists(
            st.lists(st.integers(0, 12), min_size=options, max_size=options),
            min_size=groups,
            max_size=groups,
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(tables, st.integers(2, 6))
def test_breakdown_properties(rows, k):
    options = tuple(f"o{index}" for index in range(len(rows[0])))
    counts = {
        f"g{g}": dict(zip(options, row, strict=True)) for g, row in enumerate(rows)
    }
    n = {group: sum(row.values()) for group, row in counts.items()}
    table = summarise_breakdown(counts, n, options=options, k=k)

    assert_protected(table, counts, n, k)


@settings(max_examples=100, deadline=None)
@given(tables, st.integers(2, 6))
def test_multiple_choice_breakdown_properties(rows, k):
    options = tuple(f"o{index}" for index in range(len(rows[0])))
    counts = {
        f"g{g}": dict(zip(options, row, strict=True)) for g, row in enumerate(rows)
    }
    # Each respondent chose up to every option: n is at least the largest count.
    n = {group: max(row.values()) + 3 for group, row in counts.items()}
    table = summarise_breakdown(counts, n, options=options, multiple=True, k=k)

    if table.suppressed:
        return
    assert [row.suppressed for row in table.rows].count(True) != 1
    for index, option in enumerate(options):
        total = table.total.shares[index]
        column = [row.shares[index].suppressed for row in table.rows]
        assert column.count(True) + total.suppressed != 1
        for row, hidden in zip(table.rows, column, strict=True):
            chose = counts[row.group][option]
            if 0 < chose < k or 0 < n[row.group] - chose < k:
                assert hidden  # the chooser count or its complement is small


@given(st.lists(st.integers(0, 30), min_size=5, max_size=5), st.integers(2, 8))
def test_agreement_total_is_withheld_exactly_when_cannot_say_is_hidden(values, k):
    counts = dict(zip((*AGREEMENT_KEYS, CANNOT_SAY), values, strict=True))
    summary = summarise_agreement(counts, sum(values), cannot_say=True, k=k)

    assert (summary.n_total is None) is summary.cannot_say.suppressed
    if summary.n is not None:
        assert summary.n == sum(values) - counts[CANNOT_SAY]


def assert_protected(table, counts, n, k):
    """No hidden value can be recomputed from what the table shows."""
    options = [share.key for share in table.total.shares]
    grid = {(row.group, share.key): share for row in table.rows for share in row.shares}
    for row in table.rows:
        if row.suppressed:
            assert row.n is None and all(s.suppressed for s in row.shares)
            continue
        assert row.n == n[row.group]
        hidden = [s for s in row.shares if s.suppressed]
        assert len(hidden) != 1
        assert not 0 < sum(counts[row.group].get(s.key, 0) for s in hidden) < k
        for share in row.shares:
            if 0 < counts[row.group].get(share.key, 0) < k:
                assert share.suppressed
            if not share.suppressed:
                assert share.count == counts[row.group].get(share.key, 0)
    if table.suppressed:
        return
    for option, total in zip(options, table.total.shares, strict=True):
        column = [grid[(row.group, option)].suppressed for row in table.rows]
        assert column.count(True) + total.suppressed != 1
    groups_hidden = [row.suppressed for row in table.rows]
    assert groups_hidden.count(True) != 1  # the total n is always shown
    hidden = {
        (row_index, column_index)
        for row_index, row in enumerate([*table.rows, table.total])
        for column_index, share in enumerate(row.shares)
        if share.suppressed
    }
    hidden |= {
        (row_index, len(options))
        for row_index, row in enumerate(table.rows)
        if row.suppressed
    }
    assert not bridges(hidden)


def bridges(hidden):
    """Hidden cells of a table with its margins that the margins pin down.

    In a table whose rows and columns add up to published totals (here the margins
    are the last row and column), a hidden cell can be recomputed exactly when it is
    a bridge in the graph of rows and columns joined by hidden cells: no cycle of
    hidden cells runs through it. An independent check of the linear algebra.
    """
    found = []
    for cell in hidden:
        graph = defaultdict(set)
        for row, column in hidden - {cell}:
            graph[("r", row)].add(("c", column))
            graph[("c", column)].add(("r", row))
        if not _connected(graph, ("r", cell[0]), ("c", cell[1])):
            found.append(cell)
    return found


def _connected(graph, start, goal):
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in graph[node] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return False
