"""Per-language completeness of questions and questionnaires (pure, no app)."""

from __future__ import annotations

import pytest

from eraati.surveys.completeness import (
    question_completeness,
    questionnaire_completeness,
    summary,
)

ALL = {"fi": "Kysymys", "sv": "Fråga", "en": "Question"}


@pytest.mark.parametrize(
    ("text", "labels", "help_text", "expected"),
    [
        (ALL, [], None, {"fi": True, "sv": True, "en": True}),
        ({"fi": "Kysymys"}, [], None, {"fi": True, "sv": False, "en": False}),
        ({"fi": "K", "sv": "  "}, [], None, {"fi": True, "sv": False, "en": False}),
        # An option missing in English makes English incomplete.
        (
            ALL,
            [ALL, {"fi": "Kyllä", "sv": "Ja"}],
            None,
            {"fi": True, "sv": True, "en": False},
        ),
        # Help written in Finnish only: the others miss it.
        (ALL, [], {"fi": "Ohje"}, {"fi": True, "sv": False, "en": False}),
        # No help at all is fine.
        (ALL, [], {}, {"fi": True, "sv": True, "en": True}),
        (None, [], None, {"fi": False, "sv": False, "en": False}),
    ],
)
def test_question_completeness(text, labels, help_text, expected):
    assert question_completeness(text, labels, help_text) == expected


def test_questionnaire_needs_title_purpose_and_every_question():
    complete = {"fi": True, "sv": True, "en": True}
    no_english = {"fi": True, "sv": True, "en": False}
    assert questionnaire_completeness(ALL, ALL, None, [complete]) == complete
    assert questionnaire_completeness(ALL, ALL, None, [complete, no_english]) == (
        no_english
    )
    assert questionnaire_completeness(ALL, {"fi": "x"}, None, [])["sv"] is False
    assert questionnaire_completeness(ALL, ALL, {"sv": "Intro"}, [])["fi"] is False


def test_summary_marks_each_language():
    assert summary({"fi": True, "sv": True, "en": False}) == "fi ✓ sv ✓ en –"
