from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congress.models import ListState
from congress.services import lists as svc
from personnel.models import AuditLog, FamilyRelation, Notification
from tests.congress.builders import congress_with_list, eligible_people
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(province, commune, other_commune, make_user):
    nl = congress_with_list(commune, seats=5)
    people = eligible_people(commune, 6, congress=nl.body.congress)
    return {
        "list": nl,
        "people": people,
        "secretary": make_user("secretary", commune),
        "staff": make_user("board_staff", province),
        "staff_same": make_user("board_staff", commune),
        "viewer": make_user("viewer", commune),
        "outsider": make_user("secretary", other_commune),
    }


def fill(scene, n=6):
    for c in scene["people"][:n]:
        svc.nominee_add(nominee_list=scene["list"], cadre=c, user=scene["secretary"])


def test_secretary_builds_and_submits_board_approves(scene):
    fill(scene)
    nl = scene["list"]
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    assert nl.state == ListState.SUBMITTED
    svc.nominee_list_approve(nominee_list=nl, user=scene["staff"])
    nl.refresh_from_db()
    assert nl.state == ListState.APPROVED
    edition = nl.editions.get()
    assert [n["name"] for n in edition.data["nominees"]][0] == scene["people"][0].full_name


def test_return_needs_a_remark_and_goes_back_to_the_secretary(scene):
    fill(scene)
    nl = scene["list"]
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    with pytest.raises(ValidationError):
        svc.nominee_list_return(nominee_list=nl, user=scene["staff"], remark="  ")
    svc.nominee_list_return(nominee_list=nl, user=scene["staff"], remark="Bổ sung cán bộ nữ")
    assert nl.state == ListState.RETURNED
    assert Notification.objects.filter(user=scene["secretary"], text__contains="trả lại").exists()
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    assert nl.state == ListState.SUBMITTED


def test_refused_transitions(scene):
    fill(scene)
    nl = scene["list"]
    with pytest.raises(ValidationError):  # approve a draft
        svc.nominee_list_approve(nominee_list=nl, user=scene["staff"])
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    with pytest.raises(ValidationError):  # submit twice
        svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    with pytest.raises(PermissionDenied):  # the secretary cannot approve
        svc.nominee_list_approve(nominee_list=nl, user=scene["secretary"])
    with pytest.raises(PermissionDenied):  # board staff of the same unit is not the level above
        svc.nominee_list_approve(nominee_list=nl, user=scene["staff_same"])
    with pytest.raises(ValidationError):  # a submitted list cannot be edited
        svc.nominee_add(nominee_list=nl, cadre=CadreFactory(unit=nl.unit), user=scene["secretary"])


def test_empty_list_cannot_be_submitted(scene):
    with pytest.raises(ValidationError, match="chưa có người"):
        svc.nominee_list_submit(nominee_list=scene["list"], user=scene["secretary"])


def test_approved_list_is_frozen_and_a_new_edition_keeps_the_old(scene):
    fill(scene)
    nl = scene["list"]
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    svc.nominee_list_approve(nominee_list=nl, user=scene["staff"])
    with pytest.raises(ValidationError):
        svc.nominee_remove(nominee=nl.nominees.first(), user=scene["secretary"])
    svc.nominee_list_reopen(nominee_list=nl, user=scene["staff"], remark="Thay đổi nhân sự")
    nl.refresh_from_db()
    assert nl.state == ListState.DRAFT and nl.edition == 2
    svc.nominee_remove(nominee=nl.nominees.first(), user=scene["secretary"])
    assert len(nl.editions.get(edition=1).data["nominees"]) == 6


def test_vetting_missing_blocks_approval_and_cannot_be_justified(scene):
    fill(scene)
    nl = scene["list"]
    unvetted = CadreFactory(unit=nl.unit, full_name="Chưa Thẩm Tra")
    svc.nominee_add(nominee_list=nl, cadre=unvetted, user=scene["secretary"])
    with pytest.raises(ValidationError, match="Quy định 58"):
        svc.justification_record(
            nominee_list=nl,
            user=scene["secretary"],
            code="VETTING_MISSING",
            people_key=str(unvetted.pk),
            text="Đang chờ",
        )
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    with pytest.raises(ValidationError, match="Chưa có kết luận tiêu chuẩn chính trị"):
        svc.nominee_list_approve(nominee_list=nl, user=scene["staff"])


