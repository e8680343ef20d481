"""The pure room rules: personal data, fair turns, posting, ideas and notice.

No app is built here; everything is plain values in and out.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eraati.rooms.rules import (
    ALL_KINDS,
    IDEA_TRANSITIONS,
    MAX_MESSAGE_LENGTH,
    MAX_REASON_LENGTH,
    Decision,
    IdeaStatus,
    Poster,
    RaisedHand,
    Refusal,
    RoomState,
    ScheduleProblem,
    SessionStatus,
    TransitionProblem,
    agenda_due,
    check_idea_transition,
    check_schedule,
    clean_body,
    contains_identity_code,
    find_personal_data,
    is_valid_identity_code,
    length_limit,
    mask,
    may_post,
    message_counts,
    next_in_round,
    next_speaker,
    notice_ok,
    notice_plan,
    order_queue,
    redact,
    redact_identity_codes,
    reminder_due,
    round_order,
)

# The database of hypothesis examples would land in the checkout (.hypothesis/).
PROPERTY = settings(database=None, deadline=None, max_examples=300)
HELSINKI = ZoneInfo("Europe/Helsinki")
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS = {1800: "+", 1900: "-UVWXY", 2000: "ABCDEF"}


def with_check(body: str) -> str:
    """Complete "DDMMYYSNNN" with its check character (DVV's definition)."""
    return body + CHECK_CHARACTERS[int(body[:6] + body[7:10]) % 31]


def oracle_is_code(window: str) -> bool:
    """An independent validity test for the property tests."""
    window = window.upper()
    if len(window) != 11 or not (window[:6] + window[7:10]).isdigit():
        return False
    century = next(
        (c for c, signs in CENTURY_SIGNS.items() if window[6] in signs), None
    )
    if century is None:
        return False
    try:
        date(century + int(window[4:6]), int(window[2:4]), int(window[:2]))
    except ValueError:
        return False
    return with_check(window[:10]) == window


def holds_valid_code(text: str) -> bool:
    return any(oracle_is_code(text[i : i + 11]) for i in range(len(text)))


def placeholder(kind: str) -> str:
    return f"[{kind}]"


def found(text: str) -> list[tuple[str, str, bool]]:
    return [
        (f.kind, text[f.start : f.end], f.confirmed) for f in find_personal_data(text)
    ]


# --- identity codes -------------------------------------------------------------------

VALID_CODES = [
    "131052-308T",  # the example everyone cites
    "010101A123N",
    "290200A101K",  # 2000 was a leap year
    "311299C0029",
    "150622B456W",
    "150622F789M",
    "010199D9997",
    "010199E020M",
    "010190Y2347",
    "010150X5558",
    "010150W5558",
    "010150V5558",
    "241175U900R",  # 900-999: a temporary code, still a person's
    "010185+321R",
]


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_identity_codes_are_recognised(code):
    assert with_check(code[:10]) == code  # the test data itself is right
    assert is_valid_identity_code(code)
    text = f"Minun hetuni on {code}, kiitos."
    assert found(text) == [("identity_code", code, True)]
    assert find_personal_data(text)[0].must_redact


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("131052-308X", "wrong check character"),
        ("131052-308U", "wrong check character"),
        (with_check("310223A111"), "31 February"),
        (with_check("290200-101"), "1900 was no leap year"),
        (with_check("011352-308"), "month 13"),
        (with_check("001052-308"), "day 0"),
    ],
)
def test_invalid_codes_are_only_a_soft_finding(code, why):
    assert not is_valid_identity_code(code), why
    text = f"Tunnus {code} tässä."
    [finding] = find_personal_data(text)
    assert (finding.kind, finding.confirmed, finding.must_redact) == (
        "identity_code",
        False,
        False,
    )
    # Shape-only matches are warned about but the sender may keep them.
    assert redact(text, placeholder, kinds=()) == text
    assert redact(text, placeholder) == "Tunnus [identity_code] tässä."


