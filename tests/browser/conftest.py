"""A live eRaati on a loopback port, Debian's Chromium as a phone, axe and mail helpers.

The live server is built once per session on SQLite with CSRF on (the real thing) and
its mail going to a real SMTP server (aiosmtpd); tables and the inbox are emptied
between tests. Playwright's own browsers are never downloaded: the system Chromium is
launched instead.
"""

from __future__ import annotations

import logging
import re
import threading

import pytest
from aiosmtpd.controller import Controller
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from eraati import create_app
from tests.conftest import (
    SmtpInbox,
    empty_all_tables,
    free_port,
    make_test_config,
    migrate_once,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-GB",
}
#: WCAG 2.0, 2.1 and 2.2 level A and AA rules of axe-core.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in ``page.goto`` go to the live server.

    (This also replaces pytest-playwright's fallback fixture, a class method that
    pytest 9 warns about.)
    """
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE}


@pytest.fixture(scope="session")
def live_inbox():
    """A real SMTP server for the whole session; emptied before each test."""
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


class LiveServer:
    def __init__(self, app, url: str):
        self.app = app
        self.url = url


@pytest.fixture(scope="session")
def live_server(sqlite_url, instance_path, live_inbox):
    """eRaati served by Werkzeug in a daemon thread, as a browser would meet it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(
        make_test_config(
            sqlite_url,
            instance_path,
            WTF_CSRF_ENABLED=True,
            RATELIMIT_ENABLED=False,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=live_inbox.port,
            PUBLIC_BASE_URL=url,
        )
    )
    migrate_once(app)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, url)
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture(autouse=True)
def _fresh_state(live_server, live_inbox):
    live_inbox.messages.clear()
    yield
    empty_all_tables(live_server.app)


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def check_a11y(axe):
    """``check_a11y(page)``: no WCAG 2.x A/AA violations on the page as it is now."""

    def check(page) -> None:
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def sign_in_link(live_server, live_inbox):
    """The sign-in link from the one mail received (it starts with PUBLIC_BASE_URL)."""

    def link() -> str:
        body = live_inbox.text_of(live_inbox.only())
        pattern = re.escape(live_server.url) + r"/sign-in/link/[A-Za-z0-9_-]+"
        found = re.search(pattern, body)
        assert found, body
        return found.group(0)

    return link
