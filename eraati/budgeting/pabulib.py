"""Read Pabulib ``.pb`` files (pabulib.org) into the dataclasses of :mod:`.tally`.

Pure and standard library only. A file has three ``;``-separated sections, META
(key;value), PROJECTS and VOTES, each starting with a header row. Cells holding the
literal ``None`` are treated as empty, as pabutools does. ``approval`` and
``choose-1`` votes become approval ballots, ``cumulative`` and ``scoring`` votes
become points ballots (the ``points`` column lines up with ``vote``), and
``ordinal`` votes keep their order. Costs, points and the budget are exact, so
``3009585.74`` is ``Fraction(300958574, 100)``.

Anything malformed raises :class:`PabulibError` with the line number; a file whose
row counts disagree with META ``num_projects`` / ``num_votes`` is reported as
truncated rather than half-read.
"""

from __future__ import annotations

import csv
import gc
import itertools
import operator
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from eraati.budgeting.tally import (
    ApprovalBallot,
    Ballot,
    CumulativeBallot,
    Election,
    Money,
    OrdinalBallot,
    Project,
)

SECTIONS = ("meta", "projects", "votes")
VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")


class PabulibError(ValueError):
    """A malformed file; ``line`` is the 1-based line number where it was found."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Voter:
    """One VOTES row: the voter id, the ballot and the other columns (age, sex, ...)."""

    voter_id: str
    ballot: Ballot
    meta: Mapping[str, str]


@dataclass(frozen=True)
class PabulibFile:
    """A parsed file: META, the other project columns, and the election to count.

    ``voters`` holds every VOTES row when parsed with ``keep_voters=True`` (for
    importing); counting only needs ``election``, where identical ballots are
    grouped.
    """

    meta: Mapping[str, str]
    project_meta: Mapping[str, Mapping[str, str]]
    election: Election
    voters: tuple[Voter, ...] = ()

    @property
    def vote_type(self) -> str:
        return self.meta["vote_type"]

    @property
    def rule(self) -> str:
        """The rule the city used, as recorded (greedy, greedy-threshold, ...)."""
        return self.meta.get("rule", "unknown")

    @property
    def threshold(self) -> Money | None:
        """META ``min_project_score_threshold``: the least score a winner needs."""
        value = self.meta.get("min_project_score_threshold")
        return None if value is None else _number(value, "the threshold", None)

    def selected_by_city(self) -> tuple[str, ...] | None:
        """Project ids whose ``selected`` column is 1, or None without that column."""
        if not any("selected" in row for row in self.project_meta.values()):
            return None
        return tuple(
            pid for pid, row in self.project_meta.items() if row.get("selected") == "1"
        )


def load(path: str | Path, *, keep_voters: bool = False) -> PabulibFile:
    """Parse the file at ``path`` (UTF-8, with or without a byte order mark)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return parse(text, keep_voters=keep_voters)


def parse(text: str, *, keep_voters: bool = False) -> PabulibFile:
    """Parse the contents of a ``.pb`` file."""
    # A large file makes some 10**5 small immutable objects at once; the garbage
    # collector would rescan them again and again (a third of the time) and can
    # find no cycles among them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, keep_voters)
    finally:
        if collecting:
            gc.enable()


def _parse(text: str, keep_voters: bool) -> PabulibFile:
    reader = _Reader(text.removeprefix("\ufeff"))
    meta: dict[str, str] = {}
    projects: dict[str, Project] = {}
    project_meta: dict[str, dict[str, str]] = {}
    votes = _Rows([], [], [])
    for section, header in reader.sections():
        if section == "meta":
            meta.update(_meta_rows(reader, header))
        elif section == "projects":
            for line, row in reader.rows(header):
                project, others = _project(row, line)
                if project.id in projects:
                    raise PabulibError(f"project {project.id} is listed twice", line)
                projects[project.id] = project
                project_meta[project.id] = others
        else:
            votes = reader.block(header)
    vote_type, budget = _check_meta(meta, reader.line)
    _check_counts(meta, len(projects), len(votes.rows), reader.line)
    keys, parsed = _ballots(votes, vote_type, projects)
    election = Election(budget, tuple(projects.values()), _grouped(keys, parsed))
    voters: tuple[Voter, ...] = ()
    if keep_voters:
        voters = tuple(map(votes.voter, votes.rows, map(parsed.__getitem__, keys)))
    return PabulibFile(meta, project_meta, election, voters)


