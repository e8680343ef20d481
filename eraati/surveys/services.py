"""Rounds, invitations, answering and opt-ins. Services flush; the caller commits."""

from __future__ import annotations

import functools
import hashlib
import hmac
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, insert, select, text, update

from eraati.accounts.models import ConsentPurpose, User
from eraati.audit import record
from eraati.extensions import db
from eraati.panels.models import Membership, Panel
from eraati.surveys import logic, snapshot
from eraati.surveys.models import (
    Answer,
    Audience,
    Channel,
    Invitation,
    OptIn,
    Questionnaire,
    Response,
    ResponseDraft,
    Round,
    RoundKind,
    RoundState,
    TextReview,
)

#: Non-responders are reminded this long before a round closes.
REMIND_BEFORE_CLOSE = timedelta(days=3)
#: Monthly rounds open at this local time on the first day of the month.
MONTHLY_OPENING_HOUR = 9


class SurveyError(Exception):
    """A request that cannot be carried out; ``code`` says why (translated by views)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def item_specs(questionnaire: Questionnaire) -> list[logic.ItemSpec]:
    """The rule-relevant view of a questionnaire's items, in answering order."""
    return [snapshot.spec_of(item) for item in questionnaire.items]


# --- Scheduling ------------------------------------------------------------------


def month_window(year: int, month: int, timezone: str) -> tuple[datetime, datetime]:
    """A monthly round's times: the 1st at 09:00 local until the month ends (local
    midnight). Wall-clock times, so the offset follows summer and winter time."""
    zone, utc = ZoneInfo(timezone), ZoneInfo("UTC")
    opens = datetime(year, month, 1, MONTHLY_OPENING_HOUR, tzinfo=zone)
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    closes = datetime(next_year, next_month, 1, tzinfo=zone)
    return opens.astimezone(utc), closes.astimezone(utc)


def schedule_round(
    questionnaire: Questionnaire,
    opens_at: datetime,
    closes_at: datetime,
    *,
    panel: Panel | None = None,
    unit_id: int | None = None,
    audience: Audience = Audience.MEMBERS,
    kind: RoundKind = RoundKind.SLOW,
    sample_size: int | None = None,
    title: dict[str, str] | None = None,
) -> Round:
    if closes_at <= opens_at:
        raise SurveyError("closes_before_opening")
    if audience is Audience.SAMPLE and not sample_size:
        raise SurveyError("sample_size_missing")
    if (
        audience in (Audience.MEMBERS, Audience.SAMPLE, Audience.OPT_IN)
        and panel is None
    ):
        raise SurveyError("panel_missing")
    problems = logic.condition_problems(item_specs(questionnaire))
    if problems:
        raise SurveyError("broken_conditions")
    remind_at = closes_at - REMIND_BEFORE_CLOSE
    round_ = Round(
        questionnaire=questionnaire,
        panel_id=panel.id if panel else None,
        unit_id=unit_id if unit_id is not None else panel.unit_id,
        audience=audience,
        kind=kind,
        sample_size=sample_size,
        title=title or {},
        state=RoundState.SCHEDULED,
        opens_at=opens_at,
        closes_at=closes_at,
        remind_at=remind_at if remind_at > opens_at else None,
        public_token=secrets.token_urlsafe(12) if audience is Audience.PUBLIC else None,
    )
    db.session.add(round_)
    db.session.flush()
    return round_


def open_round(round_: Round, now: datetime) -> Round:
    """Open a round (by the job at ``opens_at``, or by hand) and create invitations."""
    if round_.state is RoundState.OPEN:
        return round_
    if round_.state is RoundState.CLOSED:
        raise SurveyError("already_closed")
    round_.state = RoundState.OPEN
    record("survey.round_opened", round_)
    if round_.opens_at > now:
        round_.opens_at = now  # opened early by hand
    _create_invitations(round_)
    db.session.flush()
    return round_


def close_round(round_: Round, now: datetime) -> Round:
    if round_.state is RoundState.CLOSED:
        return round_
    round_.state = RoundState.CLOSED
    record("survey.round_closed", round_)
    if round_.closes_at > now:
        round_.closes_at = now
    db.session.query(ResponseDraft).filter(ResponseDraft.round_id == round_.id).delete()
    db.session.flush()
    return round_