def test_family_conflict_needs_an_approved_exception(scene):
    fill(scene)
    nl = scene["list"]
    a, b = scene["people"][0], scene["people"][1]
    FamilyRelation.objects.create(cadre=a, relation="spouse", relative=b)
    svc.nominee_update(
        nominee=nl.nominees.get(cadre=a),
        user=scene["secretary"],
        proposed_posts=["secretary"],
        notes="",
    )
    svc.nominee_update(
        nominee=nl.nominees.get(cadre=b),
        user=scene["secretary"],
        proposed_posts=["deputy_secretary"],
        notes="",
    )
    evaluation = svc.evaluate_list(nl)
    conflict = next(f for f in evaluation["findings"] if f["code"] == "FAMILY_CONFLICT")
    key = conflict["people_key"]
    svc.justification_record(
        nominee_list=nl,
        user=scene["secretary"],
        code="FAMILY_CONFLICT",
        people_key=key,
        text="Đề nghị cấp trên cho phép",
    )
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    with pytest.raises(ValidationError, match="Vướng quan hệ gia đình"):
        svc.nominee_list_approve(nominee_list=nl, user=scene["staff"])
    # The exception is recorded by board staff of the level above, not by the secretary.
    exception = {
        "code": "FAMILY_CONFLICT",
        "people_key": key,
        "approved_by_body": "Ban Thường vụ Tỉnh ủy",
        "approval_document": "15-CV/TU",
        "approval_date": date(2025, 6, 1),
    }
    for not_above in (scene["secretary"], scene["staff_same"]):
        with pytest.raises(PermissionDenied):
            svc.family_exception_record(nominee_list=nl, user=not_above, **exception)
    svc.family_exception_record(nominee_list=nl, user=scene["staff"], **exception)
    svc.nominee_list_approve(nominee_list=nl, user=scene["staff"])
    assert nl.state == ListState.APPROVED
    evaluation = svc.evaluate_list(nl)
    shown = next(f for f in evaluation["findings"] if f["code"] == "FAMILY_CONFLICT")
    assert shown["justification"].is_exception_approved  # shown as approved, not hidden
    assert shown["justification"].exception_recorded_by == scene["staff"]


def test_optimistic_lock_refuses_a_stale_save_and_says_what_changed(scene):
    fill(scene, 3)
    nl = scene["list"]
    nl.refresh_from_db()
    seen = nl.revision
    svc.nominee_add(
        nominee_list=nl, cadre=scene["people"][3], user=scene["staff"], expected_revision=seen
    )
    with pytest.raises(svc.StaleListError) as exc:
        svc.nominee_add(
            nominee_list=nl,
            cadre=scene["people"][4],
            user=scene["secretary"],
            expected_revision=seen,
        )
    assert any(c.after.get("name") == scene["people"][3].full_name for c in exc.value.changes)
    assert not nl.nominees.filter(cadre=scene["people"][4]).exists()


def test_secretary_cannot_add_people_from_another_unit_but_board_staff_can(scene, other_commune):
    stranger = CadreFactory(unit=other_commune)
    with pytest.raises(PermissionDenied):
        svc.nominee_add(nominee_list=scene["list"], cadre=stranger, user=scene["secretary"])
    svc.nominee_add(nominee_list=scene["list"], cadre=stranger, user=scene["staff"])


def test_outsider_cannot_edit(scene):
    with pytest.raises(PermissionDenied):
        svc.nominee_add(
            nominee_list=scene["list"], cadre=scene["people"][0], user=scene["outsider"]
        )


def test_every_change_writes_an_audit_row(scene):
    fill(scene, 3)
    nl = scene["list"]
    svc.nominee_list_submit(nominee_list=nl, user=scene["secretary"])
    actions = list(AuditLog.objects.filter(object_id=str(nl.pk)).values_list("action", flat=True))
    assert actions.count("nominee.add") == 3 and "list.submit" in actions
    row = AuditLog.objects.filter(action="list.submit").get()
    assert row.actor == scene["secretary"] and row.before == {"state": "draft"}
    with pytest.raises(PermissionDenied):
        row.delete()