def _grouped(
    keys: list[tuple[str, str]], parsed: Mapping[tuple[str, str], Ballot]
) -> tuple[tuple[Ballot, int], ...]:
    """Each distinct ballot with its number of voters (cells spelt differently,
    such as ``1,2`` and ``2,1`` in an approval vote, are the same ballot).

    Ballots are told apart by their contents (a frozenset or tuple, hashed in C)
    rather than by the dataclass, whose hash runs in Python.
    """
    per_key = Counter(keys)
    ballots = list(map(parsed.__getitem__, per_key))
    contents = list(map(_contents, ballots))
    counts: Counter[object] = Counter()
    for content, count in zip(contents, per_key.values(), strict=True):
        counts[content] += count
    first = dict(zip(reversed(contents), reversed(ballots), strict=True))
    return tuple(zip(map(first.__getitem__, counts), counts.values(), strict=True))


def _contents(ballot: Ballot) -> object:
    """What makes a ballot equal to another, with the kind of ballot."""
    if isinstance(ballot, ApprovalBallot):
        return ballot.approved
    if isinstance(ballot, OrdinalBallot):
        return (OrdinalBallot, ballot.ranking)
    return (CumulativeBallot, ballot.points)


@dataclass
class _Rows:
    """The rows of a section, their line numbers and the section's header."""

    header: list[str]
    rows: list[tuple[str, ...]]
    lines: list[int]

    def column(self, name: str) -> list[str]:
        """One column's cells ("" where the column is missing)."""
        if name not in self.header:
            return [""] * len(self.rows)
        return list(map(operator.itemgetter(self.header.index(name)), self.rows))

    def voter(self, row: Sequence[str], ballot: Ballot) -> Voter:
        others = _cells(self.header, row)
        voter_id = others.pop("voter_id", "")
        others.pop("vote", None)
        others.pop("points", None)
        return Voter(voter_id, ballot, others)


