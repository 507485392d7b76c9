"""Every vetting page: allowed 200, outsider 404, read-only 403, wrong method 405."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from personnel.models import AuditLog
from tests.factories import CadreFactory
from tests.vetting.conftest import SECRET
from vetting import services
from vetting.models import Conclusion, ItemKind, VettingCase, VettingItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(make_user, other_commune):
    return make_user("vetting_officer", other_commune)


@pytest.fixture
def viewer(in_scope_readers):
    return in_scope_readers["viewer"]


# The list


def test_list_shows_cases_in_scope_with_outcome(client, viewer, case):
    client.force_login(viewer)
    resp = client.get(reverse("vetting:case_list"))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "Nguyễn Văn An" in body and "Đảng bộ xã An Bình" in body
    assert "Đủ tiêu chuẩn chính trị" in body and "09/03/2025" in body
    assert SECRET not in body


def test_list_hides_cases_outside_scope(client, outsider, case):
    client.force_login(outsider)
    resp = client.get(reverse("vetting:case_list"))
    assert resp.status_code == 200
    assert "Nguyễn Văn An" not in resp.content.decode()


def test_list_filters_by_conclusion(client, officer, case, commune):
    other = services.vetting_case_open(
        cadre=CadreFactory(full_name="Trần Thị Bình", unit=commune), user=officer
    )
    assert other.conclusion == Conclusion.PENDING
    client.force_login(officer)
    body = client.get(reverse("vetting:case_list"), {"conclusion": "pending"}).content.decode()
    assert "Trần Thị Bình" in body and "Nguyễn Văn An" not in body
    body = client.get(reverse("vetting:case_list"), {"conclusion": "eligible"}).content.decode()
    assert "Trần Thị Bình" not in body and "Nguyễn Văn An" in body


def test_list_is_paginated_with_bounded_queries(
    client, officer, commune, django_assert_max_num_queries
):
    VettingCase.objects.bulk_create(
        VettingCase(cadre=CadreFactory(unit=commune, citizen_id=None)) for _ in range(60)
    )
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        resp = client.get(reverse("vetting:case_list"))
    assert resp.status_code == 200
    assert "Trang 1/2" in resp.content.decode()
    resp = client.get(reverse("vetting:case_list"), {"page": 2, "conclusion": "pending"})
    assert "Trang 2/2" in resp.content.decode()


def test_list_refuses_post(client, viewer):
    client.force_login(viewer)
    assert client.post(reverse("vetting:case_list")).status_code == 405


def test_anonymous_is_sent_to_login(client, case):
    for url in [reverse("vetting:case_list"), reverse("vetting:case_detail", args=[case.pk])]:
        resp = client.get(url)
        assert resp.status_code == 302 and reverse("login") in resp["Location"]


# The case page


def test_detail_outsider_404_and_post_405(client, officer, outsider, case):
    url = reverse("vetting:case_detail", args=[case.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.post(url).status_code == 405
    assert client.get(reverse("vetting:case_detail", args=[case.pk + 999])).status_code == 404


# Opening a case


def test_officer_opens_a_case_for_a_cadre(client, officer, commune):
    cadre = CadreFactory(full_name="Phạm Thị Dung", unit=commune)
    url = reverse("vetting:case_open") + f"?cadre={cadre.pk}"
    client.force_login(officer)
    resp = client.get(url)
    assert resp.status_code == 200 and "Phạm Thị Dung" in resp.content.decode()
    resp = client.post(url, {"term": ""})
    case = VettingCase.objects.get(cadre=cadre)
    assert resp.status_code == 302
    assert resp["Location"] == reverse("vetting:case_detail", args=[case.pk])
    assert case.requested_by == officer and case.conclusion == Conclusion.PENDING


def test_opening_twice_shows_a_vietnamese_error(client, officer, case):
    client.force_login(officer)
    resp = client.post(reverse("vetting:case_open") + f"?cadre={case.cadre.pk}", {"term": ""})
    assert resp.status_code == 422
    assert "đã có hồ sơ thẩm tra" in resp.content.decode()
    assert VettingCase.objects.filter(cadre=case.cadre).count() == 1


def test_open_outsider_404_viewer_403_put_405(client, officer, outsider, viewer, cadre):
    url = reverse("vetting:case_open") + f"?cadre={cadre.pk}"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(officer)
    assert client.put(url).status_code == 405
    assert client.get(reverse("vetting:case_open")).status_code == 404
    assert client.get(reverse("vetting:case_open") + "?cadre=abc").status_code == 404
    assert not VettingCase.objects.exists()


def test_officer_opens_a_case_for_a_term(client, officer, cadre):
    from personnel.models import Term

    term = Term.objects.get(code="2025-2030")
    url = reverse("vetting:case_open") + f"?cadre={cadre.pk}"
    client.force_login(officer)
    assert "2025-2030" in client.get(url).content.decode()
    assert client.post(url, {"term": term.pk}).status_code == 302
    assert VettingCase.objects.get(cadre=cadre).term == term


# Recording an item


def test_officer_records_an_item(client, officer, case):
    url = reverse("vetting:item_record", args=[case.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 200
    resp = client.post(
        url, {"kind": ItemKind.ASSETS, "finding": "Kê khai đầy đủ, trung thực.", "is_concern": ""}
    )
    assert resp.status_code == 302
    item = VettingItem.objects.get(case=case, kind=ItemKind.ASSETS)
    assert item.finding == "Kê khai đầy đủ, trung thực." and not item.is_concern


def test_item_form_prefill_is_a_logged_read(client, officer, case):
    from vetting.models import VettingReadLog

    client.force_login(officer)
    resp = client.get(reverse("vetting:item_record", args=[case.pk]), {"kind": "foreign"})
    assert SECRET in resp.content.decode()
    assert VettingReadLog.objects.filter(case=case, user=officer).count() == 1


def test_item_form_errors_are_vietnamese(client, officer, case):
    client.force_login(officer)
    resp = client.post(reverse("vetting:item_record", args=[case.pk]), {"kind": "assets"})
    assert resp.status_code == 422
    assert "Trường này là bắt buộc." in resp.content.decode()
    resp = client.post(
        reverse("vetting:item_record", args=[case.pk]), {"kind": "bogus", "finding": "x"}
    )
    assert "Hãy chọn một lựa chọn hợp lệ" in resp.content.decode()


def test_item_outsider_404_viewer_403_put_405(client, officer, outsider, viewer, case):
    url = reverse("vetting:item_record", args=[case.pk])
    data = {"kind": "assets", "finding": "Giả mạo"}
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(viewer)
    assert client.post(url, data).status_code == 403
    client.force_login(officer)
    assert client.put(url).status_code == 405
    assert not VettingItem.objects.filter(kind="assets").exists()


# Concluding


def test_officer_concludes(client, officer, case):
    client.force_login(officer)
    url = reverse("vetting:case_conclude", args=[case.pk])
    resp = client.get(url)
    assert resp.status_code == 200 and "123-KL/TU" in resp.content.decode()
    resp = client.post(
        url,
        {
            "conclusion": "ineligible",
            "concluded_on": "15/04/2025",
            "concluding_body": "Ban Thường vụ Tỉnh ủy",
            "document_number": "200-KL/TU",
            "complex_political_issue": "on",
        },
    )
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.conclusion == "ineligible" and case.concluded_on == date(2025, 4, 15)
    assert case.document_number == "200-KL/TU" and case.complex_political_issue


def test_conclusion_without_document_is_refused_in_vietnamese(client, officer, case):
    client.force_login(officer)
    resp = client.post(
        reverse("vetting:case_conclude", args=[case.pk]),
        {"conclusion": "ineligible", "concluded_on": "15/04/2025", "concluding_body": "BTV"},
    )
    assert resp.status_code == 422
    assert "phải có số văn bản kết luận" in resp.content.decode()
    case.refresh_from_db()
    assert case.conclusion == "eligible"


def test_conclude_outsider_404_viewer_403_put_405(client, officer, outsider, viewer, case):
    url = reverse("vetting:case_conclude", args=[case.pk])
    data = {"conclusion": "pending"}
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(viewer)
    assert client.post(url, data).status_code == 403
    client.force_login(officer)
    assert client.put(url).status_code == 405
    case.refresh_from_db()
    assert case.conclusion == "eligible"


# The read log page


def test_read_log_outsider_404_viewer_403_post_405(client, officer, outsider, viewer, case):
    url = reverse("vetting:read_log", args=[case.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(viewer)
    assert client.get(url).status_code == 403


# CSRF


def test_writes_need_the_csrf_token(officer, case):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(officer)
    before = AuditLog.objects.count()
    resp = csrf_client.post(
        reverse("vetting:case_conclude", args=[case.pk]), {"conclusion": "pending"}
    )
    assert resp.status_code == 403
    resp = csrf_client.post(
        reverse("vetting:item_record", args=[case.pk]), {"kind": "assets", "finding": "x"}
    )
    assert resp.status_code == 403
    assert AuditLog.objects.count() == before


# Issue 15: the officer's pages on the seeded demo, the search, opening from where he stands

NOT_FOR_HIM = "chỉ cán bộ bảo vệ chính trị nội bộ được xem"


def test_every_seeded_case_renders_for_the_officer(client):
    """The tiny demo's officer opens every page of every case, records and concludes one,
    and is never refused nor told that only officers may read."""
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("seed_demo", scale="tiny", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="bvct"))
    cases = list(VettingCase.objects.select_related("cadre"))
    assert len(cases) > 100
    bad = []
    for case in cases:
        for url in (
            reverse("vetting:case_detail", args=[case.pk]),
            reverse("vetting:item_record", args=[case.pk]) + "?kind=assets",
            reverse("vetting:case_conclude", args=[case.pk]),
            reverse("vetting:read_log", args=[case.pk]),
            reverse("personnel:cadre_detail", args=[case.cadre_id]),
        ):
            resp = client.get(url)
            if resp.status_code != 200 or NOT_FOR_HIM in resp.content.decode():
                bad.append(f"{url}: {resp.status_code}")
    assert not bad, bad[:10]
    pending = next(c for c in cases if c.conclusion == Conclusion.PENDING)
    resp = client.post(
        reverse("vetting:item_record", args=[pending.pk]),
        {"kind": "assets", "finding": "Đã kê khai đầy đủ."},
    )
    assert resp.status_code == 302
    assert client.get(resp["Location"]).status_code == 200
    resp = client.post(
        reverse("vetting:case_conclude", args=[pending.pk]),
        {
            "conclusion": "eligible",
            "concluded_on": "15/11/2026",
            "concluding_body": "Ban Thường vụ Tỉnh ủy",
            "document_number": "1-KL/TU",
        },
    )
    assert resp.status_code == 302
    assert "15/11/2026" in client.get(resp["Location"]).content.decode()


def test_list_searches_by_name_without_accents_and_filters_by_unit_state_outcome(
    client, officer, case, commune, other_commune
):
    other = services.vetting_case_open(
        cadre=CadreFactory(full_name="Trần Thị Bình", unit=other_commune), user=officer
    )
    client.force_login(officer)
    url = reverse("vetting:case_list")

    def names(**query):
        body = client.get(url, query).content.decode()
        return {n for n in ("Nguyễn Văn An", "Trần Thị Bình") if n in body}

    assert names(q="nguyen van") == {"Nguyễn Văn An"}
    assert names(unit="binh minh") == {"Trần Thị Bình"}  # the unit's name, no accents
    assert names(unit=commune.code) == {"Nguyễn Văn An"}
    assert names(state="pending") == {"Trần Thị Bình"}
    assert names(state="concluded") == {"Nguyễn Văn An"}
    assert names(conclusion="eligible") == {"Nguyễn Văn An"}
    assert other.conclusion == Conclusion.PENDING
    body = client.get(url, {"unit": "khong co don vi nay"}).content.decode()
    assert "Không có đơn vị nào khớp" in body


def test_open_form_defaults_to_the_term_named_then_the_term_under_way(client, officer, commune):
    from personnel.catalogue import ensure_catalogue
    from personnel.models import Term

    ensure_catalogue()
    cadre = CadreFactory(unit=commune)
    client.force_login(officer)
    url = reverse("vetting:case_open")
    body = client.get(url, {"cadre": cadre.pk, "term": "2020-2025"}).content.decode()
    old = Term.objects.get(code="2020-2025")
    assert f'<option value="{old.pk}" selected>' in body
    body = client.get(url, {"cadre": cadre.pk}).content.decode()
    from vetting.selectors import default_term

    assert f'<option value="{default_term().pk}" selected>' in body
    # A case already open for that term: the link takes the officer to it.
    case = services.vetting_case_open(cadre=cadre, term=default_term(), user=officer)
    resp = client.get(url, {"cadre": cadre.pk})
    assert resp.status_code == 302 and resp["Location"].endswith(f"/{case.pk}/")


def test_the_cadre_page_offers_the_officer_to_open_a_case(client, officer, commune, make_user):
    cadre = CadreFactory(unit=commune)
    client.force_login(officer)
    body = client.get(reverse("personnel:cadre_detail", args=[cadre.pk])).content.decode()
    assert f"/tham-tra/mo-ho-so/?cadre={cadre.pk}" in body
    assert NOT_FOR_HIM not in body
    client.force_login(make_user("secretary", commune))
    body = client.get(reverse("personnel:cadre_detail", args=[cadre.pk])).content.decode()
    assert "/tham-tra/mo-ho-so/" not in body
