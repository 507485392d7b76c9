import pytest
from django.urls import reverse
from django.utils import timezone

from congress.services.structure import recompute_structure
from personnel.models import Notification
from personnel.services.notifications import notify
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


def test_menu_badge_on_the_dashboard_counts_the_users_unread_notifications(
    client, province_scene, make_user
):
    """The dashboard counts the unread notifications in its data-version query (one query
    less on every page view); the badge must still be the user's own, current count, the
    page's body coming from the cache or not."""
    staff = province_scene["staff"]
    other = make_user("board_staff", province_scene["units"][0])
    notify([staff, staff, other], "Danh sách đã được gửi")
    notify([other], "Danh sách bị trả lại")
    client.force_login(staff)
    badge = '<span class="badge">{}</span>'
    assert badge.format(2) in client.get(reverse("dashboard")).content.decode()
    notify([staff], "Ảnh chụp cơ cấu đã được tính lại")
    body = client.get(reverse("dashboard")).content.decode()  # the body from the cache
    assert badge.format(3) in body
    Notification.objects.filter(user=staff).update(read_at=timezone.now())
    assert 'class="badge"' not in client.get(reverse("dashboard")).content.decode()
    # Another page after the dashboard counts for itself.
    notify([staff], "Có thông báo mới")
    client.get(reverse("dashboard"))
    assert badge.format(1) in client.get(reverse("home")).content.decode()


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


# Issue 15: the dashboard by term or congress, in Excel and in print


@pytest.fixture
def lists_scene(province, make_user):
    from congress.services import lists as svc
    from tests.congress.builders import congress_with_list, eligible_people

    units = communes(province, 2)
    now = congress_with_list(units[0], seats=3)
    old = congress_with_list(units[1], seats=3, term_code="2020-2025")
    staff = make_user("board_staff", province)
    for nl in (now, old):
        for person in eligible_people(nl.body.congress.unit, 4, congress=nl.body.congress):
            svc.nominee_add(nominee_list=nl, cadre=person, user=staff)
    recompute_structure(root=province)
    return {"units": units, "staff": staff, "now": now, "old": old}


def test_dashboard_filters_by_term_and_by_congress(client, lists_scene):
    client.force_login(lists_scene["staff"])
    units = lists_scene["units"]

    def table(**query):
        body = client.get(reverse("dashboard"), query).content.decode()
        return body.split('<table class="grid dashboard', 1)[1]

    rows = table(**{"nhiem-ky": "2020-2025"})
    assert units[1].name in rows and units[0].name not in rows
    rows = table(**{"nhiem-ky": "2025-2030"})
    assert units[0].name in rows and units[1].name not in rows
    congress = lists_scene["now"].body.congress
    rows = table(**{"dai-hoi": congress.pk})
    assert units[0].name in rows and units[1].name not in rows


def test_dashboard_exports_every_filtered_row_to_excel(client, province_scene):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(province_scene["staff"])
    resp = client.get(reverse("dashboard"), {"chua-dat": "female", "xuat": "excel"})
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(resp.content)).active.iter_rows(values_only=True))
    names = {r[0] for r in rows[1:]}
    units = province_scene["units"]
    assert names == {units[0].name, units[2].name}
    assert "Từ 40 đến 50 tuổi (%)" in rows[0]


def test_dashboard_print_view_has_every_row_and_no_filters(client, province_scene):
    client.force_login(province_scene["staff"])
    body = client.get(reverse("dashboard"), {"ban-in": "1"}).content.decode()
    assert "In trang này" in body and 'class="filters"' not in body
    for unit in province_scene["units"]:
        assert unit.name in body
