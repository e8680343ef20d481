"""Demo content for participatory budgeting: a vote in progress and a finished one.

- A process in the voting phase with two areas and their projects (in Finnish,
  Swedish and English), printed vote codes and two residents marked eligible, so the
  whole voting flow can be tried.
- A finished process imported from a real Pabulib file shipped in ``demo_data/``
  (its provenance and licence are in the README there), with the council's decision
  (one winner dropped, with the reason) and implementation updates.

Idempotent: each process is found by its Finnish title and never made twice; the
vote codes are the same every time (drawn from a fixed seed), only their hashes are
stored, as for real codes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from importlib import resources

from sqlalchemy import select

from eraati.accounts.services import find_user
from eraati.budgeting import council, interop, pabulib, voting
from eraati.budgeting.models import (
    Area,
    BallotType,
    CouncilDecision,
    CountingRule,
    Eligibility,
    ImplementationStatus,
    Phase,
    Process,
    Project,
    ProjectStatus,
    ProjectUpdate,
    VoteCode,
)
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.panels.models import Organisation

VOTING = {
    "title": {
        "fi": "Osallistuva budjetointi 2026: lähipalvelut",
        "sv": "Deltagande budgetering 2026: närservice",
        "en": "Participatory budgeting 2026: local services",
    },
    "description": {
        "fi": "Asukkaat ideoivat, virkailijat laskivat kustannukset ja nyt äänestetään.",
        "sv": "Invånarna kom med idéer, tjänstemännen räknade kostnaderna och nu röstar vi.",
        "en": "Residents proposed ideas, officials costed them, and now we vote.",
    },
    "residents_decide": {
        "fi": "Asukkaat päättävät äänestämällä, mitkä hankkeet kummallakin alueella toteutetaan.",
        "sv": "Invånarna bestämmer genom att rösta vilka projekt som genomförs i vartdera området.",
        "en": "Residents decide by voting which projects are carried out in each area.",
    },
    "council_decides": {
        "fi": "Aluevaltuusto vahvistaa tuloksen. Hankkeen se voi jättää pois vain perustellusta syystä.",
        "sv": "Välfärdsområdesfullmäktige fastställer resultatet. Ett projekt kan strykas bara av vägande skäl.",
        "en": "The county council confirms the result. It may leave a project out only for a stated reason.",
    },
}
#: (area name, budget, projects as (title, description, cost))
AREAS = [
    (
        {"fi": "Pohjoinen alue", "sv": "Norra området", "en": "Northern area"},
        60_000,
        [
            (
                {
                    "fi": "Liikuntaryhmä ikäihmisille",
                    "sv": "Motionsgrupp för äldre",
                    "en": "Exercise group for older people",
                },
                {
                    "fi": "Ohjattu ryhmä kahdesti viikossa koko vuoden.",
                    "sv": "En ledd grupp två gånger i veckan hela året.",
                    "en": "A guided group twice a week all year.",
                },
                12_000,
            ),
            (
                {
                    "fi": "Perhekahvila kirjastoon",
                    "sv": "Familjecafé i biblioteket",
                    "en": "Family café in the library",
                },
                {
                    "fi": "Lapsiperheiden kohtaamispaikka arkiaamuisin.",
                    "sv": "En mötesplats för barnfamiljer på vardagsmorgnar.",
                    "en": "A meeting place for families on weekday mornings.",
                },
                18_000,
            ),
            (
                {
                    "fi": "Nuorten iltatila",
                    "sv": "Kvällsutrymme för unga",
                    "en": "Evening space for young people",
                },
                {
                    "fi": "Ohjaajan kanssa auki neljänä iltana viikossa.",
                    "sv": "Öppet fyra kvällar i veckan med en ledare.",
                    "en": "Open four evenings a week, with a youth worker.",
                },
                30_000,
            ),
            (
                {
                    "fi": "Penkkejä kävelyreitin varrelle",
                    "sv": "Bänkar längs promenadstigen",
                    "en": "Benches along the walking path",
                },
                {
                    "fi": "Kymmenen penkkiä, jotta lenkille jaksaa lähteä.",
                    "sv": "Tio bänkar, så att det är lättare att gå ut.",
                    "en": "Ten benches, so that a walk is easier to manage.",
                },
                9_000,
            ),
        ],
    ),
    (
        {"fi": "Eteläinen alue", "sv": "Södra området", "en": "Southern area"},
        60_000,
        [
            (
                {
                    "fi": "Ulkokuntosali terveysaseman viereen",
                    "sv": "Utegym vid hälsostationen",
                    "en": "Outdoor gym next to the health centre",
                },
                {
                    "fi": "Laitteet sopivat myös ikäihmisille ja pyörätuolin käyttäjille.",
                    "sv": "Redskapen passar också äldre och rullstolsanvändare.",
                    "en": "The equipment also suits older people and wheelchair users.",
                },
                35_000,
            ),
            (
                {
                    "fi": "Selkokielinen palveluopas",
                    "sv": "Lättläst serviceguide",
                    "en": "Easy-to-read service guide",
                },
                {
                    "fi": "Painettu opas alueen palveluista jaetaan kotiin.",
                    "sv": "En tryckt guide till områdets tjänster delas ut till hemmen.",
                    "en": "A printed guide to the area's services, delivered to homes.",
                },
                8_000,
            ),
            (
                {
                    "fi": "Vertaistukiryhmä omaishoitajille",
                    "sv": "Kamratstödgrupp för närståendevårdare",
                    "en": "Peer support group for family carers",
                },
                {
                    "fi": "Tapaamiset kerran kuussa ja sijaishoito tapaamisen ajaksi.",
                    "sv": "Träffar en gång i månaden och avlösning under träffen.",
                    "en": "Monthly meetings, with respite care during the meeting.",
                },
                15_000,
            ),
            (
                {
                    "fi": "Kuljetus kesätapahtumiin",
                    "sv": "Transport till sommarevenemang",
                    "en": "Transport to summer events",
                },
                {
                    "fi": "Esteetön bussi alueen kesätapahtumiin.",
                    "sv": "En tillgänglig buss till områdets sommarevenemang.",
                    "en": "An accessible bus to the area's summer events.",
                },
                20_000,
            ),
        ],
    ),
]
CODES_PER_AREA = 5
#: (email, area index) of the residents who may vote with their account.
ELIGIBLE = [("asukas@example.fi", 0), ("invanare@example.fi", 1)]

PABULIB_FILE = "Poland_Czestochowa_2025_Bleszno.pb"
FINISHED = {
    "title": {
        "fi": "Częstochowa, Błeszno 2025 (todellinen äänestys)",
        "sv": "Częstochowa, Błeszno 2025 (en verklig omröstning)",
        "en": "Częstochowa, Błeszno 2025 (a real vote)",
    },
    "description": {
        "fi": "Todellinen äänestys Puolasta, tuotu Pabulib-aineistosta (pabulib.org). "
        "Hankkeiden nimet ovat puolaksi.",
        "sv": "En verklig omröstning i Polen, importerad från Pabulib (pabulib.org). "
        "Projektens namn är på polska.",
        "en": "A real vote in Poland, imported from Pabulib (pabulib.org). "
        "The project names are in Polish.",
    },
}
#: The winner the council left out, and why (published with the project).
DROPPED = (
    "207",
    "Kirjaston uutuuskirjat hankittiin jo kaupungin omalla rahalla, joten hanke "
    "jätettiin pois ja sen tilalle nousi seuraavaksi eniten pisteitä saanut hanke.",
)
DECISION_NOTE = (
    "Valtuusto vahvisti äänestyksen tuloksen. Yksi hanke jätettiin pois, koska se "
    "rahoitettiin muuta kautta."
)
#: Implementation updates per project (file id): (days ago, status, note).
UPDATES = {
    "537": [
        (300, ImplementationStatus.PLANNED, "Klubille löytyi tilat koulun yhteydestä."),
        (200, ImplementationStatus.IN_PROGRESS, "Tilojen korjaus on alkanut."),
        (60, ImplementationStatus.DONE, "Asukasklubi on avattu."),
    ],
    "424": [
        (280, ImplementationStatus.PLANNED, "Hankinta on kilpailutettu."),
        (120, ImplementationStatus.DONE, "Palokunta sai uudet varusteet."),
    ],
    "447": [
        (250, ImplementationStatus.PLANNED, "Varusteet on tilattu."),
        (90, ImplementationStatus.DELAYED, "Toimitus myöhästyy. Uusi arvio on kevät."),
    ],
    "449": [
        (150, ImplementationStatus.IN_PROGRESS, "Ensimmäiset 40 kissaa on hoidettu."),
    ],
}


def load_budgeting_demo() -> None:
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.slug == "demo")
    )
    if organisation is None:
        return
    _voting_process(organisation)
    _finished_process(organisation)


def _find(title: dict[str, str]) -> Process | None:
    return next(
        (
            p
            for p in db.session.scalars(select(Process))
            if (p.title or {}).get("fi") == title["fi"]
        ),
        None,
    )


# --- The vote in progress ----------------------------------------------------------


def _voting_process(organisation: Organisation) -> Process:
    process = _find(VOTING["title"])
    if process is not None:
        return process
    now = utcnow()
    starts = {
        Phase.INFORMATION: -60,
        Phase.PROPOSALS: -45,
        Phase.DEVELOPMENT: -30,
        Phase.VOTING: -2,
        Phase.COUNCIL: 28,
        Phase.IMPLEMENTATION: 60,
        Phase.FINISHED: 400,
    }
    process = Process(
        organisation_id=organisation.id,
        year=now.year,
        total_budget=Decimal(sum(budget for _, budget, _ in AREAS)),
        phase=Phase.VOTING,
        phase_starts={
            phase.value: (now + timedelta(days=days)).isoformat()
            for phase, days in starts.items()
        },
        ballot_type=BallotType.APPROVAL_BUDGET,
        rule=CountingRule.MES_COST,
        completion="add1-greedy",
        allow_ballot_change=True,
        **VOTING,
    )
    db.session.add(process)
    for number, (name, budget, projects) in enumerate(AREAS):
        area = Area(process=process, name=name, budget=Decimal(budget))
        db.session.add(area)
        db.session.flush()
        for index, (title, description, cost) in enumerate(projects, start=1):
            db.session.add(
                Project(
                    process_id=process.id,
                    area_id=area.id,
                    external_id=f"{number + 1}{index:02d}",
                    title=title,
                    description=description,
                    cost=Decimal(cost),
                    status=ProjectStatus.ON_BALLOT,
                )
            )
        codes = demo_codes()[number * CODES_PER_AREA : (number + 1) * CODES_PER_AREA]
        db.session.add_all(
            VoteCode(
                process_id=process.id, area_id=area.id, code_hash=voting._hash(code)
            )
            for code in codes
        )
    db.session.flush()
    for email, number in ELIGIBLE:
        user = find_user(email)
        if user is not None:
            area = process.areas[number]
            db.session.add(
                Eligibility(process_id=process.id, user_id=user.id, area_id=area.id)
            )
    db.session.flush()
    return process


def demo_codes() -> list[str]:
    """The demo's vote codes: the same on every run (a fixed seed, never secret)."""
    draw = random.Random("eraati demo vote codes")
    count = CODES_PER_AREA * len(AREAS)
    return [
        "".join(draw.choice(voting.CODE_ALPHABET) for _ in range(voting.CODE_LENGTH))
        for _ in range(count)
    ]


