"""Pure rules of the live discussion rooms.

Personal data in messages, fair speaking turns, who may post, idea statuses and
advance notice. No Flask or SQLAlchemy here: services load rows, turn them into the
plain values below and act on the answers. Every refusal is a machine code and every
finding a kind; the caller picks the translated text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Final, Literal
from zoneinfo import ZoneInfo

# --------------------------------------------------------------------------------------
# Personal data ("own health matters only at a general level")
# --------------------------------------------------------------------------------------

FindingKind = Literal["identity_code", "phone", "email"]
ALL_KINDS: Final[frozenset[FindingKind]] = frozenset(
    {"identity_code", "phone", "email"}
)

_CHECK_CHARACTERS: Final = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# Century signs; U-Y and B-F were added in 2023 beside "-" and "A".
_CENTURY: Final[Mapping[str, int]] = MappingProxyType(
    {"+": 1800} | dict.fromkeys("-UVWXY", 1900) | dict.fromkeys("ABCDEF", 2000)
)
_CODE_SHAPE: Final = r"[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Z]"
# A lookahead finds every overlapping 11-character window, so a code glued to other
# characters ("x131052-308Tx", "1131052-308T") is still caught.
_CODE_WINDOW: Final = re.compile(rf"(?=({_CODE_SHAPE}))", re.IGNORECASE)
_SOFT_CODE: Final = re.compile(
    rf"(?<![0-9A-Za-z]){_CODE_SHAPE}(?![0-9A-Za-z])", re.IGNORECASE
)

_EMAIL: Final = re.compile(
    # Starting only where a run of address characters starts keeps the scan linear.
    r"(?<![\w.%+-])[\w%+-]+(?:\.[\w%+-]+)*"
    # Finnish public bodies write "etunimi.sukunimi(at)kela.fi" to dodge harvesters.
    r"(?:@|\s?[(\[]at[)\]]\s?)"
    r"(?:[\w-]+\.)+[^\W\d_]{2,}(?![\w-])",
    re.IGNORECASE,
)

_SEP: Final = r"[ \u00a0-]"
# After the leading 0: 010 and 013-019, 02-09 (04x and 050 mobile, 0600/0700/0800).
_AREA_START: Final = r"(?:1[03-9]|[2-9])"
_PHONE: Final = re.compile(
    # Not glued to a word, and not a later group of a longer spaced number
    # ("1 040 500 000 €") or the tail of a date or time ("12.03", "14:09").
    r"(?<![\w+])(?<![0-9][ \u00a0.,:/-])"
    rf"(?:(?:\+|00)358{_SEP}?(?:\(0\){_SEP}?)?(?P<intl>{_AREA_START}[0-9]*)"
    rf"|(?P<paren>\(0{_AREA_START}[0-9]{{0,2}}\){_SEP}?[0-9]+)"
    rf"|(?P<national>0{_AREA_START}[0-9]*))"
    rf"(?:{_SEP}[0-9]+){{0,5}}"
)
_PHONE_DIGITS: Final = range(7, 11)  # national form with the leading 0
_DATE_LIKE: Final = re.compile(r"([0-9]{1,2})([ \u00a0-])([0-9]{1,2})\2([0-9]{2,4})")
_UNIT_AFTER: Final = re.compile(
    r"[ \u00a0]?(?:€|%|e\b|eur|euro|snt|kpl|km\b|kg\b|m\b|m²|h\b|min\b)", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Finding:
    """Personal data found in a message, by kind and position (``text[start:end]``)."""

    kind: FindingKind
    start: int
    end: int
    #: The same characters with every letter and digit as "*" (for logs, same length).
    masked: str
    #: False for an identity code whose shape matches but whose date or check
    #: character is wrong: worth a warning, not a forced redaction.
    confirmed: bool = True

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end

    @property
    def must_redact(self) -> bool:
        """A valid identity code: never stored or broadcast in clear."""
        return self.kind == "identity_code" and self.confirmed


def is_valid_identity_code(code: str) -> bool:
    """True for a henkilötunnus with a real birth date and the right check character."""
    code = code.upper()
    if not re.fullmatch(_CODE_SHAPE, code) or _birth_date(code) is None:
        return False
    return _CHECK_CHARACTERS[int(code[:6] + code[7:10]) % 31] == code[10]


def _birth_date(code: str) -> date | None:
    try:
        year = _CENTURY[code[6]] + int(code[4:6])
        return date(year, int(code[2:4]), int(code[:2]))
    except (KeyError, ValueError):
        return None


def find_personal_data(text: str) -> list[Finding]:
    """Identity codes, phone numbers and email addresses in ``text``, by position.

    Findings never overlap; where candidates do, a valid identity code beats an
    email, which beats a soft (shape-only) identity code, which beats a phone number.
    """
    found: list[Finding] = []
    for candidates in (
        _valid_codes(text),
        _emails(text),
        _soft_codes(text),
        _phones(text),
    ):
        for candidate in candidates:
            if not _overlaps_any(candidate, found):
                found.append(candidate)
    return sorted(found, key=lambda finding: finding.start)


def _overlaps_any(candidate: Finding, found: Iterable[Finding]) -> bool:
    return any(candidate.start < f.end and f.start < candidate.end for f in found)


def _finding(
    text: str, kind: FindingKind, start: int, end: int, *, confirmed: bool = True
) -> Finding:
    masked = re.sub(r"[^\W_]", "*", text[start:end])
    return Finding(kind, start, end, masked, confirmed)


def _valid_codes(text: str) -> list[Finding]:
    spans: list[tuple[int, int]] = []
    for match in _CODE_WINDOW.finditer(text):
        start, end = match.span(1)
        if not is_valid_identity_code(match.group(1)):
            continue
        # Overlapping valid windows are merged so redaction covers all of them.
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return [_finding(text, "identity_code", start, end) for start, end in spans]


def _soft_codes(text: str) -> list[Finding]:
    return [
        _finding(text, "identity_code", *match.span(), confirmed=False)
        for match in _SOFT_CODE.finditer(text)
    ]


def _emails(text: str) -> list[Finding]:
    return [_finding(text, "email", *m.span()) for m in _EMAIL.finditer(text)]


def _phones(text: str) -> list[Finding]:
    found = []
    for match in _PHONE.finditer(text):
        end = _phone_end(text, match)
        if end is not None:
            found.append(_finding(text, "phone", match.start(), end))
    return found


def _phone_end(text: str, match: re.Match[str]) -> int | None:
    """Where the phone number in ``match`` ends, or None if it is not one.

    The pattern may run into a following number ("040 1234567 2026"), so the
    longest leading run of digit groups that makes a plausible number wins.
    """
    body_start = match.start(match.lastgroup or 0)
    pieces = list(re.finditer(r"[0-9]+", text[body_start : match.end()]))
    groups = [piece.group() for piece in pieces]
    if match.lastgroup == "intl":
        groups[0] = "0" + groups[0]
    for count in range(len(groups), 0, -1):
        end = body_start + pieces[count - 1].end()
        if _plausible_phone(groups[:count]) and not _ordinary_number(
            text, match.start(), end
        ):
            return end
    return None


def _plausible_phone(groups: Sequence[str]) -> bool:
    if len("".join(groups)) not in _PHONE_DIGITS:
        return False
    if len(groups) == 1:
        return True
    # Written in groups, the first is the area or operator code (09, 040, 0800).
    return 2 <= len(groups[0]) <= 4 and all(len(group) >= 2 for group in groups[1:])


def _ordinary_number(text: str, start: int, end: int) -> bool:
    """A date written with spaces or hyphens, or an amount followed by a unit."""
    date_like = _DATE_LIKE.fullmatch(text, start, end)
    if date_like and 1 <= int(date_like[1]) <= 31 and 1 <= int(date_like[3]) <= 12:
        return True
    return _UNIT_AFTER.match(text, end) is not None


def mask(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with each finding replaced by its same-length ``masked`` form."""
    return _replace(text, findings, lambda finding: finding.masked)