@pytest.mark.parametrize(
    "text",
    [
        "131052-308t",  # typed in lower case
        "1131052-308T",  # glued to a digit
        "x131052-308Tx",
        "hetu:131052-308T.",
    ],
)
def test_codes_are_caught_however_they_are_glued(text):
    assert contains_identity_code(text)
    assert not holds_valid_code(redact(text, placeholder, kinds=()))


def test_two_codes_back_to_back_are_both_redacted():
    text = "131052-308T010101A123N"
    assert redact_identity_codes(text, "[x]") == "[x][x]"


def test_a_placeholder_cannot_complete_a_new_code():
    # Ten characters that the placeholder's "H" turns into a valid code.
    prefix = next(
        body for n in range(1000) if with_check(body := f"150600A{n:03d}").endswith("H")
    )
    text = prefix + "131052-308T"
    assert holds_valid_code(prefix + "HETU")
    result = redact_identity_codes(text, "HETU")
    assert not holds_valid_code(result)


def test_identity_placeholder_with_digits_is_refused():
    with pytest.raises(ValueError):
        redact_identity_codes("131052-308T", "[1]")
    with pytest.raises(ValueError):
        redact("ei mitään", lambda kind: "0")


# --- phone numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Soita 040 123 4567 illalla", "040 123 4567"),
        ("puh. +358 40 1234567", "+358 40 1234567"),
        ("puh. +358401234567", "+358401234567"),
        ("+358 (0)40 123 4567", "+358 (0)40 123 4567"),
        ("00358 9 1234 567", "00358 9 1234 567"),
        ("+358-9-123-4567", "+358-9-123-4567"),
        ("Helsinki 09-123 4567", "09-123 4567"),
        ("(09) 123 4567", "(09) 123 4567"),
        ("numero 0401234567.", "0401234567"),
        ("050 12 34 567", "050 12 34 567"),
        ("Kelan palvelunumero 020 692 207", "020 692 207"),
        ("Maksuton 0800 123 456", "0800 123 456"),
        ("Tampere 03 1234 5678", "03 1234 5678"),
        ("Jyväskylä 014 123 456", "014 123 456"),
        ("040\u00a0123\u00a04567", "040\u00a0123\u00a04567"),
        # A following number is not swallowed into the phone number.
        ("040 1234567 2026 alkaen", "040 1234567"),
    ],
)
def test_phone_numbers(text, phone):
    assert found(text) == [("phone", phone, True)]


@pytest.mark.parametrize(
    "text",
    [
        "Vuonna 2026 asia muuttuu.",
        "Se maksoi 300 euroa.",
        "Hinta 1 500 €, budjetti 1 040 500 000 €.",
        "Kokous 12.3.2026 klo 14.30.",
        "Kokous 01.03.2026 klo 09.00–10.30.",
        "Aika 09:00-10:30.",
        "Päivä 03-12-2026 on torstai.",
        "ISO-päivä 2026-03-12.",
        "Päivä 03 12 2026.",
        "Osoite Hämeenkatu 1, 33100 Tampere.",
        "Posti 00100 Helsinki, 02100 Espoo.",
        "Postinumerot 02100 02200 02230.",
        "Y-tunnus 1234567-8.",
        "Tilinumero FI21 1234 5600 0007 85.",
        "Alennus 050 %.",
        "Asiakasnumero 0123456789",  # no 011 or 012 area codes
        "Jonossa 0 ihmistä, 0,50 € kappale.",
        "Äänestys 40-60, 300-400 henkeä.",
    ],
)
def test_ordinary_numbers_are_not_phone_numbers(text):
    assert find_personal_data(text) == []


