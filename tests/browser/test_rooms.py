"""A live session in two real browsers: a moderator in Finnish, a resident in Swedish.

Both are phones (Chromium, 360 px) connected over Socket.IO to the live server. The
resident raises a hand, the moderator turns on floor mode and gives the floor, the
resident posts, the moderator hides the message with a reason and it disappears on
both phones. Every state is checked with axe. The script's words come from the
page's own #live-texts, so checks compare against them instead of hard-coding a
translation.
"""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from eraati.accounts.models import Role
from eraati.accounts.services import create_user
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Membership, Organisation, Panel, PanelRole, Unit
from eraati.rooms import services
from eraati.rooms.models import Message, MessageKind
from eraati.rooms.rules import SessionStatus
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

#: Script on discussion pages, gzipped (docs: ecosystem §5.5), socket.io client included.
SCRIPT_BUDGET = 60 * 1024
RESIDENT_TEXT = "Hej alla! Väntetiden till rådgivningen är för lång."
REASON = "Sidospår"


class Room:
    def __init__(self, session_id: int, moderator_id: int, resident_id: int):
        self.session_id = session_id
        self.moderator_id = moderator_id
        self.resident_id = resident_id

    @property
    def path(self) -> str:
        return f"/sessions/{self.session_id}"


@pytest.fixture
def room(live_server):
    """An open session of a panel with a moderator (fi) and a resident (sv)."""
    with live_server.app.app_context():
        panel = Panel(
            unit=Unit(
                organisation=Organisation(slug="hva", name={"fi": "Hva", "sv": "Vo"}),
                name={"fi": "Neuvola", "sv": "Rådgivningen"},
            ),
            name={"fi": "Neuvolaraati", "sv": "Rådgivningsrådet"},
        )
        moderator = create_user("mod@example.fi", Role.MODERATOR, "Maija", "fi")
        resident = create_user("vera@example.fi", Role.RESIDENT, "Vera", "sv")
        db.session.add_all(
            [
                Membership(panel=panel, user=moderator, role=PanelRole.MODERATOR),
                Membership(panel=panel, user=resident),
            ]
        )
        db.session.flush()
        now = utcnow()
        # Scheduled with full notice, then opened as if its time had come.
        session = services.schedule_session(
            panel,
            title={"fi": "Kuukausitapaaminen", "sv": "Månadsmöte"},
            starts_at=now + timedelta(days=4),
            ends_at=now + timedelta(days=4, hours=2),
            now=now,
            agenda=[{"fi": "Odotusajat", "sv": "Väntetider"}],
        )
        session.status = SessionStatus.OPEN
        for user in (moderator, resident):
            services.accept_rules(panel.id, user.id, now)
        db.session.commit()
        return Room(session.id, moderator.id, resident.id)


def signed_in_phone(browser, live_server, user_id: int):
    """A phone of its own (cookies apart) with the person's session cookie set."""
    app = live_server.app
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": str(user_id), "_fresh": True}
    )
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.add_cookies(
        [
            {
                "name": app.config["SESSION_COOKIE_NAME"],
                "value": cookie,
                "url": live_server.url,
            }
        ]
    )
    return context


def text(page, key: str) -> str:
    """One of the script's words, as this page's language gives it."""
    return page.locator("#live-texts").get_attribute(f"data-{key}")


def open_room(context, room: Room, language: str):
    page = context.new_page()
    # Script errors (a CSP refusal included) and the sockets opened, for the end.
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on(
        "console",
        lambda line: page.problems.append(line.text) if line.type == "error" else None,
    )
    page.sockets = []
    page.on("websocket", lambda socket: page.sockets.append(socket.url))
    page.loaded = []
    page.on("response", lambda response: page.loaded.append(response))
    page.goto(room.path, wait_until="load")
    expect(page.locator("html")).to_have_attribute("lang", language)
    # The script took over: the live controls show and the socket has joined.
    expect(page.locator("#live")).to_be_visible()
    expect(page.locator("[role=log] > #transcript")).to_have_count(1)
    expect(page.locator("#connection")).to_have_text(text(page, "connected"))
    return page


def gzipped(page, kind: str) -> int:
    """Bytes of the page's ``kind`` ("script", "stylesheet") files, gzipped."""
    return sum(
        len(gzip.compress(response.body()))
        for response in page.loaded
        if response.request.resource_type == kind
    )


