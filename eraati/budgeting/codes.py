"""Vote codes for mailing (CSV and printable sheets) and paper ballots keyed in by staff."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, session

from eraati.budgeting import voting
from eraati.budgeting.models import Area, PaperBallotEntry, Process
from eraati.core.time import utcnow
from eraati.core.urls import public_url
from eraati.extensions import db

#: The session is a signed cookie (about 4 kB): this many codes fit for the print page.
MAX_BATCH = 250
_PRINT_KEY = "pb_print_codes"


def vote_url(process: Process, code: str) -> str:
    """The public vote page with the code filled in (what each QR code opens)."""
    return public_url("budgeting.start", process_id=process.id, code=code)


def generate_for_print(process: Process, area: Area, count: int) -> list[str]:
    """New codes; kept in the session only until the print page shows them once."""
    codes = voting.generate_codes(process, area, count)
    session[_PRINT_KEY] = {"area_id": area.id, "codes": codes}
    return codes


def take_print_codes(area: Area) -> list[str]:
    """The codes of the last batch for this area, forgotten as they are read."""
    stored = session.get(_PRINT_KEY)
    if not stored or stored.get("area_id") != area.id:
        return []
    session.pop(_PRINT_KEY)
    return list(stored["codes"])


def codes_csv(process: Process, area: Area, codes: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["area", "code", "url"])
    name = next(iter(area.name.values()), "")
    writer.writerows([name, code, vote_url(process, code)] for code in codes)
    return out.getvalue()


class PaperVerifier:
    """Staff key in a paper ballot: the area is the one printed on the paper.

    Eligibility was checked where the paper was handed out; the audit row says who
    keyed a ballot in and on which day, and has no link to the ballot it produced.
    """

    def __init__(self, area_id: int, entered_by_id: int | None = None, on=None):
        self._area_id = area_id
        self._entered_by_id = entered_by_id
        self._on = on

    def area_id(self, process: Process) -> int:
        return self._area_id

    def claim(self, process: Process) -> None:
        zone = ZoneInfo(current_app.config["TIMEZONE"])
        db.session.add(
            PaperBallotEntry(
                process_id=process.id,
                area_id=self._area_id,
                entered_by_id=self._entered_by_id,
                entered_on=self._on or utcnow().astimezone(zone).date(),
            )
        )


def cast_paper(process: Process, area: Area, choices, user_id: int, now: datetime):
    """Store a keyed-in paper ballot with its audit row (one transaction)."""
    verifier = PaperVerifier(area.id, user_id)
    ballot, _ = voting.cast_ballot(process, verifier, choices, now, paper=True)
    return ballot
