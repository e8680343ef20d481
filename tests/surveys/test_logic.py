"""Conditional display and answer validation, the same for every channel."""

from __future__ import annotations

from decimal import Decimal

import pytest

from eraati.surveys.logic import (
    ItemSpec,
    check_all,
    check_page,
    condition_problems,
    parse_item,
    visible_items,
)

SINGLE = ItemSpec(id=1, type="single", options=("a", "b", "c"), required=True)
FOLLOW = ItemSpec(
    id=2, type="text", show_if_item=1, show_if_values=("b",), required=True
)
MULTI = ItemSpec(id=3, type="multiple", options=("x", "y", "z"), max_choices=2, page=2)
NUMBER = ItemSpec(id=4, type="number", number_min=0, number_max=120, page=2)
MATRIX = ItemSpec(id=5, type="matrix", rows=("r1", "r2"), required=True, page=2)
AGREE = ItemSpec(id=6, type="agreement", allow_cannot_say=True, page=2)
RECOMMEND = ItemSpec(id=7, type="recommend", page=2)
ITEMS = [SINGLE, FOLLOW, MULTI, NUMBER, MATRIX, AGREE, RECOMMEND]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (ITEMS, {}),
        ([FOLLOW, SINGLE], {2: "forward"}),
        (
            [ItemSpec(id=9, type="text", show_if_item=9, show_if_values=("a",))],
            {9: "self"},
        ),
        (
            [ItemSpec(id=9, type="text", show_if_item=77, show_if_values=("a",))],
            {9: "unknown"},
        ),
        ([SINGLE, ItemSpec(id=9, type="text", show_if_item=1)], {9: "no_values"}),
        (
            [
                SINGLE,
                ItemSpec(id=9, type="text", show_if_item=1, show_if_values=("q",)),
            ],
            {9: "bad_value"},
        ),
        (
            # A cycle needs a forward reference somewhere; it is reported.
            [
                ItemSpec(id=1, type="yes_no", show_if_item=2, show_if_values=("yes",)),
                ItemSpec(id=2, type="yes_no", show_if_item=1, show_if_values=("yes",)),
            ],
            {1: "forward"},
        ),
    ],
)
def test_condition_problems(items, expected):
    assert condition_problems(items) == expected


def test_conditional_question_shows_only_for_the_chosen_answer():
    assert [i.id for i in visible_items([SINGLE, FOLLOW], {1: "a"})] == [1]
    assert [i.id for i in visible_items([SINGLE, FOLLOW], {1: "b"})] == [1, 2]
    chained = ItemSpec(id=8, type="yes_no", show_if_item=2, show_if_values=("yes",))
    # A question depending on a hidden one is hidden too.
    assert [
        i.id for i in visible_items([SINGLE, FOLLOW, chained], {1: "a", 2: "yes"})
    ] == [1]


@pytest.mark.parametrize(
    ("item", "form", "expected"),
    [
        (SINGLE, {"q1": ["b"]}, ("b", None)),
        (SINGLE, {"q1": ["zzz"]}, (None, "invalid_choice")),
        (SINGLE, {"q1": ["a", "b"]}, (None, "invalid_choice")),
        (SINGLE, {"q1": ["  "]}, (None, None)),
        (MULTI, {"q3": ["x", "y"]}, (["x", "y"], None)),
        (MULTI, {"q3": ["x", "x"]}, (["x"], None)),
        (MULTI, {"q3": ["x", "y", "z"]}, (None, "too_many")),
        (NUMBER, {"q4": ["42,5"]}, (Decimal("42.5"), None)),
        (NUMBER, {"q4": ["-1"]}, (None, "too_small")),
        (NUMBER, {"q4": ["121"]}, (None, "too_large")),
        (NUMBER, {"q4": ["many"]}, (None, "not_a_number")),
        (NUMBER, {"q4": ["NaN"]}, (None, "not_a_number")),
        (NUMBER, {"q4": ["1e400"]}, (None, "not_a_number")),
        (AGREE, {"q6": ["cannot_say"]}, ("cannot_say", None)),
        (AGREE, {"q6": ["neutral"]}, (None, "invalid_choice")),
        (RECOMMEND, {"q7": ["10"]}, ("10", None)),
        (RECOMMEND, {"q7": ["11"]}, (None, "invalid_choice")),
        (RECOMMEND, {"q7": ["0"]}, (None, "invalid_choice")),
        (
            MATRIX,
            {"q5-r1": ["agree"], "q5-r2": ["disagree"]},
            ({"r1": "agree", "r2": "disagree"}, None),
        ),
        (MATRIX, {"q5-r1": ["agree"]}, ({"r1": "agree"}, "incomplete_rows")),
        (MATRIX, {"q5-r1": ["maybe"]}, (None, "invalid_choice")),
        (FOLLOW, {"q2": ["x" * 4001]}, (None, "too_long")),
    ],
)
def test_parse_item(item, form, expected):
    assert parse_item(item, form) == expected


def test_answers_to_hidden_questions_are_dropped_and_required_ones_demanded():
    page = check_page(ITEMS, 1, {"q1": ["a"], "q2": ["smuggled"]}, {})
    assert page.ok and page.values == {1: "a"}
    page = check_page(ITEMS, 1, {"q1": ["b"]}, {})
    assert page.errors == {2: "required"}
    page = check_page(ITEMS, 1, {}, {})
    assert page.errors == {1: "required"}


def test_page_errors_keep_the_valid_answers():
    page = check_page(
        ITEMS,
        2,
        {"q3": ["x"], "q4": ["abc"], "q5-r1": ["agree"], "q5-r2": ["agree"]},
        {},
    )
    assert page.errors == {4: "not_a_number"}
    assert page.values[3] == ["x"] and page.values[5] == {"r1": "agree", "r2": "agree"}


def test_check_all_on_submit():
    result = check_all(
        ITEMS, {1: "a", 2: "hidden text", 5: {"r1": "agree", "r2": "agree"}}
    )
    assert result.ok and 2 not in result.values
    assert check_all(ITEMS, {1: "b"}).errors == {2: "required", 5: "required"}