def sideways(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_moderator_and_resident_share_a_live_session(
    browser, live_server, room, check_a11y
):
    moderator_phone = signed_in_phone(browser, live_server, room.moderator_id)
    resident_phone = signed_in_phone(browser, live_server, room.resident_id)
    try:
        moderator = open_room(moderator_phone, room, "fi")
        resident = open_room(resident_phone, room, "sv")
        expect(moderator.locator("#moderation")).to_be_visible()
        expect(resident.locator("#moderation")).to_be_hidden()
        expect(moderator.locator("#presence")).to_have_text("2")
        assert 0 < gzipped(moderator, "script") < SCRIPT_BUDGET
        check_a11y(moderator)
        check_a11y(resident)

        # The resident raises a hand; the moderator sees it in the queue.
        hand = resident.locator("#hand")
        hand.click()
        expect(hand).to_have_text(text(resident, "lower"))
        queued = moderator.locator("#queue li")
        expect(queued).to_have_count(1)
        expect(queued.first).to_contain_text("Vera")
        expect(moderator.locator("#people")).to_contain_text("Vera")

        # Floor mode: only the floor holder writes; the resident is told so.
        moderator.locator("#floor-mode").check()
        expect(resident.locator("#floor-hint")).to_be_visible()
        check_a11y(moderator)

        # The moderator gives the floor from the queue.
        queued.first.locator("button[data-moderate=give_floor]").click()
        expect(resident.locator("#floor")).to_have_text(text(resident, "floor-you"))
        expect(resident.locator("#floor-hint")).to_be_hidden()
        expect(hand).to_have_text(text(resident, "raise"))
        expect(moderator.locator("#queue li")).to_have_count(0)
        # The floor notice is worded in the reader's own language (Swedish here).
        floor_notice = text(resident, "notice-floor").replace("%(name)s", "Vera")
        expect(resident.locator("#transcript .is-notice").last).to_contain_text(
            floor_notice
        )

        # The resident posts; it reaches both phones once.
        resident.locator("#body").fill(RESIDENT_TEXT)
        resident.locator("#composer button[type=submit]").click()
        expect(resident.locator("#body")).to_have_value("")
        posted = resident.locator("#transcript .message.is-own")
        expect(posted).to_have_count(1)
        expect(posted).to_contain_text(RESIDENT_TEXT)
        seen = moderator.locator("#transcript .message", has_text=RESIDENT_TEXT)
        expect(seen).to_have_count(1)
        message = moderator.locator("#m-" + seen.get_attribute("data-id"))
        check_a11y(resident)

        # The moderator hides it with a reason, through the message's actions.
        message.locator("summary").click()
        message.locator("button[data-act=hide]").click()
        dialog = moderator.locator("#live-dialog")
        expect(dialog).to_be_visible()
        expect(moderator.locator("#dialog-input")).to_be_focused()
        check_a11y(moderator)
        moderator.locator("#dialog-input").fill(REASON)
        moderator.locator("#dialog-ok").click()
        expect(dialog).to_be_hidden()

        # Gone on both phones; the reason is shown instead.
        for page in (moderator, resident):
            expect(page.locator("#transcript")).not_to_contain_text(RESIDENT_TEXT)
            expect(page.locator("#transcript .is-hidden")).to_contain_text(REASON)
        # Focus went back to the message's menu, where the button now restores.
        expect(message.locator("button[data-act=restore]")).to_be_focused()
        check_a11y(moderator)
        check_a11y(resident)

        for page in (moderator, resident):
            # The narrowest phone: nothing scrolls sideways, moderator panel included.
            page.set_viewport_size({"width": 320, "height": 640})
            assert sideways(page) <= 0
            assert page.problems == []
            # Over a WebSocket, even under the threaded Werkzeug server.
            assert any("/socket.io/" in url for url in page.sockets), page.sockets
        with live_server.app.app_context():
            stored = db.session.query(Message).filter_by(kind=MessageKind.MESSAGE).all()
            assert [(m.body, m.hidden, m.hidden_reason) for m in stored] == [
                (RESIDENT_TEXT, True, REASON)
            ]
    finally:
        moderator_phone.close()
        resident_phone.close()