def test_submit_notifies_the_board_above(scene):
    fill(scene, 3)
    svc.nominee_list_submit(nominee_list=scene["list"], user=scene["secretary"])
    assert Notification.objects.filter(user=scene["staff"]).exists()
    assert not Notification.objects.filter(user=scene["outsider"]).exists()


class TestRounds:
    def test_votes_pass_above_half_of_those_summoned(self, scene):
        fill(scene, 3)
        nl = scene["list"]
        a, b, c = scene["people"][:3]
        rnd = svc.nomination_round_record(
            nominee_list=nl,
            user=scene["secretary"],
            step=1,
            held_on=date(2025, 5, 2),
            summoned=20,
            votes={a.pk: (11, False), b.pk: (10, False), c.pk: (7, True)},
        )
        passed = {r["cadre"].pk: r["passed"] for r in svc.round_results(rnd)}
        assert passed == {a.pk: True, b.pk: False, c.pk: True}  # floor: > 30 %

    def test_more_votes_than_summoned_is_refused(self, scene):
        fill(scene, 1)
        a = scene["people"][0]
        with pytest.raises(ValidationError, match="lớn hơn số người được triệu tập"):
            svc.nomination_round_record(
                nominee_list=scene["list"],
                user=scene["secretary"],
                step=1,
                held_on=date(2025, 5, 2),
                summoned=10,
                votes={a.pk: (11, False)},
            )
        assert not scene["list"].rounds.exists()

    def test_negative_votes_refused(self, scene):
        fill(scene, 1)
        with pytest.raises(ValidationError, match="âm"):
            svc.nomination_round_record(
                nominee_list=scene["list"],
                user=scene["secretary"],
                step=1,
                held_on=date(2025, 5, 2),
                summoned=10,
                votes={scene["people"][0].pk: (-1, False)},
            )

    def test_rounds_out_of_order_refused(self, scene):
        fill(scene, 1)
        a = scene["people"][0]
        with pytest.raises(ValidationError, match="theo thứ tự"):
            svc.nomination_round_record(
                nominee_list=scene["list"],
                user=scene["secretary"],
                step=2,
                held_on=date(2025, 5, 2),
                summoned=10,
                votes={a.pk: (6, False)},
            )
        svc.nomination_round_record(
            nominee_list=scene["list"],
            user=scene["secretary"],
            step=1,
            held_on=date(2025, 5, 2),
            summoned=10,
            votes={a.pk: (6, False)},
        )
        with pytest.raises(ValidationError, match="trước ngày"):
            svc.nomination_round_record(
                nominee_list=scene["list"],
                user=scene["secretary"],
                step=2,
                held_on=date(2025, 5, 1),
                summoned=10,
                votes={a.pk: (6, False)},
            )


def test_adding_the_outgoing_committee_is_one_bulk_change_with_an_audit_row_each(scene):
    from personnel.models import CommitteeMembership, Term

    nl = scene["list"]
    prev = Term.objects.get(code="2020-2025")
    for c in scene["people"][:4]:
        CommitteeMembership.objects.create(cadre=c, unit=nl.unit, term=prev, body="executive")
    added = svc.nominee_add_outgoing(nominee_list=nl, user=scene["secretary"])
    assert len(added) == 4
    rows = AuditLog.objects.filter(action="nominee.add", object_id=str(nl.pk))
    assert rows.count() == 4
    assert {r.after["name"] for r in rows} == {c.full_name for c in scene["people"][:4]}
    assert all(r.actor == scene["secretary"] and r.after["bulk"] for r in rows)
    assert svc.nominee_add_outgoing(nominee_list=nl, user=scene["secretary"]) == []


def test_submit_sends_an_email_to_the_board(scene, mailoutbox, django_capture_on_commit_callbacks):
    scene["staff"].email = "btc@example.vn"
    scene["staff"].save()
    fill(scene, 3)
    with django_capture_on_commit_callbacks(execute=True):
        svc.nominee_list_submit(nominee_list=scene["list"], user=scene["secretary"])
    assert [m.to for m in mailoutbox] == [["btc@example.vn"]]
    assert "đã trình danh sách" in mailoutbox[0].body


def test_messages_name_people_without_database_ids(scene):
    fill(scene, 2)
    evaluation = svc.evaluate_list(scene["list"])
    person = scene["people"][0]
    messages = " ".join(f["message"] for f in evaluation["findings"])
    assert f"({person.pk})" not in messages