def redact(
    text: str,
    placeholder_for_kind: Callable[[FindingKind], str],
    kinds: Collection[FindingKind] = ALL_KINDS,
) -> str:
    """Replace findings of ``kinds`` with the caller's (translated) placeholder.

    Valid identity codes are redacted whatever ``kinds`` says, so a service that
    calls ``redact(body, placeholder, kinds=())`` after the sender chose "send
    anyway" still never stores one in clear.
    """
    chosen = [
        finding
        for finding in find_personal_data(text)
        if finding.must_redact or finding.kind in kinds
    ]
    text = _replace(text, chosen, lambda finding: placeholder_for_kind(finding.kind))
    return redact_identity_codes(text, placeholder_for_kind("identity_code"))


def redact_identity_codes(text: str, placeholder: str) -> str:
    """``text`` with no valid identity code left in it, however the pieces fall.

    A placeholder can complete a new code with the characters around it
    ("150600A000" + "H..."), so this repeats until none is left. The placeholder may
    not hold digits: then every pass removes digits and the loop must end.
    """
    if any(char.isdigit() for char in placeholder):
        raise ValueError("an identity-code placeholder must not contain digits")
    while codes := _valid_codes(text):
        text = _replace(text, codes, lambda _finding: placeholder)
    return text


def contains_identity_code(text: str) -> bool:
    """True if ``text`` holds a valid identity code anywhere (even glued to others)."""
    return bool(_valid_codes(text))


