"""A small, fixed congress for the document tests (and the golden texts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

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
    WorkHistory,
    Workplace,
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


# The vote-counting board of the scene's round: none of them is on the ballot.
COUNTING_BOARD = ["Hồ Văn Kiểm", "Mai Thị Phiếu", "Đỗ Văn Đếm"]


@dataclass
class Scene:
    province: PartyUnit
    commune: PartyUnit
    congress: Congress
    nominee_list: NomineeList
    round: NominationRound
    cadres: list[Cadre]
    ward: PartyUnit | None = None
    grassroots: PartyUnit | None = None
    cell: PartyUnit | None = None


def build_scene() -> Scene:
    province = PartyUnit.objects.create(
        code="T01",
        name="Đảng bộ tỉnh Thử Nghiệm",
        level="province",
        committee_name="Tỉnh ủy Thử Nghiệm",
        document_place="Thử Nghiệm",
        signer_name="Lê Quang Minh",
        issuer_code="TU",
    )
    commune = PartyUnit.objects.create(
        code="X01",
        name="Đảng bộ xã An Bình",
        level="commune",
        parent=province,
        committee_name="Đảng ủy xã An Bình",
        document_place="An Bình",
        signer_title="Bí thư",
        signer_name="Trần Văn Bảo",
        issuer_code="ĐU",
    )
    # A ward with a grassroots committee and a cell under it (no chi ủy: it issues as the
    # cell), for the headers of every kind of issuer.
    ward = PartyUnit.objects.create(
        code="P03",
        name="Đảng bộ phường Đông Hải",
        level="commune",
        parent=province,
        committee_name="Đảng ủy phường Đông Hải",
        document_place="Đông Hải",
        signer_name="Ngô Văn Hải",
        issuer_code="ĐU",
    )
    grassroots = PartyUnit.objects.create(
        code="P03.CS01",
        name="Đảng bộ Công an phường Đông Hải",
        level="grassroots",
        parent=ward,
        committee_name="Đảng ủy Công an phường Đông Hải",
        signer_name="Lý Văn Công",
        issuer_code="ĐU",
    )
    cell = PartyUnit.objects.create(
        code="P03.CS01.CB1",
        name="Chi bộ Tổ 1",
        level="cell",
        parent=grassroots,
        signer_name="Đinh Thị Tổ",
        issuer_code="CB",
    )
    ubnd = Workplace.objects.create(
        name="Ủy ban nhân dân xã An Bình",
        short_name="UBND xã An Bình",
        kind="people_committee",
        head_title="Chủ tịch",
        party_unit=commune,
    )
    front = Workplace.objects.create(
        name="Ủy ban Mặt trận Tổ quốc Việt Nam xã An Bình",
        short_name="Ủy ban MTTQ Việt Nam xã An Bình",
        kind="mass",
        head_title="Chủ tịch",
        party_unit=commune,
    )
    workplaces = {"people_committee_vice_chair": ubnd, "fatherland_front_chair": front}
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
        Tenure.objects.create(
            cadre=c,
            post=posts[post],
            unit=commune,
            workplace=workplaces.get(post),
            start=date(2021, 1, 1),
        )
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
                concluding_body="Ban Thường vụ Đảng ủy xã An Bình",
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
        cadre=cadres[0],
        relation="spouse",
        relative_name="Ngô Thị Lan",
        relative_posts=[],
        kinship="Vợ",
        birth_year=1975,
        hometown="xã Bình Minh, tỉnh Thử Nghiệm",
        occupation="Giáo viên",
        work_unit="Trường Tiểu học An Bình",
        residence="Thôn Đông, xã An Bình",
    )
    FamilyRelation.objects.create(
        cadre=cadres[0],
        relation="parent_in_law",
        relative_name="Ngô Văn Lộc",
        kinship="Bố vợ",
        birth_year=1948,
        hometown="xã Bình Minh, tỉnh Thử Nghiệm",
        occupation="Nghỉ hưu",
        residence="xã Bình Minh, tỉnh Thử Nghiệm",
    )
    FamilyRelation.objects.create(
        cadre=cadres[0],
        relation="parent",
        relative_name="Trần Văn Cả",
        kinship="Bố đẻ",
        birth_year=1945,
        hometown="xã An Bình, tỉnh Thử Nghiệm",
        occupation="Đã mất",
    )
    bao = cadres[0]
    bao.other_names = "Tư Bảo"
    bao.birth_place = "xã An Bình, tỉnh Thử Nghiệm"
    bao.permanent_address = "Thôn Đông, xã An Bình, tỉnh Thử Nghiệm"
    bao.current_address = "Thôn Đông, xã An Bình, tỉnh Thử Nghiệm"
    bao.recruitment_occupation = "Giáo viên"
    bao.recruited_on = date(1995, 9, 1)
    bao.recruiting_body = "Phòng Giáo dục huyện Thử"
    bao.main_duties = "Phụ trách chung"
    bao.salary_grade = "Chuyên viên chính (01.002)"
    bao.salary_step = 5
    bao.salary_coefficient = "5.76"
    bao.general_education = "12/12"
    bao.academic_title = "Thạc sĩ"
    bao.mass_org_joined = "26/03/1988, Đoàn Thanh niên Cộng sản Hồ Chí Minh"
    bao.health = "Tốt"
    bao.strengths = "Công tác tổ chức, cán bộ"
    bao.personal_history = "Không bị bắt, bị tù; không làm việc trong bộ máy của chế độ cũ."
    bao.save()
    WorkHistory.objects.create(
        cadre=bao,
        start=date(1995, 9, 1),
        end=date(2010, 6, 30),
        description="Giáo viên Trường Trung học cơ sở An Bình",
    )
    WorkHistory.objects.create(
        cadre=bao, start=date(2010, 7, 1), description="Bí thư Đảng ủy xã An Bình"
    )
    FindingJustification.objects.create(
        nominee_list=nl,
        code="VETTING_MISSING",
        people_key=str(cadres[5].pk),
        text="Đang chờ kết luận của Ủy ban Kiểm tra Tỉnh ủy, dự kiến trước ngày 30/6/2025.",
    )
    rnd = NominationRound.objects.create(
        nominee_list=nl,
        step=1,
        held_on=date(2025, 4, 15),
        summoned=25,
        present=24,
        counting_started=time(14, 30),
        minutes_finished=time(16, 15),
        place="Hội trường Đảng ủy xã An Bình",
        counting_board=COUNTING_BOARD,
        ballots_issued=24,
        ballots_received=24,
        ballots_valid=23,
        ballots_invalid=1,
    )
    for i, c in enumerate(cadres):
        RoundVote.objects.create(round=rnd, cadre=c, votes=22 - i * 2, is_floor_nomination=i == 5)
    recompute_structure(root=province)
    return Scene(province, commune, congress, nl, rnd, cadres, ward, grassroots, cell)
