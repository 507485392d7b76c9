import pytest
from django.urls import reverse

from congress.models import ListState
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
        "viewer": make_user("viewer", commune),
    }


def test_secretary_adds_through_htmx_and_sees_findings_update(client, scene):
    client.force_login(scene["secretary"])
    nl = scene["list"]
    url = reverse("lists:add", args=[nl.pk])
    resp = client.post(
        url, {"cadre": scene["people"][0].pk, "revision": nl.revision}, HTTP_HX_REQUEST="true"
    )
    assert resp.status_code == 200
    body = resp.content.decode()
    assert scene["people"][0].full_name in body
    # One person for three seats: the panel says so at once, in words, not as a code.
    assert "Không có số dư" in body
    assert "<html" not in body  # a fragment, not a page


def test_search_finds_unit_cadres_without_accents(client, scene):
    client.force_login(scene["secretary"])
    resp = client.get(reverse("lists:search", args=[scene["list"].pk]), {"q": "ung vien"})
    assert scene["people"][1].full_name in resp.content.decode()


def test_stale_save_answers_409_and_shows_the_change(client, scene):
    nl = scene["list"]
    nl.refresh_from_db()
    seen = nl.revision
    svc.nominee_add(nominee_list=nl, cadre=scene["people"][0], user=scene["staff"])
    client.force_login(scene["secretary"])
    resp = client.post(
        reverse("lists:add", args=[nl.pk]),
        {"cadre": scene["people"][1].pk, "revision": seen},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 409
    assert "đã được người khác thay đổi" in resp.content.decode()
    assert scene["people"][0].full_name in resp.content.decode()


def test_board_staff_returns_and_approves_from_the_page(client, scene):
    nl = scene["list"]
    for c in scene["people"]:
        svc.nominee_add(nominee_list=nl, cadre=c, user=scene["secretary"])
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    client.force_login(scene["staff"])
    page = client.get(reverse("lists:detail", args=[nl.pk])).content.decode()
    assert "Phê duyệt" in page and "Trả lại danh sách" in page
    resp = client.post(reverse("lists:return", args=[nl.pk]), {"remark": "Xem lại"})
    assert resp.status_code == 302
    nl.refresh_from_db()
    assert nl.state == ListState.RETURNED


def test_secretary_cannot_approve_403(client, scene):
    client.force_login(scene["secretary"])
    resp = client.post(reverse("lists:approve", args=[scene["list"].pk]))
    assert resp.status_code == 403


def test_viewer_reads_but_cannot_write(client, scene):
    client.force_login(scene["viewer"])
    assert client.get(reverse("lists:detail", args=[scene["list"].pk])).status_code == 200
    resp = client.post(
        reverse("lists:add", args=[scene["list"].pk]), {"cadre": scene["people"][0].pk}
    )
    assert resp.status_code == 403


def test_other_units_list_is_404(client, scene):
    client.force_login(scene["secretary"])
    assert client.get(reverse("lists:detail", args=[scene["other"].pk])).status_code == 404
    assert client.post(reverse("lists:add", args=[scene["other"].pk])).status_code == 404


def test_wrong_method_405(client, scene):
    client.force_login(scene["secretary"])
    assert client.get(reverse("lists:add", args=[scene["list"].pk])).status_code == 405
    assert client.post(reverse("lists:detail", args=[scene["list"].pk])).status_code == 405


def test_index_shows_only_scope(client, scene):
    client.force_login(scene["secretary"])
    body = client.get(reverse("lists:index")).content.decode()
    assert "Đảng bộ xã An Bình" in body
    assert "Bình Minh" not in body


def test_rounds_page_refuses_bad_votes_with_the_person_named(client, scene):
    nl = scene["list"]
    a = scene["people"][0]
    svc.nominee_add(nominee_list=nl, cadre=a, user=scene["secretary"])
    client.force_login(scene["secretary"])
    resp = client.post(
        reverse("lists:round_record", args=[nl.pk]),
        {"step": 1, "held_on": "02/05/2025", "summoned": 10, f"votes_{a.pk}": 12},
    )
    assert resp.status_code == 422
    assert a.full_name in resp.content.decode()
    assert not nl.rounds.exists()
    resp = client.post(
        reverse("lists:round_record", args=[nl.pk]),
        {"step": 1, "held_on": "02/05/2025", "summoned": 10, f"votes_{a.pk}": 6},
    )
    assert resp.status_code == 302
    assert nl.rounds.get().held_on.month == 5  # dd/mm/yyyy, day first


def test_history_lists_changes(client, scene):
    svc.nominee_add(nominee_list=scene["list"], cadre=scene["people"][0], user=scene["secretary"])
    client.force_login(scene["viewer"])
    body = client.get(reverse("lists:history", args=[scene["list"].pk])).content.decode()
    name = scene["people"][0].full_name
    assert f"thêm {name} vào danh sách lúc" in body
    assert "nominee.add" not in body and "{'" not in body


def test_list_page_draws_structure_and_age_charts(client, scene):
    for c in scene["people"]:
        svc.nominee_add(nominee_list=scene["list"], cadre=c, user=scene["secretary"])
    client.force_login(scene["secretary"])
    body = client.get(reverse("lists:detail", args=[scene["list"].pk])).content.decode()
    assert 'aria-label="Cơ cấu so với chỉ tiêu"' in body
    assert 'aria-label="Tháp tuổi theo giới tính"' in body


def test_secretary_edits_posts_and_notes_of_a_nominee(client, scene):
    nominee = svc.nominee_add(
        nominee_list=scene["list"], cadre=scene["people"][0], user=scene["secretary"]
    )
    client.force_login(scene["secretary"])
    resp = client.post(
        reverse("lists:update", args=[nominee.pk]),
        {"posts": ["deputy_secretary"], "notes": "Đề nghị giữ chức Phó Bí thư"},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200
    nominee.refresh_from_db()
    assert nominee.proposed_posts == ["deputy_secretary"]
    assert nominee.notes == "Đề nghị giữ chức Phó Bí thư"
    assert 'value="Đề nghị giữ chức Phó Bí thư"' in resp.content.decode()


def test_unknown_post_is_refused_with_its_code(client, scene):
    nominee = svc.nominee_add(
        nominee_list=scene["list"], cadre=scene["people"][0], user=scene["secretary"]
    )
    client.force_login(scene["secretary"])
    resp = client.post(
        reverse("lists:update", args=[nominee.pk]), {"posts": ["giam_doc"]}, HTTP_HX_REQUEST="true"
    )
    assert resp.status_code == 422
    assert "giam_doc" in resp.content.decode()


# Issue 15: the board's asks on a list


def test_several_people_are_added_at_once_each_with_a_post(client, scene):
    nl = scene["list"]
    a, b = scene["people"][:2]
    client.force_login(scene["secretary"])
    resp = client.post(
        reverse("lists:add_many", args=[nl.pk]),
        {"cadre": [a.pk, b.pk], f"post_{a.pk}": "deputy_secretary", f"post_{b.pk}": "member",
         "revision": nl.revision},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert resp.status_code == 200
    posts = {n.cadre_id: n.proposed_posts for n in nl.nominees.all()}
    assert posts == {a.pk: ["deputy_secretary"], b.pk: ["member"]}
    assert "Đã thêm" in resp.content.decode()


def test_one_refused_person_adds_nobody(client, scene):
    nl = scene["list"]
    a, b = scene["people"][:2]
    svc.nominee_add(nominee_list=nl, cadre=b, user=scene["secretary"])
    nl.refresh_from_db()
    client.force_login(scene["secretary"])
    resp = client.post(
        reverse("lists:add_many", args=[nl.pk]),
        {"cadre": [a.pk, b.pk], "revision": nl.revision},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 422
    assert "đã có trong danh sách" in resp.content.decode()
    assert not nl.nominees.filter(cadre=a).exists()


def test_a_grassroots_list_offers_and_accepts_only_its_levels_posts(client, grassroots, make_user):
    nl = congress_with_list(grassroots, seats=3)
    person = eligible_people(grassroots, 1, congress=nl.body.congress)[0]
    secretary = make_user("secretary", grassroots)
    nominee = svc.nominee_add(nominee_list=nl, cadre=person, user=secretary)
    client.force_login(secretary)
    body = client.get(reverse("lists:detail", args=[nl.pk])).content.decode()
    assert '<option value="deputy_secretary"' in body
    assert '<option value="people_committee_chair"' not in body
    assert '<option value="sector:tax"' not in body
    nl.refresh_from_db()
    resp = client.post(
        reverse("lists:update", args=[nominee.pk]),
        {"posts": ["people_committee_chair"], "revision": nl.revision},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 422
    assert "không có ở cấp của danh sách này" in resp.content.decode()


def test_a_returned_lists_remark_is_gone_once_approved(client, scene):
    nl = scene["list"]
    for c in scene["people"]:
        svc.nominee_add(nominee_list=nl, cadre=c, user=scene["secretary"])
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    svc.nominee_list_return(nominee_list=nl, user=scene["staff"], remark="Bổ sung cán bộ nữ")
    client.force_login(scene["secretary"])
    url = reverse("lists:detail", args=[nl.pk])
    assert "Bổ sung cán bộ nữ" in client.get(url).content.decode()
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    svc.nominee_list_approve(nominee_list=nl, user=scene["staff"])
    assert "Bổ sung cán bộ nữ" not in client.get(url).content.decode()
    assert "Bổ sung cán bộ nữ" not in client.get(reverse("home")).content.decode()


def test_a_removed_row_answers_404_saying_so(client, scene):
    nl = scene["list"]
    nominee = svc.nominee_add(nominee_list=nl, cadre=scene["people"][0], user=scene["staff"])
    gone = nominee.pk
    svc.nominee_remove(nominee=nominee, user=scene["staff"])
    client.force_login(scene["secretary"])
    resp = client.post(reverse("lists:remove", args=[gone]), HTTP_HX_REQUEST="true")
    assert resp.status_code == 404
    assert "không còn trong danh sách" in resp.content.decode()
    assert "data-refusal" in resp.content.decode()


def test_submitting_with_blocking_errors_names_them_before_asking(client, scene):
    nl = scene["list"]
    svc.nominee_add(nominee_list=nl, cadre=scene["people"][0], user=scene["secretary"])
    client.force_login(scene["secretary"])
    body = client.get(reverse("lists:detail", args=[nl.pk])).content.decode()
    question = body.split('hx-confirm="Danh sách còn', 1)[1].split('"', 1)[0]
    assert "lỗi chặn phê duyệt" in question and "Không có số dư" in question
    assert "SURPLUS" not in question


def test_the_list_exports_to_excel_and_prints(client, scene):
    from io import BytesIO

    from openpyxl import load_workbook

    nl = scene["list"]
    for c in scene["people"]:
        svc.nominee_add(nominee_list=nl, cadre=c, user=scene["secretary"])
    client.force_login(scene["viewer"])
    resp = client.get(reverse("lists:export", args=[nl.pk]))
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(resp.content))
    rows = list(book["Danh sách"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(scene["people"])
    assert rows[1][1] == scene["people"][0].full_name
    assert book["Danh sách"]["C2"].number_format == "DD/MM/YYYY"
    page = client.get(reverse("lists:print", args=[nl.pk])).content.decode()
    assert "In trang này" in page and scene["people"][0].full_name in page
    client.force_login(scene["secretary"])
    assert client.get(reverse("lists:export", args=[scene["other"].pk])).status_code == 404


def test_exporting_a_list_logs_a_dossier_access_for_each_person_in_it(client, scene):
    from personnel.models import DossierAccess

    nl = scene["list"]
    listed = scene["people"][:3]
    for c in listed:
        svc.nominee_add(nominee_list=nl, cadre=c, user=scene["secretary"])
    client.force_login(scene["viewer"])
    resp = client.get(reverse("lists:export", args=[nl.pk]), REMOTE_ADDR="192.0.2.9")
    assert resp.status_code == 200
    rows = DossierAccess.objects.filter(user=scene["viewer"])
    assert sorted(rows.values_list("cadre_id", flat=True)) == sorted(c.pk for c in listed)
    assert {(r.kind, r.ip_address) for r in rows} == {("export", "192.0.2.9")}
    assert all(r.label.startswith("danh-sach-") and r.label.endswith(".xlsx") for r in rows)
    # A list out of the user's sight is neither served nor logged.
    client.force_login(scene["secretary"])
    assert client.get(reverse("lists:export", args=[scene["other"].pk])).status_code == 404
    assert not DossierAccess.objects.filter(user=scene["secretary"]).exists()


def test_the_commune_secretary_hears_when_a_grassroots_unit_submits(
    scene, commune, grassroots, province, make_user
):
    from personnel.models import Notification

    nl = congress_with_list(grassroots, seats=1)
    people = eligible_people(grassroots, 2, congress=nl.body.congress)
    cell_secretary = make_user("secretary", grassroots)
    province_secretary = make_user("secretary", province)
    for p in people:
        svc.nominee_add(nominee_list=nl, cadre=p, user=cell_secretary)
    svc.nominee_list_submit(nominee_list=nl, user=cell_secretary)
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert scene["secretary"].pk in told  # the commune's secretary
    assert scene["staff"].pk in told  # the board above, who decides
    assert province_secretary.pk not in told
