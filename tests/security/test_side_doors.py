"""Issue 12, cases 2 and 3: the side doors of the nominee-list editor, tried as the tester
did, through the pages.

- A justification only on a draft or returned list, only of a finding the engine produced for
  that list (code and people), never carrying an exception the secretary typed.
- A family-relation exception recorded only by board staff of a level above.
- A nomination round only on a draft or returned list.
- The editor's search and add reach no further than the cadre pages.
"""

from datetime import date

import pytest
from django.urls import reverse

from congress.models import FindingJustification, ListState, NominationRound
from congress.services import lists as svc
from personnel.models import AuditLog, FamilyRelation
from tests.congress.builders import congress_with_list, eligible_people
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(province, commune, make_user):
    nl = congress_with_list(commune, seats=5)
    people = eligible_people(commune, 6, congress=nl.body.congress)
    secretary = make_user("secretary", commune)
    for c in people:
        svc.nominee_add(nominee_list=nl, cadre=c, user=secretary)
    # A married couple proposed for secretary and deputy: FAMILY_CONFLICT.
    a, b = people[0], people[1]
    FamilyRelation.objects.create(cadre=a, relation="spouse", relative=b)
    svc.nominee_update(
        nominee=nl.nominees.get(cadre=a), user=secretary, proposed_posts=["secretary"], notes=""
    )
    svc.nominee_update(
        nominee=nl.nominees.get(cadre=b),
        user=secretary,
        proposed_posts=["deputy_secretary"],
        notes="",
    )
    conflict = next(f for f in svc.evaluate_list(nl)["findings"] if f["code"] == "FAMILY_CONFLICT")
    return {
        "list": nl,
        "people": people,
        "key": conflict["people_key"],
        "secretary": secretary,
        "staff_above": make_user("board_staff", province),
        "staff_same": make_user("board_staff", commune),
    }


def _justify(client, nl, **data):
    return client.post(reverse("lists:justify", args=[nl.pk]), data)


def _exception(client, nl, key, **extra):
    data = {
        "code": "FAMILY_CONFLICT",
        "people_key": key,
        "approved_by_body": "Ban Thường vụ Tỉnh ủy",
        "approval_document": "15-CV/TU",
        "approval_date": "01/06/2025",
        **extra,
    }
    return client.post(reverse("lists:exception", args=[nl.pk]), data)


def _submit(scene):
    svc.nominee_list_submit(nominee_list=scene["list"], user=scene["secretary"])


def _approve(scene):
    """Submitted, justified, the exception recorded by the level above, approved."""
    nl = scene["list"]
    svc.justification_record(
        nominee_list=nl,
        user=scene["secretary"],
        code="FAMILY_CONFLICT",
        people_key=scene["key"],
        text="Đề nghị cấp trên cho phép",
    )
    _submit(scene)
    svc.family_exception_record(
        nominee_list=nl,
        user=scene["staff_above"],
        code="FAMILY_CONFLICT",
        people_key=scene["key"],
        approved_by_body="Ban Thường vụ Tỉnh ủy",
        approval_document="15-CV/TU",
        approval_date=date(2025, 6, 1),
    )
    svc.nominee_list_approve(nominee_list=nl, user=scene["staff_above"])
    nl.refresh_from_db()
    assert nl.state == ListState.APPROVED


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_secretary_cannot_justify_on_a_submitted_or_approved_list(client, scene, state):
    (_submit if state == "submitted" else _approve)(scene)
    nl = scene["list"]
    before = FindingJustification.objects.count()
    client.force_login(scene["secretary"])
    resp = _justify(
        client, nl, code="FAMILY_CONFLICT", people_key=scene["key"], text="Sửa sau khi trình"
    )
    assert resp.status_code in (302, 422)
    assert FindingJustification.objects.count() == before
    assert not AuditLog.objects.filter(action="justification.add", after__text="Sửa sau khi trình")


@pytest.mark.parametrize(
    "code, key",
    [("X_TEST", ""), ("FAMILY_CONFLICT", "999999,999998"), ("SURPLUS_NONE", "")],
)
def test_only_findings_the_engine_produced_for_the_list_can_be_justified(client, scene, code, key):
    client.force_login(scene["secretary"])
    resp = _justify(client, scene["list"], code=code, people_key=key, text="Giải trình")
    assert resp.status_code in (302, 422)
    assert not FindingJustification.objects.exists()


def test_the_secretary_cannot_type_the_exception_of_the_level_above(client, scene):
    """The secretary's form posts what it likes: the approval fields are never stored, and
    the exception view answers 403."""
    nl = scene["list"]
    client.force_login(scene["secretary"])
    resp = _justify(
        client,
        nl,
        code="FAMILY_CONFLICT",
        people_key=scene["key"],
        text="Đã được phê duyệt",
        approved_by_body="Ban Thường vụ Tỉnh ủy",
        approval_document="99-CV/TU",
        approval_date="01/06/2025",
    )
    assert resp.status_code == 302
    j = FindingJustification.objects.get()
    assert not j.is_exception_approved and j.approval_document == ""
    assert _exception(client, nl, scene["key"]).status_code == 403
    j.refresh_from_db()
    assert not j.is_exception_approved
    # So the list cannot be approved on the secretary's word.
    _submit(scene)
    with pytest.raises(Exception, match="Vướng quan hệ gia đình"):
        svc.nominee_list_approve(nominee_list=nl, user=scene["staff_above"])


