"""Labels of the fixed answer scales, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eraati.core.i18n import text_in_reader_language
from eraati.surveys import logic

#: The seed's 4-point agreement scale (no middle option); fi wording is fixed.
AGREEMENT = {
    "agree": _l("Agree"),
    "somewhat_agree": _l("Somewhat agree"),
    "somewhat_disagree": _l("Somewhat disagree"),
    "disagree": _l("Disagree"),
    logic.CANNOT_SAY: _l("Cannot say"),
}
YES_NO = {"yes": _l("Yes"), "no": _l("No")}
SMILEY = {
    "very_happy": _l("Very good"),
    "happy": _l("Good"),
    "unhappy": _l("Poor"),
    "very_unhappy": _l("Very poor"),
}
SMILEY_FACES = {
    "very_happy": "😀",
    "happy": "🙂",
    "unhappy": "🙁",
    "very_unhappy": "😞",
}
RECOMMEND_BANDS = {
    "low": _l("1-3: low, unlikely to recommend"),
    "middle": _l("4-7: middle, might recommend"),
    "high": _l("8-10: high, likely to recommend"),
}


def option_choices(
    question, allow_cannot_say: bool | None = None
) -> list[tuple[str, str]]:
    """``(key, label)`` pairs of a question's answer options, in display order."""
    kind = question.type.value
    if kind in ("agreement", "matrix"):
        keys = list(logic.AGREEMENT_KEYS)
        if question.allow_cannot_say if allow_cannot_say is None else allow_cannot_say:
            keys.append(logic.CANNOT_SAY)
        return [(key, str(AGREEMENT[key])) for key in keys]
    if kind == "yes_no":
        return [(key, str(label)) for key, label in YES_NO.items()]
    if kind == "smiley":
        return [(key, str(label)) for key, label in SMILEY.items()]
    if kind == "recommend":
        return [(key, key) for key in logic.RECOMMEND_KEYS]
    return [
        (option["key"], text_in_reader_language(option["label"]))
        for option in question.options
    ]


def row_choices(question) -> list[tuple[str, str]]:
    return [
        (row["key"], text_in_reader_language(row["label"])) for row in question.rows
    ]