def audience_users(round_: Round) -> list[User]:
    """Who is invited: members, a random sample of them, or the opt-in pool."""
    if round_.audience is Audience.PUBLIC or round_.panel_id is None:
        return []
    if round_.audience is Audience.OPT_IN:
        return list(
            db.session.scalars(
                select(User)
                .join(OptIn, OptIn.user_id == User.id)
                .where(
                    OptIn.panel_id == round_.panel_id,
                    OptIn.deeper_surveys.is_(True),
                    OptIn.withdrawn_at.is_(None),
                    User.is_active_account.is_(True),
                )
                .distinct()
                .order_by(User.id)
            )
        )
    members = list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.panel_id == round_.panel_id, User.is_active_account.is_(True)
            )
            .order_by(User.id)
        )
    )
    if round_.audience is Audience.SAMPLE:
        # Seeded by the round so that re-running the job draws the same people.
        picker = random.Random(f"round-{round_.id}")
        members = sorted(
            picker.sample(members, min(round_.sample_size, len(members))),
            key=lambda u: u.id,
        )
    return members


def _create_invitations(round_: Round) -> None:
    invited = set(
        db.session.scalars(
            select(Invitation.user_id).where(Invitation.round_id == round_.id)
        )
    )
    default = current_app.config["DEFAULT_LANGUAGE"]
    invitations = []
    for user in audience_users(round_):
        if user.id in invited:
            continue
        nonce = secrets.token_hex(16)
        invitations.append(
            Invitation(
                round_id=round_.id,
                user_id=user.id,
                nonce=nonce,
                language=user.preferred_language or default,
                token_hash=f"pending:{nonce}",  # the link needs the id: set below
            )
        )
    # Two flushes for the whole audience (ids come back from one multi-row INSERT),
    # not one per person: a county-wide panel has thousands of members.
    db.session.add_all(invitations)
    db.session.flush()
    for invitation in invitations:
        invitation.token_hash = _hash(invitation_token(invitation))


def invitation_token(invitation: Invitation) -> str:
    """The secret of an invitation link, derived so that reminders can repeat it."""
    key = current_app.config["SECRET_KEY"].encode()
    message = f"invitation:{invitation.id}:{invitation.nonce}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:43]


def find_invitation(token: str) -> Invitation:
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _hash(token))
    )
    if invitation is None:
        raise SurveyError("invalid_link")
    return invitation


# --- Answering -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoundWindow:
    """What answering needs of a round: its questionnaire and when it is open."""

    id: int
    questionnaire_id: int
    state: RoundState
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True, slots=True)
class InvitationLink:
    """What answering needs of an invitation: which one, and whether it was used."""

    id: int
    answered: bool


def invitation_for_answering(
    token: str,
) -> tuple[InvitationLink, RoundWindow, ResponseDraft | None]:
    """An invitation with its round and its draft (if any): every page opened or
    sent by an invitation link starts here.

    The invitation and the round come as plain values from one Core query: loading
    them as ORM entities cost a fifth of a respondent's whole exchange. Only a
    draft, which answering changes, is an entity (and only one exists once
    progress was saved on an earlier page).
    """
    row = (
        db.session.connection()
        .execute(_invitation_query(), {"token_hash": _hash(token)})
        .first()
    )
    if row is None:
        raise SurveyError("invalid_link")
    invitation_id, answered, draft_id, *window = row
    draft = None if draft_id is None else db.session.get(ResponseDraft, draft_id)
    return InvitationLink(invitation_id, answered), RoundWindow(*window), draft


# The statements of every answered page are built once (building one costs more than
# running it) and take their values as parameters.


@functools.cache
def _invitation_query():
    invitations = Invitation.__table__
    rounds = Round.__table__
    drafts = ResponseDraft.__table__
    return (
        select(
            invitations.c.id,
            invitations.c.answered,
            drafts.c.id,
            rounds.c.id,
            rounds.c.questionnaire_id,
            rounds.c.state,
            rounds.c.opens_at,
            rounds.c.closes_at,
        )
        .join_from(invitations, rounds, rounds.c.id == invitations.c.round_id)
        .outerjoin(drafts, drafts.c.invitation_id == invitations.c.id)
        .where(invitations.c.token_hash == bindparam("token_hash"))
    )


@functools.cache
def _draft_query():
    return (
        select(ResponseDraft, Round)
        .join(Round, Round.id == ResponseDraft.round_id)
        .where(ResponseDraft.resume_token_hash == bindparam("token_hash"))
    )


@functools.cache
def _claim_invitation():
    invitations = Invitation.__table__
    return (
        update(invitations)
        .where(
            invitations.c.id == bindparam("invitation_id"),
            invitations.c.answered.is_(False),
        )
        .values(answered=True)
    )


@functools.cache
def _insert_response():
    return insert(Response.__table__).returning(Response.__table__.c.id)


@functools.cache
def _insert_answers():
    # SQLite: the driver's executemany runs one prepared statement per row in C, with
    # no round trips to save (PostgreSQL uses _submit_statement).
    return insert(Answer.__table__)