def test_ordinary_sentences_with_numbers_are_never_flagged():
    rng = random.Random(2026)
    templates = [
        "Vuonna {year} kokouksia oli {n} ja kulut {price} euroa.",
        "Tapaaminen {day}.{month}.{year} klo {hour}.{minute}.",
        "Hinta {price} € ja alennus {n} %.",
        "Aikaväli {hour}:{minute}-{hour}:{minute}, osallistujia {n}.",
        "Osoite Katu {n}, {postal} Tampere.",
        "Budjetti {big} € vuodelle {year}.",
    ]
    for _ in range(3000):
        text = rng.choice(templates).format(
            year=rng.randint(1900, 2100),
            n=rng.randint(0, 999),
            price=rng.choice(
                ["12,50", "300", "1 500", "0,99", str(rng.randint(1, 9999))]
            ),
            day=rng.randint(1, 31),
            month=rng.randint(1, 12),
            hour=f"{rng.randint(0, 23):02d}",
            minute=f"{rng.randint(0, 59):02d}",
            postal=f"{rng.randint(0, 99999):05d}",
            big=f"{rng.randint(1, 999)} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}",
        )
        assert find_personal_data(text) == [], text


# --- email addresses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("Laita viesti matti.meikalainen@example.fi.", "matti.meikalainen@example.fi"),
        ("kirjaamo(at)kela.fi", "kirjaamo(at)kela.fi"),
        ("kirjaamo [at] kunta.fi", "kirjaamo [at] kunta.fi"),
        ("Anna-Liisa.Äijälä@kunta.fi", "Anna-Liisa.Äijälä@kunta.fi"),
        ("<a+tag@sub.example.com>", "a+tag@sub.example.com"),
    ],
)
def test_email_addresses(text, email):
    assert found(text) == [("email", email, True)]


@pytest.mark.parametrize(
    "text", ["@kaikki huomio", "a@b ei ole osoite", "x@y.1", "sähköposti at kunta"]
)
def test_not_email_addresses(text):
    assert find_personal_data(text) == []


# --- masking and redaction ------------------------------------------------------------


def test_mask_keeps_length_and_separators():
    text = "Hetu 131052-308T, puh 040 123 4567, posti a.b@c.fi"
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == ["identity_code", "phone", "email"]
    assert mask(text, findings) == "Hetu ******-****, puh *** *** ****, posti *.*@*.**"


def test_redact_uses_the_callers_placeholder_per_kind():
    text = "Hetu 131052-308T, puh 040 123 4567, posti a.b@c.fi"
    assert redact(text, placeholder) == (
        "Hetu [identity_code], puh [phone], posti [email]"
    )
    # "Send anyway": phone and email stay, the identity code never does.
    assert redact(text, placeholder, kinds=()) == (
        "Hetu [identity_code], puh 040 123 4567, posti a.b@c.fi"
    )
    assert redact(text, placeholder, kinds={"phone"}) == (
        "Hetu [identity_code], puh [phone], posti a.b@c.fi"
    )


def test_a_valid_code_beats_an_overlapping_email():
    text = "131052-308T@example.fi"
    assert find_personal_data(text)[0].must_redact
    assert not holds_valid_code(redact(text, placeholder, kinds=()))


