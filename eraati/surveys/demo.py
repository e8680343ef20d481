"""Demo content for the e-panel: a year of monthly rounds with realistic answers.

Two panels (adult social work, child health clinic) answer the same self-evaluation
every month, so results, trends, unit comparisons and the annual report show something
real. Seeded, so every run makes the same data; skipped when it already exists.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import insert, select

from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Organisation, Panel
from eraati.surveys import services
from eraati.surveys.builtin import (
    FAST_FEEDBACK,
    SELF_EVALUATION,
    ensure_builtin_templates,
)
from eraati.surveys.models import (
    Answer,
    Channel,
    FastFeedbackPoint,
    FollowUp,
    MonthlySeries,
    Questionnaire,
    Response,
    Round,
    RoundState,
    TextReview,
)

MONTHS = 12
FREE_TEXTS = [
    "Tapaamiset ovat hyviä, mutta toivoisin ennakkomateriaalia aiemmin.",
    "Hyvä että meitä kuunnellaan.",
    "Ajat sopivat minulle hyvin.",
    "Olisi hyvä kuulla, mitä ideoillemme on tapahtunut.",
    "Det är bra att vi blir hörda.",
    "More evening meetings, please.",
]
FOLLOW_UP_NOTES = {
    "fi": "Lähetämme ennakkomateriaalin jatkossa viikkoa ennen tapaamista.",
    "sv": "I fortsättningen skickar vi förhandsmaterialet en vecka före mötet.",
    "en": "From now on we send the advance material a week before the meeting.",
}


def load_survey_demo() -> None:
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.slug == "demo")
    )
    if organisation is None:
        return
    templates = ensure_builtin_templates()
    panels = _panels(organisation)
    rng = random.Random(2026)
    for index, panel in enumerate(panels):
        if (
            db.session.scalar(select(Round.id).where(Round.panel_id == panel.id))
            is None
        ):
            _year_of_rounds(panel, templates[SELF_EVALUATION], rng, mood=0.15 * index)
        _series(panel, templates[SELF_EVALUATION])
    _fast_feedback(organisation, templates[FAST_FEEDBACK], rng)


def _panels(organisation: Organisation) -> list[Panel]:
    first = db.session.scalar(
        select(Panel).where(Panel.unit_id == organisation.units[0].id)
    )
    clinic = organisation.units[1]
    second = db.session.scalar(select(Panel).where(Panel.unit_id == clinic.id))
    if second is None:
        second = Panel(
            unit=clinic,
            name={
                "fi": "Lastenneuvolan asiakasraati",
                "sv": "Barnrådgivningens klientråd",
                "en": "Child health clinic client panel",
            },
        )
        db.session.add(second)
        db.session.flush()
    return [first, second]


def _series(panel: Panel, questionnaire: Questionnaire) -> None:
    exists = db.session.scalar(
        select(MonthlySeries.id).where(MonthlySeries.panel_id == panel.id)
    )
    if exists is None:
        db.session.add(MonthlySeries(panel=panel, questionnaire=questionnaire))


def _year_of_rounds(panel, questionnaire, rng, mood: float) -> None:
    timezone = current_app.config["TIMEZONE"]
    now = utcnow()
    local = now.astimezone(ZoneInfo(timezone))
    for months_back in range(MONTHS, -1, -1):
        year, month = _month_before(local.year, local.month, months_back)
        opens_at, closes_at = services.month_window(year, month, timezone)
        round_ = services.schedule_round(
            questionnaire, opens_at, closes_at, panel=panel
        )
        round_.state = RoundState.OPEN if closes_at > now else RoundState.CLOSED
        progress = (MONTHS - months_back) / MONTHS
        count = rng.randint(120, 220) if months_back else rng.randint(20, 40)
        _responses(round_, questionnaire, rng, count, improvement=progress * 0.4 - mood)
        if round_.state is RoundState.CLOSED and months_back % 3 == 0:
            _publish(round_, closes_at)


def _month_before(year: int, month: int, back: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) - back
    return index // 12, index % 12 + 1


def _responses(round_, questionnaire, rng, count: int, improvement: float) -> None:
    """Insert responses in bulk: a few thousand rows take well under a second."""
    items = {item.question.key: item for item in questionnaire.items}
    start = round_.opens_at
    span = max((min(round_.closes_at, utcnow()) - start).days, 1)
    answers = []
    for _ in range(count):
        day = (start + timedelta(days=rng.randrange(span))).date()
        channel = Channel.PAPER if rng.random() < 0.08 else Channel.ONLINE
        language = rng.choices(["fi", "sv", "en"], [0.85, 0.1, 0.05])[0]
        response_id = _insert_response(round_.id, channel, language, day)
        answers.extend(_answers_for(response_id, round_.id, items, rng, improvement))
    db.session.execute(insert(Answer), answers)


def _insert_response(round_id: int, channel: Channel, language: str, day: date) -> int:
    result = db.session.execute(
        insert(Response).values(
            round_id=round_id, channel=channel, language=language, submitted_on=day
        )
    )
    return result.inserted_primary_key[0]


AGREEMENT = ["agree", "somewhat_agree", "somewhat_disagree", "disagree"]


def _agreement(rng, improvement: float) -> str:
    weights = [0.45 + improvement, 0.3, 0.15 - improvement / 2, 0.1 - improvement / 2]
    return rng.choices(AGREEMENT, [max(w, 0.02) for w in weights])[0]


def _answers_for(response_id, round_id, items, rng, improvement) -> list[dict]:
    def row(item, **values):
        return {
            "response_id": response_id,
            "round_id": round_id,
            "question_id": item.question_id,
            "option_key": None,
            "row_key": None,
            "number": None,
            "text": None,
            "text_review": None,
            "text_published": None,
            **values,
        }

    rows = [row(items["panel-meaningful"], option_key=_agreement(rng, improvement))]
    matrix = items["panel-ground-rules"]
    for statement in matrix.question.rows:
        if rng.random() < 0.95:
            rows.append(
                row(
                    matrix,
                    row_key=statement["key"],
                    option_key=_agreement(rng, improvement),
                )
            )
    score = min(10, max(1, round(rng.gauss(7.2 + improvement * 3, 1.8))))
    rows.append(row(items["panel-recommend"], option_key=str(score)))
    if rng.random() < 0.12:
        text = rng.choice(FREE_TEXTS)
        published = rng.random() < 0.7
        rows.append(
            row(
                items["panel-what-works"],
                text=text,
                text_review=TextReview.PUBLISHED if published else TextReview.PENDING,
                text_published=text if published else None,
            )
        )
    if rng.random() < 0.8:
        age = rng.choices(["under-30", "30-64", "65-plus"], [0.2, 0.5, 0.3])[0]
        rows.append(row(items["background-age"], option_key=age))
    return rows


def _publish(round_: Round, closes_at: datetime) -> None:
    round_.published_at = closes_at + timedelta(days=7)
    round_.publication_note = {
        "fi": "Kiitos vastauksista! Käsittelemme tulokset seuraavassa tapaamisessa.",
        "sv": "Tack för svaren! Vi går igenom resultaten på nästa möte.",
        "en": "Thank you for your answers! We will go through the results at the next meeting.",
    }
    db.session.add(FollowUp(round_id=round_.id, note=FOLLOW_UP_NOTES))


def _fast_feedback(organisation, questionnaire, rng) -> None:
    from eraati.surveys import fast

    for unit in organisation.units[:2]:
        exists = db.session.scalar(
            select(FastFeedbackPoint.id).where(FastFeedbackPoint.unit_id == unit.id)
        )
        if exists is not None:
            continue
        point = FastFeedbackPoint(
            unit_id=unit.id, questionnaire_id=questionnaire.id, token=f"demo-{unit.id}"
        )
        db.session.add(point)
        db.session.flush()
        item = questionnaire.items[0]
        now = utcnow()
        for days_back in range(0, 180, 3):
            moment = now - timedelta(days=days_back)
            round_ = fast.current_round(point, moment)
            for _ in range(rng.randint(2, 8)):
                face = rng.choices(
                    ["very_happy", "happy", "unhappy", "very_unhappy"], [5, 4, 2, 1]
                )[0]
                services.submit(round_, {item.id: face}, "fi", moment)
