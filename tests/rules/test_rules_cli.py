"""The command-line front end: exit codes, stdout/stderr discipline, --list-params."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from congress.rules.cli import main
from congress.rules.rulesets import PRESETS, PUBLIC_PARAM_NAMES

SLATE = {
    "ruleset": "CT45-2025",
    "body": {"level": "grassroots", "kind": "executive", "seats": 1, "unit": "CS01"},
    "candidates": [
        {"id": "P01", "name": "Trần Hữu Bình", "sex": "male", "birth_date": "1980-01-01",
         "vetting": "eligible", "has_achievement_last_3y": True},
        {"id": "P02", "name": "Lê Thị Hoa", "sex": "female", "birth_date": "1982-01-01",
         "vetting": "pending", "has_achievement_last_3y": True},
    ],
}  # fmt: skip


def run(argv: list[str], stdin_text: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(stdin_text), out, err)
    return code, out.getvalue(), err.getvalue()


def test_file_argument(tmp_path: Path) -> None:
    path = tmp_path / "slate.json"
    path.write_text(json.dumps(SLATE, ensure_ascii=False), encoding="utf-8")
    code, out, err = run([str(path)])
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert doc["candidate_count"] == 2
    assert [f["people"] for f in doc["findings"] if f["code"] == "VETTING_MISSING"] == [["P02"]]
    assert "Lê Thị Hoa" in out  # ensure_ascii=False
    assert out.startswith("{\n  ")  # indent=2


def test_stdin_dash() -> None:
    code, out, err = run(["-"], json.dumps(SLATE))
    assert code == 0 and err == ""
    assert json.loads(out)["ruleset"] == "CT45-2025"


def test_findings_do_not_change_exit_code() -> None:
    data = json.loads(json.dumps(SLATE))
    data["body"]["seats"] = 5  # SURPLUS_NONE, an error finding
    code, out, _ = run(["-"], json.dumps(data))
    assert code == 0
    assert "SURPLUS_NONE" in {f["code"] for f in json.loads(out)["findings"]}


def test_missing_file() -> None:
    code, out, err = run(["/nonexistent/dir/slate.json"])
    assert code == 2 and out == ""
    assert "không đọc được" in err


def test_directory_instead_of_file(tmp_path: Path) -> None:
    code, out, err = run([str(tmp_path)])
    assert code == 2 and out == "" and err


def test_not_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "slate.json"
    path.write_bytes(b'{"ruleset": "\xff\xfe"}')
    code, out, err = run([str(path)])
    assert code == 2 and out == "" and err


@pytest.mark.parametrize("text", ["", "{", "[1,", "null", "42", '"x"', "{'a': 1}"])
def test_malformed_or_non_object_json(text: str) -> None:
    code, out, err = run(["-"], text)
    assert code == 2 and out == "" and err.startswith("Lỗi:")


def test_bad_input_message_on_stderr() -> None:
    data = json.loads(json.dumps(SLATE))
    data["candidates"][1]["birth_date"] = "1990-02-30"
    code, out, err = run(["-"], json.dumps(data))
    assert code == 2 and out == ""
    assert "P02" in err and "1990-02-30" in err


@pytest.mark.parametrize("argv", [[], ["a.json", "b.json"], ["--bogus"], ["--list-params"]])
def test_usage_errors(argv: list[str]) -> None:
    code, out, err = run(argv)
    assert code == 2 and out == "" and err


def test_help() -> None:
    code, out, _ = run(["--help"])
    assert code == 0 and "--list-params" in out


@pytest.mark.parametrize("code", sorted(PRESETS))
def test_list_params(code: str) -> None:
    status, out, err = run(["--list-params", code])
    assert status == 0 and err == ""
    assert code in out
    rs = PRESETS[code]
    for name in PUBLIC_PARAM_NAMES:
        line = next(line for line in out.splitlines() if line.strip().startswith(name + " "))
        assert json.dumps(rs.params[name]) in line
    assert "Chỉ thị" in out  # sources are printed
    assert "nguồn:" in out


def test_list_params_values_and_sources_ct45() -> None:
    _, out, _ = run(["--list-params", "CT45-2025"])
    lines = out.splitlines()
    i = next(i for i, line in enumerate(lines) if line.strip().startswith("reelection_min_months "))
    assert lines[i].rstrip().endswith("= 48")
    assert "Chỉ thị 45-CT/TW" in lines[i + 1]


def test_list_params_unknown_ruleset() -> None:
    code, out, err = run(["--list-params", "CT99-2099"])
    assert code == 2 and out == "" and "CT99-2099" in err


def test_custom_rulesets_passed_to_main() -> None:
    custom = {"X": PRESETS["CT45-2025"]}
    data = dict(SLATE, ruleset="X")
    out, err = io.StringIO(), io.StringIO()
    assert main(["-"], io.StringIO(json.dumps(data)), out, err, rulesets=custom) == 0
    assert main(["--list-params", "X"], io.StringIO(), io.StringIO(), err, rulesets=custom) == 0
    out = io.StringIO()
    assert main(["-"], io.StringIO(json.dumps(SLATE)), out, io.StringIO(), rulesets=custom) == 2
    assert out.getvalue() == ""