def _replace(
    text: str, findings: Iterable[Finding], replacement: Callable[[Finding], str]
) -> str:
    parts: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        parts += [text[position : finding.start], replacement(finding)]
        position = finding.end
    return "".join(parts) + text[position:]


# --------------------------------------------------------------------------------------
# Fair turns ("speaking turns shared evenly")
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RaisedHand:
    participant_id: int
    #: Aware datetimes are compared as instants; naive ones are taken as they are.
    raised_at: datetime


def order_queue(
    hands: Sequence[RaisedHand],
    spoken_counts: Mapping[int, int],
    *,
    decision_makers: Collection[int] = frozenset(),
) -> list[RaisedHand]:
    """The hand queue: least spoken first, then earliest hand, then lowest id.

    ``decision_makers`` (invited councillors, officials) queue after every resident,
    because lived-experience voices go first and decision-makers must not crowd the
    floor. A participant with several hands up keeps only the earliest one.
    """
    earliest: dict[int, RaisedHand] = {}
    for hand in hands:
        kept = earliest.get(hand.participant_id)
        if kept is None or _instant(hand.raised_at) < _instant(kept.raised_at):
            earliest[hand.participant_id] = hand
    return sorted(
        earliest.values(),
        key=lambda hand: (
            hand.participant_id in decision_makers,
            spoken_counts.get(hand.participant_id, 0),
            _instant(hand.raised_at),
            hand.participant_id,
        ),
    )


def next_speaker(
    hands: Sequence[RaisedHand],
    spoken_counts: Mapping[int, int],
    *,
    decision_makers: Collection[int] = frozenset(),
) -> RaisedHand | None:
    """The hand the moderator should give the floor to next, if any."""
    queue = order_queue(hands, spoken_counts, decision_makers=decision_makers)
    return queue[0] if queue else None


def round_order(
    participants: Sequence[int],
    spoken_counts: Mapping[int, int],
    *,
    decision_makers: Collection[int] = frozenset(),
) -> list[int]:
    """A round where everyone present speaks once: least spoken first.

    Ties keep the order given (pass join order), so the round is reproducible.
    """
    unique = list(dict.fromkeys(participants))
    return sorted(
        unique,
        key=lambda pid: (pid in decision_makers, spoken_counts.get(pid, 0)),
    )


def next_in_round(
    order: Sequence[int], had_turn: Collection[int], present: Collection[int]
) -> int | None:
    """The next participant in a round who is still present and has not spoken."""
    return next((pid for pid in order if pid not in had_turn and pid in present), None)


