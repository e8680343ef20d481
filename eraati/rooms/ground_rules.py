"""The panels' ground rules (seed 001), shown in every room and accepted once per panel.

Changing the wording means bumping ``services.GROUND_RULES_VERSION`` so that everyone
reads and accepts the new rules once.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

GROUND_RULES = (
    _l("Keep your turns short."),
    _l(
        "The discussion leader gives turns fairly, so that everyone gets a chance "
        "to speak."
    ),
    _l("Talk about your own health only at a general level, not in detail."),
    _l("Respect the other members. Be open to new ideas."),
    _l("You get information about a meeting at the latest three days before it."),
    _l("After the meeting, everyone gets a short summary of it."),
)