def valid_codes() -> st.SearchStrategy[str]:
    return st.builds(
        lambda born, sign_index, number: with_check(
            born.strftime("%d%m%y")
            + CENTURY_SIGNS[born.year // 100 * 100][
                sign_index % len(CENTURY_SIGNS[born.year // 100 * 100])
            ]
            + f"{number:03d}"
        ),
        st.dates(date(1800, 1, 1), date(2099, 12, 31)),
        st.integers(0, 5),
        st.integers(0, 999),
    )


FILLER = st.text(alphabet="abcäö ,.:-+()\n0123456789ABCDEFHUVWXY", max_size=30)


@PROPERTY
@given(before=FILLER, code=valid_codes(), after=FILLER)
def test_generated_valid_codes_are_always_found(before, code, after):
    assert oracle_is_code(code)
    text = before + code + after
    spans = [f.span for f in find_personal_data(text) if f.must_redact]
    start = len(before)
    assert any(s <= start and start + 11 <= e for s, e in spans)


@PROPERTY
@given(
    pieces=st.lists(st.one_of(FILLER, valid_codes()), max_size=8),
    replacement=st.sampled_from(["[hetu]", "HETU", "H", "A", "-", "", "Y"]),
    kinds=st.sets(st.sampled_from(sorted(ALL_KINDS))),
)
def test_redact_never_leaves_a_valid_code(pieces, replacement, kinds):
    text = "".join(pieces)
    result = redact(text, lambda kind: replacement, kinds=kinds)
    assert not holds_valid_code(result)
    assert not holds_valid_code(redact_identity_codes(text, replacement))


@PROPERTY
@given(st.text(max_size=200))
def test_findings_on_random_text_are_consistent(text):
    findings = find_personal_data(text)
    assert not any(f.must_redact for f in findings) or holds_valid_code(text)
    for left, right in itertools.pairwise(findings):
        assert left.end <= right.start
    for finding in findings:
        assert len(finding.masked) == finding.end - finding.start


@PROPERTY
@given(st.text(alphabet=st.characters(categories=["L", "P", "Zs"]), max_size=200))
def test_text_without_digits_has_no_codes_or_phones(text):
    kinds = {f.kind for f in find_personal_data(text)}
    assert kinds <= {"email"}


# --- fair turns -----------------------------------------------------------------------

T0 = datetime(2026, 5, 14, 15, 0, tzinfo=UTC)


def hand(pid: int, seconds: int) -> RaisedHand:
    return RaisedHand(pid, T0 + timedelta(seconds=seconds))


@pytest.mark.parametrize(
    ("hands", "spoken", "expected"),
    [
        pytest.param([], {}, [], id="empty"),
        pytest.param(
            [hand(1, 0), hand(2, 5), hand(3, 10)],
            {1: 3, 2: 0, 3: 1},
            [2, 3, 1],
            id="least spoken first",
        ),
        pytest.param(
            [hand(1, 10), hand(2, 5), hand(3, 0)],
            {},
            [3, 2, 1],
            id="ties by earlier hand",
        ),
        pytest.param(
            [hand(7, 0), hand(3, 0)], {}, [3, 7], id="same moment: lower id first"
        ),
        pytest.param(
            [hand(1, 20), hand(2, 5), hand(1, 1)],
            {},
            [1, 2],
            id="a second hand keeps the earliest",
        ),
    ],
)
def test_order_queue(hands, spoken, expected):
    assert [h.participant_id for h in order_queue(hands, spoken)] == expected


def test_order_queue_does_not_depend_on_input_order():
    hands = [hand(1, 3), hand(2, 1), hand(3, 1), hand(4, 0), hand(5, 2)]
    spoken = {1: 0, 2: 1, 3: 1, 4: 2, 5: 0}
    expected = order_queue(hands, spoken)
    assert [h.participant_id for h in expected] == [5, 1, 2, 3, 4]
    for permutation in itertools.permutations(hands):
        assert order_queue(permutation, spoken) == expected


def test_decision_makers_queue_after_residents():
    hands = [hand(9, 0), hand(1, 5), hand(2, 9)]
    queue = order_queue(hands, {1: 4, 2: 2}, decision_makers={9})
    assert [h.participant_id for h in queue] == [2, 1, 9]


def test_next_speaker():
    assert next_speaker([], {}) is None
    assert next_speaker([hand(1, 0), hand(2, 1)], {1: 1}) == hand(2, 1)


def test_round_order():
    present = [4, 2, 8, 2, 6]  # join order, with a duplicate
    spoken = {4: 2, 2: 0, 8: 1}
    assert round_order(present, spoken) == [2, 6, 8, 4]
    assert round_order(present, spoken, decision_makers={2}) == [6, 8, 4, 2]


def test_next_in_round_skips_those_done_and_those_gone():
    order = [2, 6, 8, 4]
    assert next_in_round(order, had_turn=set(), present={2, 6, 8, 4}) == 2
    assert next_in_round(order, had_turn={2}, present={2, 8, 4}) == 8
    assert next_in_round(order, had_turn={2, 8, 4}, present={2, 8, 4}) is None


def test_message_counts_include_the_silent():
    assert message_counts([1, 2, 1, 1], participants=[1, 2, 3]) == {1: 3, 2: 1, 3: 0}
    assert message_counts([]) == {}


# --- may_post -------------------------------------------------------------------------

NOW = datetime(2026, 5, 14, 15, 0, tzinfo=UTC)
OPEN = RoomState(SessionStatus.OPEN)
RESIDENT = Poster(1)
MODERATOR = Poster(99, is_moderator=True)


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("state", "poster", "body", "expected"),
    [
        pytest.param(OPEN, RESIDENT, "Hei", Decision(True), id="open"),
        pytest.param(
            RoomState(SessionStatus.CLOSED),
            MODERATOR,
            "Hei",
            Decision(False, Refusal.CLOSED),
            id="closed even for moderators",
        ),
        pytest.param(
            RoomState(SessionStatus.SCHEDULED),
            RESIDENT,
            "Hei",
            Decision(False, Refusal.NOT_OPEN),
            id="not open yet",
        ),
        pytest.param(
            RoomState(SessionStatus.PAUSED),
            RESIDENT,
            "Hei",
            Decision(False, Refusal.PAUSED),
            id="paused",
        ),
        pytest.param(
            RoomState(SessionStatus.PAUSED),
            MODERATOR,
            "Jatketaan pian",
            Decision(True),
            id="moderator speaks while paused",
        ),
        pytest.param(
            OPEN,
            Poster(1, removed=True, is_moderator=True),
            "Hei",
            Decision(False, Refusal.REMOVED),
            id="removed",
        ),
        pytest.param(
            RoomState(SessionStatus.PAUSED),
            Poster(1, muted=True),
            "Hei",
            Decision(False, Refusal.MUTED),
            id="muted wins over paused",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, floor_mode=True, floor_holder_id=2),
            RESIDENT,
            "Hei",
            Decision(False, Refusal.NOT_YOUR_TURN),
            id="floor mode, not holder",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, floor_mode=True, floor_holder_id=None),
            RESIDENT,
            "Hei",
            Decision(False, Refusal.NOT_YOUR_TURN),
            id="floor mode, nobody has the floor",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, floor_mode=True, floor_holder_id=1),
            RESIDENT,
            "Hei",
            Decision(True),
            id="floor mode, holder",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, floor_mode=True, floor_holder_id=2),
            MODERATOR,
            "Hei",
            Decision(True),
            id="floor mode, moderator",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, slow_mode_seconds=30),
            Poster(1, last_posted_at=ago(10)),
            "Hei",
            Decision(False, Refusal.SLOW_MODE, seconds_left=20),
            id="slow mode",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, slow_mode_seconds=30),
            Poster(1, last_posted_at=ago(9.5)),
            "Hei",
            Decision(False, Refusal.SLOW_MODE, seconds_left=21),
            id="slow mode rounds up",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, slow_mode_seconds=30),
            Poster(1, last_posted_at=NOW + timedelta(hours=1)),
            "Hei",
            Decision(False, Refusal.SLOW_MODE, seconds_left=30),
            id="slow mode, last post in the future is capped",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, slow_mode_seconds=30),
            Poster(1, last_posted_at=ago(30)),
            "Hei",
            Decision(True),
            id="slow mode, wait is over",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, slow_mode_seconds=30),
            Poster(99, is_moderator=True, last_posted_at=ago(1)),
            "Hei",
            Decision(True),
            id="slow mode spares moderators",
        ),
        pytest.param(OPEN, RESIDENT, "", Decision(False, Refusal.EMPTY), id="empty"),
        pytest.param(
            OPEN, RESIDENT, " \n\t ", Decision(False, Refusal.EMPTY), id="whitespace"
        ),
        pytest.param(
            OPEN,
            RESIDENT,
            "\u200b\u00a0\ufeff",
            Decision(False, Refusal.EMPTY),
            id="zero-width only",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, turn_length_limit=280),
            RESIDENT,
            "x" * 281,
            Decision(False, Refusal.TOO_LONG, limit=280),
            id="short-turn limit",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, turn_length_limit=280),
            RESIDENT,
            "  " + "x" * 280 + "\n\n",
            Decision(True),
            id="surrounding blanks do not count",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, turn_length_limit=280),
            MODERATOR,
            "x" * 1000,
            Decision(True),
            id="moderators skip the short-turn limit",
        ),
        pytest.param(
            OPEN,
            MODERATOR,
            "x" * (MAX_MESSAGE_LENGTH + 1),
            Decision(False, Refusal.TOO_LONG, limit=MAX_MESSAGE_LENGTH),
            id="hard cap for everyone",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, slow_mode_seconds=30, turn_length_limit=5),
            Poster(1, last_posted_at=ago(1)),
            "liian pitkä",
            Decision(False, Refusal.TOO_LONG, limit=5),
            id="content before slow mode",
        ),
        pytest.param(
            RoomState(SessionStatus.OPEN, slow_mode_seconds=30),
            Poster(1, last_posted_at=ago(1)),
            None,
            Decision(False, Refusal.SLOW_MODE, seconds_left=29),
            id="no body: may they post at all",
        ),
        pytest.param(OPEN, RESIDENT, None, Decision(True), id="no body, open"),
    ],
)
def test_may_post(state, poster, body, expected):
    assert may_post(state, poster, NOW, body) == expected


