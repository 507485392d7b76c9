"""Imports write only what the uploader may edit, and leave a trace (issue 12).

The policy is asked about the cadre's *current* unit, not only the unit the row names; the
refusal says nothing about where, or whether, a CCCD is registered; every created or
changed cadre or unit gets its audit row, with who and which import."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from personnel.imports import import_cadres, import_units
from personnel.models import AuditLog, Cadre, ImportJob

HEADERS = ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mã đơn vị"]


@pytest.fixture(autouse=True)
def registry_hook(monkeypatch):
    from personnel import services

    monkeypatch.setattr(services, "registry_changed", lambda unit_ids: None)


def xlsx_bytes(rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write(path, rows):
    path.write_bytes(xlsx_bytes(rows))
    return path


@pytest.fixture
def victim(commune, cadre_factory):
    """A cadre of X01, with a code (codes are sequential, easy to guess) and a CCCD."""
    return cadre_factory(
        code="CB000113", full_name="Nguyễn Văn Thật", birth_date=date(1970, 1, 1), sex="male",
        citizen_id="001070000001", unit=commune,
    )  # fmt: skip


@pytest.fixture
def attacker(make_user, other_commune):
    """Board staff of X02."""
    return make_user("board_staff", other_commune)


def snapshot(cadre):
    cadre.refresh_from_db()
    return (cadre.full_name, cadre.birth_date, cadre.citizen_id, cadre.unit_id)


def test_case_1_a_row_with_another_units_cadre_code_is_refused(
    tmp_path, victim, attacker, other_commune
):
    """The exact attack of issue 12, case 1: the code of an X01 cadre, a new name, birth
    date, an empty CCCD and unit X02, uploaded by board staff of X02."""
    before = snapshot(victim)
    path = write(
        tmp_path / "f.xlsx",
        [HEADERS, ["CB000113", "Kẻ Mạo Danh", "02/02/1990", "Nam", None, "X02"]],
    )
    report = import_cadres(path, user=attacker, unit=other_commune)
    assert report.errors == ["Dòng 2: cán bộ Kẻ Mạo Danh không thuộc phạm vi của bạn."]
    assert snapshot(victim) == before
    assert not AuditLog.objects.filter(action__startswith="cadre.import").exists()


def test_the_same_attack_through_the_web(
    client, victim, attacker, other_commune, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(attacker)
    before = snapshot(victim)
    body = xlsx_bytes([HEADERS, ["CB000113", "Kẻ Mạo Danh", "02/02/1990", "Nam", None, "X02"]])
    client.post(
        "/nhap-du-lieu/",
        {"kind": "cadres", "unit": "X02", "file": SimpleUploadedFile("f.xlsx", body)},
    )
    job = ImportJob.objects.get()
    assert job.report["errors"] == ["Dòng 2: cán bộ Kẻ Mạo Danh không thuộc phạm vi của bạn."]
    assert client.post(f"/nhap-du-lieu/{job.pk}/xac-nhan/").status_code == 409
    assert snapshot(victim) == before


def test_a_row_with_another_units_cccd_is_refused_without_saying_it_exists(
    tmp_path, victim, attacker, other_commune
):
    before = snapshot(victim)
    path = write(
        tmp_path / "f.xlsx",
        [HEADERS, [None, "Người Mới", "02/02/1990", "Nam", "001070000001", None]],
    )
    report = import_cadres(path, user=attacker, unit=other_commune)
    assert report.errors == ["Dòng 2: cán bộ Người Mới không thuộc phạm vi của bạn."]
    text = " ".join(report.errors + report.warnings)
    assert "khác" not in text and "Thật" not in text and "X01" not in text
    assert report.matches == []
    assert snapshot(victim) == before


def test_the_cadres_current_unit_decides_not_the_unit_the_row_names(
    tmp_path, victim, make_user, commune, grassroots, other_commune
):
    """Staff of X02 naming X02 in the row, for a cadre of X01: refused. Staff of X01 naming
    X01 for the same cadre: allowed (and audited)."""
    path = write(
        tmp_path / "f.xlsx",
        [HEADERS, ["CB000113", "Nguyễn Văn Thật", "01/01/1970", "Nam", None, "X02"]],
    )
    staff_x02 = make_user("board_staff", other_commune)
    assert not import_cadres(path, user=staff_x02).ok
    staff_x01 = make_user("board_staff", commune)
    path = write(
        tmp_path / "g.xlsx",
        [HEADERS, ["CB000113", "Nguyễn Văn Thật", "01/01/1970", "Nam", None, "CS01"]],
    )
    report = import_cadres(path, user=staff_x01)
    assert report.ok, report.errors
    victim.refresh_from_db()
    assert victim.unit.code == "CS01"
    audit = AuditLog.objects.get(action="cadre.import_update")
    assert audit.actor == staff_x01
    assert audit.before == {"unit": commune.pk} and audit.after == {"unit": victim.unit_id}


def test_an_import_of_10_rows_writes_10_audit_rows(tmp_path, commune, make_user):
    staff = make_user("board_staff", commune)
    rows = [HEADERS] + [
        [f"N{i:02d}", f"Người Thứ {i}", f"0{i % 9 + 1}/01/1980", "Nam" if i % 2 else "Nữ",
         f"0010800000{i:02d}", "X01"]
        for i in range(10)
    ]  # fmt: skip
    report = import_cadres(write(tmp_path / "f.xlsx", rows), user=staff, note="Nhập thử #1")
    assert report.ok and report.created == 10
    audits = AuditLog.objects.filter(action="cadre.import_create").order_by("object_id")
    assert audits.count() == 10
    cadres = {str(c.pk): c for c in Cadre.objects.all()}
    for audit in audits:
        cadre = cadres[audit.object_id]
        assert audit.actor == staff and audit.note == "Nhập thử #1"
        assert audit.unit_id == cadre.unit_id and audit.object_type == "personnel.cadre"
        assert audit.object_label == cadre.full_name and audit.before is None
        assert audit.after["full_name"] == cadre.full_name
        assert audit.after["citizen_id"] == cadre.citizen_id
        assert audit.after["birth_date"] == cadre.birth_date.isoformat()
        assert audit.after["unit"] == commune.pk

    # Re-importing the same file changes nothing and writes nothing more.
    again = import_cadres(write(tmp_path / "g.xlsx", rows), user=staff)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 10)
    assert AuditLog.objects.filter(action__startswith="cadre.import").count() == 10


def test_unit_imports_are_audited(tmp_path, commune, make_user):
    staff = make_user("board_staff", commune)
    path = write(
        tmp_path / "u.xlsx",
        [["Mã đơn vị", "Tên đơn vị", "Cấp"], ["CB7", "Chi bộ 7", "Chi bộ"], ["X01", "Đảng bộ xã An Bình mới", "Xã"]],
    )  # fmt: skip
    report = import_units(path, user=staff, unit=commune, note="Nhập đơn vị")
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    created = AuditLog.objects.get(action="unit.import_create")
    assert created.after["code"] == "CB7" and created.after["parent"] == "X01"
    assert created.actor == staff and created.note == "Nhập đơn vị"
    changed = AuditLog.objects.get(action="unit.import_update")
    assert changed.before == {"name": "Đảng bộ xã An Bình"}
    assert changed.after == {"name": "Đảng bộ xã An Bình mới"}
    assert changed.unit_id == commune.pk


@pytest.mark.postgres
def test_a_large_import_draws_its_keys_as_one_block_under_the_lock(tmp_path, commune, monkeypatch):
    """Above `BLOCK` new cadres the keys come as one block (the table locked meanwhile);
    the audit rows still name each new cadre."""
    from personnel.imports import cadres, writing

    monkeypatch.setattr(writing, "BLOCK", 3)
    monkeypatch.setattr(cadres, "BLOCK", 3)
    rows = [HEADERS] + [
        [None, f"Người Thứ {i}", "01/01/1980", "Nam", None, "X01"] for i in range(10)
    ]
    report = import_cadres(write(tmp_path / "f.xlsx", rows))
    assert report.ok and report.created == 10
    ids = sorted(Cadre.objects.values_list("pk", flat=True))
    assert ids == list(range(ids[0], ids[0] + 10))
    audited = sorted(
        int(i)
        for i in AuditLog.objects.filter(action="cadre.import_create").values_list(
            "object_id", flat=True
        )
    )
    assert audited == ids
