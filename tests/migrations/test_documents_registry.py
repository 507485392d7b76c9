"""An existing database keeps its document settings when the registry learns what the
documents need: the committee's name comes from the old issuing body (typed names kept,
uppercase or bare ones composed from the unit's name), the document code becomes the
issuer's abbreviation, documents already issued keep their numbers under their unit."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(__file__).with_name("documents_registry.py")


def _run(database_url: str) -> dict:
    import json

    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _check(result: dict) -> None:
    assert result["units"] == [
        ["T01", "Tỉnh ủy An Hòa", "TU", "An Hòa", "Phan Văn Định"],
        ["X01", "Đảng ủy phường Yên Tiến", "ĐU", "", ""],
        # A unit whose old issuing body was its own name issues as itself.
        ["X01.CS01", "", "CB", "", ""],
        ["X02", "Đảng ủy xã Lập Triệu", "", "", ""],
    ]
    assert all(d[1].startswith("unit:") for d in result["documents"])
    assert [d[2:] for d in result["documents"]] == [
        ["Tỉnh ủy An Hòa", 1, "Số 01-BC/TU"],
        ["Đảng ủy phường Yên Tiến", 7, "Số 07-DS/ĐU"],
    ]
    assert result["ordinal"] == 18
    # An old round has no minutes data yet: its minutes wait until it is completed.
    assert result["round_board"] == 0
    assert result["posts"]["people_committee_chair"] == "state"
    assert result["posts"]["fatherland_front_chair"] == "mass"
    assert result["posts"]["secretary"] == "party"
    assert result["kept"] == {"Cadre": 1, "Tenure": 1, "FamilyRelation": 1, "Training": 1}
    assert result["tenure_workplace"] is None


def test_an_existing_sqlite_database_keeps_its_document_settings(tmp_path):
    _check(_run(f"sqlite:///{tmp_path / 'old.sqlite3'}"))


@pytest.mark.postgres
def test_an_existing_postgresql_database_keeps_its_document_settings():
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