def message_counts(
    author_ids: Iterable[int], participants: Iterable[int] = ()
) -> dict[int, int]:
    """Messages per participant; ``participants`` who said nothing appear with 0."""
    counts = dict.fromkeys(participants, 0)
    counts.update(Counter(author_ids))
    return counts


# --------------------------------------------------------------------------------------
# Who may post now
# --------------------------------------------------------------------------------------

#: Hard cap for any message, whoever sends it (oversized input is refused, not cut).
MAX_MESSAGE_LENGTH: Final = 2000
# Whitespace plus the zero-width characters str.strip() keeps: a message of only
# these looks empty.
_EDGE_BLANKS: Final = re.compile(
    r"^[\s\u200b\u200c\u200d\u2060\ufeff]+|[\s\u200b\u200c\u200d\u2060\ufeff]+$"
)


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class Refusal(StrEnum):
    REMOVED = "removed"
    CLOSED = "closed"
    NOT_OPEN = "not_open"
    MUTED = "muted"
    PAUSED = "paused"
    NOT_YOUR_TURN = "not_your_turn"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    SLOW_MODE = "slow_mode"


@dataclass(frozen=True, slots=True)
class RoomState:
    status: SessionStatus
    #: Only the floor holder and moderators post; the others queue.
    floor_mode: bool = False
    floor_holder_id: int | None = None
    #: One message per this many seconds per person; 0 turns slow mode off.
    slow_mode_seconds: int = 0
    #: Short-turn limit in characters for residents; None means only the hard cap.
    turn_length_limit: int | None = None


@dataclass(frozen=True, slots=True)
class Poster:
    participant_id: int
    is_moderator: bool = False
    muted: bool = False
    removed: bool = False
    last_posted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a post is allowed; if not, why (``reason``) and the figure to show."""

    allowed: bool
    reason: Refusal | None = None
    seconds_left: int | None = None
    limit: int | None = None

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED: Final = Decision(allowed=True)


def clean_body(body: str) -> str:
    """The message as it should be checked and stored: trimmed, with \\n line ends."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    return _EDGE_BLANKS.sub("", text)


def length_limit(state: RoomState, participant: Poster) -> int:
    """Most characters ``participant`` may send; moderators skip the short-turn limit."""
    if participant.is_moderator or state.turn_length_limit is None:
        return MAX_MESSAGE_LENGTH
    return min(state.turn_length_limit, MAX_MESSAGE_LENGTH)


def may_post(
    state: RoomState, participant: Poster, now: datetime, body: str | None = None
) -> Decision:
    """May ``participant`` post ``body`` at ``now``?

    Without ``body`` it answers "may they post at all now" (to enable the input).
    Content is checked before slow mode, so the sender can fix a too-long message
    while waiting.
    """
    refusal = _standing_refusal(state, participant)
    if refusal is not None:
        return Decision(allowed=False, reason=refusal)
    if body is not None:
        content = _content_decision(state, participant, body)
        if not content.allowed:
            return content
    return _slow_mode_decision(state, participant, now)


def _standing_refusal(state: RoomState, participant: Poster) -> Refusal | None:
    if participant.removed:
        return Refusal.REMOVED
    if state.status == SessionStatus.CLOSED:
        return Refusal.CLOSED
    if state.status == SessionStatus.SCHEDULED:
        return Refusal.NOT_OPEN
    if participant.is_moderator:
        # Moderators speak while paused ("back in five minutes") and in floor mode.
        return None
    if participant.muted:
        return Refusal.MUTED
    if state.status == SessionStatus.PAUSED:
        return Refusal.PAUSED
    if state.floor_mode and state.floor_holder_id != participant.participant_id:
        return Refusal.NOT_YOUR_TURN
    return None


def _content_decision(state: RoomState, participant: Poster, body: str) -> Decision:
    text = clean_body(body)
    if not text:
        return Decision(allowed=False, reason=Refusal.EMPTY)
    limit = length_limit(state, participant)
    if len(text) > limit:
        return Decision(allowed=False, reason=Refusal.TOO_LONG, limit=limit)
    return ALLOWED


