"""`eraati pb`: tally a Pabulib file, import it as a process, export it back."""

from __future__ import annotations

import json

import pytest

from eraati.budgeting import pabulib
from eraati.budgeting.models import Ballot, Process, Project
from eraati.extensions import db
from tests.budgeting.test_tally import DATA

SMALL = "Poland_Czestochowa_2025_Bleszno.pb"
APPROVAL = "Netherlands_Amsterdam_166.pb"
RULES = {
    ("greedy", "none"): "greedy_cost",
    ("mes-cost", "none"): "mes_cost",
    ("mes-cost", "add1"): "mes_cost_add1",
    ("mes-cost", "add1-greedy"): "mes_cost_add1_greedy",
}


def baseline(file: str, key: str) -> list[str]:
    stored = json.loads((DATA / "pabutools-baseline.json").read_text(encoding="utf-8"))
    instance = next(i for i in stored["instances"] if i["file"] == file)
    return [str(pid) for pid in instance["rules"][key]["selected_in_order"]]


@pytest.mark.parametrize(("rule", "completion"), list(RULES))
def test_tally_prints_pabutools_outcome_as_json(runner, rule, completion):
    result = runner.invoke(
        args=[
            "pb",
            "tally",
            str(DATA / APPROVAL),
            "--rule",
            rule,
            "--completion",
            completion,
        ]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["selected"] == baseline(APPROVAL, RULES[(rule, completion)])
    assert set(printed) == {"selected", "total_cost", "rule", "seconds"}


def test_import_then_export_keeps_every_ballot(runner, tmp_path):
    result = runner.invoke(args=["pb", "import", str(DATA / SMALL)])
    assert result.exit_code == 0, result.output
    process = db.session.query(Process).one()
    original = pabulib.load(DATA / SMALL)
    assert db.session.query(Ballot).count() == original.election.num_voters
    assert db.session.query(Project).count() == len(original.election.projects)

    exported = runner.invoke(args=["pb", "export", str(process.id)])
    assert exported.exit_code == 0
    path = tmp_path / "export.pb"
    path.write_text(exported.output, encoding="utf-8")
    again = pabulib.load(path)
    assert dict(again.election.ballots) == dict(original.election.ballots)
    assert again.election.budget == original.election.budget


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("META\nkey;value\nbudget;100\n", "line"),
        ("not a pabulib file", "line"),
    ],
)
def test_malformed_files_are_refused_with_a_line_number_and_nothing_imported(
    runner, tmp_path, text, message
):
    path = tmp_path / "bad.pb"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["pb", "import", str(path)])
    assert result.exit_code == 1
    assert message in result.output
    assert db.session.query(Process).count() == 0


def test_truncated_file_is_refused(runner, tmp_path):
    lines = (DATA / SMALL).read_text(encoding="utf-8").splitlines()
    path = tmp_path / "truncated.pb"
    path.write_text("\n".join(lines[: len(lines) // 2]), encoding="utf-8")
    result = runner.invoke(args=["pb", "import", str(path)])
    assert result.exit_code == 1 and "line" in result.output
    assert (
        runner.invoke(args=["pb", "tally", str(path), "--rule", "greedy"]).exit_code
        == 1
    )


def test_export_of_an_unknown_process_fails_clearly(runner):
    result = runner.invoke(args=["pb", "export", "999"])
    assert result.exit_code == 1 and "no process" in result.output
