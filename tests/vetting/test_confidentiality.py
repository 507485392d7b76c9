"""Items are read only by vetting officers whose scope covers the cadre, and every read is
logged; everybody else in scope sees the conclusion and its date only."""

import pytest
from django.urls import reverse

from tests.vetting.conftest import SECRET
from vetting.models import VettingReadLog
from vetting.selectors import case_for_user, cases_visible_to, read_items

pytestmark = pytest.mark.django_db

NOTE = "Nội dung thẩm tra là tài liệu mật: chỉ cán bộ bảo vệ chính trị nội bộ được xem"


def test_province_vetting_officer_reads_items_and_the_read_is_logged(client, officer, case):
    client.force_login(officer)
    url = reverse("vetting:case_detail", args=[case.pk])
    resp = client.get(url, REMOTE_ADDR="10.1.2.3")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert SECRET in body
    assert "Đủ tiêu chuẩn chính trị" in body and "09/03/2025" in body
    log = VettingReadLog.objects.get(case=case)
    assert log.user == officer
    assert log.ip_address == "10.1.2.3"
    assert log.path == url
    assert log.at is not None


def test_a_forged_forwarded_address_is_ignored_without_a_trusted_proxy(client, officer, case):
    """Issue 12, case 7: with no proxy configured, X-Forwarded-For is the client's own
    words; the log keeps the address the connection came from."""
    client.force_login(officer)
    client.get(
        reverse("vetting:case_detail", args=[case.pk]),
        REMOTE_ADDR="198.51.100.20",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert VettingReadLog.objects.get(case=case).ip_address == "198.51.100.20"


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(
    client, officer, case, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    client.force_login(officer)
    client.get(
        reverse("vetting:case_detail", args=[case.pk]),
        REMOTE_ADDR="127.0.0.1",
        # A forged first hop, the real client, then an inner proxy of ours.
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7, 10.0.0.1",
    )
    assert VettingReadLog.objects.get(case=case).ip_address == "203.0.113.7"


def test_garbage_forwarded_header_falls_back_to_remote_addr(client, officer, case, settings):
    settings.TRUSTED_PROXIES = ["10.9.9.9"]
    client.force_login(officer)
    client.get(
        reverse("vetting:case_detail", args=[case.pk]),
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="not-an-ip",
    )
    assert VettingReadLog.objects.get(case=case).ip_address == "10.9.9.9"


def test_every_read_writes_its_own_log_row(client, officer, case):
    client.force_login(officer)
    for _ in range(3):
        client.get(reverse("vetting:case_detail", args=[case.pk]))
    assert VettingReadLog.objects.filter(case=case, user=officer).count() == 3


@pytest.mark.parametrize("role", ["board_staff", "secretary", "viewer"])
def test_other_roles_of_the_unit_see_conclusion_but_not_items(client, in_scope_readers, case, role):
    client.force_login(in_scope_readers[role])
    resp = client.get(reverse("vetting:case_detail", args=[case.pk]))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "Đủ tiêu chuẩn chính trị" in body and "09/03/2025" in body
    assert SECRET not in body
    assert "Canada" not in body
    assert NOTE in body
    assert not VettingReadLog.objects.exists()


@pytest.mark.parametrize("role", ["board_staff", "secretary", "viewer"])
@pytest.mark.parametrize("url_name", ["item_record", "case_conclude", "read_log"])
def test_other_roles_get_403_on_item_only_urls(client, in_scope_readers, case, role, url_name):
    client.force_login(in_scope_readers[role])
    resp = client.get(reverse(f"vetting:{url_name}", args=[case.pk]), {"kind": "foreign"})
    assert resp.status_code == 403
    assert SECRET not in resp.content.decode()
    assert not VettingReadLog.objects.exists()


def test_vetting_officer_of_another_commune_gets_404(client, make_user, other_commune, case):
    client.force_login(make_user("vetting_officer", other_commune))
    for url_name in ["case_detail", "item_record", "case_conclude", "read_log"]:
        assert client.get(reverse(f"vetting:{url_name}", args=[case.pk])).status_code == 404
    assert not VettingReadLog.objects.exists()


def test_vetting_officer_of_the_commune_itself_reads_items(client, make_user, commune, case):
    client.force_login(make_user("vetting_officer", commune))
    assert SECRET in client.get(reverse("vetting:case_detail", args=[case.pk])).content.decode()


def test_secretary_of_the_province_does_not_reach_the_commune_case(
    client, make_user, province, case
):
    client.force_login(make_user("secretary", province))
    assert client.get(reverse("vetting:case_detail", args=[case.pk])).status_code == 404


def test_read_items_refuses_non_officers_without_logging(in_scope_readers, case):
    from django.core.exceptions import PermissionDenied

    for user in in_scope_readers.values():
        with pytest.raises(PermissionDenied):
            read_items(user, case)
    assert not VettingReadLog.objects.exists()


def test_selectors_split_404_and_403(make_user, other_commune, in_scope_readers, officer, case):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    viewer = in_scope_readers["viewer"]
    assert case_for_user(viewer, case.pk, "view") == case
    with pytest.raises(PermissionDenied):
        case_for_user(viewer, case.pk, "view_items")
    with pytest.raises(PermissionDenied):
        case_for_user(viewer, case.pk, "edit")
    outsider = make_user("vetting_officer", other_commune)
    with pytest.raises(Http404):
        case_for_user(outsider, case.pk, "view")
    assert case_for_user(officer, case.pk, "edit") == case
    assert list(cases_visible_to(viewer, "view_items")) == []
    assert list(cases_visible_to(officer, "view_items")) == [case]


def test_read_log_page_lists_who_read_from_where(client, officer, case):
    client.force_login(officer)
    client.get(reverse("vetting:case_detail", args=[case.pk]), REMOTE_ADDR="10.1.2.3")
    body = client.get(reverse("vetting:read_log", args=[case.pk])).content.decode()
    assert "10.1.2.3" in body and "Lê Minh" in body