def test_decision_is_truthy_only_when_allowed():
    assert may_post(OPEN, RESIDENT, NOW, "Hei")
    assert not may_post(OPEN, RESIDENT, NOW, "")
    assert Refusal.SLOW_MODE == "slow_mode"  # a plain string on the wire


def test_length_limit_never_exceeds_the_hard_cap():
    state = RoomState(SessionStatus.OPEN, turn_length_limit=10**6)
    assert length_limit(state, RESIDENT) == MAX_MESSAGE_LENGTH


def test_clean_body():
    assert clean_body("\ufeff  Hei\r\nkaikki\r \u200b") == "Hei\nkaikki"


# --- ideas ----------------------------------------------------------------------------

S = IdeaStatus
ALLOWED_TRANSITIONS = {
    (S.NEW, S.UNDER_CONSIDERATION),
    (S.NEW, S.IN_PROGRESS),
    (S.NEW, S.NOT_GOING_AHEAD),
    (S.UNDER_CONSIDERATION, S.IN_PROGRESS),
    (S.UNDER_CONSIDERATION, S.DONE),
    (S.UNDER_CONSIDERATION, S.NOT_GOING_AHEAD),
    (S.IN_PROGRESS, S.UNDER_CONSIDERATION),
    (S.IN_PROGRESS, S.DONE),
    (S.IN_PROGRESS, S.NOT_GOING_AHEAD),
    (S.NOT_GOING_AHEAD, S.UNDER_CONSIDERATION),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_idea_transition_table(current, target):
    problem = check_idea_transition(current, target, reason="Budjetti ei riitä.")
    if current is target:
        assert problem is TransitionProblem.UNCHANGED
    elif (current, target) in ALLOWED_TRANSITIONS:
        assert problem is None
        assert target in IDEA_TRANSITIONS[current]
    else:
        assert problem is TransitionProblem.NOT_ALLOWED


@pytest.mark.parametrize(
    ("target", "reason", "expected"),
    [
        (S.NOT_GOING_AHEAD, None, TransitionProblem.REASON_REQUIRED),
        (S.NOT_GOING_AHEAD, "  \n", TransitionProblem.REASON_REQUIRED),
        (S.NOT_GOING_AHEAD, "Laki estää.", None),
        (
            S.NOT_GOING_AHEAD,
            "x" * (MAX_REASON_LENGTH + 1),
            TransitionProblem.REASON_TOO_LONG,
        ),
        (S.IN_PROGRESS, None, None),  # other steps may explain, but need not
    ],
)
def test_idea_transition_reason(target, reason, expected):
    assert check_idea_transition(S.UNDER_CONSIDERATION, target, reason) is expected


# --- advance notice -------------------------------------------------------------------


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def helsinki(*args: int) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("starts_at", "deadline", "hours"),
    [
        # Spring forward on Sunday 29 March 2026: three days are 71 hours.
        pytest.param(helsinki(2026, 3, 31, 18), utc(2026, 3, 28, 16), 71, id="march"),
        # Fall back on Sunday 25 October 2026: three days are 73 hours.
        pytest.param(
            helsinki(2026, 10, 27, 18), utc(2026, 10, 24, 15), 73, id="october"
        ),
        pytest.param(helsinki(2026, 5, 14, 18), utc(2026, 5, 11, 15), 72, id="summer"),
    ],
)
def test_notice_counts_days_on_the_local_clock(starts_at, deadline, hours):
    assert starts_at - deadline == timedelta(hours=hours)
    assert notice_ok(deadline, starts_at)
    assert not notice_ok(deadline + timedelta(seconds=1), starts_at)
    assert notice_ok(deadline - timedelta(days=30), starts_at)


