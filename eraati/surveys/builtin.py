"""Built-in questionnaires: the panel self-evaluation of seed 001 and fast feedback.

Their texts are content (stored as TranslatedText, editable like any other), so they
are written here in each language rather than passed through gettext.
"""

from __future__ import annotations

from sqlalchemy import select

from eraati.extensions import db
from eraati.surveys.models import (
    Question,
    Questionnaire,
    QuestionnaireItem,
    QuestionType,
)

SELF_EVALUATION = "self-evaluation"
FAST_FEEDBACK = "fast-feedback"

#: (key, type, texts, extra) in questionnaire order; page numbers group them.
SELF_EVALUATION_QUESTIONS = [
    (
        "panel-meaningful",
        QuestionType.AGREEMENT,
        {
            "fi": "Koen mielekkääksi osallistua palvelun kehittämiseen, vaikka en itse käyttäisi palvelua",
            "sv": "Jag upplever det som meningsfullt att delta i att utveckla tjänsten, även om jag inte själv använder den",
            "en": "I find it meaningful to take part in developing the service even if I do not use it myself",
        },
        {"page": 1, "allow_cannot_say": True},
    ),
    (
        "panel-ground-rules",
        QuestionType.MATRIX,
        {
            "fi": "Miten raadin pelisäännöt toteutuivat?",
            "sv": "Hur följdes rådets spelregler?",
            "en": "How well were the panel's ground rules followed?",
        },
        {
            "page": 1,
            "allow_cannot_say": True,
            "rows": [
                (
                    "advance-notice",
                    {
                        "fi": "Sain ennakkotiedon viimeistään kolme päivää ennen tapaamista",
                        "sv": "Jag fick förhandsinformation senast tre dagar före mötet",
                        "en": "I got advance information at least three days before the meeting",
                    },
                ),
                (
                    "fair-turns",
                    {
                        "fi": "Puheenvuorot jaettiin tasapuolisesti",
                        "sv": "Ordet fördelades jämlikt",
                        "en": "Speaking turns were shared evenly",
                    },
                ),
                (
                    "influence",
                    {
                        "fi": "Käsittelemme aiheita, joihin voimme vaikuttaa",
                        "sv": "Vi behandlar frågor som vi kan påverka",
                        "en": "We discuss topics we can influence",
                    },
                ),
                (
                    "summary",
                    {
                        "fi": "Sain tiiviin yhteenvedon tapaamisen jälkeen",
                        "sv": "Jag fick en kort sammanfattning efter mötet",
                        "en": "I got a short summary after the meeting",
                    },
                ),
                (
                    "follow-up",
                    {
                        "fi": "Vastuuhenkilöt kertovat, mitä ideoille tapahtui, myös jos ne eivät edenneet",
                        "sv": "De ansvariga berättar vad som hände med idéerna, också när de inte gick vidare",
                        "en": "The people responsible tell us what became of ideas, also when they did not go ahead",
                    },
                ),
            ],
        },
    ),
    (
        "panel-recommend",
        QuestionType.RECOMMEND,
        {
            "fi": "Asteikolla 1-10 suosittelisitko asiakasraatia?",
            "sv": "Skulle du på en skala 1-10 rekommendera klientrådet?",
            "en": "On a scale of 1 to 10, would you recommend the client panel?",
        },
        {"page": 2},
    ),
    (
        "panel-what-works",
        QuestionType.TEXT,
        {
            "fi": "Mikä raadissa toimii hyvin, mitä pitäisi muuttaa?",
            "sv": "Vad fungerar bra i rådet, vad borde ändras?",
            "en": "What works well in the panel, what should change?",
        },
        {"page": 2},
    ),
    (
        "background-age",
        QuestionType.SINGLE,
        {"fi": "Ikäryhmäsi", "sv": "Din åldersgrupp", "en": "Your age group"},
        {
            "page": 3,
            "is_background": True,
            "options": [
                ("under-30", {"fi": "alle 30", "sv": "under 30", "en": "under 30"}),
                ("30-64", {"fi": "30-64", "sv": "30-64", "en": "30-64"}),
                (
                    "65-plus",
                    {"fi": "65 tai yli", "sv": "65 eller äldre", "en": "65 or over"},
                ),
            ],
        },
    ),
]

SELF_EVALUATION_TEXTS = {
    "title": {
        "fi": "Asiakasraadin toiminnan arviointi",
        "sv": "Utvärdering av klientrådets verksamhet",
        "en": "Evaluation of the client panel",
    },
    "purpose": {
        "fi": "Vastauksilla kehitämme raadin toimintaa. Vastaukset ovat nimettömiä, ja tulokset julkaistaan palvelun vuosiraportissa.",
        "sv": "Med svaren utvecklar vi rådets verksamhet. Svaren är anonyma och resultaten publiceras i tjänstens årsrapport.",
        "en": "We use the answers to develop the panel. Answers are anonymous, and the results are published in the service's annual report.",
    },
}

FAST_FEEDBACK_QUESTION = (
    "fast-feedback-visit",
    QuestionType.SMILEY,
    {
        "fi": "Millainen kokemus sinulla oli tänään?",
        "sv": "Hur var din upplevelse i dag?",
        "en": "How was your experience today?",
    },
    {"page": 1, "required": True},
)

FAST_FEEDBACK_TEXTS = {
    "title": {"fi": "Pikapalaute", "sv": "Snabb respons", "en": "Fast feedback"},
    "purpose": {
        "fi": "Palautteella parannamme palvelua. Vastaus on nimetön.",
        "sv": "Med responsen förbättrar vi tjänsten. Svaret är anonymt.",
        "en": "We use the feedback to improve the service. The answer is anonymous.",
    },
}


def _labelled(pairs) -> list[dict]:
    return [{"key": key, "label": label} for key, label in pairs]


def _question(key, type_, text, extra) -> Question:
    question = db.session.scalar(select(Question).where(Question.key == key))
    if question is None:
        question = Question(
            key=key,
            type=type_,
            text=text,
            options=_labelled(extra.get("options", [])),
            rows=_labelled(extra.get("rows", [])),
            allow_cannot_say=extra.get("allow_cannot_say", False),
            is_background=extra.get("is_background", False),
        )
        db.session.add(question)
    return question


def _template(template_key, texts, questions) -> Questionnaire:
    found = db.session.scalar(
        select(Questionnaire).where(Questionnaire.template_key == template_key)
    )
    if found is not None:
        return found
    questionnaire = Questionnaire(template_key=template_key, **texts)
    for position, (key, type_, text, extra) in enumerate(questions):
        questionnaire.items.append(
            QuestionnaireItem(
                question=_question(key, type_, text, extra),
                page=extra.get("page", 1),
                position=position,
                required=extra.get("required", False),
            )
        )
    db.session.add(questionnaire)
    db.session.flush()
    return questionnaire


def ensure_builtin_templates() -> dict[str, Questionnaire]:
    """Create the built-in templates and their bank questions once (idempotent)."""
    return {
        SELF_EVALUATION: _template(
            SELF_EVALUATION, SELF_EVALUATION_TEXTS, SELF_EVALUATION_QUESTIONS
        ),
        FAST_FEEDBACK: _template(
            FAST_FEEDBACK, FAST_FEEDBACK_TEXTS, [FAST_FEEDBACK_QUESTION]
        ),
    }