def ensure_open(round_: Round | RoundWindow, now: datetime) -> None:
    if round_.state is not RoundState.OPEN or not (
        round_.opens_at <= now < round_.closes_at
    ):
        raise SurveyError(
            "closed"
            if round_.state is RoundState.CLOSED or now >= round_.closes_at
            else "not_open"
        )


def start_draft(
    round_: Round | RoundWindow,
    language: str,
    now: datetime,
    invitation: Invitation | InvitationLink | None = None,
) -> tuple[ResponseDraft, str]:
    """A new draft and the secret of its resume link; an invitation resumes its own."""
    if invitation is not None:
        if invitation.answered:
            raise SurveyError("already_answered")
        existing = db.session.scalar(
            select(ResponseDraft).where(ResponseDraft.invitation_id == invitation.id)
        )
        if existing is not None:
            token = secrets.token_urlsafe(24)
            existing.resume_token_hash = _hash(token)
            return existing, token
    token = secrets.token_urlsafe(24)
    draft = ResponseDraft(
        round_id=round_.id,
        resume_token_hash=_hash(token),
        invitation_id=invitation.id if invitation else None,
        answers={},
        page=1,
        language=language,
        updated_at=now,
    )
    db.session.add(draft)
    db.session.flush()
    return draft, token


def draft_for_answering(token: str) -> tuple[ResponseDraft, Round]:
    """A draft found by its resume link, with its round, in one query."""
    row = db.session.execute(_draft_query(), {"token_hash": _hash(token)}).first()
    if row is None:
        raise SurveyError("invalid_link")
    return tuple(row)


def draft_values(draft: ResponseDraft) -> dict[int, logic.Value]:
    """The draft's answers as rule values (JSON keeps keys as strings, numbers as text)."""
    values: dict[int, logic.Value] = {}
    for key, value in (draft.answers or {}).items():
        if isinstance(value, dict) and set(value) == {"number"}:
            values[int(key)] = Decimal(value["number"])
        else:
            values[int(key)] = value
    return values


def save_page(
    draft: ResponseDraft, checked: logic.Checked, page: int, now: datetime
) -> None:
    """Keep a page's valid answers in the draft (the rest stay as they were)."""
    stored = dict(draft.answers or {})
    for item_id, value in checked.values.items():
        stored[str(item_id)] = (
            {"number": str(value)} if isinstance(value, Decimal) else value
        )
    draft.answers = stored
    draft.page = page
    draft.updated_at = now


def forget_page_answers(draft: ResponseDraft, item_ids: list[int]) -> None:
    stored = dict(draft.answers or {})
    for item_id in item_ids:
        stored.pop(str(item_id), None)
    draft.answers = stored


def submit(
    round_: Round,
    values: dict[int, logic.Value],
    language: str,
    now: datetime,
    *,
    invitation_id: int | None = None,
    channel: Channel = Channel.ONLINE,
) -> int:
    """Store a complete response once (an invitation can be used only once) and
    return its id.

    The conditional UPDATE of the invitation is what makes two simultaneous
    submits count once. The rows are written with plain Core statements, as this
    is the submit hot path and nothing here needs ORM objects: on PostgreSQL all
    in one statement, on SQLite one after the other.
    """
    view = snapshot.questionnaire_view(round_.questionnaire_id)
    checked = logic.check_all(view.specs, values)
    if not checked.ok:
        raise SurveyError("incomplete")
    timezone = ZoneInfo(current_app.config["TIMEZONE"])
    response = {
        "round_id": round_.id,
        "channel": channel.value,
        "language": language,
        "submitted_on": now.astimezone(timezone).date(),
    }
    rows = [
        {**ANSWER_DEFAULTS, **row}
        for item_id, value in checked.values.items()
        for row in _answer_rows(round_.id, view.item(item_id), value)
    ]
    # Core statements run on the session's connection: the ORM has nothing to add.
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        response_id = _store_in_one_statement(connection, invitation_id, response, rows)
    else:
        response_id = _store_step_by_step(connection, invitation_id, response, rows)
    if response_id is None:
        raise SurveyError("already_answered")
    return response_id


def _store_step_by_step(connection, invitation_id, response, rows) -> int | None:
    """Claim the invitation, store the response, then all its answers (SQLite: the
    statements cost no round trips, and its driver loops the answers in C)."""
    if invitation_id is not None:
        claimed = connection.execute(
            _claim_invitation(), {"invitation_id": invitation_id}
        )
        if claimed.rowcount != 1:
            return None
    response_id = connection.execute(_insert_response(), response).scalar_one()
    if rows:  # (an all-optional questionnaire may be sent with nothing answered)
        connection.execute(
            _insert_answers(), [{**row, "response_id": response_id} for row in rows]
        )
    return response_id