def print_vote_codes(echo: Callable[[str], None]) -> None:
    """The demo codes still unused, by area, for trying the vote."""
    process = _find(VOTING["title"])
    if process is None:
        return
    rows = db.session.execute(
        select(VoteCode.code_hash, VoteCode.area_id, VoteCode.used).where(
            VoteCode.process_id == process.id
        )
    )
    known = {code_hash: (area_id, used) for code_hash, area_id, used in rows}
    names = {area.id: area.name["en"] for area in process.areas}
    echo(f"\nVote codes for the demo vote (/pb/{process.id}/vote; each works once):")
    for code in demo_codes():
        area_id, used = known.get(voting._hash(code), (None, True))
        if not used:
            echo(f"  {code}  {names[area_id]}")


# --- The finished vote from Pabulib ------------------------------------------------


def _finished_process(organisation: Organisation) -> Process:
    process = _find(FINISHED["title"])
    if process is not None:
        return process
    text = resources.files("eraati.budgeting").joinpath("demo_data", PABULIB_FILE)
    parsed = pabulib.parse(text.read_text(encoding="utf-8-sig"))
    process = interop.import_file(parsed)
    process.organisation_id = organisation.id
    process.title, process.description = FINISHED["title"], FINISHED["description"]
    process.rule, process.completion = CountingRule.POINTS, "none"
    process.phase_starts = {
        Phase.VOTING.value: "2024-09-22T22:00:00+00:00",
        Phase.COUNCIL.value: "2024-10-07T22:00:00+00:00",
        Phase.IMPLEMENTATION.value: "2024-11-30T23:00:00+00:00",
    }
    area = process.areas[0]
    area.name = {"fi": "Błeszno", "sv": "Błeszno", "en": "Błeszno"}
    projects = {
        p.external_id: p
        for p in db.session.scalars(
            select(Project).where(Project.process_id == process.id)
        )
    }
    # What the city funded comes from the council's decision here, as it would.
    for project in projects.values():
        project.status = ProjectStatus.ON_BALLOT
    dropped, reason = DROPPED
    council.drop_project(projects[dropped], reason)
    db.session.flush()
    _decide(process, projects)
    _follow_up(projects)
    return process


def _decide(process: Process, projects: dict[str, Project]) -> None:
    """The council's locked decision: the winners without the dropped one are funded."""
    winners = {
        pid
        for outcome in council.outcomes(process)
        for pid in outcome.official.selected
    }
    for project in projects.values():
        if str(project.id) in winners:
            project.status = ProjectStatus.FUNDED
    member = find_user("valtuutettu@example.fi")
    db.session.add(
        CouncilDecision(
            process_id=process.id,
            note=DECISION_NOTE,
            locked_at=utcnow() - timedelta(days=330),
            decided_by_id=member.id if member else None,
        )
    )


def _follow_up(projects: dict[str, Project]) -> None:
    official = find_user("virkailija@example.fi")
    now = utcnow()
    for external_id, updates in UPDATES.items():
        project = projects[external_id]
        if project.status is not ProjectStatus.FUNDED:
            continue
        for days, status, note in updates:
            db.session.add(
                ProjectUpdate(
                    project_id=project.id,
                    status=status,
                    note=note,
                    updated_by_id=official.id if official else None,
                    created_at=now - timedelta(days=days),
                )
            )
    db.session.flush()
