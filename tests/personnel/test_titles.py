"""Titles as documents print them: composed from the workplace or the party body a post is
held in, party first, then state, then mass organisations; committees' names from the old
free-text settings."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from personnel.models import Post, Tenure, Workplace
from personnel.titles import (
    HeldPost,
    committee_name_from,
    committee_word,
    compose_title,
    current_titles,
    derive_committee_name,
    titles_of,
)
from tests.factories import CadreFactory


def held(code, name, group="party", rank=50, **kw):
    return HeldPost(post_code=code, post_name=name, group=group, rank=rank, **kw)


PROVINCE = {
    "unit_name": "Đảng bộ tỉnh An Hòa",
    "committee_name": "Tỉnh ủy An Hòa",
    "unit_level": "province",
}
COMMUNE = {
    "unit_name": "Đảng bộ xã Yên Tiến",
    "committee_name": "Đảng ủy xã Yên Tiến",
    "unit_level": "commune",
}


@pytest.mark.parametrize(
    "post, title",
    [
        (held("secretary", "Bí thư", **COMMUNE), "Bí thư Đảng ủy xã Yên Tiến"),
        (held("standing_member", "Ủy viên Ban Thường vụ", **PROVINCE), "Ủy viên Ban Thường vụ Tỉnh ủy An Hòa"),
        (held("member", "Ủy viên Ban Chấp hành", **PROVINCE), "Ủy viên Ban Chấp hành Đảng bộ tỉnh An Hòa"),
        (
            held("people_committee_vice_chair", "Phó Chủ tịch UBND", "state", workplace_title="Phó Chủ tịch",
                 workplace="UBND tỉnh An Hòa", **PROVINCE),
            "Phó Chủ tịch UBND tỉnh An Hòa",
        ),
        (
            held("sector:finance", "Trưởng phòng Tài chính", "state", is_head=True, workplace="Sở Tài chính",
                 head_title="Giám đốc", **PROVINCE),
            "Giám đốc Sở Tài chính",
        ),
        (
            held("sector:tax", "Chi cục trưởng Thuế", "state", is_head=True, title="Chi cục trưởng",
                 workplace="Chi cục Thuế khu vực XV", **PROVINCE),
            "Chi cục trưởng Chi cục Thuế khu vực XV",
        ),
        # Recorded without its workplace: named after the locality, never "UBND Đảng bộ …".
        (held("people_council_chair", "Chủ tịch HĐND", "state", **COMMUNE), "Chủ tịch HĐND xã Yên Tiến"),
        (
            held("secretary", "Bí thư", unit_name="Chi bộ Giáo viên", committee_name="Chi ủy Chi bộ Giáo viên",
                 unit_level="cell"),
            "Bí thư Chi bộ Giáo viên",
        ),
    ],
)  # fmt: skip
def test_a_title_is_composed_from_where_the_post_is_held(post, title):
    assert compose_title(post) == title


def test_concurrent_posts_party_first_then_state_then_mass():
    posts = [
        held("fatherland_front_chair", "Chủ tịch Ủy ban MTTQ", "state", rank=55, workplace="Ủy ban MTTQ Việt Nam tỉnh An Hòa",
             workplace_group="mass", workplace_title="Chủ tịch", **PROVINCE),
        held("people_committee_vice_chair", "Phó Chủ tịch UBND", "state", rank=60, workplace="UBND tỉnh An Hòa",
             workplace_title="Phó Chủ tịch", **PROVINCE),
        held("member", "Ủy viên Ban Chấp hành", rank=30, **PROVINCE),
        held("standing_member", "Ủy viên Ban Thường vụ", rank=70, **PROVINCE),
    ]  # fmt: skip
    assert titles_of(posts) == [
        "Ủy viên Ban Thường vụ Tỉnh ủy An Hòa",
        "Phó Chủ tịch UBND tỉnh An Hòa",
        "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh An Hòa",
    ]


@pytest.mark.parametrize(
    "old, name, level, committee",
    [
        ("TỈNH ỦY", "Đảng bộ tỉnh An Hòa", "province", "Tỉnh ủy An Hòa"),
        (
            "ĐẢNG ỦY PHƯỜNG YÊN TIẾN",
            "Đảng bộ phường Yên Tiến",
            "commune",
            "Đảng ủy phường Yên Tiến",
        ),
        ("Thành ủy Cần Thơ", "Đảng bộ thành phố Cần Thơ", "province", "Thành ủy Cần Thơ"),
        ("", "Đảng bộ huyện Tràng Triệu", "district", "Huyện ủy Tràng Triệu"),
        ("", "Đảng bộ Công ty cổ phần Đông Hải", "grassroots", "Đảng ủy Công ty cổ phần Đông Hải"),
        ("CHI BỘ GIÁO VIÊN", "Chi bộ Giáo viên", "cell", ""),
        ("", "Chi bộ Tổ 1", "cell", ""),
    ],
)
def test_committee_names_from_the_old_settings(old, name, level, committee):
    assert committee_name_from(old, name, level) == committee


def test_committee_words():
    assert committee_word("Tỉnh ủy An Hòa") == "Tỉnh ủy"
    assert committee_word("Đảng ủy xã Yên Tiến") == "Đảng ủy"
    assert derive_committee_name("Đảng bộ tỉnh An Hòa", "province") == "Tỉnh ủy An Hòa"


@pytest.mark.django_db
def test_current_titles_in_one_query(province, commune, django_assert_num_queries):
    commune.committee_name = "Đảng ủy xã An Bình"
    commune.save()
    ubnd = Workplace.objects.create(
        name="Ủy ban nhân dân xã An Bình", short_name="UBND xã An Bình", kind="people_committee",
        head_title="Chủ tịch", party_unit=commune,
    )  # fmt: skip
    a, b = CadreFactory(unit=commune), CadreFactory(unit=commune)
    posts = {p.code: p for p in Post.objects.all()}
    Tenure.objects.create(
        cadre=a,
        post=posts["people_committee_chair"],
        unit=commune,
        workplace=ubnd,
        start=date(2021, 1, 1),
    )
    Tenure.objects.create(
        cadre=a, post=posts["deputy_secretary"], unit=commune, start=date(2021, 1, 1)
    )
    Tenure.objects.create(
        cadre=b,
        post=posts["secretary"],
        unit=commune,
        start=date(2016, 1, 1),
        end=date(2020, 12, 31),
    )
    with django_assert_num_queries(1):
        titles = current_titles([a.pk, b.pk])
    assert titles == {a.pk: ["Phó Bí thư Đảng ủy xã An Bình", "Chủ tịch UBND xã An Bình"]}


@pytest.mark.django_db
def test_a_tenure_in_a_workplace_is_checked(province, commune, other_commune):
    posts = {p.code: p for p in Post.objects.all()}
    elsewhere = Workplace.objects.create(
        name="UBND xã khác", kind="people_committee", party_unit=other_commune
    )
    here = Workplace.objects.create(
        name="UBND xã An Bình", kind="people_committee", party_unit=commune
    )
    cadre = CadreFactory(unit=commune)
    with pytest.raises(ValidationError, match="không do"):
        Tenure(
            cadre=cadre,
            post=posts["people_committee_chair"],
            unit=commune,
            workplace=elsewhere,
            start=date(2021, 1, 1),
        ).full_clean()
    with pytest.raises(ValidationError, match="giữ trong cấp ủy"):
        Tenure(
            cadre=cadre,
            post=posts["secretary"],
            unit=commune,
            workplace=here,
            start=date(2021, 1, 1),
        ).full_clean()
    Tenure(cadre=cadre, post=posts["people_committee_chair"], unit=commune, workplace=here,
           start=date(2021, 1, 1)).full_clean()  # fmt: skip


@pytest.mark.django_db
def test_workplaces_form_a_tree_without_cycles(province):
    top = Workplace.objects.create(name="UBND tỉnh", kind="people_committee", party_unit=province)
    child = Workplace.objects.create(
        name="Sở Tài chính", kind="agency", parent=top, party_unit=province
    )
    top.parent = child
    with pytest.raises(ValidationError, match="không được là chính nó"):
        top.full_clean()
    assert child.group == "state"
    assert Workplace(kind="mass", name="Ủy ban MTTQ", party_unit=province).group == "mass"
