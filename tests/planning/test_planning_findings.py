"""Each PLAN_* rule of the engine, reached through the database (planning_findings)."""

from datetime import date

import pytest

from personnel.models import Tenure
from planning.models import PlanningEntry, PlanningList
from planning.selectors import planning_findings
from planning.services import planning_entry_add, planning_entry_remove
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def codes(findings):
    return sorted(f["code"] for f in findings)


def add(plist, cadre, code, post, user=None):
    return PlanningEntry.objects.create(planning_list=plist, cadre=cadre, post=post(code))


def test_three_people_for_a_post_pass_and_a_fourth_is_too_many(plist, person, post):
    people = [person(f"Người số {i}") for i in range(4)]
    for c in people[:3]:
        add(plist, c, "deputy_secretary", post)
    assert codes(planning_findings(plist)) == []
    add(plist, people[3], "deputy_secretary", post)
    found = planning_findings(plist)
    assert codes(found) == ["PLAN_TOO_MANY"]
    assert found[0]["people"] == sorted(str(c.pk) for c in people)
    assert (
        found[0]["people_key"] == ",".join(sorted(str(c.pk) for c in people)) + "@deputy_secretary"
    )
    assert found[0]["post"] == "deputy_secretary"
    assert "Quy định 377-QĐ/TW" in found[0]["message"]


def test_removed_entries_do_not_count_towards_a_post(plist, person, post, make_user, commune):
    user = make_user("secretary", commune)
    people = [person(f"Người số {i}") for i in range(4)]
    entries = [add(plist, c, "deputy_secretary", post) for c in people]
    assert codes(planning_findings(plist)) == ["PLAN_TOO_MANY"]
    planning_entry_remove(entry=entries[0], reason="poor_health", user=user)
    assert codes(planning_findings(plist)) == []


def test_three_posts_per_person_pass_and_a_fourth_is_too_many(plist, person, post):
    c = person(holds=["member"])
    for code in ("secretary", "deputy_secretary", "people_committee_chair"):
        add(plist, c, code, post)
    assert codes(planning_findings(plist)) == []
    add(plist, c, "standing_member", post)
    found = planning_findings(plist)
    assert codes(found) == ["PLAN_PERSON_TOO_MANY_POSTS"]
    assert found[0]["people"] == [str(c.pk)]


def test_posts_of_the_same_level_count_across_units(plist, person, post, province, term):
    """Three posts here and one in another commune's plan: four posts of the commune level."""
    c = person(holds=["member"])
    for code in ("secretary", "deputy_secretary", "people_committee_chair"):
        add(plist, c, code, post)
    neighbour = UnitFactory(code="X09", level="commune", parent=province)
    other = PlanningList.objects.create(unit=neighbour, term=term)
    add(other, c, "standing_member", post)
    assert codes(planning_findings(plist)) == ["PLAN_PERSON_TOO_MANY_POSTS"]
    # A plan of another level does not count.
    grass = UnitFactory(code="CS09", level="grassroots", parent=plist.unit)
    PlanningEntry.objects.filter(planning_list=other).delete()
    add(PlanningList.objects.create(unit=grass, term=term), c, "secretary", post)
    assert codes(planning_findings(plist)) == []


def test_same_rank_is_not_higher(plist, person, post):
    deputy = person("Phó Bí thư", holds=["deputy_secretary"])
    add(plist, deputy, "secretary", post)
    assert codes(planning_findings(plist)) == []
    add(plist, deputy, "deputy_secretary", post)
    found = planning_findings(plist)
    assert codes(found) == ["PLAN_NOT_HIGHER"]
    assert found[0]["people"] == [str(deputy.pk)]


def test_member_planned_for_member_is_not_higher(plist, person, post):
    member = person("Ủy viên", holds=["member"])
    add(plist, member, "member", post)
    assert codes(planning_findings(plist)) == ["PLAN_NOT_HIGHER"]


def test_equal_rank_of_another_post_is_not_higher(plist, person, post):
    """Chủ tịch UBND and Phó Bí thư have the same rank in the rule set."""
    chair = person(holds=["people_committee_chair"])
    add(plist, chair, "deputy_secretary", post)
    assert codes(planning_findings(plist)) == ["PLAN_NOT_HIGHER"]


