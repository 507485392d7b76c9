import pytest
from django.urls import reverse

from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(province, commune, other_commune, grassroots):
    return {
        "mine": CadreFactory(full_name="Nguyễn Văn An", unit=grassroots),
        "theirs": CadreFactory(full_name="Trần Văn Bảo", unit=other_commune),
    }


def test_anonymous_is_sent_to_login(client):
    resp = client.get(reverse("personnel:cadre_list"))
    assert resp.status_code == 302
    assert reverse("login") in resp["Location"]


def test_viewer_sees_units_and_cadres_of_scope_in_vietnamese(client, make_user, commune, data):
    client.force_login(make_user("viewer", commune))
    resp = client.get(reverse("personnel:unit_detail", args=["X01"]))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "Đảng bộ xã An Bình" in body and "Chi bộ thôn Đông" in body
    resp = client.get(reverse("personnel:cadre_list"))
    assert "Nguyễn Văn An" in resp.content.decode()
    assert "Trần Văn Bảo" not in resp.content.decode()


def test_other_units_page_answers_404(client, make_user, commune, data):
    client.force_login(make_user("viewer", commune))
    assert client.get(reverse("personnel:unit_detail", args=["X02"])).status_code == 404
    assert (
        client.get(reverse("personnel:cadre_detail", args=[data["theirs"].pk])).status_code == 404
    )
    assert client.get(reverse("personnel:cadre_detail", args=[data["mine"].pk])).status_code == 200


def test_search_never_leaks_outside_scope(client, make_user, commune, data):
    client.force_login(make_user("viewer", commune))
    resp = client.get(reverse("personnel:cadre_list"), {"q": "tran van bao"})
    assert "Trần Văn Bảo" not in resp.content.decode()


def test_unit_tree_lists_only_scope(client, make_user, commune, data):
    client.force_login(make_user("board_staff", commune))
    body = client.get(reverse("personnel:unit_tree")).content.decode()
    assert "Đảng bộ xã An Bình" in body
    assert "Đảng bộ xã Bình Minh" not in body
    assert "Đảng bộ tỉnh" not in body


def test_registry_pages_refuse_post(client, make_user, commune, data):
    client.force_login(make_user("viewer", commune))
    assert client.post(reverse("personnel:cadre_list")).status_code == 405


def test_login_page_is_vietnamese(client):
    body = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in body and "Mật khẩu" in body


def test_cadre_page_shows_vetting_outcome_not_items_and_history(client, make_user, commune, data):
    from datetime import date

    from vetting.models import VettingCase, VettingItem

    case = VettingCase.objects.create(
        cadre=data["mine"],
        conclusion="eligible",
        concluded_on=date(2025, 3, 1),
        concluding_body="Ban Thường vụ",
        document_number="12-KL/ĐU",
    )
    VettingItem.objects.create(case=case, kind="foreign", finding="Có em gái định cư ở nước ngoài")
    client.force_login(make_user("viewer", commune))
    body = client.get(reverse("personnel:cadre_detail", args=[data["mine"].pk])).content.decode()
    assert "Đủ tiêu chuẩn chính trị" in body and "01/03/2025" in body
    assert "định cư ở nước ngoài" not in body
    assert "Lịch sử thay đổi" in body


def test_unit_page_names_the_people_behind_each_committee_finding(client, make_user, commune):
    from tests.congress.builders import committee

    people = committee(commune, women=0, men=6)
    client.force_login(make_user("viewer", commune))
    body = client.get(reverse("personnel:unit_detail", args=[commune.code])).content.decode()
    assert "Ban chấp hành đương nhiệm" in body
    assert "Chưa đạt tỷ lệ cán bộ nữ" in body  # no woman among six
    assert "Chưa có thành tích trong những năm gần đây" in body
    assert people[0].full_name in body
    assert "FEMALE_RATIO" not in body and "NO_ACHIEVEMENT" not in body