def test_notice_minimum_is_a_parameter():
    starts_at = helsinki(2026, 5, 14, 18)
    assert notice_ok(starts_at - timedelta(days=1), starts_at, timedelta(days=1))
    assert not notice_ok(starts_at - timedelta(days=1), starts_at)


@pytest.mark.parametrize(
    ("starts_at", "agenda", "reminder"),
    [
        pytest.param(
            helsinki(2026, 3, 31, 18),
            helsinki(2026, 3, 28, 9),  # EET, before the change
            helsinki(2026, 3, 31, 9),  # EEST, after it
            id="across spring change",
        ),
        pytest.param(
            helsinki(2026, 10, 27, 18),
            helsinki(2026, 10, 24, 9),
            helsinki(2026, 10, 27, 9),
            id="across autumn change",
        ),
        pytest.param(
            helsinki(2026, 3, 29, 10),
            helsinki(2026, 3, 26, 9),
            helsinki(2026, 3, 29, 8),  # before 11:00: two hours ahead
            id="on the spring change day",
        ),
        pytest.param(
            helsinki(2026, 10, 25, 10, 30),
            helsinki(2026, 10, 22, 9),
            helsinki(2026, 10, 25, 8, 30),
            id="on the autumn change day",
        ),
        pytest.param(
            helsinki(2026, 5, 14, 11),
            helsinki(2026, 5, 11, 9),
            helsinki(2026, 5, 14, 9),
            id="at 11:00 both rules agree",
        ),
        pytest.param(
            helsinki(2026, 5, 14, 8),
            helsinki(2026, 5, 11, 8),  # never less than three days
            helsinki(2026, 5, 14, 6),
            id="early session",
        ),
    ],
)
def test_notice_plan(starts_at, agenda, reminder):
    plan = notice_plan(starts_at, "Europe/Helsinki")
    assert plan.agenda_at == agenda
    assert plan.reminder_at == reminder
    assert plan.agenda_at.tzinfo is UTC and plan.reminder_at.tzinfo is UTC


