"""Who looked at a dossier: every cadre page, export, résumé and document download is logged
(who, what, when, from where), and board staff see the log per cadre."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from personnel.models import DossierAccess
from personnel.services.dossier import document_access_record
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def test_opening_a_dossier_is_logged_with_who_and_from_where(client, make_user, commune):
    cadre = CadreFactory(unit=commune, full_name="Hồ Sơ Nhạy Cảm")
    viewer = make_user("viewer", commune)
    client.force_login(viewer)
    resp = client.get(reverse("personnel:cadre_detail", args=[cadre.pk]), REMOTE_ADDR="192.0.2.4")
    assert resp.status_code == 200
    row = DossierAccess.objects.get()
    assert (row.user, row.cadre, row.kind, row.ip_address) == (viewer, cadre, "page", "192.0.2.4")
    assert row.request_id == resp["X-Request-ID"] and row.at is not None


def test_a_page_out_of_sight_logs_nothing(client, make_user, commune, other_commune):
    cadre = CadreFactory(unit=other_commune)
    client.force_login(make_user("viewer", commune))
    assert client.get(reverse("personnel:cadre_detail", args=[cadre.pk])).status_code == 404
    assert not DossierAccess.objects.exists()


def test_an_export_logs_each_cadre_it_holds(client, make_user, province, commune):
    cadres = [CadreFactory(unit=commune) for _ in range(3)]
    staff = make_user("board_staff", province)
    client.force_login(staff)
    resp = client.get(reverse("imports:export"), {"unit": commune.code})
    assert resp.status_code == 200
    rows = DossierAccess.objects.filter(kind="export", user=staff)
    assert sorted(rows.values_list("cadre_id", flat=True)) == sorted(c.pk for c in cadres)


def test_the_export_command_logs_too(commune, tmp_path):
    cadre = CadreFactory(unit=commune)
    call_command("export_cadres", "--unit", commune.code, str(tmp_path / "out.xlsx"))
    row = DossierAccess.objects.get(cadre=cadre)
    assert row.kind == "export" and row.user is None
    assert row.source == "command" and "export_cadres" in row.origin


def test_a_resume_download_names_its_cadre_and_other_documents_their_unit(make_user, commune):
    cadre = CadreFactory(unit=commune)
    user = make_user("board_staff", commune)
    document_access_record(
        user=user, kind="resume", params={"cadre": cadre.pk}, unit=commune, label="resume.pdf"
    )
    document_access_record(
        user=user, kind="nominee-list", params={}, unit=commune, label="danh-sach.pdf"
    )
    assert DossierAccess.objects.get(kind="resume").cadre == cadre
    unit_row = DossierAccess.objects.get(kind="document")
    assert unit_row.cadre is None and unit_row.unit == commune


def test_board_staff_read_the_log_of_a_cadre_and_a_secretary_cannot(
    client, make_user, province, commune
):
    cadre = CadreFactory(unit=commune)
    secretary = make_user("secretary", commune, first_name="Bình", last_name="Trần Văn")
    client.force_login(secretary)
    client.get(reverse("personnel:cadre_detail", args=[cadre.pk]), REMOTE_ADDR="192.0.2.8")
    url = reverse("personnel:cadre_access_log", args=[cadre.pk])
    assert client.get(url).status_code == 403
    client.force_login(make_user("board_staff", province))
    page = client.get(url).content.decode()
    assert "Trần Văn Bình" in page and "192.0.2.8" in page and "Xem hồ sơ" in page
