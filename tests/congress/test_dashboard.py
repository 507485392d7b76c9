import pytest
from django.urls import reverse

from congress.services.structure import recompute_structure
from tests.congress.builders import committee, communes

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_scene(province, make_user):
    units = communes(province, 4)
    committee(units[0], women=0, men=10)  # misses the women target
    committee(units[1], women=4, men=6)
    committee(units[2], women=1, men=12)  # misses it too
    committee(units[3], women=3, men=7)
    recompute_structure(root=province)
    return {"units": units, "staff": make_user("board_staff", province)}


def test_filter_finds_units_that_miss_the_women_target(client, province_scene):
    client.force_login(province_scene["staff"])
    body = client.get(reverse("dashboard"), {"chua-dat": "female"}).content.decode()
    units = province_scene["units"]
    assert units[0].name in body and units[2].name in body
    assert units[1].name not in body and units[3].name not in body


def test_sort_by_women_percent(client, province_scene):
    client.force_login(province_scene["staff"])
    body = client.get(reverse("dashboard"), {"sap-xep": "nu", "cap": "commune"}).content.decode()
    names = [u.name for u in province_scene["units"]]
    order = sorted(names, key=body.index)
    assert order == [names[0], names[2], names[3], names[1]]


def test_dashboard_query_count_is_bounded(client, province_scene, django_assert_max_num_queries):
    client.force_login(province_scene["staff"])
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(10):
        resp = client.get(reverse("dashboard"))
    assert resp.status_code == 200


def test_dashboard_counts_respect_scope(client, province_scene, make_user):
    viewer = make_user("viewer", province_scene["units"][1])
    client.force_login(viewer)
    body = client.get(reverse("dashboard")).content.decode()
    assert province_scene["units"][1].name in body
    assert province_scene["units"][0].name not in body
    assert 'class="n">1</span><span>đơn vị' in body


def test_dashboard_needs_login_and_get(client, province_scene):
    assert client.get(reverse("dashboard")).status_code == 302
    client.force_login(province_scene["staff"])
    assert client.post(reverse("dashboard")).status_code == 405


def test_cached_dashboard_follows_a_recompute(client, province_scene):
    from personnel.models import Cadre

    client.force_login(province_scene["staff"])
    url = reverse("dashboard")
    assert (
        province_scene["units"][1].name
        not in client.get(url, {"chua-dat": "female"}).content.decode()
    )
    # The women of a unit that met the target leave its committee...
    Cadre.objects.filter(unit=province_scene["units"][1], sex="female").update(sex="male")
    assert (
        province_scene["units"][1].name
        not in client.get(url, {"chua-dat": "female"}).content.decode()
    )
    # ...and once the structure is recomputed the dashboard shows it, cache or not.
    recompute_structure(root=province_scene["units"][1].parent)
    assert (
        province_scene["units"][1].name in client.get(url, {"chua-dat": "female"}).content.decode()
    )


def test_dashboard_answers_with_the_cache_down(client, province_scene, settings):
    """Redis down: the dashboard is built without its cache (slower), never a 500."""
    settings.CACHES = {
        "default": {
            "BACKEND": "congress.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    client.force_login(province_scene["staff"])
    resp = client.get(reverse("dashboard"))
    assert resp.status_code == 200
    assert province_scene["units"][0].name in resp.content.decode()
