"""An existing database migrates to the layered apps without losing a row: the script builds
the old schema, fills every table that moves, migrates to the current layout and counts."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(__file__).with_name("existing_database.py")


def _run(database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _check(result: dict) -> None:
    assert list(result["before"].values()) == list(result["after"].values())
    assert all(n > 0 for n in result["after"].values())
    # The history pages find the rows written before the move under the new names.
    assert result["audit_types"] == [
        "personnel.rulesetversion",
        "planning.planningentry",
        "planning.planninglist",
        "vetting.vettingcase",
    ]
    # One case per cadre and term: of A's two cases for one term the concluded one keeps it.
    assert result["case_terms"] == [
        ["Nguyễn Văn A", ""],
        ["Nguyễn Văn A", "2025-2030"],
        ["Trần Thị B", ""],
        ["Trần Thị B", "2025-2030"],
    ]
    assert result["content_types"] == [
        "personnel.auditlog",
        "personnel.rulesetversion",
        "planning.planninglist",
    ]


def test_an_existing_sqlite_database_keeps_every_row(tmp_path):
    _check(_run(f"sqlite:///{tmp_path / 'old.sqlite3'}"))


@pytest.mark.postgres
def test_an_existing_postgresql_database_keeps_every_row():
    import psycopg2

    params = settings.DATABASES["default"]
    name = f"migrate_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(
        dbname="postgres", user=params["USER"], password=params["PASSWORD"],
        host=params["HOST"], port=params["PORT"] or 5432,
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{params['USER']}:{params['PASSWORD']}@" if params["PASSWORD"] else f"{params['USER']}@"
        _check(_run(f"postgres://{auth}{params['HOST']}:{params['PORT'] or 5432}/{name}"))
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
