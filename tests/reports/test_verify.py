import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from congress.models import IssuedDocument
from congress.reports.documents import verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(scene, tmp_path):
    call_command("render_report", "nominee-list", "--unit", "X01", "--out", str(tmp_path / "a.pdf"))
    return IssuedDocument.objects.get()


def test_unchanged_document_verifies(issued, capsys):
    result = verify(issued.code.lower())
    assert result.found and result.unchanged
    call_command("verify_report", issued.code)
    assert "không thay đổi" in capsys.readouterr().out


def test_qr_content_with_a_wrong_hash_is_flagged(issued):
    result = verify(f"{issued.code}-000000000000")
    assert result.hash_matches_print is False


def test_changed_data_is_detected(issued, scene):
    cadre = scene.cadres[0]
    cadre.hometown = "xã Khác, tỉnh Khác"
    cadre.save()
    assert verify(issued.code).unchanged is False
    with pytest.raises(CommandError, match="không còn khớp"):
        call_command("verify_report", issued.code)


def test_unknown_code(db):
    with pytest.raises(CommandError, match="Không có văn bản"):
        call_command("verify_report", "ZZZZZZZZZZ")


def test_verify_page_in_and_out_of_scope(issued, scene, make_user, client):
    from tests.factories import UnitFactory

    client.force_login(make_user("viewer", scene.commune))
    page = client.get(reverse("reports:verify", args=[issued.code]))
    assert page.status_code == 200
    assert "dữ liệu không thay đổi" in page.content.decode()
    form = client.get(reverse("reports:verify_form"), {"ma": issued.code.lower()})
    assert form.status_code == 302
    other = UnitFactory(code="X02", name="Đảng bộ xã Bình Minh", level="commune")
    client.force_login(make_user("viewer", other))
    assert client.get(reverse("reports:verify", args=[issued.code])).status_code == 404
