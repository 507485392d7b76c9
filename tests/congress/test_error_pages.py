"""The 403, 404, 500 and CSRF failure pages are Vietnamese; a refusal's own message is shown
when it is one of ours, never Django's English one."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from congress.views import errors

pytestmark = pytest.mark.django_db


def test_404_is_vietnamese_and_keeps_our_message(client, make_user, commune, other_commune):
    client.force_login(make_user("secretary", commune))
    resp = client.get("/khong-co-trang-nay/")
    body = resp.content.decode()
    assert resp.status_code == 404
    assert "Không tìm thấy trang" in body and "Not Found" not in body and "Resolver404" not in body
    resp = client.get(reverse("personnel:unit_detail", args=[other_commune.code]))
    assert "Không tìm thấy tổ chức đảng trong phạm vi của bạn." in resp.content.decode()


def test_403_shows_the_policys_reason(client, make_user, commune):
    client.force_login(make_user("viewer", commune))
    resp = client.get(reverse("imports:upload"))
    body = resp.content.decode()
    assert resp.status_code == 403
    assert "Chỉ cán bộ Ban Tổ chức được nhập, xuất dữ liệu." in body
    assert "Forbidden" not in body


def test_500_page_needs_nothing_but_the_template():
    request = RequestFactory().get("/")
    resp = errors.server_error(request)
    body = resp.content.decode()
    assert resp.status_code == 500 and "Máy chủ gặp lỗi" in body and "Server Error" not in body


def test_csrf_failure_is_vietnamese(make_user, commune):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("secretary", commune))
    resp = client.post(reverse("personnel:notifications_read"))
    body = resp.content.decode()
    assert resp.status_code == 403
    assert "Không gửi được biểu mẫu" in body and "CSRF verification failed" not in body


def test_english_messages_are_never_shown():
    assert errors.readable(Exception("No NomineeList matches the given query.")) == ""
    assert errors.readable(Exception({"path": "x"})) == ""
    assert errors.readable(Exception("Không tìm thấy đơn vị.")) == "Không tìm thấy đơn vị."
