"""Approval flow, permissions, audit, notifications, history, and use in a nominee list."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congress.models import Congress, CongressBody, Nominee, NomineeList
from personnel.models import AuditLog, Notification
from personnel.services.ruleset_versions import latest_ruleset
from planning.models import PlanningEntry, PlanningJustification, PlanningList
from planning.selectors import planning_findings
from planning.services import (
    planning_approve,
    planning_entry_add,
    planning_entry_remove,
    planning_entry_use,
    planning_return,
    planning_submit,
)

pytestmark = pytest.mark.django_db

DECISION = {"decision_number": "12-QĐ/TU", "decision_date": date(2026, 10, 1)}


@pytest.fixture
def entry(plist, person, post):
    return PlanningEntry.objects.create(
        planning_list=plist, cadre=person("Nguyễn Văn An"), post=post("secretary")
    )


@pytest.fixture
def broken(plist, person, post):
    """A committee member planned for 'member': one PLAN_NOT_HIGHER error."""
    return PlanningEntry.objects.create(
        planning_list=plist, cadre=person("Lê Văn Cường", holds=["member"]), post=post("member")
    )


def urls(plist, entry):
    """Every planning URL with the methods it accepts."""
    pk, e = plist.pk, entry.pk
    return {
        reverse("planning:index"): "GET",
        reverse("planning:create"): "POST",
        reverse("planning:detail", args=[pk]): "GET",
        reverse("planning:entry_add", args=[pk]): "GET POST",
        reverse("planning:entry_remove", args=[pk, e]): "GET POST",
        reverse("planning:entry_use", args=[pk, e]): "POST",
        reverse("planning:justify", args=[pk]): "POST",
        reverse("planning:submit", args=[pk]): "POST",
        reverse("planning:return", args=[pk]): "POST",
        reverse("planning:approve", args=[pk]): "POST",
        reverse("planning:review", args=[pk]): "GET",
        reverse("planning:review_confirm", args=[pk]): "POST",
        reverse("planning:review_record", args=[pk]): "POST",
        reverse("planning:history", args=[pk]): "GET",
    }


# --- permissions ------------------------------------------------------------------------


def test_another_communes_user_gets_404_on_every_planning_url(client, users, plist, entry):
    for who in ("outsider", "other_secretary"):
        client.force_login(users[who])
        for url, methods in urls(plist, entry).items():
            if url in (reverse("planning:index"), reverse("planning:create")):
                continue
            for method in methods.split():
                resp = getattr(client, method.lower())(url)
                assert resp.status_code == 404, (who, method, url)


def test_outsider_index_does_not_list_the_plan(client, users, plist):
    client.force_login(users["outsider"])
    body = client.get(reverse("planning:index")).content.decode()
    assert plist.unit.name not in body


def test_viewer_reads_but_gets_403_on_every_post(client, users, plist, entry):
    client.force_login(users["viewer"])
    for url, methods in urls(plist, entry).items():
        if (
            "GET" in methods
            and url != reverse("planning:entry_add", args=[plist.pk])
            and ("dua-ra" not in url)
        ):
            assert client.get(url).status_code == 200, url
        if "POST" in methods and url != reverse("planning:create"):
            assert client.post(url).status_code == 403, url
    assert client.get(reverse("planning:entry_add", args=[plist.pk])).status_code == 403
    assert PlanningEntry.objects.get(pk=entry.pk).removed_at is None


def test_viewer_cannot_create_a_plan(client, users, other_commune, term):
    client.force_login(users["viewer"])
    resp = client.post(reverse("planning:create"), {"unit": "X01", "term": term.pk})
    assert resp.status_code == 403
    # A unit outside the scope is not even named.
    client.force_login(users["secretary"])
    client.post(reverse("planning:create"), {"unit": "X02", "term": term.pk})
    assert not PlanningList.objects.filter(unit__code="X02", term=term).exists()
    assert not PlanningList.objects.filter(unit__code="X01", term=term).exists()


def test_wrong_methods_answer_405(client, users, plist, entry):
    client.force_login(users["secretary"])
    for url, methods in urls(plist, entry).items():
        if "POST" not in methods:
            assert client.post(url).status_code == 405, url
        if "GET" not in methods:
            assert client.get(url).status_code == 405, url
        assert client.put(url).status_code == 405, url


def test_secretary_opens_a_plan_and_adds_a_person(client, users, commune, person, post, term):
    client.force_login(users["secretary"])
    resp = client.post(reverse("planning:create"), {"unit": "X01", "term": term.pk})
    plist = PlanningList.objects.get(unit=commune, term=term)
    assert resp.status_code == 302
    c = person("Phạm Thị Dung", sex="female")
    page = client.get(reverse("planning:entry_add", args=[plist.pk]), {"q": "pham thi dung"})
    assert "Phạm Thị Dung" in page.content.decode()
    resp = client.post(
        reverse("planning:entry_add", args=[plist.pk]),
        {
            "cadre": c.pk,
            "post": post("deputy_secretary").pk,
            "since": "01/10/2026",
            "readiness_notes": "Sẵn sàng",
        },
    )
    assert resp.status_code == 302
    e = PlanningEntry.objects.get(planning_list=plist)
    assert (e.cadre, e.since, e.added_by) == (c, date(2026, 10, 1), users["secretary"])
    assert AuditLog.objects.filter(action="planning.entry_add", object_id=str(e.pk)).exists()
    assert AuditLog.objects.filter(action="planning.create", object_id=str(plist.pk)).exists()


def test_secretary_cannot_plan_someone_outside_the_unit(
    client, users, plist, person, post, other_commune
):
    client.force_login(users["secretary"])
    stranger = person("Trần Văn Bảo", unit=other_commune)
    client.post(
        reverse("planning:entry_add", args=[plist.pk]),
        {"cadre": stranger.pk, "post": post("secretary").pk, "since": "01/10/2026"},
    )
    assert not PlanningEntry.objects.filter(planning_list=plist).exists()
    with pytest.raises(ValidationError):
        planning_entry_add(
            planning_list=plist, cadre=stranger, post=post("secretary"), user=users["secretary"]
        )


def test_board_staff_of_the_same_unit_cannot_approve(client, users, plist, entry):
    planning_submit(planning_list=plist, user=users["secretary"])
    client.force_login(users["staff"])
    resp = client.post(
        reverse("planning:approve", args=[plist.pk]),
        {"decision_number": "1", "decision_date": "01/10/2026"},
    )
    assert resp.status_code == 403
    assert (
        client.post(reverse("planning:return", args=[plist.pk]), {"remark": "x"}).status_code == 403
    )
    with pytest.raises(PermissionDenied):
        planning_approve(planning_list=plist, user=users["staff"], **DECISION)
    assert PlanningList.objects.get(pk=plist.pk).state == "submitted"


def test_secretary_cannot_approve_own_plan(client, users, plist, entry):
    planning_submit(planning_list=plist, user=users["secretary"])
    client.force_login(users["secretary"])
    resp = client.post(
        reverse("planning:approve", args=[plist.pk]),
        {"decision_number": "1", "decision_date": "01/10/2026"},
    )
    assert resp.status_code == 403


# --- flow -------------------------------------------------------------------------------


def test_full_flow_submit_return_submit_approve(client, users, plist, entry):
    client.force_login(users["secretary"])
    assert (
        client.post(
            reverse("planning:submit", args=[plist.pk]), {"remark": "Kính trình"}
        ).status_code
        == 302
    )
    plist.refresh_from_db()
    assert plist.state == "submitted"
    assert Notification.objects.filter(user=users["above"], text__contains="chờ phê duyệt").exists()
    assert not Notification.objects.filter(user=users["staff"]).exists()

    client.force_login(users["above"])
    client.post(reverse("planning:return", args=[plist.pk]), {"remark": "Bổ sung cán bộ nữ"})
    plist.refresh_from_db()
    assert (plist.state, plist.remark) == ("returned", "Bổ sung cán bộ nữ")
    assert Notification.objects.filter(user=users["secretary"], text__contains="trả lại").exists()

    planning_submit(planning_list=plist, user=users["secretary"])
    client.force_login(users["above"])
    resp = client.post(
        reverse("planning:approve", args=[plist.pk]),
        {"decision_number": "12-QĐ/TU", "decision_date": "01/10/2026"},
    )
    assert resp.status_code == 302
    plist.refresh_from_db()
    assert (plist.state, plist.decision_number, plist.decision_date) == (
        "approved",
        "12-QĐ/TU",
        date(2026, 10, 1),
    )
    entry.refresh_from_db()
    assert (entry.decision_number, entry.decision_date) == ("12-QĐ/TU", date(2026, 10, 1))
    assert (
        Notification.objects.filter(user=users["secretary"], text__contains="phê duyệt").count()
        == 1
    )
    actions = list(
        AuditLog.objects.filter(object_type="planning.planninglist", object_id=str(plist.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["planning.submit", "planning.return", "planning.submit", "planning.approve"]


def test_approval_refused_while_an_error_is_unjustified(users, plist, broken):
    planning_submit(planning_list=plist, user=users["secretary"])
    with pytest.raises(ValidationError) as exc:
        planning_approve(planning_list=plist, user=users["above"], **DECISION)
    assert "PLAN_NOT_HIGHER" not in str(exc.value)  # the engine's Vietnamese message
    assert "Chưa giải trình" in exc.value.messages[0]
    assert PlanningList.objects.get(pk=plist.pk).state == "submitted"
    assert not AuditLog.objects.filter(action="planning.approve").exists()


def test_approval_passes_once_every_error_is_justified(client, users, plist, broken):
    client.force_login(users["secretary"])
    key = planning_findings(plist)[0]["people_key"]
    resp = client.post(
        reverse("planning:justify", args=[plist.pk]),
        {"code": "PLAN_NOT_HIGHER", "people_key": key, "text": "Quy hoạch lại theo chỉ đạo."},
    )
    assert resp.status_code == 302
    j = PlanningJustification.objects.get(planning_list=plist)
    assert (j.by, j.people_key) == (users["secretary"], key)
    assert AuditLog.objects.filter(action="planning.justify").exists()
    planning_submit(planning_list=plist, user=users["secretary"])
    planning_approve(planning_list=plist, user=users["above"], **DECISION)
    assert PlanningList.objects.get(pk=plist.pk).state == "approved"


def test_approve_view_shows_the_unjustified_error(client, users, plist, broken):
    planning_submit(planning_list=plist, user=users["secretary"])
    client.force_login(users["above"])
    resp = client.post(
        reverse("planning:approve", args=[plist.pk]),
        {"decision_number": "12-QĐ/TU", "decision_date": "01/10/2026"},
        follow=True,
    )
    assert "Chưa giải trình" in resp.content.decode()
    assert PlanningList.objects.get(pk=plist.pk).state == "submitted"


def test_submitted_plan_cannot_change_and_approved_plan_reopens(users, plist, entry, person, post):
    planning_submit(planning_list=plist, user=users["secretary"])
    with pytest.raises(ValidationError):
        planning_entry_add(
            planning_list=plist,
            cadre=person("Mới"),
            post=post("secretary"),
            user=users["secretary"],
        )
    planning_approve(planning_list=plist, user=users["above"], **DECISION)
    planning_entry_remove(entry=entry, reason="poor_health", user=users["secretary"])
    plist.refresh_from_db()
    assert plist.state == "draft"
    assert AuditLog.objects.filter(action="planning.reopen", object_id=str(plist.pk)).exists()


def test_return_needs_a_remark(users, plist, entry):
    planning_submit(planning_list=plist, user=users["secretary"])
    with pytest.raises(ValidationError):
        planning_return(planning_list=plist, user=users["above"], remark=" ")


def test_empty_plan_cannot_be_submitted(users, plist):
    with pytest.raises(ValidationError):
        planning_submit(planning_list=plist, user=users["secretary"])


# --- history ----------------------------------------------------------------------------


def test_history_shows_removed_entries_and_audit_rows(client, users, plist, entry):
    planning_entry_remove(
        entry=entry,
        reason="low_confidence",
        note="Tín nhiệm thấp khi lấy phiếu",
        user=users["staff"],
    )
    assert PlanningEntry.objects.filter(pk=entry.pk).exists()  # soft removal
    client.force_login(users["viewer"])
    body = client.get(reverse("planning:history", args=[plist.pk])).content.decode()
    assert "Nguyễn Văn An" in body
    assert "Tín nhiệm thấp" in body and "Tín nhiệm thấp khi lấy phiếu" in body
    # The audit row reads as a sentence, with the changed field before and after.
    assert "đưa Nguyễn Văn An ra khỏi quy hoạch chức danh Bí thư lúc" in body
    assert "Lý do đưa ra: (trống) → Tín nhiệm thấp" in body
    assert "planning.entry_remove" not in body
    detail = client.get(reverse("planning:detail", args=[plist.pk])).content.decode()
    assert "Chưa có người nào trong quy hoạch" in detail


# --- use in a nominee list --------------------------------------------------------------


@pytest.fixture
def nominee_list(commune):
    from personnel.models import Term

    congress = Congress.objects.create(
        unit=commune,
        term=Term.objects.get(code="2030-2035"),
        ruleset=latest_ruleset(),
        title="Đại hội Đảng bộ xã An Bình lần thứ II",
    )
    body = CongressBody.objects.create(congress=congress, kind="executive", seats=15)
    return NomineeList.objects.create(body=body)


def test_use_adds_the_planned_person_to_an_editable_nominee_list(users, entry, nominee_list):
    nominee = planning_entry_use(
        entry=entry, user=users["secretary"], target=f"nominee_list:{nominee_list.pk}"
    )
    assert nominee.cadre == entry.cadre and nominee.proposed_posts == ["secretary"]
    entry.refresh_from_db()
    assert entry.used_at is not None and entry.used_for
    nominee_list.refresh_from_db()
    assert nominee_list.revision == 2
    assert AuditLog.objects.filter(action="planning.entry_use", object_id=str(entry.pk)).exists()
    assert AuditLog.objects.filter(action="nominee.add", object_id=str(nominee_list.pk)).exists()


def test_use_refuses_a_list_no_longer_editable(users, entry, nominee_list):
    NomineeList.objects.filter(pk=nominee_list.pk).update(state="submitted")
    nominee_list.refresh_from_db()
    with pytest.raises(ValidationError):
        planning_entry_use(
            entry=entry, user=users["secretary"], target=f"nominee_list:{nominee_list.pk}"
        )
    assert not Nominee.objects.exists()
    assert PlanningEntry.objects.get(pk=entry.pk).used_at is None


def test_use_without_a_list_only_marks_the_entry(users, entry):
    assert planning_entry_use(entry=entry, user=users["secretary"]) is None
    assert PlanningEntry.objects.get(pk=entry.pk).used_at is not None


def test_planning_page_offers_the_button_for_an_editable_list(
    client, users, plist, entry, nominee_list
):
    client.force_login(users["secretary"])
    body = client.get(reverse("planning:detail", args=[plist.pk])).content.decode()
    assert "Đưa vào danh sách nhân sự" in body
    resp = client.post(
        reverse("planning:entry_use", args=[plist.pk, entry.pk]),
        {"target": f"nominee_list:{nominee_list.pk}"},
    )
    assert resp.status_code == 302
    assert Nominee.objects.filter(nominee_list=nominee_list, cadre=entry.cadre).exists()


def test_viewer_cannot_use(client, users, plist, entry, nominee_list):
    client.force_login(users["viewer"])
    resp = client.post(
        reverse("planning:entry_use", args=[plist.pk, entry.pk]),
        {"target": f"nominee_list:{nominee_list.pk}"},
    )
    assert resp.status_code == 403
    assert not Nominee.objects.exists()


# --- pages ------------------------------------------------------------------------------


def test_matrix_shows_people_findings_and_structure(client, users, plist, entry, broken):
    client.force_login(users["viewer"])
    body = client.get(reverse("planning:detail", args=[plist.pk])).content.decode()
    assert "Nguyễn Văn An" in body and "Lê Văn Cường" in body
    # The finding by its name, never its code (issue 15).
    assert "Chức danh quy hoạch không cao hơn chức danh đang giữ" in body
    assert "PLAN_NOT_HIGHER" not in body
    assert "Cán bộ nữ" in body and "Cán bộ trẻ (dưới 40 tuổi)" in body
    assert "Từ 40 đến 50 tuổi" in body
    assert ">50<" in body  # born 14/05/1980: 50 at the start of the term, 01/07/2030


def test_matrix_page_takes_a_bounded_number_of_queries(
    client, users, plist, person, post, django_assert_max_num_queries
):
    for i in range(3):
        PlanningEntry.objects.create(
            planning_list=plist, cadre=person(f"A{i}"), post=post("secretary")
        )
    client.force_login(users["viewer"])
    url = reverse("planning:detail", args=[plist.pk])
    client.get(url)
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    for i in range(30):
        PlanningEntry.objects.create(
            planning_list=plist, cadre=person(f"B{i}"), post=post("member")
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_index_takes_a_bounded_number_of_queries(
    client, users, province, term, django_assert_max_num_queries
):
    from tests.factories import UnitFactory

    def more(start, n):
        for i in range(start, start + n):
            PlanningList.objects.create(
                unit=UnitFactory(code=f"XQ{i}", level="commune", parent=province), term=term
            )

    more(0, 3)
    client.force_login(users["above"])
    client.get(reverse("planning:index"))
    with django_assert_max_num_queries(15) as small:
        resp = client.get(reverse("planning:index"))
    assert resp.status_code == 200
    more(3, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(reverse("planning:index")).content.decode()
    assert "XQ32" in body