def test_posts_held_elsewhere_or_ended_are_not_the_current_post(plist, person, post, grassroots):
    c = person(holds=[])
    Tenure.objects.create(cadre=c, post=post("secretary"), unit=grassroots, start=date(2020, 7, 1))
    Tenure.objects.create(
        cadre=c,
        post=post("secretary"),
        unit=plist.unit,
        start=date(2015, 7, 1),
        end=date(2020, 6, 30),
    )
    add(plist, c, "deputy_secretary", post)
    assert codes(planning_findings(plist)) == []


def test_working_time_exactly_the_minimum_passes(plist, person, post):
    # A man born 07/1973 retires at 62 on 01/07/2035: 60 months after 01/07/2030.
    c = person(birth=date(1973, 7, 1))
    add(plist, c, "secretary", post)
    assert codes(planning_findings(plist)) == []


def test_working_time_one_month_short_is_too_old(plist, person, post):
    c = person(birth=date(1973, 6, 1))
    add(plist, c, "secretary", post)
    found = planning_findings(plist)
    assert codes(found) == ["PLAN_AGE"]
    assert "59 tháng" in found[0]["message"]


def test_age_is_checked_once_per_person(plist, person, post):
    c = person(birth=date(1965, 1, 1))
    add(plist, c, "secretary", post)
    add(plist, c, "deputy_secretary", post)
    assert codes(planning_findings(plist)) == ["PLAN_AGE"]


def test_findings_carry_their_justification(plist, person, post, make_user, commune):
    from planning.selectors import unjustified_errors
    from planning.services import planning_justify

    member = person(holds=["member"])
    add(plist, member, "member", post)
    found = planning_findings(plist)
    assert len(unjustified_errors(found)) == 1
    planning_justify(
        planning_list=plist,
        code="PLAN_NOT_HIGHER",
        people_key=found[0]["people_key"],
        text="Đồng chí được điều động từ đơn vị khác về.",
        user=make_user("secretary", commune),
    )
    found = planning_findings(plist)
    assert found[0]["justification"].text.startswith("Đồng chí")
    assert unjustified_errors(found) == []


def test_findings_take_a_fixed_number_of_queries(
    plist, person, post, django_assert_max_num_queries
):
    for i in range(3):
        add(plist, person(f"A{i}", holds=["member"]), "deputy_secretary", post)
    planning_findings(plist)  # warm the rule-set row
    with django_assert_max_num_queries(6) as small:
        planning_findings(plist)
    for i in range(30):
        add(plist, person(f"B{i}", holds=["member"]), "standing_member", post)
    with django_assert_max_num_queries(len(small.captured_queries)):
        planning_findings(plist)


def test_entry_add_service_accepts_findings_and_reports_them(
    plist, person, post, make_user, commune
):
    user = make_user("secretary", commune)
    member = person(holds=["member"])
    planning_entry_add(planning_list=plist, cadre=member, post=post("member"), user=user)
    assert codes(planning_findings(plist)) == ["PLAN_NOT_HIGHER"]


def test_a_finding_about_a_post_is_shown_next_to_that_post_only(plist, person, post):
    from planning.selectors import planning_matrix

    deputy = person("Phó Bí thư", holds=["deputy_secretary"])
    add(plist, deputy, "secretary", post)
    add(plist, deputy, "deputy_secretary", post)
    rows = {r["post"].code: r["people"][0]["findings"] for r in planning_matrix(plist)["rows"]}
    assert [f["code"] for f in rows["deputy_secretary"]] == ["PLAN_NOT_HIGHER"]
    assert rows["secretary"] == []


def test_person_findings_are_shown_on_each_of_their_posts(plist, person, post):
    from planning.selectors import planning_matrix

    old = person("Lớn Tuổi", birth=date(1965, 1, 1))
    add(plist, old, "secretary", post)
    add(plist, old, "deputy_secretary", post)
    for row in planning_matrix(plist)["rows"]:
        assert [f["code"] for f in row["people"][0]["findings"]] == ["PLAN_AGE"]


def test_messages_name_people_without_database_ids(plist, person, post):
    people = [person(f"Người số {i}") for i in range(4)]
    for c in people:
        add(plist, c, "deputy_secretary", post)
    message = planning_findings(plist)[0]["message"]
    assert "Người số 0" in message
    assert f"({people[0].pk})" not in message
