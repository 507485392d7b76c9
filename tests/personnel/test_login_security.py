import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def test_repeated_wrong_passwords_lock_the_login(client, make_user, throttled):
    make_user(username="bithu")
    for _ in range(3):
        client.post(reverse("login"), {"username": "bithu", "password": "sai"})
    resp = client.post(reverse("login"), {"username": "bithu", "password": "mat-khau-thu-nghiem"})
    assert resp.status_code == 429
    assert "Tạm khóa đăng nhập" in resp.content.decode()


def test_correct_password_logs_in(client, make_user, throttled):
    make_user(username="bithu")
    resp = client.post(reverse("login"), {"username": "bithu", "password": "mat-khau-thu-nghiem"})
    assert resp.status_code == 302


def test_session_ends_after_idle_time(client, make_user, commune):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(make_user("viewer", commune))
    assert client.get(reverse("home")).status_code == 200
    # Each request pushes the expiry forward by the idle time...
    session = Session.objects.get()
    assert session.expire_date <= timezone.now() + timedelta(minutes=30, seconds=5)
    # ...and once it has passed, the user is asked to log in again.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    resp = client.get(reverse("home"))
    assert resp.status_code == 302 and reverse("login") in resp["Location"]
