"""A panel with members and an open round of the self-evaluation questionnaire."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.accounts.models import Role
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Membership, Organisation, Panel, Unit
from eraati.surveys import services
from eraati.surveys.builtin import SELF_EVALUATION, ensure_builtin_templates
from eraati.surveys.models import Audience


@pytest.fixture
def panel(create_user):
    organisation = Organisation(slug="hva", name={"fi": "Hyvinvointialue"})
    unit = Unit(organisation=organisation, name={"fi": "Aikuissosiaalityö"})
    panel = Panel(unit=unit, name={"fi": "Raati", "sv": "Rådet"})
    db.session.add(panel)
    db.session.flush()
    for number, language in enumerate(["fi", "sv", "fi"], start=1):
        member = create_user(
            Role.RESIDENT, email=f"m{number}@example.fi", language=language
        )
        db.session.add(Membership(panel=panel, user=member))
    db.session.commit()
    return panel


@pytest.fixture
def templates(app):
    found = ensure_builtin_templates()
    db.session.commit()
    return found


@pytest.fixture
def open_round(panel, templates):
    """Open now, closing in ten days, invitations created."""
    now = utcnow()
    round_ = services.schedule_round(
        templates[SELF_EVALUATION],
        now - timedelta(hours=1),
        now + timedelta(days=10),
        panel=panel,
        audience=Audience.MEMBERS,
    )
    services.open_round(round_, now)
    db.session.commit()
    return round_


def item_ids(round_) -> dict[str, int]:
    """Item ids by bank question key."""
    return {item.question.key: item.id for item in round_.questionnaire.items}


def full_answers(round_) -> dict[str, list[str]]:
    """Form data answering every page of the self-evaluation."""
    ids = item_ids(round_)
    rows = ["advance-notice", "fair-turns", "influence", "summary", "follow-up"]
    form = {f"q{ids['panel-meaningful']}": ["agree"]}
    form.update(
        {f"q{ids['panel-ground-rules']}-{row}": ["somewhat_agree"] for row in rows}
    )
    form[f"q{ids['panel-recommend']}"] = ["9"]
    form[f"q{ids['panel-what-works']}"] = ["Hyvä raati"]
    form[f"q{ids['background-age']}"] = ["65-plus"]
    return form