def test_only_board_staff_of_a_level_above_records_the_exception(client, scene):
    nl = scene["list"]
    svc.justification_record(
        nominee_list=nl,
        user=scene["secretary"],
        code="FAMILY_CONFLICT",
        people_key=scene["key"],
        text="Đề nghị cấp trên cho phép",
    )
    _submit(scene)
    client.force_login(scene["staff_same"])
    assert _exception(client, nl, scene["key"]).status_code == 403
    client.force_login(scene["staff_above"])
    # Wrong people, wrong code: refused, nothing recorded.
    _exception(client, nl, "999998,999999")
    _exception(client, nl, scene["key"], code="X_TEST")
    assert not FindingJustification.objects.get().is_exception_approved
    resp = _exception(client, nl, scene["key"])
    assert resp.status_code == 302
    j = FindingJustification.objects.get()
    assert j.is_exception_approved and j.exception_recorded_by == scene["staff_above"]
    row = AuditLog.objects.get(action="justification.exception")
    assert row.actor == scene["staff_above"] and row.after["approval_document"] == "15-CV/TU"
    svc.nominee_list_approve(nominee_list=nl, user=scene["staff_above"])


def test_no_exception_once_the_list_is_approved(client, scene):
    _approve(scene)
    client.force_login(scene["staff_above"])
    before = list(FindingJustification.objects.values_list("approval_document", flat=True))
    resp = _exception(client, scene["list"], scene["key"], approval_document="77-CV/TU")
    assert resp.status_code in (302, 422)
    assert list(FindingJustification.objects.values_list("approval_document", flat=True)) == before


def _round(client, nl, step, people):
    data = {"step": step, "held_on": "02/05/2025", "summoned": 20}
    data.update({f"votes_{c.pk}": 15 for c in people})
    return client.post(reverse("lists:round_record", args=[nl.pk]), data)


def test_no_nomination_round_on_an_approved_list(client, scene):
    nl = scene["list"]
    for step in (1, 2, 3):
        svc.nomination_round_record(
            nominee_list=nl,
            user=scene["secretary"],
            step=step,
            held_on=date(2025, 5, step),
            summoned=20,
            votes={c.pk: (15, False) for c in scene["people"]},
        )
    _approve(scene)
    client.force_login(scene["secretary"])
    resp = _round(client, nl, 4, scene["people"])
    assert resp.status_code == 422
    assert "chỉ sửa được danh sách dự thảo hoặc bị trả lại" in resp.content.decode()
    assert not NominationRound.objects.filter(nominee_list=nl, step=4).exists()


def test_round_votes_only_for_people_on_the_list(scene):
    stranger = CadreFactory(unit=scene["list"].unit, full_name="Người Ngoài Danh Sách")
    with pytest.raises(Exception, match="không có trong danh sách"):
        svc.nomination_round_record(
            nominee_list=scene["list"],
            user=scene["secretary"],
            step=1,
            held_on=date(2025, 5, 2),
            summoned=20,
            votes={stranger.pk: (15, False)},
        )
    assert not NominationRound.objects.exists()


# --- case 3: the editor's search -----------------------------------------------------------


@pytest.fixture
def below(commune, scene):
    """A grassroots unit under the commune, with a cadre the commune's secretary (own unit
    only) must not reach: a Nguyễn with a CCCD."""
    unit = UnitFactory(code="CS77", name="Chi bộ thôn Bắc", level="grassroots", parent=commune)
    cadre = CadreFactory(
        unit=unit,
        full_name="Nguyễn Thị Cấp Dưới",
        citizen_id="072077123456",
        birth_date=date(1981, 2, 3),
    )
    return cadre


def test_the_search_reaches_no_further_than_the_cadre_pages(client, scene, below, commune):
    mine = CadreFactory(unit=commune, full_name="Nguyễn Văn Của Xã", citizen_id="072077999999")
    client.force_login(scene["secretary"])
    url = reverse("lists:search", args=[scene["list"].pk])
    # The page of the child unit's cadre is out of the secretary's sight...
    assert client.get(reverse("personnel:cadre_detail", args=[below.pk])).status_code == 404
    # ...and so is the cadre in the search, by name, by CCCD prefix and by the whole CCCD.
    body = client.get(url, {"q": "nguyen"}).content.decode()
    assert mine.full_name in body
    assert below.full_name not in body and "03/02/1981" not in body
    for q in ("072077", "072077123456", "Cấp Dưới"):
        body = client.get(url, {"q": q}).content.decode()
        assert below.full_name not in body, q
    # A CCCD prefix matches no one, not even the secretary's own cadre.
    assert mine.full_name not in client.get(url, {"q": "072077"}).content.decode()
    # "Everywhere" (board staff's search) gives the secretary nothing more.
    assert below.full_name not in client.get(url, {"q": "nguyen", "all": "1"}).content.decode()


def test_the_editor_cannot_add_a_cadre_out_of_sight(client, scene, below):
    nl = scene["list"]
    client.force_login(scene["secretary"])
    resp = client.post(reverse("lists:add", args=[nl.pk]), {"cadre": below.pk})
    assert resp.status_code == 404
    assert not nl.nominees.filter(cadre=below).exists()


def test_adding_the_outgoing_committee_adds_only_people_the_editor_sees(scene, below, commune):
    from personnel.models import CommitteeMembership, Term

    nl = scene["list"]
    nl.nominees.all().delete()
    prev = Term.objects.get(code="2020-2025")
    mine = CadreFactory(unit=commune, full_name="Ủy Viên Của Xã")
    for c in (mine, below):
        CommitteeMembership.objects.create(cadre=c, unit=commune, term=prev, body="executive")
    added = svc.nominee_add_outgoing(nominee_list=nl, user=scene["secretary"])
    assert [n.cadre for n in added] == [mine]
