"""Mail without SMTP goes to the console and the log; SMTP failures are logged."""

from __future__ import annotations

import pytest
from flask_babel import lazy_gettext as _l

from eraati.mail.models import MailLog, MailStatus
from eraati.mail.services import send_mail
from tests.conftest import free_port


def test_without_smtp_the_mail_is_printed_and_logged(app, capsys):
    with app.test_request_context():
        send_mail(
            "a@example.fi",
            "sign_in",
            "sv",
            _l("Your sign-in link to eRaati"),
            link="http://localhost/x",
            minutes=30,
        )
    printed = capsys.readouterr().err
    assert "a@example.fi" in printed and "http://localhost/x" in printed
    assert "Öppna den här länken" in printed
    log = MailLog.query.one()
    assert (log.status, log.language) == (MailStatus.LOGGED, "sv")


@pytest.mark.parametrize(
    "app_config",
    [{"SMTP_HOST": "127.0.0.1", "SMTP_PORT": free_port(), "SMTP_TIMEOUT": 2}],
)
def test_unreachable_smtp_is_logged_as_failed_not_raised(app):
    with app.test_request_context():
        log = send_mail(
            "a@example.fi",
            "sign_in",
            "fi",
            _l("Your sign-in link to eRaati"),
            link="http://localhost/x",
            minutes=30,
        )
    assert log.status is MailStatus.FAILED and log.error
