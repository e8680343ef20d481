"""Translated messages for the codes that the survey logic and services return."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ANSWER_ERRORS = {
    "required": _l("Answer this question."),
    "invalid_choice": _l("Choose one of the options given."),
    "too_many": _l("You chose too many options."),
    "too_long": _l("The answer is too long. Shorten it."),
    "not_a_number": _l("Write a number, for example 12."),
    "too_small": _l("The number is too small."),
    "too_large": _l("The number is too large."),
    "incomplete_rows": _l("Answer every statement."),
}

SURVEY_ERRORS = {
    "invalid_link": _l("This link is not valid. Check that you copied all of it."),
    "closed": _l("This questionnaire has closed. Thank you for your interest."),
    "not_open": _l("This questionnaire is not open yet."),
    "already_answered": _l("You have already answered this questionnaire. Thank you!"),
    "incomplete": _l("Some answers are missing."),
    "nothing_chosen": _l("Choose at least one way to take part."),
    "no_contact": _l(
        "Give an email address or a phone number so that we can contact you."
    ),
    "closes_before_opening": _l("The closing time must be after the opening time."),
    "sample_size_missing": _l("Give the size of the random sample."),
    "panel_missing": _l("Choose a panel for this audience."),
    "broken_conditions": _l(
        "Some conditions refer to questions that come later or do not exist."
    ),
    "already_closed": _l("This round has already closed."),
}


def answer_error(code: str) -> str:
    return str(ANSWER_ERRORS.get(code, ANSWER_ERRORS["invalid_choice"]))


def survey_error(code: str) -> str:
    return str(SURVEY_ERRORS.get(code, SURVEY_ERRORS["invalid_link"]))
