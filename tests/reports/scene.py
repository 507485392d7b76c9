"""A small, fixed congress for the document tests (and the golden texts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from congress.models import (
    Congress,
    CongressBody,
    FindingJustification,
    NominationRound,
    Nominee,
    NomineeList,
    RoundVote,
)
from congress.services.structure import recompute_structure
from personnel.models import (
    Achievement,
    Cadre,
    CommitteeMembership,
    FamilyRelation,
    PartyUnit,
    Post,
    Rating,
    RuleSetVersion,
    Tenure,
    Term,
    Training,
)
from vetting.models import VettingCase, VettingItem

SECRET = "NỘI DUNG MẬT KHÔNG ĐƯỢC IN"

PEOPLE = [
    # name, sex, birth, ethnicity, hometown, proposed, current post, incumbent
    (
        "Trần Văn Bảo",
        "male",
        date(1972, 3, 8),
        "Kinh",
        "xã An Bình, tỉnh Thử Nghiệm",
        ["secretary"],
        "secretary",
        True,
    ),
    (
        "Nguyễn Thị Ánh",
        "female",
        date(1985, 11, 2),
        "Kinh",
        "xã Bình Minh, tỉnh Thử Nghiệm",
        ["deputy_secretary"],
        "people_committee_vice_chair",
        True,
    ),
    (
        "Lê Thị Cúc",
        "female",
        date(1990, 6, 15),
        "Tày",
        "xã Na Rì, tỉnh Bắc Kạn",
        ["member"],
        "fatherland_front_chair",
        False,
    ),
    (
        "Phạm Văn Đức",
        "male",
        date(1978, 1, 20),
        "Kinh",
        "phường Đông Hải, tỉnh Thử Nghiệm",
        ["standing_member"],
        "inspection_chair",
        False,
    ),
    (
        "Đặng Quốc Hưng",
        "male",
        date(1968, 9, 30),
        "Kinh",
        "xã An Bình, tỉnh Thử Nghiệm",
        ["member"],
        "organization_head",
        True,
    ),
    (
        "Vũ Minh Khôi",
        "male",
        date(1993, 4, 4),
        "Kinh",
        "xã Tân Lập, tỉnh Thử Nghiệm",
        ["member"],
        "member",
        False,
    ),
]


@dataclass
class Scene:
    province: PartyUnit
    commune: PartyUnit
    congress: Congress
    nominee_list: NomineeList
    round: NominationRound
    cadres: list[Cadre]


def build_scene() -> Scene:
    province = PartyUnit.objects.create(
        code="T01",
        name="Đảng bộ tỉnh Thử Nghiệm",
        level="province",
        issuing_body="Tỉnh ủy Thử Nghiệm",
        document_place="Thử Nghiệm",
        signer_name="Lê Quang Minh",
        document_code="TU",
    )
    commune = PartyUnit.objects.create(
        code="X01",
        name="Đảng bộ xã An Bình",
        level="commune",
        parent=province,
        issuing_body="Đảng ủy xã An Bình",
        superior_body="Đảng bộ tỉnh Thử Nghiệm",
        document_place="Xã An Bình",
        signer_title="Bí thư",
        signer_name="Trần Văn Bảo",
        document_code="ĐU",
    )
    term = Term.objects.get(code="2025-2030")
    prev = Term.objects.get(code="2020-2025")
    ruleset = RuleSetVersion.objects.filter(code="CT45-2025").order_by("-version").first()
    congress = Congress.objects.create(
        unit=commune,
        term=term,
        ruleset=ruleset,
        held_on=date(2025, 7, 20),
        title="Đại hội Đảng bộ xã An Bình lần thứ I, nhiệm kỳ 2025-2030",
    )
    body = CongressBody.objects.create(congress=congress, kind="executive", seats=5)
    nl = NomineeList.objects.create(body=body)
    posts = {p.code: p for p in Post.objects.all()}
    cadres = []
    for i, (name, sex, born, eth, home, proposed, post, incumbent) in enumerate(PEOPLE):
        c = Cadre.objects.create(
            code=f"CB{i + 1:03d}",
            full_name=name,
            sex=sex,
            birth_date=born,
            ethnicity=eth,
            hometown=home,
            unit=commune,
            party_entry_date=date(born.year + 22, 5, 19),
            party_confirmed_date=date(born.year + 23, 5, 19),
            education="Đại học Luật" if i % 2 else "Thạc sĩ Quản lý công",
            political_theory="cao_cap" if i < 2 else "trung_cap",
            state_management="Chuyên viên chính",
            foreign_language="Tiếng Anh B1",
            it_skill="Ứng dụng CNTT cơ bản",
        )
        cadres.append(c)
        Tenure.objects.create(cadre=c, post=posts[post], unit=commune, start=date(2021, 1, 1))
        Tenure.objects.create(
            cadre=c,
            post=posts["member"],
            unit=commune,
            start=date(2015, 7, 1),
            end=date(2020, 12, 31),
        )
        if incumbent:
            CommitteeMembership.objects.create(cadre=c, unit=commune, term=prev, body="executive")
        CommitteeMembership.objects.create(cadre=c, unit=commune, term=term, body="executive")
        Nominee.objects.create(nominee_list=nl, cadre=c, order=i, proposed_posts=proposed)
        Achievement.objects.create(cadre=c, year=2024, title="Bằng khen của Ủy ban nhân dân tỉnh")
        Rating.objects.create(cadre=c, year=2024, level="good", points=85)
        if i < 5:
            case = VettingCase.objects.create(
                cadre=c,
                term=congress.term,
                conclusion="eligible",
                concluded_on=date(2025, 5, 10 + i),
                document_number=f"{20 + i}-KL/ĐU",
            )
            VettingItem.objects.create(case=case, kind="political_history", finding=SECRET)
    Training.objects.create(
        cadre=cadres[0],
        kind="Cao cấp lý luận chính trị",
        institution="Học viện Chính trị khu vực I",
        start=date(2016, 3, 1),
        end=date(2017, 9, 30),
        qualification="Bằng cao cấp",
    )
    FamilyRelation.objects.create(
        cadre=cadres[0], relation="spouse", relative_name="Ngô Thị Lan", relative_posts=[]
    )
    FindingJustification.objects.create(
        nominee_list=nl,
        code="VETTING_MISSING",
        people_key=str(cadres[5].pk),
        text="Đang chờ kết luận của Ủy ban Kiểm tra Tỉnh ủy, dự kiến trước ngày 30/6/2025.",
    )
    rnd = NominationRound.objects.create(
        nominee_list=nl, step=1, held_on=date(2025, 4, 15), summoned=25, present=24
    )
    for i, c in enumerate(cadres):
        RoundVote.objects.create(round=rnd, cadre=c, votes=22 - i * 2, is_floor_nomination=i == 5)
    recompute_structure(root=province)
    return Scene(province, commune, congress, nl, rnd, cadres)