def _store_in_one_statement(connection, invitation_id, response, rows) -> int | None:
    """PostgreSQL: claim, response and answers in one statement, one round trip
    instead of three. When the claim finds the invitation used, nothing is stored
    and no id comes back."""
    statement = _submit_statement(claim=invitation_id is not None)
    parameters = {
        **{f"response_{name}": value for name, value in response.items()},
        **_as_arrays(rows),
        "invitation_id": invitation_id,
    }
    return connection.execute(statement, parameters).scalar()


#: The answer columns filled from a submit, with their PostgreSQL types.
ANSWER_COLUMNS = {
    "round_id": "integer",
    "question_id": "integer",
    "option_key": "text",
    "row_key": "text",
    "number": "numeric",
    "text": "text",
    "text_review": "text",
    "text_published": "text",
}


@functools.cache
def _submit_statement(*, claim: bool):
    """PostgreSQL: data-modifying CTEs claim the invitation (when there is one),
    insert the response for it and the answers for that response.

    The answers come as one array per column, unnested into rows. A multi-row
    VALUES would have a parameter per answer and column: its text would change
    with the number of answers and be parsed again on every submit. This one has
    the same parameters whatever the count, so it is prepared once.
    """
    columns = ", ".join(ANSWER_COLUMNS)
    arrays = ", ".join(
        f"CAST(:{name} AS {kind}[])" for name, kind in ANSWER_COLUMNS.items()
    )
    values = (
        "CAST(:response_round_id AS integer), CAST(:response_channel AS varchar), "
        "CAST(:response_language AS varchar), CAST(:response_submitted_on AS date)"
    )
    claimed = (
        "claimed AS (UPDATE survey_invitations SET answered = true"
        " WHERE id = :invitation_id AND NOT answered RETURNING id), "
    )
    source = f"SELECT {values} FROM claimed" if claim else f"VALUES ({values})"
    return text(
        f"WITH {claimed if claim else ''}response AS ("
        " INSERT INTO survey_responses (round_id, channel, language, submitted_on)"
        f" {source} RETURNING id),"
        f" answers AS (INSERT INTO survey_answers (response_id, {columns})"
        f" SELECT response.id, answer.* FROM response, unnest({arrays}) AS answer)"
        " SELECT id FROM response"
    )


def _as_arrays(rows: list[dict]) -> dict[str, list]:
    arrays = {name: [row[name] for row in rows] for name in ANSWER_COLUMNS}
    arrays["text_review"] = [
        None if review is None else review.value for review in arrays["text_review"]
    ]
    return arrays


ANSWER_DEFAULTS = dict.fromkeys(
    ("option_key", "row_key", "number", "text", "text_review", "text_published")
)


def _answer_rows(round_id: int, item, value: logic.Value) -> list[dict]:
    base = {"round_id": round_id, "question_id": item.question_id}
    if isinstance(value, Decimal):
        return [{**base, "number": value}]
    if isinstance(value, dict):
        return [
            {**base, "row_key": row, "option_key": key} for row, key in value.items()
        ]
    if isinstance(value, list):
        return [{**base, "option_key": key} for key in value]
    if item.question.type.value == "text":
        return [{**base, "text": value, "text_review": TextReview.PENDING}]
    return [{**base, "option_key": value}]


# --- Opt-in to deeper participation ----------------------------------------------


def record_opt_in(
    panel_id: int | None,
    *,
    name: str,
    email: str | None,
    phone: str | None,
    deeper_surveys: bool,
    live_sessions: bool,
    language: str,
    now: datetime,
    user: User | None = None,
) -> OptIn:
    """Contact details for deeper participation, stored apart from any answer."""
    from eraati.accounts.consents import CONSENT_TEXTS
    from eraati.accounts.services import record_consent

    if not (deeper_surveys or live_sessions):
        raise SurveyError("nothing_chosen")
    if not (email or phone or user):
        raise SurveyError("no_contact")
    opt_in = OptIn(
        panel_id=panel_id,
        user_id=user.id if user else None,
        name=name,
        email=email,
        phone=phone,
        deeper_surveys=deeper_surveys,
        live_sessions=live_sessions,
        consent_version=CONSENT_TEXTS[ConsentPurpose.DEEPER_SURVEYS].version,
        language=language,
        created_at=now,
    )
    db.session.add(opt_in)
    if user is not None:
        if deeper_surveys:
            record_consent(user, ConsentPurpose.DEEPER_SURVEYS, True, language, now)
        if live_sessions:
            record_consent(user, ConsentPurpose.LIVE_SESSIONS, True, language, now)
    db.session.flush()
    return opt_in
