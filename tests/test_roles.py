"""Every route lets in exactly the roles that may use it (table-driven).

A new route must be added to ACCESS, or ``test_every_route_is_in_the_table`` fails.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.accounts.models import Role
from eraati.budgeting.models import (
    Area,
    Comment,
    Phase,
    Process,
    Project,
    ProjectStatus,
    Proposal,
    ProposalStatus,
)
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Membership, Organisation, Panel, PanelRole, Unit
from eraati.rooms import services as rooms
from eraati.surveys import services as surveys
from eraati.surveys.builtin import (
    FAST_FEEDBACK,
    SELF_EVALUATION,
    ensure_builtin_templates,
)
from eraati.surveys.models import (
    Answer,
    FastFeedbackPoint,
    MonthlySeries,
    OptIn,
    Response,
)

PUBLIC = "public"
SIGNED_IN = "signed-in"
STAFF = {Role.MODERATOR, Role.OFFICIAL, Role.COUNCIL, Role.ADMIN}
OFFICIALS = {Role.OFFICIAL, Role.ADMIN}
COUNCIL = {Role.COUNCIL, Role.ADMIN}
ADMINS = {Role.ADMIN}

#: rule → (who may use it, the methods to try)
ACCESS = {
    "/": (PUBLIC, ["GET"]),
    "/sign-in": (PUBLIC, ["GET"]),
    "/sign-in/sent": (PUBLIC, ["GET"]),
    "/sign-in/password": (PUBLIC, ["GET"]),
    "/sign-in/link/<token>": (PUBLIC, []),
    "/sign-out": (PUBLIC, []),
    "/panels/": (PUBLIC, ["GET"]),
    "/panels/<int:panel_id>": (PUBLIC, ["GET"]),
    "/accessibility": (PUBLIC, ["GET"]),
    "/privacy": (PUBLIC, ["GET"]),
    "/invitations/stop/<token>": (PUBLIC, []),
    "/static/<path:filename>": (PUBLIC, []),
    # Participatory budgeting, residents: who may vote is checked inside
    # (tests/budgeting/test_views.py).
    "/pb/": (PUBLIC, []),
    "/pb/<int:process_id>": (PUBLIC, []),
    "/pb/<int:process_id>/vote": (PUBLIC, []),
    "/pb/<int:process_id>/ballot": (PUBLIC, []),
    "/pb/<int:process_id>/confirm": (PUBLIC, []),
    "/pb/<int:process_id>/thanks": (PUBLIC, []),
    "/pb/<int:process_id>/change": (PUBLIC, []),
    # Ideas: the phase is checked inside; only the author edits, the photo may be
    # missing (tests/budgeting/test_proposals.py).
    "/pb/<int:process_id>/proposals": (PUBLIC, ["GET"]),
    "/pb/<int:process_id>/proposals/new": (SIGNED_IN, ["GET", "POST"]),
    "/pb/<int:process_id>/proposals/<int:proposal_id>": (PUBLIC, ["GET"]),
    "/pb/<int:process_id>/proposals/<int:proposal_id>/edit": (SIGNED_IN, []),
    "/pb/<int:process_id>/proposals/<int:proposal_id>/photo": (PUBLIC, []),
    "/pb/<int:process_id>/proposals/<int:proposal_id>/follow": (SIGNED_IN, ["POST"]),
    "/pb/<int:process_id>/projects/<int:project_id>/follow": (SIGNED_IN, ["POST"]),
    "/profile": (SIGNED_IN, ["GET", "POST"]),
    "/profile/password": (STAFF, ["GET", "POST"]),
    "/profile/notifications": (SIGNED_IN, ["GET", "POST"]),
    # My data: always the signed-in person's own (tests/mydata).
    "/my-data": (SIGNED_IN, ["GET"]),
    "/my-data.json": (SIGNED_IN, ["GET"]),
    "/my-data/delete": (SIGNED_IN, ["GET", "POST"]),
    # The signed token is the authority (tests/accounts/test_notifications.py).
    "/unsubscribe/<token>": (PUBLIC, []),
    "/manage/": (OFFICIALS, ["GET"]),
    "/manage/organisations/new": (OFFICIALS, ["GET", "POST"]),
    "/manage/organisations/<int:organisation_id>": (OFFICIALS, ["GET", "POST"]),
    "/manage/organisations/<int:organisation_id>/units/new": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/units/<int:unit_id>": (OFFICIALS, ["GET", "POST"]),
    "/manage/panels/new": (OFFICIALS, ["GET", "POST"]),
    "/manage/panels/<int:panel_id>": (OFFICIALS, ["GET", "POST"]),
    "/manage/panels/<int:panel_id>/members": (OFFICIALS, ["GET", "POST"]),
    "/manage/panels/<int:panel_id>/members/<int:membership_id>": (OFFICIALS, ["POST"]),
    "/admin/users/": (ADMINS, ["GET", "POST"]),
    "/admin/users/<int:user_id>": (ADMINS, ["POST"]),
    "/admin/users/<int:user_id>/data": (ADMINS, ["GET"]),
    "/admin/users/<int:user_id>/data.json": (ADMINS, ["GET"]),
    "/admin/users/<int:user_id>/erase": (ADMINS, ["POST"]),
    "/admin/audit/": (ADMINS, ["GET"]),
    "/admin/audit/export.csv": (ADMINS, ["GET"]),
    "/admin/pages/<slug>": (ADMINS, ["GET", "POST"]),
    # Answering: every link carries its own secret; checked by tests/surveys.
    "/s/i/<token>": (PUBLIC, []),
    "/s/i/<token>/saved": (PUBLIC, []),
    "/s/p/<public_token>": (PUBLIC, []),
    "/s/r/<resume>": (PUBLIC, []),
    "/s/r/<resume>/saved": (PUBLIC, []),
    "/s/thanks/<int:round_id>": (PUBLIC, []),
    "/s/f/<token>": (PUBLIC, []),
    "/manage/panels/<int:panel_id>/surveys/": (OFFICIALS, ["GET"]),
    "/manage/panels/<int:panel_id>/surveys/rounds/new": (OFFICIALS, ["GET", "POST"]),
    "/manage/panels/<int:panel_id>/surveys/rounds/<int:round_id>": (OFFICIALS, ["GET"]),
    "/manage/panels/<int:panel_id>/surveys/rounds/<int:round_id>/state": (
        OFFICIALS,
        ["POST"],
    ),
    "/manage/panels/<int:panel_id>/surveys/rounds/<int:round_id>/entry": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/panels/<int:panel_id>/surveys/rounds/<int:round_id>/texts": (
        OFFICIALS,
        ["GET"],
    ),
    "/manage/panels/<int:panel_id>/surveys/rounds/<int:round_id>/texts/<int:answer_id>": (
        OFFICIALS,
        ["POST"],
    ),
    "/manage/panels/<int:panel_id>/surveys/rounds/<int:round_id>/publication": (
        OFFICIALS,
        ["GET"],
    ),
    "/manage/panels/<int:panel_id>/surveys/rounds/<int:round_id>/publish": (
        OFFICIALS,
        ["POST"],
    ),
    "/manage/panels/<int:panel_id>/surveys/rounds/<int:round_id>/follow-ups": (
        OFFICIALS,
        ["POST"],
    ),
    "/manage/panels/<int:panel_id>/surveys/series": (OFFICIALS, ["POST"]),
    "/manage/panels/<int:panel_id>/surveys/series/<int:series_id>": (
        OFFICIALS,
        ["POST"],
    ),
    "/manage/panels/<int:panel_id>/surveys/pool": (OFFICIALS, ["GET"]),
    "/manage/panels/<int:panel_id>/surveys/pool/<int:opt_in_id>/withdraw": (
        OFFICIALS,
        ["POST"],
    ),
    "/manage/panels/<int:panel_id>/surveys/fast": (OFFICIALS, ["GET", "POST"]),
    "/manage/panels/<int:panel_id>/surveys/fast/<int:point_id>/deactivate": (
        OFFICIALS,
        ["POST"],
    ),
    "/manage/panels/<int:panel_id>/surveys/fast/<int:point_id>/print": (
        OFFICIALS,
        ["GET"],
    ),
    "/manage/surveys/": (OFFICIALS, ["GET"]),
    "/manage/surveys/questions": (OFFICIALS, ["GET"]),
    "/manage/surveys/questions/new": (OFFICIALS, ["GET", "POST"]),
    "/manage/surveys/questions/<int:question_id>": (OFFICIALS, ["GET", "POST"]),
    "/manage/surveys/new": (OFFICIALS, ["GET", "POST"]),
    "/manage/surveys/<int:questionnaire_id>": (OFFICIALS, ["GET", "POST"]),
    "/manage/surveys/<int:questionnaire_id>/items": (OFFICIALS, ["POST"]),
    "/manage/surveys/<int:questionnaire_id>/items/<int:item_id>": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/surveys/<int:questionnaire_id>/items/<int:item_id>/change": (
        OFFICIALS,
        ["POST"],
    ),
    "/manage/surveys/<int:questionnaire_id>/preview": (OFFICIALS, ["GET"]),
    # Results: officials also see unpublished rounds; the world's round is one.
    "/results/rounds/<int:round_id>": (PUBLIC, []),
    "/results/rounds/<int:round_id>/aggregates.<fmt>": (PUBLIC, []),
    "/results/rounds/<int:round_id>/responses.<fmt>": (OFFICIALS, ["GET"]),
    "/results/questions/<int:question_id>": (PUBLIC, ["GET"]),
    "/results/panels/<int:panel_id>": (PUBLIC, ["GET"]),
    "/results/panels/<int:panel_id>/report/<int:year>": (PUBLIC, []),
    "/results/panels/<int:panel_id>/report/<int:year>.pdf": (PUBLIC, []),
    "/api/v1/rounds": (PUBLIC, ["GET"]),
    "/api/v1/rounds/<int:round_id>": (PUBLIC, []),
    "/api/v1/questions/<int:question_id>/trend": (PUBLIC, ["GET"]),
    "/api/v1/openapi.json": (PUBLIC, ["GET"]),
    # Live rooms: the calendar, summaries and ideas are public; the room page is for
    # invited people (checked inside, 403 for others: tests/rooms/test_views.py).
    "/sessions/": (PUBLIC, ["GET"]),
    "/sessions/<int:session_id>/summary": (PUBLIC, ["GET"]),
    "/sessions/panels/<int:panel_id>/ideas": (PUBLIC, ["GET"]),
    "/sessions/<int:session_id>": (SIGNED_IN, []),
    "/sessions/<int:session_id>/rules": (SIGNED_IN, []),
    "/sessions/<int:session_id>/messages": (SIGNED_IN, []),
    # Also the panel's own moderators: test_panel_moderators_manage_their_own_sessions.
    "/manage/panels/<int:panel_id>/sessions/": (OFFICIALS, ["GET"]),
    "/manage/panels/<int:panel_id>/sessions/new": (OFFICIALS, ["GET", "POST"]),
    "/manage/panels/<int:panel_id>/sessions/<int:session_id>": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/panels/<int:panel_id>/sessions/<int:session_id>/agenda": (
        OFFICIALS,
        ["POST"],
    ),
    "/manage/panels/<int:panel_id>/sessions/<int:session_id>/agenda/<int:agenda_item_id>": (
        OFFICIALS,
        ["POST"],
    ),
    "/manage/panels/<int:panel_id>/sessions/<int:session_id>/guests": (
        OFFICIALS,
        ["POST"],
    ),
    "/manage/panels/<int:panel_id>/sessions/<int:session_id>/summary": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/panels/<int:panel_id>/sessions/<int:session_id>/transcript.csv": (
        OFFICIALS,
        ["GET"],
    ),
    "/manage/panels/<int:panel_id>/sessions/<int:session_id>/transcript.txt": (
        OFFICIALS,
        ["GET"],
    ),
    "/manage/panels/<int:panel_id>/sessions/<int:session_id>/log": (
        OFFICIALS,
        ["GET"],
    ),
    "/manage/panels/<int:panel_id>/sessions/ideas": (OFFICIALS, ["GET"]),
    "/manage/panels/<int:panel_id>/sessions/ideas/<int:idea_id>": (
        OFFICIALS,
        ["POST"],
    ),
    # Participatory budgeting, officials and the council (tests/budgeting/).
    "/manage/pb/": (OFFICIALS, ["GET"]),
    "/manage/pb/new": (OFFICIALS, ["GET", "POST"]),
    "/manage/pb/<int:process_id>": (OFFICIALS, ["GET"]),
    "/manage/pb/<int:process_id>/edit": (OFFICIALS, ["GET", "POST"]),
    "/manage/pb/<int:process_id>/phase": (OFFICIALS, ["POST"]),
    "/manage/pb/<int:process_id>/areas/new": (OFFICIALS, ["GET", "POST"]),
    "/manage/pb/<int:process_id>/areas/<int:area_id>": (OFFICIALS, ["GET", "POST"]),
    "/manage/pb/<int:process_id>/areas/<int:area_id>/codes": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/pb/<int:process_id>/areas/<int:area_id>/codes/print": (
        OFFICIALS,
        ["GET"],
    ),
    "/manage/pb/<int:process_id>/areas/<int:area_id>/paper": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/pb/<int:process_id>/projects/new": (OFFICIALS, ["GET", "POST"]),
    "/manage/pb/<int:process_id>/projects/<int:project_id>": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/pb/<int:process_id>/projects/<int:project_id>/updates": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/pb/<int:process_id>/proposals": (OFFICIALS, ["GET"]),
    "/manage/pb/<int:process_id>/proposals/<int:proposal_id>": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/pb/<int:process_id>/comments/<int:comment_id>/hide": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/pb/<int:process_id>/areas/<int:area_id>/representatives": (
        OFFICIALS,
        ["GET", "POST"],
    ),
    "/manage/pb/<int:process_id>/areas/<int:area_id>/representatives/<int:user_id>/remove": (  # noqa: E501
        OFFICIALS,
        ["POST"],
    ),
    "/council/pb/<int:process_id>": (COUNCIL, ["GET"]),
    "/council/pb/<int:process_id>/projects/<int:project_id>/drop": (
        COUNCIL,
        ["POST"],
    ),
    "/council/pb/<int:process_id>/reject": (COUNCIL, ["POST"]),
    "/council/pb/<int:process_id>/lock": (COUNCIL, ["POST"]),
    # Results and the report are public once voting has closed (the world's
    # process is in the council phase; tests/budgeting/test_results.py).
    "/pb/<int:process_id>/results": (PUBLIC, ["GET"]),
    "/pb/<int:process_id>/results/projects.<fmt>": (PUBLIC, []),
    "/pb/<int:process_id>/report": (PUBLIC, ["GET"]),
    "/pb/<int:process_id>/report.pdf": (PUBLIC, ["GET"]),
    "/pb/<int:process_id>/report.csv": (PUBLIC, ["GET"]),
    "/api/v1/pb/processes": (PUBLIC, ["GET"]),
    "/api/v1/pb/processes/<int:process_id>": (PUBLIC, ["GET"]),
    "/pb/follow-up/<int:process_id>": (PUBLIC, ["GET"]),
    # Only the area's representatives comment (tests/budgeting/test_proposals.py).
    "/pb/follow-up/<int:process_id>/projects/<int:project_id>": (PUBLIC, ["GET"]),
    # What became of it: public per panel and process, one's own page (tests/outcomes).
    "/panels/<int:panel_id>/outcomes": (PUBLIC, ["GET"]),
    "/panels/<int:panel_id>/outcomes.atom": (PUBLIC, ["GET"]),
    "/pb/<int:process_id>/outcomes": (PUBLIC, ["GET"]),
    "/pb/<int:process_id>/outcomes.atom": (PUBLIC, ["GET"]),
    "/my/outcomes": (SIGNED_IN, ["GET"]),
}


def test_every_route_is_in_the_table(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert rules == set(ACCESS), "classify new routes in ACCESS"


@pytest.fixture
def world(create_user):
    """One of everything the parametrised rules point at."""
    organisation = Organisation(slug="org", name={"fi": "Org"})
    unit = Unit(organisation=organisation, name={"fi": "Yksikkö"})
    panel = Panel(unit=unit, name={"fi": "Raati"})
    member = create_user(Role.RESIDENT)
    membership = Membership(panel=panel, user=member)
    db.session.add_all([organisation, unit, panel, membership])
    db.session.commit()
    return {
        "<token>": "x",
        "<int:panel_id>": panel.id,
        "<int:organisation_id>": organisation.id,
        "<int:unit_id>": unit.id,
        "<int:membership_id>": membership.id,
        "<int:user_id>": member.id,
        "<slug>": "privacy",
        **_survey_world(panel),
        **_rooms_world(panel),
        **_budgeting_world(),
    }


def _survey_world(panel) -> dict:
    """An open round with a free-text answer, a series, an opt-in and a fast point."""
    templates = ensure_builtin_templates()
    now = utcnow()
    round_ = surveys.schedule_round(
        templates[SELF_EVALUATION], now, now + timedelta(days=7), panel=panel
    )
    surveys.open_round(round_, now)
    response = Response(round_id=round_.id, language="fi", submitted_on=now.date())
    question_id = round_.questionnaire.items[0].question_id
    answer = Answer(round_id=round_.id, question_id=question_id, text="Hyvä")
    response.answers.append(answer)
    series = MonthlySeries(panel=panel, questionnaire=templates[SELF_EVALUATION])
    opt_in = OptIn(
        panel_id=panel.id, deeper_surveys=True, consent_version="1", language="fi"
    )
    point = FastFeedbackPoint(
        unit_id=panel.unit_id,
        token="point",
        questionnaire_id=templates[FAST_FEEDBACK].id,
    )
    db.session.add_all([response, series, opt_in, point])
    db.session.commit()
    return {
        "<int:round_id>": round_.id,
        "<int:answer_id>": answer.id,
        "<int:series_id>": series.id,
        "<int:opt_in_id>": opt_in.id,
        "<int:point_id>": point.id,
        "<int:questionnaire_id>": round_.questionnaire_id,
        "<int:item_id>": round_.questionnaire.items[0].id,
        "<int:question_id>": question_id,
    }


def _rooms_world(panel) -> dict:
    """A session with an agenda item, an idea and a published summary."""
    now = utcnow()
    session = rooms.schedule_session(
        panel,
        title={"fi": "Tapaaminen"},
        starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=5, hours=2),
        now=now,
        agenda=[{"fi": "Kuulumiset"}],
    )
    idea = rooms.make_idea(session, "Idea", now=now)
    session.summary, session.summary_sent_at = {"fi": "Yhteenveto"}, now
    db.session.commit()
    return {
        "<int:session_id>": session.id,
        "<int:agenda_item_id>": session.agenda[0].id,
        "<int:idea_id>": idea.id,
    }


def _budgeting_world() -> dict:
    """A process in the council phase with an area and a funded project."""
    process = Process(
        year=2026, title={"fi": "Osbu"}, total_budget=1000, phase=Phase.COUNCIL
    )
    area = Area(process=process, name={"fi": "Alue"}, budget=1000)
    db.session.add_all([process, area])
    db.session.flush()
    project = Project(
        process_id=process.id,
        area_id=area.id,
        external_id="1",
        title={"fi": "Hanke"},
        cost=100,
        status=ProjectStatus.FUNDED,
    )
    db.session.add(project)
    db.session.flush()
    proposal = Proposal(
        process_id=process.id,
        area_id=area.id,
        title="Idea",
        description="...",
        project_id=project.id,
        status=ProposalStatus.LINKED,
    )
    db.session.add(proposal)
    db.session.flush()
    comment = Comment(proposal_id=proposal.id, body="Good")
    db.session.add(comment)
    db.session.commit()
    return {
        "<int:process_id>": process.id,
        "<int:area_id>": area.id,
        "<int:project_id>": project.id,
        "<int:proposal_id>": proposal.id,
        "<int:comment_id>": comment.id,
    }


def concrete(rule: str, world: dict) -> str:
    for placeholder, value in world.items():
        rule = rule.replace(placeholder, str(value))
    return rule


ROUTES = [
    (rule, method)
    for rule, (allowed, methods) in ACCESS.items()
    if allowed is not PUBLIC
    for method in methods
]


@pytest.fixture
def database_url(sqlite_url):
    """Who may use a route is decided in Python, the same on every database."""
    return sqlite_url


@pytest.fixture
def people(create_user) -> dict:
    return {role: create_user(role) for role in Role}


@pytest.mark.parametrize(("rule", "method"), ROUTES)
def test_route_lets_in_exactly_the_roles_allowed(app, people, world, rule, method):
    allowed = ACCESS[rule][0]
    path = concrete(rule, world)
    anonymous = app.test_client().open(path, method=method, data={})
    assert anonymous.status_code == 302
    assert "/sign-in" in anonymous.headers["Location"]
    for role, person in people.items():
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = str(person.id), True
        status = client.open(path, method=method, data={}).status_code
        if allowed == SIGNED_IN or role in allowed:
            # 409: an earlier allowed role already did what the route does (e.g. lock).
            assert status in (200, 302, 400, 409), (role, status)
        else:
            assert status == 403, (role, status)


@pytest.mark.parametrize(
    "rule", [r for r, (a, m) in ACCESS.items() if a is PUBLIC and m]
)
def test_public_pages_open_for_everyone(client, world, rule):
    assert client.get(concrete(rule, world)).status_code == 200


def test_panel_moderators_manage_their_own_sessions(client, create_user, login, world):
    """A panel moderator runs the sessions of their panel, and only of their panel."""
    own = db.session.get(Panel, world["<int:panel_id>"])
    other = Panel(unit_id=own.unit_id, name={"fi": "Toinen raati"})
    moderator = create_user(Role.MODERATOR)
    db.session.add_all(
        [other, Membership(panel=own, user=moderator, role=PanelRole.MODERATOR)]
    )
    db.session.commit()
    login(moderator)
    session_id = world["<int:session_id>"]
    for path in ["/", "/new", f"/{session_id}", f"/{session_id}/log", "/ideas"]:
        assert client.get(f"/manage/panels/{own.id}/sessions{path}").status_code == 200
    assert client.get(f"/manage/panels/{other.id}/sessions/").status_code == 403
    # Another panel's session is not reachable through one's own panel either.
    elsewhere = rooms.schedule_session(
        other,
        title={"fi": "Muu"},
        starts_at=utcnow() + timedelta(days=5),
        ends_at=utcnow() + timedelta(days=5, hours=1),
        now=utcnow(),
    )
    db.session.commit()
    assert (
        client.get(f"/manage/panels/{own.id}/sessions/{elsewhere.id}").status_code
        == 404
    )
