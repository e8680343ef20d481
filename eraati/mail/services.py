"""Outgoing mail in the recipient's language, plain text and HTML, with a mail log."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

from eraati.extensions import db
from eraati.mail.models import MailLog, MailStatus


def send_mail(
    recipient: str, template: str, language: str, subject, **context
) -> MailLog:
    """Render ``templates/email/<template>.{txt,html}`` in ``language`` and send it.

    ``subject`` is a lazy string, translated here under the recipient's language.
    Without SMTP configured the mail goes to the console (the demo's way to sign in).
    The log row is flushed, not committed: the caller's transaction decides.
    """
    subject_text, text_body, html_body = render_mail(
        template, language, subject, **context
    )
    message = _build_message(recipient, subject_text, text_body, html_body, language)
    if context.get("unsubscribe_url"):
        # RFC 8058: mail programs offer a one-click "unsubscribe" button.
        message["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    status, error = _hand_over(message, text_body)
    log = MailLog(
        recipient=recipient,
        template=template,
        language=language,
        subject=subject_text,
        status=status,
        error=error,
    )
    db.session.add(log)
    db.session.flush()
    return log


def send_unlogged(recipient: str, template: str, language: str, subject) -> bool:
    """Send a mail that must leave no trace here (an erasure's confirmation): no log
    row, and no unsubscribe link, since nothing is left to unsubscribe from.
    True when it was handed to SMTP (or to the console without SMTP)."""
    subject_text, text_body, html_body = render_mail(template, language, subject)
    message = _build_message(recipient, subject_text, text_body, html_body, language)
    status, _error = _hand_over(message, text_body)
    return status is not MailStatus.FAILED


def _hand_over(message: EmailMessage, text_body: str) -> tuple[MailStatus, str | None]:
    """Give the mail to SMTP, or to the console without SMTP; the error if it failed.
    (What is logged names no address.)"""
    if not current_app.config["SMTP_HOST"]:
        _print_to_console(message, text_body)
        return MailStatus.LOGGED, None
    try:
        _deliver(message)
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.error("mail to SMTP failed: %s", error)
        return MailStatus.FAILED, str(error)[:2000]
    return MailStatus.SENT, None


def render_mail(
    template: str, language: str, subject, **context
) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a mail in ``language``.

    With ``unsubscribe_url`` in the context, the text part ends with the notice
    footer (the HTML layout shows it by itself).
    """
    with force_locale(language):
        subject_text = str(subject)
        context = {"subject": subject_text, "language": language, **context}
        text_body = render_template(f"email/{template}.txt", **context)
        if context.get("unsubscribe_url"):
            text_body += render_template("email/_footer.txt", **context)
        html_body = render_template(f"email/{template}.html", **context)
    return subject_text, text_body, html_body


def _build_message(recipient, subject, text_body, html_body, language) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = recipient
    message["Message-ID"] = make_msgid(domain="eraati.invalid")
    message.set_content(text_body)
    message.add_alternative(html_body, subtype="html")
    # After set_content, which drops Content-* headers set before it.
    message["Content-Language"] = language
    return message


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(
        config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=config["SMTP_TIMEOUT"]
    ) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(message)


def _print_to_console(message: EmailMessage, text_body: str) -> None:
    current_app.logger.info(
        "mail (no SMTP configured) to %s: %s", message["To"], message["Subject"]
    )
    print(
        f"\n--- mail to {message['To']}: {message['Subject']} ---\n{text_body}\n---",
        file=sys.stderr,
        flush=True,
    )
