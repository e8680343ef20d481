"""Demo content for the live rooms: a session in progress and a past one with ideas.

Idempotent: a session is found by its title and never made twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from eraati.accounts.services import find_user
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Organisation, Panel
from eraati.rooms import services, turns
from eraati.rooms.models import AgendaItem, Participant, RoomSession
from eraati.rooms.rules import IdeaStatus, SessionStatus

NOW_TITLE = {
    "fi": "Kuukausitapaaminen: ajanvaraus",
    "sv": "Månadsmöte: tidsbokning",
    "en": "Monthly meeting: booking appointments",
}
PAST_TITLE = {
    "fi": "Kuukausitapaaminen: asiakaskirjeet",
    "sv": "Månadsmöte: brev till klienter",
    "en": "Monthly meeting: letters to clients",
}
NOW_AGENDA = [
    {"fi": "Kuulumiset", "sv": "Hur står det till", "en": "How are things"},
    {
        "fi": "Ajanvaraus puhelimessa",
        "sv": "Tidsbokning per telefon",
        "en": "Booking by phone",
    },
    {"fi": "Muut asiat", "sv": "Övriga frågor", "en": "Other matters"},
]
PAST_AGENDA = [
    {
        "fi": "Päätöskirjeen luonnos",
        "sv": "Utkast till beslutsbrev",
        "en": "Draft decision letter",
    },
    {"fi": "Ideat", "sv": "Idéer", "en": "Ideas"},
]
NOW_MESSAGES = [
    ("moderaattori@example.fi", "Tervetuloa! Aloitetaan kuulumisilla."),
    ("asukas@example.fi", "Hei kaikki, mukava olla taas mukana."),
    ("invanare@example.fi", "Hej! Jag skriver på svenska."),
    ("asukas@example.fi", "Ajanvarausnumeroon on ollut pitkä jono aamuisin."),
]
PAST_MESSAGES = [
    ("moderaattori@example.fi", "Katsotaan ensin kirjeluonnosta."),
    ("asukas@example.fi", "Kirje on pitkä. Tärkein asia pitäisi olla alussa."),
    ("invanare@example.fi", "Kunde brevet komma som sms?"),
]
SUMMARY = {
    "fi": "Kävimme läpi päätöskirjeen luonnoksen. Kirjettä pidettiin liian pitkänä; "
    "tärkein asia halutaan heti alkuun. Ideoista kerrotaan tällä sivulla.",
    "sv": "Vi gick igenom utkastet till beslutsbrev. Brevet ansågs för långt; det "
    "viktigaste ska stå först. Idéerna och vad som hände med dem finns på sidan.",
    "en": "We reviewed the draft decision letter. It was felt to be too long; the "
    "most important point should come first. The ideas and their fates are listed.",
}
#: (title, statuses after "new", reason for the last one)
IDEAS = [
    (
        "Tärkein asia kirjeen alkuun",
        [IdeaStatus.UNDER_CONSIDERATION, IdeaStatus.DONE],
        None,
    ),
    ("Selkokielinen tiivistelmä jokaiseen kirjeeseen", [IdeaStatus.IN_PROGRESS], None),
    (
        "Kirjeet tekstiviestinä",
        [IdeaStatus.NOT_GOING_AHEAD],
        "Tietoturvasyistä päätöksiä ei voi lähettää tekstiviestinä. "
        "Kirjeet saa jatkossa luettavaksi OmaKannasta.",
    ),
    ("Esimerkkikirje verkkosivuille", [], None),
]


def load_rooms_demo() -> None:
    """Add the demo sessions to the demo organisation's first panel."""
    panel = _demo_panel()
    if panel is None:
        return
    titles = {
        session.title.get("fi")
        for session in db.session.scalars(
            select(RoomSession).where(RoomSession.panel_id == panel.id)
        )
    }
    now = utcnow()
    if NOW_TITLE["fi"] not in titles:
        _session_in_progress(panel, now)
    if PAST_TITLE["fi"] not in titles:
        _past_session(panel, now)


def _demo_panel() -> Panel | None:
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.slug == "demo")
    )
    if organisation is None or not organisation.units:
        return None
    return db.session.scalar(
        select(Panel)
        .where(Panel.unit_id == organisation.units[0].id)
        .order_by(Panel.id)
    )


def _session(panel, title, agenda, starts_at: datetime, status) -> RoomSession:
    session = RoomSession(
        panel=panel,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        status=status,
        # Notices "went out" already: the jobs must not mail the demo users.
        agenda_sent_at=starts_at - timedelta(days=3),
        reminder_sent_at=starts_at - timedelta(hours=8),
    )
    for position, item in enumerate(agenda):
        session.agenda.append(AgendaItem(position=position, title=item))
    db.session.add(session)
    db.session.flush()
    services.sync_participants(session)
    guest = find_user("valtuutettu@example.fi")
    if guest is not None:
        services.invite_guest(session, guest)
    for participant in services.participants(session):
        services.accept_rules(panel.id, participant.user_id, starts_at)
        participant.joined_at = starts_at
    session.current_item_id = session.agenda[0].id
    return session


def _participant(session: RoomSession, email: str) -> Participant:
    return services.participant_of(session, find_user(email))


def _post(session: RoomSession, messages, start: datetime) -> None:
    for number, (email, body) in enumerate(messages):
        services.post_message(
            session,
            _participant(session, email),
            f"demo-{session.id}-{number}",
            body,
            start + timedelta(minutes=2 * number + 1),
        )


def _session_in_progress(panel: Panel, now: datetime) -> None:
    starts_at = now - timedelta(minutes=20)
    session = _session(panel, NOW_TITLE, NOW_AGENDA, starts_at, SessionStatus.OPEN)
    moderator = _participant(session, "moderaattori@example.fi")
    services.notice(session, "open", starts_at, moderator)
    _post(session, NOW_MESSAGES, starts_at)
    turns.raise_hand(session, _participant(session, "invanare@example.fi"), now)


def _past_session(panel: Panel, now: datetime) -> None:
    starts_at = now - timedelta(days=28)
    # Open while its messages are posted (a closed session refuses them).
    session = _session(panel, PAST_TITLE, PAST_AGENDA, starts_at, SessionStatus.OPEN)
    _post(session, PAST_MESSAGES, starts_at)
    moderator = _participant(session, "moderaattori@example.fi")
    services.notice(session, "closed", session.ends_at, moderator)
    session.status = SessionStatus.CLOSED
    official = find_user("virkailija@example.fi")
    for title, statuses, reason in IDEAS:
        idea = services.make_idea(session, title, now=starts_at + timedelta(hours=1))
        for step, status in enumerate(statuses, start=1):
            services.change_idea_status(
                idea,
                status,
                reason if status is IdeaStatus.NOT_GOING_AHEAD else None,
                official,
                starts_at + timedelta(days=7 * step),
            )
    session.summary = SUMMARY
    session.summary_sent_at = session.ends_at + timedelta(days=1)