def test_agenda_for_a_skipped_or_repeated_hour_is_early_not_late():
    # 03:30 on 29 March does not exist; 02:30 EET (before the jump) is used.
    assert agenda_due(helsinki(2026, 4, 1, 3, 30)) == utc(2026, 3, 29, 0, 30)
    # 03:30 on 25 October happens twice; the first (EEST) is used.
    assert agenda_due(helsinki(2026, 10, 28, 3, 30)) == utc(2026, 10, 25, 0, 30)


def test_notice_times_take_their_parameters():
    starts_at = helsinki(2026, 5, 14, 18)
    assert agenda_due(starts_at, ahead=timedelta(days=7), send_at=time(10)) == (
        helsinki(2026, 5, 7, 10)
    )
    assert reminder_due(starts_at, "UTC", send_at=time(8)) == utc(2026, 5, 14, 8)


@PROPERTY
@given(
    st.datetimes(
        datetime(2024, 1, 1), datetime(2030, 12, 31), timezones=st.just(HELSINKI)
    )
)
def test_notice_times_are_never_late(starts_at):
    plan = notice_plan(starts_at)
    assert notice_ok(plan.agenda_at, starts_at)
    # In UTC: aware datetimes sharing a tzinfo subtract by wall clock.
    assert plan.reminder_at <= starts_at.astimezone(UTC) - timedelta(hours=2)
    assert plan.agenda_at < plan.reminder_at


