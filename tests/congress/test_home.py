import pytest
from django.urls import reverse

from congress.services import lists as svc
from tests.congress.builders import congress_with_list, eligible_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(province, commune, other_commune, make_user):
    nl = congress_with_list(commune, seats=3)
    people = eligible_people(commune, 4, congress=nl.body.congress)
    other = congress_with_list(other_commune, seats=3)
    return {
        "list": nl,
        "other": other,
        "people": people,
        "secretary": make_user("secretary", commune),
        "staff": make_user("board_staff", province),
    }


def test_secretary_home_shows_own_lists_and_what_is_missing(client, scene):
    client.force_login(scene["secretary"])
    body = client.get(reverse("home")).content.decode()
    assert "Danh sách nhân sự của đơn vị" in body
    assert "Chưa có người nào" in body
    assert "Bình Minh" not in body


def test_board_home_lists_submissions_waiting(client, scene):
    for c in scene["people"]:
        svc.nominee_add(nominee_list=scene["list"], cadre=c, user=scene["secretary"])
    svc.nominee_list_submit(nominee_list=scene["list"], user=scene["secretary"])
    client.force_login(scene["staff"])
    body = client.get(reverse("home")).content.decode()
    assert "Danh sách chờ thẩm định (1)" in body
    assert "Đảng bộ xã An Bình" in body


def test_board_home_draws_the_submission_progress(client, scene):
    client.force_login(scene["staff"])
    body = client.get(reverse("home")).content.decode()
    assert 'aria-label="Tiến độ danh sách nhân sự trong phạm vi"' in body
    assert "Dự thảo: 2 (100 %)" in body
