"""A resident's journey through all three pillars, for the export and erasure tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from eraati.accounts.models import User
from eraati.accounts.services import send_sign_in_link
from eraati.budgeting import proposals, voting
from eraati.budgeting.models import (
    Area,
    Eligibility,
    Phase,
    Process,
    Project,
    ProjectStatus,
    Proposal,
)
from eraati.budgeting.queries import process_results
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.mail import preferences
from eraati.mail.models import Category, Delivery, QueuedNotice
from eraati.panels.models import Membership, Organisation, Panel, Unit
from eraati.rooms import services as rooms
from eraati.rooms import turns
from eraati.rooms.rules import SessionStatus
from eraati.site.models import AccessibilityFeedback
from eraati.surveys import services as surveys
from eraati.surveys.builtin import SELF_EVALUATION, ensure_builtin_templates
from eraati.surveys.models import Invitation
from eraati.surveys.queries import round_results
from tests.surveys.conftest import full_answers, item_ids
from tests.surveys.test_answering import answer_all

EMAIL = "maija.meikalainen@example.fi"
PSEUDONYM = "Kukkakeiju"
REAL_NAME = "Maija Meikäläinen"
PHONE = "040 765 4321"
#: Written in an anonymous answer: must never appear in the person's export.
SECRET_ANSWER = "Anonyymi vastaus 7391"
MESSAGE = "Ajanvaraus puhelimella on liian hidasta."
IDEA = "Takaisinsoitto ajanvaraukseen"
PROPOSAL = "Penkkejä puistoon"
COMMENT = "Hyvä idea, kannatan."


@dataclass
class Journey:
    person: User
    other: User
    round_id: int
    process_id: int
    session_id: int
    ballot_id: str
    needles: tuple[str, ...]  #: what must be gone from every table after erasure

    def published(self) -> tuple:
        """The survey round's results and the budgeting count, as published."""
        from eraati.surveys.models import Round

        survey = round_results(db.session.get(Round, self.round_id))
        pb = process_results(db.session.get(Process, self.process_id))
        return (
            survey.responses,
            [(q.question.id, q.summary, q.texts, q.text_n) for q in survey.questions],
            [(a.area.id, a.count, a.turnout) for a in pb.areas],
        )


@pytest.fixture
def app_config(smtp_server):
    # k=1: a single answer shows in the results, so a change would show too.
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port, "SUPPRESSION_K": 1}


@pytest.fixture
def journey(client, create_user, login, smtp_server) -> Journey:
    """Maija: a panel member who answers a round and opts in, speaks and raises an
    idea in a session, proposes, comments, follows and votes in participatory
    budgeting, and has notification settings. Another member does the same in part,
    so that the published figures are not hers alone. ``client`` is left signed in
    as Maija."""
    now = utcnow()
    person = create_user(email=EMAIL, name=PSEUDONYM, language="fi")
    other = create_user(email="toinen@example.fi", name="Toinen")
    panel = Panel(
        unit=Unit(organisation=Organisation(slug="hva", name={"fi": "Hva"}), name={}),
        name={"fi": "Asiakasraati"},
    )
    db.session.add(panel)
    db.session.flush()
    db.session.add_all([Membership(panel=panel, user=u) for u in (person, other)])
    db.session.commit()

    round_id = _answer_a_round(client, login, panel, person, other, now)
    session_id = _speak_in_a_session(panel, person, other, now)
    process_id, ballot_id = _take_part_in_budgeting(person, other, now)

    preferences.set_choice(person, Category.REMINDERS, False, now)
    preferences.set_delivery(person, Delivery.DAILY)
    db.session.add(
        QueuedNotice(
            user_id=person.id,
            category=Category.SUMMARIES,
            language="fi",
            subject="Yhteenveto",
            body=f"Hei {PSEUDONYM}",
        )
    )
    db.session.add(
        AccessibilityFeedback(
            message="Fontti on pieni", contact_email=EMAIL, language="fi"
        )
    )
    send_sign_in_link(EMAIL, "fi", now, None)  # a mail log row and a sign-in link
    db.session.commit()
    smtp_server.messages.clear()
    return Journey(
        person=person,
        other=other,
        round_id=round_id,
        process_id=process_id,
        session_id=session_id,
        ballot_id=ballot_id,
        needles=(EMAIL, PSEUDONYM, REAL_NAME, PHONE),
    )


