"""The consent texts people are shown, with their versions.

Change a text → raise its version, so the log shows which wording a person agreed to.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from eraati.accounts.models import ConsentPurpose


@dataclass(frozen=True)
class ConsentText:
    purpose: ConsentPurpose
    version: str
    label: object  # lazy string
    text: object  # lazy string


CONSENT_TEXTS = {
    ConsentPurpose.DEEPER_SURVEYS: ConsentText(
        ConsentPurpose.DEEPER_SURVEYS,
        "2026-11-1",
        _l("Invite me to deeper questionnaires"),
        _l(
            "You may send me invitations to longer questionnaires that go deeper into "
            "a topic. My contact details are kept apart from my answers. I can "
            "withdraw this at any time on my profile page."
        ),
    ),
    ConsentPurpose.LIVE_SESSIONS: ConsentText(
        ConsentPurpose.LIVE_SESSIONS,
        "2026-11-1",
        _l("Invite me to live sessions"),
        _l(
            "You may invite me to live panel sessions, held online or face to face. "
            "I decide each time whether I come. I can withdraw this at any time on "
            "my profile page."
        ),
    ),
}
