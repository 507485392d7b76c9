"""A nomination round records what its vote-counting minutes state (time, place, the counting
board, those present, the ballots); a round without them cannot issue minutes, and the form
says which field is missing."""

import pytest
from django.urls import reverse

from congress.models import ReportJob
from congress.services import lists as svc
from tests.congress.builders import congress_with_list, eligible_people

pytestmark = pytest.mark.django_db

MINUTES = {
    "counting_started": "14:30",
    "minutes_finished": "16h15",
    "place": "Hội trường Đảng ủy xã",
    "counting_board": "Hồ Văn Kiểm\nMai Thị Phiếu\n\nĐỗ Văn Đếm",
    "present": "9",
    "ballots_issued": "9",
    "ballots_received": "9",
    "ballots_valid": "8",
    "ballots_invalid": "1",
}


@pytest.fixture
def scene(province, commune, make_user):
    nl = congress_with_list(commune, seats=3)
    people = eligible_people(commune, 4, congress=nl.body.congress)
    secretary = make_user("secretary", commune)
    for p in people:
        svc.nominee_add(nominee_list=nl, cadre=p, user=secretary)
    return {"list": nl, "people": people, "secretary": secretary}


def record(client, scene, **extra):
    data = {"step": 1, "held_on": "02/05/2025", "summoned": 10, **extra}
    for p in scene["people"]:
        data.setdefault(f"votes_{p.pk}", 7)
    return client.post(reverse("lists:round_record", args=[scene["list"].pk]), data)


def test_a_round_is_recorded_with_its_minutes(client, scene):
    client.force_login(scene["secretary"])
    assert record(client, scene, **MINUTES).status_code == 302
    rnd = scene["list"].rounds.get()
    assert rnd.minutes_gaps() == []
    assert rnd.counting_board == ["Hồ Văn Kiểm", "Mai Thị Phiếu", "Đỗ Văn Đếm"]
    assert (rnd.counting_started.hour, rnd.minutes_finished.minute) == (14, 15)
    assert (rnd.present, rnd.ballots_valid, rnd.ballots_invalid) == (9, 8, 1)
    page = client.get(reverse("lists:rounds", args=[scene["list"].pk])).content.decode()
    assert "In biên bản kiểm phiếu" in page and "Chưa in được biên bản" not in page


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"ballots_valid": "7"},
            "Số phiếu hợp lệ (7) cộng không hợp lệ (1) phải bằng số phiếu thu vào (9)",
        ),
        ({"present": "11"}, "Số người có mặt (11) lớn hơn số người được triệu tập (10)"),
        (
            {"ballots_issued": "10", "ballots_received": "10", "ballots_valid": "9"},
            "Số phiếu phát ra (10) lớn hơn số người có mặt (9)",
        ),
        ({"counting_started": "25:00"}, "Giờ bắt đầu kiểm phiếu: phải là giờ, phút"),
        (
            {"ballots_valid": "6", "ballots_invalid": "3"},
            "số phiếu (7) lớn hơn số phiếu hợp lệ (6)",
        ),
    ],
)
def test_inconsistent_minutes_are_refused_with_a_clear_message(client, scene, change, message):
    client.force_login(scene["secretary"])
    resp = record(client, scene, **{**MINUTES, **change})
    assert resp.status_code == 422
    assert message in resp.content.decode()
    assert not scene["list"].rounds.exists()


def test_a_member_of_the_counting_board_cannot_be_on_the_ballot(client, scene):
    client.force_login(scene["secretary"])
    on_ballot = scene["people"][0].full_name
    resp = record(client, scene, **{**MINUTES, "counting_board": f"Hồ Văn Kiểm\n{on_ballot}"})
    assert resp.status_code == 422
    assert f"{on_ballot} có tên trong danh sách giới thiệu" in resp.content.decode()


def test_a_round_without_its_minutes_says_what_is_missing_and_cannot_be_printed(
    client, scene, make_user, province
):
    client.force_login(scene["secretary"])
    assert record(client, scene, place="Hội trường").status_code == 302
    rnd = scene["list"].rounds.get()
    page = client.get(reverse("lists:rounds", args=[scene["list"].pk])).content.decode()
    assert "Chưa in được biên bản: còn thiếu giờ bắt đầu kiểm phiếu, giờ lập xong biên bản" in page
    assert "In biên bản kiểm phiếu" not in page
    # Asked for anyway, the documents form says which fields are missing; no job is queued.
    staff = make_user("board_staff", province)
    client.force_login(staff)
    resp = client.post(
        reverse("reports:create"),
        {
            "kind": "ballot-minutes",
            "unit": rnd.nominee_list.body.congress.unit.code,
            "round": rnd.pk,
        },
    )
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "còn thiếu: giờ bắt đầu kiểm phiếu" in body and "số phiếu không hợp lệ" in body
    assert not ReportJob.objects.exists()


def test_the_minutes_of_a_recorded_round_are_completed_later(client, scene):
    client.force_login(scene["secretary"])
    record(client, scene)
    rnd = scene["list"].rounds.get()
    assert "địa điểm" in rnd.minutes_gaps()
    url = reverse("lists:round_minutes", args=[scene["list"].pk, 1])
    resp = client.post(url, MINUTES)
    assert resp.status_code == 302
    rnd.refresh_from_db()
    assert rnd.minutes_gaps() == [] and rnd.place == "Hội trường Đảng ủy xã"
    # The votes are untouched.
    assert sorted(rnd.votes.values_list("votes", flat=True)) == [7, 7, 7, 7]


def test_a_viewer_may_not_complete_minutes(client, scene, make_user, commune):
    record_user = scene["secretary"]
    client.force_login(record_user)
    record(client, scene)
    client.force_login(make_user("viewer", commune))
    url = reverse("lists:round_minutes", args=[scene["list"].pk, 1])
    assert client.post(url, MINUTES).status_code == 403
    assert client.get(url).status_code == 405
