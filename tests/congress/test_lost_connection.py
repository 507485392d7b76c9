"""A request whose database connection is cut is served again on a new connection."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from personnel import selectors

pytestmark = pytest.mark.django_db


def test_a_cut_connection_is_retried_not_answered_500(client, make_user, commune, monkeypatch):
    client.force_login(make_user("board_staff", commune))
    real = selectors.cadres_visible_to
    calls = []

    def cut_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return real(*args, **kwargs)

    monkeypatch.setattr(selectors, "cadres_visible_to", cut_once)
    client.raise_request_exception = False
    resp = client.get(reverse("personnel:cadre_list"))
    assert resp.status_code == 200 and len(calls) == 2


def test_other_database_errors_are_not_retried(client, make_user, commune, monkeypatch):
    client.force_login(make_user("board_staff", commune))
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise OperationalError("division by zero")

    monkeypatch.setattr(selectors, "cadres_visible_to", broken)
    client.raise_request_exception = False
    assert client.get(reverse("personnel:cadre_list")).status_code == 500
    assert len(calls) == 1
