"""Demo content for `eraati demo`: an organisation, a panel and a user of every role.

Idempotent: running it again finds what exists and adds only what is missing. Later
domains add their own demo content through :data:`DEMO_STEPS`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from eraati.accounts.models import ConsentPurpose, Role, User
from eraati.accounts.services import (
    create_login_token,
    find_user,
    login_link,
    record_consent,
)
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import (
    Membership,
    Organisation,
    Panel,
    PanelRole,
    Unit,
    UnitKind,
)

DEMO_USERS = [
    ("asukas@example.fi", Role.RESIDENT, "Aino Asukas", "fi"),
    ("invanare@example.fi", Role.RESIDENT, "Vera Invånare", "sv"),
    ("moderaattori@example.fi", Role.MODERATOR, "Mikko Moderaattori", "fi"),
    ("virkailija@example.fi", Role.OFFICIAL, "Outi Virkailija", "fi"),
    ("valtuutettu@example.fi", Role.COUNCIL, "Ville Valtuutettu", "fi"),
    ("yllapitaja@example.fi", Role.ADMIN, "Anna Ylläpitäjä", "fi"),
]

ORGANISATION = {
    "fi": "Esimerkin hyvinvointialue",
    "sv": "Exempels välfärdsområde",
    "en": "Example Wellbeing Services County",
}
UNITS = [
    (
        UnitKind.SERVICE,
        {
            "fi": "Aikuissosiaalityö",
            "sv": "Socialt arbete för vuxna",
            "en": "Adult social work",
        },
    ),
    (
        UnitKind.SERVICE,
        {"fi": "Lastenneuvola", "sv": "Barnrådgivning", "en": "Child health clinic"},
    ),
    (
        UnitKind.COUNCIL,
        {"fi": "Vanhusneuvosto", "sv": "Äldrerådet", "en": "Council for older people"},
    ),
]
PANEL = {
    "name": {
        "fi": "Aikuissosiaalityön asiakasraati",
        "sv": "Klientrådet för socialt arbete för vuxna",
        "en": "Adult social work client panel",
    },
    "description": {
        "fi": "Raati kokoontuu kerran kuussa ja vastaa kuukausittaiseen kyselyyn.",
        "sv": "Rådet träffas en gång i månaden och svarar på en månatlig enkät.",
        "en": "The panel meets once a month and answers a monthly questionnaire.",
    },
}


def _organisation() -> Organisation:
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.slug == "demo")
    )
    if organisation is None:
        organisation = Organisation(slug="demo", name=ORGANISATION)
        for kind, name in UNITS:
            organisation.units.append(Unit(kind=kind, name=name))
        db.session.add(organisation)
        db.session.flush()
    return organisation


def _users() -> list[User]:
    users = []
    for email, role, name, language in DEMO_USERS:
        user = find_user(email)
        if user is None:
            user = User(
                email=email, role=role, display_name=name, preferred_language=language
            )
            db.session.add(user)
        users.append(user)
    db.session.flush()
    return users


def _panel(organisation: Organisation, users: list[User]) -> Panel:
    unit = organisation.units[0]
    panel = db.session.scalar(select(Panel).where(Panel.unit_id == unit.id))
    if panel is None:
        panel = Panel(unit=unit, **PANEL)
        db.session.add(panel)
        db.session.flush()
    roles = {Role.RESIDENT: PanelRole.MEMBER, Role.MODERATOR: PanelRole.MODERATOR}
    for user in users:
        role = roles.get(user.role)
        exists = db.session.scalar(
            select(Membership).where(
                Membership.panel_id == panel.id, Membership.user_id == user.id
            )
        )
        if role is not None and exists is None:
            db.session.add(Membership(panel=panel, user=user, role=role))
    resident = users[0]
    record_consent(resident, ConsentPurpose.LIVE_SESSIONS, True, "fi", utcnow())
    return panel


def load_foundation() -> None:
    organisation = _organisation()
    _panel(organisation, _users())


def _survey_demo() -> None:
    from eraati.surveys.demo import load_survey_demo

    load_survey_demo()


def _rooms_demo() -> None:
    from eraati.rooms.demo import load_rooms_demo

    load_rooms_demo()


def _budgeting_demo() -> None:
    from eraati.budgeting.demo import load_budgeting_demo

    load_budgeting_demo()


#: (label, step) in order; each domain adds its own idempotent step.
DEMO_STEPS: list[tuple[str, Callable[[], None]]] = [
    ("foundation", load_foundation),
    ("e-panel", _survey_demo),
    ("live rooms", _rooms_demo),
    ("participatory budgeting", _budgeting_demo),
]


def load_demo(progress=None) -> None:
    """Run every demo step, committing after each so a failure keeps what worked."""
    steps = DEMO_STEPS
    if progress is None:
        for _label, step in steps:
            step()
            db.session.commit()
        return
    with progress(
        steps, label="Demo content", item_show_func=lambda s: s and s[0]
    ) as bar:
        for _label, step in bar:
            step()
            db.session.commit()


def print_demo_links(echo: Callable[[str], None]) -> None:
    """One fresh sign-in link per demo user (valid for the configured minutes)."""
    echo("\nSign-in links for the demo users (each works once):")
    now = utcnow()
    for email, role, _name, language in DEMO_USERS:
        token = create_login_token(email, language, now)
        echo(f"  {role.value:<10} {email:<26} {login_link(token)}")
    db.session.commit()
    from eraati.budgeting.demo import print_vote_codes

    print_vote_codes(echo)
