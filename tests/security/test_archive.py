"""No hard deletes of the records people rely on: they are archived, hidden from the normal
listings, kept with everything that hangs on them, readable in their pages and history, and
restored by board staff."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from congress.models import Congress, CongressBody, NomineeList
from congress.services import lists as svc
from personnel.models import AuditLog, Cadre, PartyUnit, Rating
from personnel.services.archive import archive, restore
from tests.congress.builders import congress_with_list, eligible_people
from tests.factories import CadreFactory, UnitFactory
from vetting.models import VettingCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(province, commune, make_user):
    nl = congress_with_list(commune, seats=3)
    people = eligible_people(commune, 4, congress=nl.body.congress)
    secretary = make_user("secretary", commune)
    for c in people[:3]:
        svc.nominee_add(nominee_list=nl, cadre=c, user=secretary)
    return {
        "list": nl,
        "people": people,
        "secretary": secretary,
        "staff": make_user("board_staff", province),
        "staff_commune": make_user("board_staff", commune),
    }


def test_records_people_rely_on_cannot_be_deleted(scene, commune):
    cadre = scene["people"][0]
    congress = scene["list"].body.congress
    for obj in (cadre, commune, congress, scene["list"], VettingCase.objects.first()):
        with pytest.raises(PermissionDenied):
            obj.delete()
        with pytest.raises(PermissionDenied):
            type(obj).objects.filter(pk=obj.pk).delete()
    # Nothing cascades: a body with lists is protected (the admin's inline delete says so).
    with pytest.raises(ProtectedError):
        CongressBody.objects.get(pk=scene["list"].body_id).delete()
    assert Congress.objects.filter(pk=congress.pk).exists()
    assert NomineeList.objects.get(pk=scene["list"].pk).nominees.count() == 3


def test_archive_hides_restores_and_keeps_everything(client, scene, commune):
    cadre = scene["people"][3]
    Rating.objects.create(cadre=cadre, year=2024, level="good")
    archive(obj=cadre, user=scene["staff"], reason="Chuyển công tác ngoài tỉnh")
    # Hidden from the listings and the editor's search...
    client.force_login(scene["secretary"])
    assert cadre.full_name not in client.get(reverse("personnel:cadre_list")).content.decode()
    search = client.get(reverse("lists:search", args=[scene["list"].pk]), {"q": "ung vien"})
    assert cadre.full_name not in search.content.decode()
    # ...and from adding to a list, even by a forged post.
    client.post(reverse("lists:add", args=[scene["list"].pk]), {"cadre": cadre.pk})
    assert not scene["list"].nominees.filter(cadre=cadre).exists()
    # Its page and history stay readable, saying it is archived.
    page = client.get(reverse("personnel:cadre_detail", args=[cadre.pk])).content.decode()
    assert "Đã lưu trữ" in page and "Chuyển công tác ngoài tỉnh" in page
    assert Rating.objects.filter(cadre=cadre).count() == 1
    # Board staff restore it from the archive page.
    client.force_login(scene["staff"])
    archive_page = client.get(reverse("personnel:archive_index")).content.decode()
    assert cadre.full_name in archive_page
    resp = client.post(reverse("personnel:cadre_restore", args=[cadre.pk]))
    assert resp.status_code == 302
    cadre.refresh_from_db()
    assert not cadre.is_archived
    actions = list(
        AuditLog.objects.filter(object_type="personnel.cadre", object_id=str(cadre.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["archive", "restore"]


def test_only_board_staff_archive_and_restore(client, scene):
    cadre = scene["people"][3]
    client.force_login(scene["secretary"])
    resp = client.post(reverse("personnel:cadre_archive", args=[cadre.pk]), {"reason": "x"})
    assert resp.status_code == 403
    with pytest.raises(PermissionDenied):
        archive(obj=cadre, user=scene["secretary"], reason="x")
    archive(obj=cadre, user=scene["staff"], reason="Nhập trùng")
    with pytest.raises(PermissionDenied):
        restore(obj=cadre, user=scene["secretary"])
    assert Cadre.objects.get(pk=cadre.pk).is_archived


def test_a_unit_is_archived_by_the_level_above_once_empty(scene, commune, province):
    with pytest.raises(PermissionDenied):  # not by board staff of the unit itself
        archive(obj=commune, user=scene["staff_commune"], reason="Sáp nhập")
    with pytest.raises(ValidationError, match="cán bộ"):
        archive(obj=commune, user=scene["staff"], reason="Sáp nhập")
    empty = UnitFactory(code="X99", parent=province)
    archive(obj=empty, user=scene["staff"], reason="Sáp nhập")
    assert PartyUnit.objects.archived().filter(pk=empty.pk).exists()


def test_an_archived_list_is_read_only_and_still_evaluates(client, scene):
    nl = scene["list"]
    archive(obj=scene["people"][0], user=scene["staff"], reason="Nghỉ hưu")
    # The engine still evaluates a list whose nominee's record was archived.
    assert len(svc.evaluate_list(nl)["people"]) == 3
    archive(obj=nl, user=scene["staff"], reason="Lập nhầm")
    with pytest.raises(ValidationError, match="lưu trữ"):
        svc.nominee_add(nominee_list=nl, cadre=scene["people"][3], user=scene["secretary"])
    with pytest.raises(ValidationError, match="lưu trữ"):
        svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    client.force_login(scene["secretary"])
    assert client.get(reverse("lists:detail", args=[nl.pk])).status_code == 200
    assert "Đã lưu trữ" in client.get(reverse("lists:detail", args=[nl.pk])).content.decode()
    assert (
        f'href="{reverse("lists:detail", args=[nl.pk])}"'
        not in client.get(reverse("lists:index")).content.decode()
    )


def test_archiving_a_congress_withdraws_its_lists(scene):
    nl = scene["list"]
    archive(obj=nl.body.congress, user=scene["staff"], reason="Hoãn đại hội")
    nl = NomineeList.objects.get(pk=nl.pk)
    assert nl.is_withdrawn and not nl.is_editable
    with pytest.raises(ValidationError):
        svc.nominee_add(nominee_list=nl, cadre=scene["people"][3], user=scene["secretary"])


def test_restore_by_board_staff_from_the_pages(client, scene):
    nl = scene["list"]
    client.force_login(scene["staff"])
    resp = client.post(reverse("lists:archive", args=[nl.pk]), {"reason": "Lập nhầm"})
    assert resp.status_code == 302 and NomineeList.objects.get(pk=nl.pk).is_archived
    assert "Lập nhầm" in client.get(reverse("personnel:archive_index")).content.decode()
    client.post(reverse("lists:restore", args=[nl.pk]))
    assert not NomineeList.objects.get(pk=nl.pk).is_archived


def test_archive_needs_a_reason(client, scene):
    cadre = CadreFactory(unit=scene["list"].unit)
    client.force_login(scene["staff"])
    client.post(reverse("personnel:cadre_archive", args=[cadre.pk]), {"reason": "  "})
    assert not Cadre.objects.get(pk=cadre.pk).is_archived


def test_the_archive_page_shows_only_the_users_reach(client, scene, other_commune, make_user):
    theirs = CadreFactory(unit=other_commune, full_name="Người Xã Khác Đã Lưu Trữ")
    mine = CadreFactory(unit=scene["list"].unit, full_name="Người Xã Mình Đã Lưu Trữ")
    for c in (theirs, mine):
        archive(obj=c, user=scene["staff"], reason="Kiểm thử")
    client.force_login(scene["staff_commune"])
    page = client.get(reverse("personnel:archive_index")).content.decode()
    assert mine.full_name in page and theirs.full_name not in page
    client.force_login(scene["secretary"])
    assert client.get(reverse("personnel:archive_index")).status_code == 403