def _answer_a_round(client, login, panel, person, other, now) -> int:
    """Over HTTP, as Maija: answer every page, then opt in with contact details."""
    templates = ensure_builtin_templates()
    round_ = surveys.schedule_round(
        templates[SELF_EVALUATION],
        now - timedelta(hours=1),
        now + timedelta(days=10),
        panel=panel,
    )
    surveys.open_round(round_, now)
    db.session.commit()
    login(person)
    invitation = db.session.query(Invitation).filter_by(user_id=person.id).one()
    link = f"/s/i/{surveys.invitation_token(invitation)}"
    assert client.get(link).status_code == 200
    form = full_answers(round_)
    form[f"q{item_ids(round_)['panel-what-works']}"] = [SECRET_ANSWER]
    thanks = answer_all(client, round_, link, form).headers["Location"]
    opted = client.post(
        thanks,
        data={
            "deeper_surveys": "y",
            "live_sessions": "y",
            "name": REAL_NAME,
            "email": EMAIL,
            "phone": PHONE,
        },
    )
    assert opted.status_code == 200
    # The other member answers too, so that the results are not Maija's alone.
    theirs = db.session.query(Invitation).filter_by(user_id=other.id).one()
    other_client = client.application.test_client()
    login(other, on=other_client)
    other_link = f"/s/i/{surveys.invitation_token(theirs)}"
    assert other_client.get(other_link).status_code == 200
    answer_all(other_client, round_, other_link)
    return round_.id


def _speak_in_a_session(panel, person, other, now) -> int:
    session = rooms.schedule_session(
        panel,
        title={"fi": "Kuukausitapaaminen"},
        starts_at=now + timedelta(days=4),
        ends_at=now + timedelta(days=4, hours=2),
        now=now,
    )
    session.status = SessionStatus.OPEN
    for user in (person, other):
        rooms.accept_rules(panel.id, user.id, now)
    mine = rooms.enter(session, person, now)
    theirs = rooms.enter(session, other, now)
    message, _new = rooms.post_message(session, mine, "m-1", MESSAGE, now)
    rooms.post_message(session, theirs, "t-1", "Samaa mieltä.", now)
    rooms.make_idea(
        session, IDEA, message_id=message.id, suggested_by=mine, accepted=False, now=now
    )
    turns.give_floor(session, mine.id)
    rooms.notice(session, f"floor\t{mine.display_name}", now)
    turns.raise_hand(session, mine, now)
    db.session.commit()
    return session.id


def _take_part_in_budgeting(person, other, now) -> tuple[int, str]:
    process = Process(
        year=2026,
        title={"fi": "Osallistuva budjetointi"},
        total_budget=Decimal(50_000),
        phase=Phase.PROPOSALS,
    )
    area = Area(process=process, name={"fi": "Keskusta"}, budget=Decimal(50_000))
    db.session.add_all([process, area])
    db.session.flush()
    projects = [
        Project(
            process_id=process.id,
            area_id=area.id,
            external_id=str(number),
            title={"fi": f"Hanke {number}"},
            cost=Decimal(20_000),
            status=ProjectStatus.ON_BALLOT,
        )
        for number in (1, 2)
    ]
    db.session.add_all(projects)
    db.session.flush()
    proposal = proposals.submit(
        Proposal(
            process_id=process.id,
            area_id=area.id,
            author_id=person.id,
            title=PROPOSAL,
            description=f"Kysy lisää: {EMAIL}",
        ),
        None,
    )
    proposals.add_comment(person.id, COMMENT, proposal=proposal)
    proposals.set_following(person.id, True, project=projects[0])
    for user in (person, other):
        db.session.add(
            Eligibility(process_id=process.id, user_id=user.id, area_id=area.id)
        )
    process.phase = Phase.VOTING
    db.session.flush()
    ballot, _key = voting.cast_ballot(
        process, voting.AccountVerifier(person.id), [str(projects[0].id)], now
    )
    voting.cast_ballot(
        process, voting.AccountVerifier(other.id), [str(projects[1].id)], now
    )
    db.session.commit()
    return process.id, ballot.id