@pytest.mark.parametrize(
    ("scheduled_at", "ends_at", "reason", "expected"),
    [
        (helsinki(2026, 5, 1, 12), helsinki(2026, 5, 14, 20), None, None),
        (
            helsinki(2026, 5, 14, 18),
            helsinki(2026, 5, 14, 20),
            None,
            ScheduleProblem.STARTS_IN_PAST,
        ),
        (
            helsinki(2026, 5, 1, 12),
            helsinki(2026, 5, 14, 18),
            None,
            ScheduleProblem.ENDS_BEFORE_START,
        ),
        (
            helsinki(2026, 5, 13, 12),
            helsinki(2026, 5, 14, 20),
            None,
            ScheduleProblem.SHORT_NOTICE_REASON_REQUIRED,
        ),
        (
            helsinki(2026, 5, 13, 12),
            helsinki(2026, 5, 14, 20),
            "  ",
            ScheduleProblem.SHORT_NOTICE_REASON_REQUIRED,
        ),
        (
            helsinki(2026, 5, 13, 12),
            helsinki(2026, 5, 14, 20),
            "Kiireellinen lausunto.",
            None,
        ),
    ],
)
def test_check_schedule(scheduled_at, ends_at, reason, expected):
    starts_at = helsinki(2026, 5, 14, 18)
    assert check_schedule(scheduled_at, starts_at, ends_at, reason) is expected


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        notice_ok(datetime(2026, 5, 1), helsinki(2026, 5, 14, 18))
    with pytest.raises(ValueError):
        reminder_due(datetime(2026, 5, 14, 18))


def test_schedule_in_the_repeated_october_hour_compares_instants():
    # 03:30 the second time (EET) is after 03:45 the first time (EEST).
    scheduled_at = helsinki(2026, 10, 25, 3, 30).replace(fold=1)
    starts_at = helsinki(2026, 10, 25, 3, 45)
    ends_at = helsinki(2026, 10, 25, 5)
    assert check_schedule(scheduled_at, starts_at, ends_at, "Kiire") is (
        ScheduleProblem.STARTS_IN_PAST
    )


def test_hands_in_the_repeated_october_hour_are_ordered_by_instant():
    first = RaisedHand(1, helsinki(2026, 10, 25, 3, 50))  # EEST, 00:50 UTC
    second = RaisedHand(2, helsinki(2026, 10, 25, 3, 10).replace(fold=1))  # 01:10 UTC
    assert order_queue([second, first], {}) == [first, second]


def test_plain_strings_from_the_database_work_like_the_enums():
    assert may_post(RoomState("closed"), RESIDENT, NOW, "Hei").reason == "closed"
    assert check_idea_transition("new", "new") == "unchanged"
    assert check_idea_transition("new", "not_going_ahead") == "reason_required"