def _slow_mode_decision(
    state: RoomState, participant: Poster, now: datetime
) -> Decision:
    last = participant.last_posted_at
    if participant.is_moderator or state.slow_mode_seconds <= 0 or last is None:
        return ALLOWED
    wait = timedelta(seconds=state.slow_mode_seconds)
    remaining = (_instant(last) + wait - _instant(now)).total_seconds()
    if remaining <= 0:
        return ALLOWED
    # Capped so a last post stamped in the future (clock skew) cannot lock anyone out.
    seconds_left = min(math.ceil(remaining), state.slow_mode_seconds)
    return Decision(allowed=False, reason=Refusal.SLOW_MODE, seconds_left=seconds_left)


# --------------------------------------------------------------------------------------
# Ideas and what became of them
# --------------------------------------------------------------------------------------

MAX_REASON_LENGTH: Final = 2000


class IdeaStatus(StrEnum):
    NEW = "new"
    UNDER_CONSIDERATION = "under_consideration"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_GOING_AHEAD = "not_going_ahead"


#: Done is final. Work can fall back to consideration, and a stopped idea can be
#: taken up again; every step stays in the history, so nothing is silently undone.
IDEA_TRANSITIONS: Final[Mapping[IdeaStatus, frozenset[IdeaStatus]]] = MappingProxyType(
    {
        IdeaStatus.NEW: frozenset(
            {
                IdeaStatus.UNDER_CONSIDERATION,
                IdeaStatus.IN_PROGRESS,
                IdeaStatus.NOT_GOING_AHEAD,
            }
        ),
        IdeaStatus.UNDER_CONSIDERATION: frozenset(
            {IdeaStatus.IN_PROGRESS, IdeaStatus.DONE, IdeaStatus.NOT_GOING_AHEAD}
        ),
        IdeaStatus.IN_PROGRESS: frozenset(
            {
                IdeaStatus.UNDER_CONSIDERATION,
                IdeaStatus.DONE,
                IdeaStatus.NOT_GOING_AHEAD,
            }
        ),
        IdeaStatus.DONE: frozenset(),
        IdeaStatus.NOT_GOING_AHEAD: frozenset({IdeaStatus.UNDER_CONSIDERATION}),
    }
)


class TransitionProblem(StrEnum):
    UNCHANGED = "unchanged"
    NOT_ALLOWED = "not_allowed"
    REASON_REQUIRED = "reason_required"
    REASON_TOO_LONG = "reason_too_long"


def check_idea_transition(
    current: IdeaStatus, target: IdeaStatus, reason: str | None = None
) -> TransitionProblem | None:
    """Why ``current`` → ``target`` is refused, or None when it is fine."""
    if current == target:
        return TransitionProblem.UNCHANGED
    if target not in IDEA_TRANSITIONS.get(current, frozenset()):
        return TransitionProblem.NOT_ALLOWED
    text = (reason or "").strip()
    if target == IdeaStatus.NOT_GOING_AHEAD and not text:
        return TransitionProblem.REASON_REQUIRED
    if len(text) > MAX_REASON_LENGTH:
        return TransitionProblem.REASON_TOO_LONG
    return None


# --------------------------------------------------------------------------------------
# Advance notice ("advance information at the latest three days before")
# --------------------------------------------------------------------------------------

DEFAULT_TIMEZONE: Final = "Europe/Helsinki"
ADVANCE_NOTICE: Final = timedelta(days=3)
SEND_TIME: Final = time(9, 0)
REMINDER_LEAD: Final = timedelta(hours=2)


class ScheduleProblem(StrEnum):
    STARTS_IN_PAST = "starts_in_past"
    ENDS_BEFORE_START = "ends_before_start"
    SHORT_NOTICE_REASON_REQUIRED = "short_notice_reason_required"


@dataclass(frozen=True, slots=True)
class NoticePlan:
    """When the agenda mail and the on-the-day reminder are due (UTC)."""

    agenda_at: datetime
    reminder_at: datetime


