"""The worked examples of the shared contract (SLATE_FORMAT.md, examples/)."""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from pathlib import Path

import pytest

from congress.rules.cli import main
from congress.rules.slate import SlateInputError, evaluate_dict, parse_slate

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
VENDORED = HERE / "examples"


def example_dirs() -> list[Path]:
    dirs: list[Path] = []
    shared = os.environ.get("SHARED_DIR")
    if shared:
        candidate = Path(shared)
        # SHARED_DIR may name the shared root, its domain folder or the examples folder itself.
        for d in (candidate / "domain" / "examples", candidate / "examples", candidate):
            if d.is_dir() and any(d.glob("*.json")):
                dirs.append(d)
                break
    else:
        default = REPO.parent / "shared" / "domain" / "examples"
        if default.is_dir():
            dirs.append(default)
    if VENDORED.is_dir():
        dirs.append(VENDORED)
    return dirs


def _cases(kind: str) -> list:
    out = []
    for d in example_dirs():
        for path in sorted(d.glob("*.json")):
            name = path.name
            if name.endswith(".expected.json"):
                continue
            is_bad = name.endswith(".bad.json")
            if (kind == "bad") == is_bad:
                out.append(pytest.param(path, id=f"{d.parent.name}/{d.name}/{name}"))
    return out


GOOD = _cases("good")
BAD = _cases("bad")


def test_examples_found() -> None:
    assert GOOD, "no example slate found"
    assert BAD, "no bad example found"


def _finding_key(f: dict) -> tuple:
    return (f["code"], f["severity"], tuple(sorted(f["people"])))


def _has_vietnamese(text: str) -> bool:
    return any(ch in text for ch in "ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵĐ")


@pytest.mark.parametrize("path", GOOD)
def test_example_matches_expected(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    expected = json.loads(
        path.with_name(path.name[: -len(".json")] + ".expected.json").read_text(encoding="utf-8")
    )
    out = evaluate_dict(data)
    assert set(out) == set(expected)
    for key, value in expected.items():
        if key == "findings":
            continue
        assert out[key] == value, key
    assert Counter(map(_finding_key, out["findings"])) == Counter(
        map(_finding_key, expected["findings"])
    )
    for f in out["findings"]:
        assert list(f) == ["code", "severity", "people", "message"]
        assert f["people"] == sorted(f["people"])
        assert isinstance(f["message"], str) and f["message"].strip()
        assert _has_vietnamese(f["message"]), f["message"]


@pytest.mark.parametrize("path", GOOD)
def test_example_through_cli(path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main([str(path)], io.StringIO(), out, err) == 0
    assert err.getvalue() == ""
    doc = json.loads(out.getvalue())
    assert doc == evaluate_dict(json.loads(path.read_text(encoding="utf-8")))
    # Non-ASCII text is written as is (ensure_ascii=False).
    assert "\\u" not in out.getvalue()


@pytest.mark.parametrize("path", BAD)
def test_bad_example_refused(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(SlateInputError):
        parse_slate(data)
    out, err = io.StringIO(), io.StringIO()
    assert main([str(path)], io.StringIO(), out, err) == 2
    assert out.getvalue() == ""
    assert err.getvalue().strip()


@pytest.mark.parametrize("path", BAD)
def test_bad_example_refused_from_stdin(path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    stdin = io.StringIO(path.read_text(encoding="utf-8"))
    assert main(["-"], stdin, out, err) == 2
    assert out.getvalue() == ""
    assert err.getvalue().strip()
