"""Two factors for those who hold secrets: a vetting officer (or board staff, or a
superuser) signs in with a password and a TOTP code when `OTP_REQUIRED` is on."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from personnel.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.OTP_REQUIRED = True
    settings.OTP_EXEMPT_DEMO_USERS = False
    # A wrong code slows the next try down (django-otp throttling): its own test below.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def test_the_setting_is_on_by_default_outside_debug():
    from congress import settings as project

    assert project.OTP_REQUIRED == (not project.DEBUG)


def test_a_vetting_officer_without_a_second_factor_is_sent_to_enrol(client, make_user, commune):
    client.force_login(make_user("vetting_officer", commune))
    resp = client.get(reverse("vetting:case_list"))
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("otp_setup"))
    # Every page, the admin and htmx fragments included.
    assert client.get(reverse("home")).status_code == 302
    htmx = client.get(reverse("personnel:cadre_list"), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 401 and htmx["HX-Redirect"].startswith(reverse("otp_setup"))


def test_enrolment_with_a_qr_code_then_backup_codes(client, make_user, commune):
    user = make_user("board_staff", commune)
    client.force_login(user)
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "Mã xác thực" in body
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("otp_setup"), {"token": "000000"})
    assert wrong.status_code == 422 and not TOTPDevice.objects.filter(confirmed=True).exists()
    done = client.post(reverse("otp_setup"), {"token": _code(device), "next": "/can-bo/"})
    assert done.status_code == 200
    codes = done.content.decode()
    assert "Mã dự phòng" in codes
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert AuditLog.objects.filter(action="otp.enrol", object_id=str(user.pk)).exists()
    # The session is now verified.
    assert client.get(reverse("personnel:cadre_list")).status_code == 200


def test_a_vetting_officer_signs_in_with_password_and_code(client, make_user, commune):
    user = make_user("vetting_officer", commune, username="bvct_that")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    resp = client.post(
        reverse("login"), {"username": "bvct_that", "password": "mat-khau-thu-nghiem"}
    )
    assert resp.status_code == 302
    # The password alone opens nothing.
    resp = client.get(reverse("vetting:case_list"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("otp_verify"))
    # Nor can a second device be enrolled with the password alone.
    resp = client.get(reverse("otp_setup"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("otp_verify"))
    bad = client.post(reverse("otp_verify"), {"token": "123456"})
    assert bad.status_code == 422
    good = client.post(
        reverse("otp_verify"), {"token": _code(device), "next": reverse("vetting:case_list")}
    )
    assert good.status_code == 302 and good["Location"] == reverse("vetting:case_list")
    assert client.get(reverse("vetting:case_list")).status_code == 200


def test_a_backup_code_works_once(client, make_user, commune):
    from django_otp.plugins.otp_static.models import StaticDevice

    user = make_user("vetting_officer", commune)
    StaticDevice.objects.create(user=user, name="dự phòng").token_set.create(token="abcd1234")
    client.force_login(user)
    assert client.post(reverse("otp_verify"), {"token": "abcd1234"}).status_code == 302
    assert client.get(reverse("vetting:case_list")).status_code == 200
    client.logout()
    client.force_login(user)
    assert client.post(reverse("otp_verify"), {"token": "abcd1234"}).status_code == 422


def test_a_secretary_or_viewer_needs_no_second_factor(client, make_user, commune):
    client.force_login(make_user("secretary", commune))
    assert client.get(reverse("personnel:cadre_list")).status_code == 200
    client.force_login(make_user("viewer", commune))
    assert client.get(reverse("personnel:cadre_list")).status_code == 200


def test_off_when_the_setting_is_off(client, make_user, commune, settings):
    settings.OTP_REQUIRED = False
    client.force_login(make_user("vetting_officer", commune))
    assert client.get(reverse("vetting:case_list")).status_code == 200


def test_the_demo_users_are_exempt_and_the_login_page_says_so(client, make_user, commune, settings):
    settings.OTP_EXEMPT_DEMO_USERS = True
    page = client.get(reverse("login")).content.decode()
    assert "được miễn xác thực hai bước" in page
    client.force_login(make_user("vetting_officer", commune, username="bvct"))
    assert client.get(reverse("vetting:case_list")).status_code == 200
    client.force_login(make_user("vetting_officer", commune, username="bvct_khac"))
    assert client.get(reverse("vetting:case_list")).status_code == 302


def test_the_login_page_announces_the_second_factor(client):
    page = client.get(reverse("login")).content.decode()
    assert "xác thực hai bước" in page and "miễn" not in page


def test_guessing_is_slowed_down(client, make_user, commune, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    user = make_user("vetting_officer", commune)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    assert client.post(reverse("otp_verify"), {"token": "000000"}).status_code == 422
    # Right after a wrong code, even the right one is refused for a while.
    assert client.post(reverse("otp_verify"), {"token": _code(device)}).status_code == 422