def notice_ok(
    scheduled_at: datetime,
    starts_at: datetime,
    minimum: timedelta = ADVANCE_NOTICE,
    *,
    timezone: str = DEFAULT_TIMEZONE,
) -> bool:
    """True if scheduling at ``scheduled_at`` gives at least ``minimum`` notice.

    Days count on the local wall clock, as people read "three days before": Saturday
    18:00 is three days before Tuesday 18:00 even when DST makes that 71 hours.
    """
    return _utc(scheduled_at) <= _wall_clock_minus(starts_at, minimum, timezone)


def check_schedule(
    scheduled_at: datetime,
    starts_at: datetime,
    ends_at: datetime,
    short_notice_reason: str | None = None,
    *,
    minimum: timedelta = ADVANCE_NOTICE,
    timezone: str = DEFAULT_TIMEZONE,
) -> ScheduleProblem | None:
    """Why a session cannot be scheduled like this, or None when it can."""
    if _utc(starts_at) <= _utc(scheduled_at):
        return ScheduleProblem.STARTS_IN_PAST
    if _utc(ends_at) <= _utc(starts_at):
        return ScheduleProblem.ENDS_BEFORE_START
    short = not notice_ok(scheduled_at, starts_at, minimum, timezone=timezone)
    if short and not (short_notice_reason or "").strip():
        return ScheduleProblem.SHORT_NOTICE_REASON_REQUIRED
    return None


def agenda_due(
    starts_at: datetime,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    ahead: timedelta = ADVANCE_NOTICE,
    send_at: time = SEND_TIME,
) -> datetime:
    """When the agenda mail is due (UTC): 09:00 local three days before the start.

    An early session (before 09:00) gets it at its own start time three days ahead
    instead, so the notice is never shorter than ``ahead``.
    """
    zone = ZoneInfo(timezone)
    exact = _wall_clock_minus(starts_at, ahead, timezone)
    morning = _earliest_instant(
        datetime.combine(exact.astimezone(zone).date(), send_at), zone
    )
    return min(exact, morning)


def reminder_due(
    starts_at: datetime,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    send_at: time = SEND_TIME,
    lead: timedelta = REMINDER_LEAD,
) -> datetime:
    """When the on-the-day reminder is due (UTC): 09:00 local on the day.

    A session starting less than ``lead`` after 09:00 (before 11:00) is reminded
    ``lead`` before its start instead; the lead is elapsed time, DST or not.
    """
    zone = ZoneInfo(timezone)
    local_day = _utc(starts_at).astimezone(zone).date()
    morning = _earliest_instant(datetime.combine(local_day, send_at), zone)
    return min(morning, _utc(starts_at) - lead)


def notice_plan(starts_at: datetime, timezone: str = DEFAULT_TIMEZONE) -> NoticePlan:
    """Both notice times for a session, with the default rules."""
    return NoticePlan(
        agenda_due(starts_at, timezone), reminder_due(starts_at, timezone)
    )


def _instant(value: datetime) -> datetime:
    """Aware values in UTC (see ``_utc``); naive ones, which the caller keeps
    consistent, unchanged."""
    return value if value.tzinfo is None else value.astimezone(UTC)


def _utc(value: datetime) -> datetime:
    """``value`` in UTC; all comparisons go through here.

    Two datetimes sharing a tzinfo compare and subtract by wall clock, ignoring
    ``fold``, which is wrong in the hour repeated in October.
    """
    # A naive datetime here is a bug upstream (the database keeps UTC): fail loudly.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("timezone-aware datetime required")
    return value.astimezone(UTC)


def _wall_clock_minus(starts_at: datetime, delta: timedelta, timezone: str) -> datetime:
    zone = ZoneInfo(timezone)
    local = _utc(starts_at).astimezone(zone).replace(tzinfo=None)
    return _earliest_instant(local - delta, zone)


def _earliest_instant(wall_time: datetime, zone: ZoneInfo) -> datetime:
    """The earliest UTC instant the local ``wall_time`` can mean.

    An hour repeated in October takes its first occurrence, and an hour skipped in
    March maps to before the jump, so a notice is early rather than late.
    """
    return min(
        wall_time.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1)
    )
