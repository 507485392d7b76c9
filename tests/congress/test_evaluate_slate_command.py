import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "rules" / "examples"


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", "evaluate_slate", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("name", ["01-grassroots-executive", "02-commune-standing"])
def test_command_prints_the_contract_document(name):
    proc = run(str(EXAMPLES / f"{name}.json"))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    expected = json.loads((EXAMPLES / f"{name}.expected.json").read_text())
    assert out["ratios"] == expected["ratios"]
    assert out["people"] == expected["people"]
    got = sorted((f["code"], f["severity"], tuple(f["people"])) for f in out["findings"])
    want = sorted((f["code"], f["severity"], tuple(f["people"])) for f in expected["findings"])
    assert got == want


def test_command_reads_standard_input():
    proc = run("-", stdin=(EXAMPLES / "03-people-council-unit.json").read_text())
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["seats"] == 3


def test_bad_input_exits_2_with_nothing_on_stdout():
    proc = run(str(EXAMPLES / "04-unknown-relation.bad.json"))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "cousin" in proc.stderr


def test_malformed_json_exits_2():
    proc = run("-", stdin="{not json")
    assert proc.returncode == 2 and proc.stdout == ""


def test_list_params():
    proc = run("--list-params", "CT45-2025")
    assert proc.returncode == 0
    assert "female_min_percent" in proc.stdout
