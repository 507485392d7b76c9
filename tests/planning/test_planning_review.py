"""The yearly review proposes exactly the removals the data implies."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from personnel.models import AuditLog, Discipline, Tenure
from planning.models import PlanningEntry
from planning.selectors import planning_review_proposals
from planning.services import planning_review_record
from vetting.models import VettingCase

pytestmark = pytest.mark.django_db


def add(plist, cadre, post, code, since=date(2025, 9, 1)):
    return PlanningEntry.objects.create(
        planning_list=plist, cadre=cadre, post=post(code), since=since
    )


def proposed(plist):
    return sorted((p["entry_id"], p["reason"]) for p in planning_review_proposals(plist))


def vetting(cadre, conclusion, when):
    return VettingCase.objects.create(
        cadre=cadre,
        conclusion=conclusion,
        requested_at=timezone.make_aware(datetime(when.year, when.month, when.day)),
    )


@pytest.fixture
def scene(plist, person, post, other_commune, grassroots):
    """One person per reason, and as many who must not be proposed."""
    s = {}
    s["clean"] = add(plist, person("Sạch Sẽ"), post, "secretary")
    # used: holds the planned post in the unit now; a held post elsewhere or another post is not
    appointed = person("Đã Bổ Nhiệm", holds=["deputy_secretary"])
    s["used"] = add(plist, appointed, post, "deputy_secretary")
    s["used_other_post"] = add(plist, appointed, post, "secretary")
    elsewhere = person("Giữ Chức Nơi Khác")
    Tenure.objects.create(
        cadre=elsewhere, post=post("deputy_secretary"), unit=grassroots, start=date(2025, 7, 1)
    )
    s["held_elsewhere"] = add(plist, elsewhere, post, "deputy_secretary")
    ended = person("Đã Thôi Chức")
    Tenure.objects.create(
        cadre=ended,
        post=post("people_committee_chair"),
        unit=plist.unit,
        start=date(2020, 7, 1),
        end=date(2025, 6, 30),
    )
    s["ended"] = add(plist, ended, post, "people_committee_chair")
    # over age: one month short of the minimum at 01/07/2030; exactly the minimum is kept
    s["over_age"] = add(plist, person("Quá Tuổi", birth=date(1973, 6, 1)), post, "secretary")
    s["just_in_age"] = add(plist, person("Vừa Đủ Tuổi", birth=date(1973, 7, 1)), post, "secretary")
    # disciplined: a reprimand after the entry was added; one before it does not count
    late = person("Kỷ Luật Sau")
    Discipline.objects.create(cadre=late, decided_on=date(2026, 2, 1), level="reprimand")
    s["disciplined"] = add(plist, late, post, "standing_member")
    early = person("Kỷ Luật Trước")
    Discipline.objects.create(cadre=early, decided_on=date(2024, 2, 1), level="warning")
    s["disciplined_before"] = add(plist, early, post, "standing_member")
    # ineligible: the latest case decides
    bad = person("Không Đạt")
    vetting(bad, "eligible", date(2024, 1, 1))
    vetting(bad, "ineligible", date(2026, 1, 1))
    s["ineligible"] = add(plist, bad, post, "people_council_chair")
    cleared = person("Đã Đạt Lại")
    vetting(cleared, "ineligible", date(2024, 1, 1))
    vetting(cleared, "eligible", date(2026, 1, 1))
    s["cleared"] = add(plist, cleared, post, "people_council_chair")
    # moved away: now in another commune; a grassroots unit below is still inside
    s["moved_away"] = add(plist, person("Chuyển Đi", unit=other_commune), post, "standing_member")
    s["below"] = add(plist, person("Ở Cơ Sở", unit=grassroots), post, "standing_member")
    # removed entries are not reviewed again
    gone = add(plist, person("Đã Ra", birth=date(1960, 1, 1)), post, "secretary")
    PlanningEntry.objects.filter(pk=gone.pk).update(
        removed_at=date(2026, 1, 1), removed_reason="other"
    )
    return s


def test_review_proposes_exactly_what_the_data_implies(scene, plist):
    assert proposed(plist) == sorted(
        [
            (scene["used"].pk, "used"),
            (scene["over_age"].pk, "over_age"),
            (scene["disciplined"].pk, "disciplined"),
            (scene["ineligible"].pk, "ineligible"),
            (scene["moved_away"].pk, "moved_away"),
        ]
    )


def test_one_person_can_have_several_reasons(plist, person, post, other_commune):
    c = person("Nhiều Lý Do", unit=other_commune, birth=date(1965, 1, 1))
    Discipline.objects.create(cadre=c, decided_on=date(2026, 3, 1), level="dismissal")
    e = add(plist, c, post, "secretary")
    assert proposed(plist) == [(e.pk, "disciplined"), (e.pk, "moved_away"), (e.pk, "over_age")]


def test_review_proposals_take_a_fixed_number_of_queries(
    scene, plist, person, post, django_assert_max_num_queries
):
    planning_review_proposals(plist)
    with django_assert_max_num_queries(6) as small:
        planning_review_proposals(plist)
    for i in range(20):
        add(plist, person(f"Thêm {i}"), post, "member")
    with django_assert_max_num_queries(len(small.captured_queries)):
        planning_review_proposals(plist)


def test_review_page_lists_proposals_and_one_click_confirms(client, users, scene, plist):
    client.force_login(users["secretary"])
    body = client.get(reverse("planning:review", args=[plist.pk])).content.decode()
    assert "Quá Tuổi" in body and "Không còn đủ tuổi quy hoạch" in body
    url = reverse("planning:review_confirm", args=[plist.pk])
    resp = client.post(url, {"entry": scene["over_age"].pk, "reason": "over_age"})
    assert resp.status_code == 302
    entry = PlanningEntry.objects.get(pk=scene["over_age"].pk)
    assert entry.removed_reason == "over_age"
    assert entry.removed_at == timezone.localdate()
    assert entry.removed_by == users["secretary"]
    assert "59 tháng" in entry.removed_note
    assert AuditLog.objects.filter(action="planning.entry_remove", object_id=str(entry.pk)).exists()
    # Not proposed: refused, nothing removed.
    client.post(url, {"entry": scene["clean"].pk, "reason": "used"})
    assert PlanningEntry.objects.get(pk=scene["clean"].pk).removed_at is None


def test_manual_removal_needs_a_reason_and_other_needs_a_note(client, users, scene, plist):
    client.force_login(users["secretary"])
    url = reverse("planning:entry_remove", args=[plist.pk, scene["clean"].pk])
    client.post(url, {"reason": "other", "on": "01/10/2026", "note": ""})
    assert PlanningEntry.objects.get(pk=scene["clean"].pk).removed_at is None
    resp = client.post(
        url, {"reason": "low_confidence", "on": "01/10/2026", "note": "Lấy phiếu thấp"}
    )
    assert resp.status_code == 302
    e = PlanningEntry.objects.get(pk=scene["clean"].pk)
    assert (e.removed_reason, e.removed_at) == ("low_confidence", date(2026, 10, 1))


def test_review_record_is_audited_with_the_year_changes(users, scene, plist):
    review = planning_review_record(
        planning_list=plist,
        user=users["secretary"],
        year=timezone.localdate().year,
        decided_on=timezone.localdate() - timedelta(days=1),
        decision_number="45-QĐ/ĐU",
        notes="Rà soát năm",
    )
    row = AuditLog.objects.get(action="planning.review", object_id=str(review.pk))
    assert row.after["decision_number"] == "45-QĐ/ĐU"
    assert row.after["added"] == PlanningEntry.objects.filter(planning_list=plist).count()