class _Reader:
    """Walks the rows of a file, section by section, keeping the line number."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.line = 0  # lines consumed so far: the number of the last one read
        self._rows = csv.reader(self._feed(), delimiter=";")
        self._pending: list[str] | None = None
        self.seen: set[str] = set()

    def _feed(self) -> Iterator[str]:
        """Lines for the csv reader, which pulls one at a time (more inside quotes)."""
        while self.line < len(self.lines):
            self.line += 1
            yield self.lines[self.line - 1]

    def _next(self) -> list[str] | None:
        if self._pending is not None:
            row, self._pending = self._pending, None
            return row
        for row in self._rows:
            if _filled(row):
                return row
        return None

    def sections(self) -> Iterator[tuple[str, list[str]]]:
        while (row := self._next()) is not None:
            name = row[0].strip().lower()
            if name not in SECTIONS:
                raise PabulibError(
                    f"expected a META, PROJECTS or VOTES line, found {row[0]!r}",
                    self.line,
                )
            if name in self.seen:
                raise PabulibError(f"a second {name.upper()} section", self.line)
            self.seen.add(name)
            header = self._next()
            if header is None:
                raise PabulibError(
                    f"the {name.upper()} section has no header", self.line
                )
            yield name, [cell.strip() for cell in header]

    def rows(self, header: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
        """The rows up to the next section, as column -> cell (``None`` cells left out)."""
        while (row := self._next()) is not None:
            if row[0].strip().lower() in SECTIONS:
                self._pending = row
                return
            _check_width(row, header, self.line)
            yield self.line, _cells(header, row)

    def block(self, header: list[str]) -> _Rows:
        """The rows up to the next section, read in bulk (VOTES has up to 10**5).

        Lines are split on ``;`` with C-speed list operations; a block with quotes
        goes through the csv reader instead.
        """
        start = self.line
        later = itertools.islice(self.lines, start, None)
        sections = itertools.compress(itertools.count(start), map(_SECTION, later))
        end = next(sections, len(self.lines))
        text = self.lines[start:end]
        if any(map(operator.contains, text, itertools.repeat('"'))):
            return self._quoted_block(header)
        self.line = end
        filled = list(itertools.compress(range(len(text)), map(str.strip, text)))
        if len(filled) < len(text):  # blank lines are skipped
            text = list(map(text.__getitem__, filled))
        # Tuples, not lists: tuples of strings drop out of the garbage collector's
        # view, which otherwise rescans the growing heap (3x slower here).
        rows = list(map(tuple, map(str.split, text, itertools.repeat(";"))))
        block = _Rows(header, rows, [start + 1 + i for i in filled])
        _check_block_width(block)
        return block

    def _quoted_block(self, header: list[str]) -> _Rows:
        rows, lines = [], []
        for line, row in self.raw_rows():
            _check_width(row, header, line)
            rows.append(tuple(row))
            lines.append(line)
        block = _Rows(header, rows, lines)
        _check_block_width(block)
        return block

    def raw_rows(self) -> Iterator[tuple[int, list[str]]]:
        """The rows up to the next section, as read."""
        while (row := self._next()) is not None:
            if row[0].strip().lower() in SECTIONS:
                self._pending = row
                return
            yield self.line, row


_SECTION = re.compile(r"\s*(?:meta|projects|votes)\s*(?:;|$)", re.IGNORECASE).match


def _filled(row: list[str]) -> bool:
    """False for blank lines, which are skipped."""
    return bool(row) and (len(row) > 1 or bool(row[0].strip()))


def _check_width(row: Sequence[str], header: list[str], line: int) -> None:
    if len(row) > len(header):
        raise PabulibError(f"{len(row)} cells but the header has {len(header)}", line)


def _check_block_width(block: _Rows) -> None:
    """Rows may be shorter than the header (missing cells are empty), not longer."""
    width = len(block.header)
    if block.rows and max(map(len, block.rows)) > width:
        for row, line in zip(block.rows, block.lines, strict=True):
            _check_width(row, block.header, line)
    if block.rows and min(map(len, block.rows)) < width:
        block.rows = [row + ("",) * (width - len(row)) for row in block.rows]


def _ballots(
    votes: _Rows, vote_type: str, projects: Mapping[str, Project]
) -> tuple[list[tuple[str, str]], dict[tuple[str, str], Ballot]]:
    """The (vote, points) cells of every row, and the ballot for each distinct pair.

    Identical cells are parsed once, so equal ballots are shared objects. Plain
    lists of known ids (nearly every cell of approval, choose-1 and ordinal files)
    are read in bulk; the rest, one by one, by the careful path that explains
    what is wrong.
    """
    if votes.rows and "vote" not in votes.header:
        raise PabulibError("the VOTES section has no vote column", votes.lines[0])
    _check_voter_ids(votes)
    keys = list(zip(votes.column("vote"), votes.column("points"), strict=True))
    distinct = list(dict.fromkeys(keys))
    parsed = _plain_ballots(distinct, vote_type, frozenset(projects))
    for key in distinct:
        if key in parsed:
            continue
        try:
            parsed[key] = _ballot(*key, vote_type, projects)
        except ValueError as error:  # name the first line with these cells
            line = votes.lines[keys.index(key)]
            raise PabulibError(str(error), line) from None
    return keys, parsed


def _plain_ballots(
    keys: list[tuple[str, str]], vote_type: str, known: frozenset[str]
) -> dict[tuple[str, str], Ballot]:
    """The ballots of cells that are plain comma-separated known ids, each once
    (no spaces, no ``None``); other cells are left out for the careful path."""
    if vote_type not in ("approval", "choose-1", "ordinal"):
        return {}
    plain = [key for key in keys if " " not in key[0]]
    ids = list(map(str.split, map(operator.itemgetter(0), plain), _COMMAS))
    chosen = list(map(frozenset, ids))
    kept = list(map(operator.eq, map(len, chosen), map(len, ids)))
    if not known.issuperset(itertools.chain.from_iterable(chosen)):
        kept = list(map(operator.and_, kept, map(known.issuperset, chosen)))
    if not all(kept):
        plain, ids, chosen = (
            list(itertools.compress(items, kept)) for items in (plain, ids, chosen)
        )
    if vote_type == "ordinal":
        ballots: Iterator[Ballot] = map(OrdinalBallot, map(tuple, ids))
    else:
        ballots = map(ApprovalBallot, chosen)
    return dict(zip(plain, ballots, strict=True))


_COMMAS = itertools.repeat(",")


def _check_voter_ids(votes: _Rows) -> None:
    """A voter id may appear once (ids are optional: empty cells are not compared)."""
    ids = list(map(str.strip, votes.column("voter_id")))
    if len(set(ids)) == len(ids):
        return
    ids = list(map(_value, ids))
    seen: set[str] = set()
    for line, voter_id in zip(votes.lines, ids, strict=True):
        if voter_id in seen:
            raise PabulibError(f"voter {voter_id} votes twice", line)
        if voter_id:
            seen.add(voter_id)


def _cells(header: list[str], row: Sequence[str]) -> dict[str, str]:
    return {
        key: cell.strip()
        for key, cell in zip(header, row, strict=False)
        if cell.strip().lower() != "none"
    }


def _meta_rows(reader: _Reader, header: list[str]) -> Iterator[tuple[str, str]]:
    for line, row in reader.raw_rows():
        if len(row) < 2 or not row[0].strip():
            raise PabulibError("a META line needs a key and a value (key;value)", line)
        _check_width(row, header, line)
        yield row[0].strip(), row[1].strip()


def _project(row: dict[str, str], line: int) -> tuple[Project, dict[str, str]]:
    pid = row.get("project_id", "")
    if not pid:
        raise PabulibError("a project without a project_id", line)
    if "cost" not in row:
        raise PabulibError(f"project {pid} has no cost", line)
    cost = _number(row["cost"], f"the cost of project {pid}", line)
    if cost < 0:
        raise PabulibError(f"project {pid} has a negative cost", line)
    others = {k: v for k, v in row.items() if k not in ("project_id", "cost")}
    return Project(pid, cost), others


def _check_meta(meta: Mapping[str, str], line: int) -> tuple[str, Money]:
    """The vote type and the budget, both required."""
    for key in ("budget", "vote_type"):
        if not meta.get(key):
            raise PabulibError(f"META has no {key}", line)
    vote_type = meta["vote_type"]
    if vote_type not in VOTE_TYPES:
        raise PabulibError(f"unknown vote_type {vote_type!r}", line)
    budget = _number(meta["budget"], "the budget", line)
    if budget < 0:
        raise PabulibError("the budget is negative", line)
    return vote_type, budget


def _check_counts(
    meta: Mapping[str, str], projects: int, votes: int, line: int
) -> None:
    """A file cut short shows up as fewer rows than META announces."""
    for key, found, what in (
        ("num_projects", projects, "projects"),
        ("num_votes", votes, "votes"),
    ):
        expected = meta.get(key)
        if expected is not None and expected != str(found):
            raise PabulibError(
                f"META {key} is {expected} but the file has {found} {what}"
                " (is it truncated?)",
                line,
            )


def _value(cell: str) -> str:
    """A cell without surrounding spaces; the literal ``None`` means empty."""
    cell = cell.strip()
    return "" if cell.lower() == "none" else cell


def _ballot(
    vote: str, points: str, vote_type: str, projects: Mapping[str, Project]
) -> Ballot:
    """One ballot from its cells; raises ValueError with a plain message."""
    ids = [pid.strip() for pid in _value(vote).split(",") if pid.strip()]
    for pid in ids:
        if pid not in projects:
            raise ValueError(f"the vote names an unknown project {pid}")
    if len(set(ids)) != len(ids):
        raise ValueError("the vote names a project twice")
    if vote_type in ("approval", "choose-1"):
        return ApprovalBallot(frozenset(ids))
    if vote_type == "ordinal":
        return OrdinalBallot(tuple(ids))
    values = [p for p in _value(points).split(",") if p.strip()]
    if len(values) != len(ids):
        raise ValueError(f"{len(ids)} projects but {len(values)} points in this vote")
    scored = {
        pid: _number(v, f"the points for {pid}")
        for pid, v in zip(ids, values, strict=True)
    }
    if any(v < 0 for v in scored.values()):
        raise ValueError("negative points in this vote")
    return CumulativeBallot.of(scored)


def _number(text: str, what: str, line: int | None = None) -> Money:
    """An exact number; a decimal comma is read as a point, as pabutools does."""
    try:
        value = Fraction(text.strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise PabulibError(f"{what} is not a number: {text!r}", line) from None
    return int(value) if value.denominator == 1 else value
