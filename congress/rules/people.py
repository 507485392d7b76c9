"""How the engine names people, and how the database side turns that into what users read.

A slate file names each person by an id of its own; from the database that id is a primary
key (`person_key`). The engine's messages say "Name (id)" to tell namesakes apart in a file;
pages and documents show the name alone (`without_ids`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def person_key(cadre_id: int) -> str:
    return str(cadre_id)


def people_key(people: Iterable[str]) -> str:
    """One key for a set of people (a justification is recorded against it)."""
    return ",".join(sorted(set(people)))


def without_ids(findings: list[dict[str, Any]], names: Mapping[str, str | None]) -> None:
    """Rewrite each finding's message in place: "Name (id)" becomes "Name"."""
    for finding in findings:
        for pid in finding["people"]:
            name = names.get(pid)
            if name:
                finding["message"] = finding["message"].replace(f"{name} ({pid})", name)
