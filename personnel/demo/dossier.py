"""What the demo registry adds for the official documents: the committees' names and issuer
codes, the workplaces where state and mass-organisation posts are held (with Vietnamese
names), every field of a cadre's résumé (form 2C), the work history and the details of
family relations.

Pure functions over the planner's records, drawing from a generator of their own (`drng`),
so the data the earlier demo steps make is the same with or without them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from personnel.titles import derive_committee_name

# --------------------------------------------------------------------------------------
# Committees and issuers


def document_settings(unit, signer: str, province_name: str) -> dict[str, str]:
    """A unit's names and signer for the documents: its committee (none for a cell without
    a chi ủy), its registered abbreviation, the place of its date line."""
    if unit.level in ("province", "district", "commune"):
        committee = derive_committee_name(unit.name, unit.level)
        code = {"province": "TU", "district": "HU", "commune": "ĐU"}[unit.level]
    elif unit.kind == "committee":
        committee = derive_committee_name(unit.name, unit.level)
        code = "ĐU"
    else:
        # A cell: the larger ones have a chi ủy, the others issue as the cell.
        committee = f"Chi ủy {unit.name}" if len(unit.cadres) >= 9 else ""
        code = "CB"
    return {
        "committee_name": committee,
        "issuer_code": code,
        "document_place": unit.place if unit.level != "province" else province_name,
        "signer_title": "Bí thư",
        "signer_name": signer,
    }


# --------------------------------------------------------------------------------------
# Workplaces


@dataclass(frozen=True)
class WorkplaceSpec:
    key: str  # what the posts refer to: "council", "committee", "front", "sector:…"
    name: str
    short_name: str
    kind: str
    head_title: str
    parent: str | None = None  # key of the parent workplace


PROVINCE_SECTORS = {
    "sector:internal_affairs": (
        "Sở Nội vụ tỉnh {p}",
        "Sở Nội vụ tỉnh {p}",
        "agency",
        "Giám đốc",
        "committee",
    ),
    "sector:inspectorate": (
        "Thanh tra tỉnh {p}",
        "Thanh tra tỉnh {p}",
        "justice",
        "Chánh Thanh tra",
        "committee",
    ),
    "sector:finance": (
        "Sở Tài chính tỉnh {p}",
        "Sở Tài chính tỉnh {p}",
        "agency",
        "Giám đốc",
        "committee",
    ),
    "sector:banking": (
        "Ngân hàng Nhà nước Chi nhánh tỉnh {p}",
        "Ngân hàng Nhà nước Chi nhánh tỉnh {p}",
        "agency",
        "Giám đốc",
        None,
    ),
    "sector:tax": (
        "Chi cục Thuế khu vực XV",
        "Chi cục Thuế khu vực XV",
        "agency",
        "Chi cục trưởng",
        None,
    ),
    "sector:customs": (
        "Chi cục Hải quan khu vực XII",
        "Chi cục Hải quan khu vực XII",
        "agency",
        "Chi cục trưởng",
        None,
    ),
    "sector:industry_trade": (
        "Sở Công Thương tỉnh {p}",
        "Sở Công Thương tỉnh {p}",
        "agency",
        "Giám đốc",
        "committee",
    ),
    "sector:planning_investment": (
        "Sở Kế hoạch và Đầu tư tỉnh {p}",
        "Sở Kế hoạch và Đầu tư tỉnh {p}",
        "agency",
        "Giám đốc",
        "committee",
    ),
    "sector:natural_resources": (
        "Sở Nông nghiệp và Môi trường tỉnh {p}",
        "Sở Nông nghiệp và Môi trường tỉnh {p}",
        "agency",
        "Giám đốc",
        "committee",
    ),
    "sector:military": (
        "Bộ Chỉ huy Quân sự tỉnh {p}",
        "Bộ Chỉ huy Quân sự tỉnh {p}",
        "armed",
        "Chỉ huy trưởng",
        None,
    ),
    "sector:police": ("Công an tỉnh {p}", "Công an tỉnh {p}", "armed", "Giám đốc", None),
    "sector:court": (
        "Tòa án nhân dân tỉnh {p}",
        "Tòa án nhân dân tỉnh {p}",
        "justice",
        "Chánh án",
        None,
    ),
    "sector:procuracy": (
        "Viện Kiểm sát nhân dân tỉnh {p}",
        "Viện Kiểm sát nhân dân tỉnh {p}",
        "justice",
        "Viện trưởng",
        None,
    ),
}


def workplaces_of(unit) -> list[WorkplaceSpec]:
    """The workplaces a provincial or commune đảng bộ leads (a former unit: none; its
    historical posts are titled after its locality)."""
    if not unit.active or unit.level not in ("province", "commune"):
        return []
    where = unit.name.removeprefix("Đảng bộ ")  # "tỉnh An Hòa", "xã Yên Tiến"
    out = [
        WorkplaceSpec(
            "council", f"Hội đồng nhân dân {where}", f"HĐND {where}", "people_council", "Chủ tịch"
        ),
        WorkplaceSpec(
            "committee", f"Ủy ban nhân dân {where}", f"UBND {where}", "people_committee", "Chủ tịch"
        ),
        WorkplaceSpec(
            "front",
            f"Ủy ban Mặt trận Tổ quốc Việt Nam {where}",
            f"Ủy ban MTTQ Việt Nam {where}",
            "mass",
            "Chủ tịch",
        ),
    ]
    if unit.level == "province":
        for key, (name, short, kind, head, parent) in PROVINCE_SECTORS.items():
            p = unit.place
            out.append(WorkplaceSpec(key, name.format(p=p), short.format(p=p), kind, head, parent))
        out.append(
            WorkplaceSpec(
                "union",
                f"Liên đoàn Lao động tỉnh {unit.place}",
                f"Liên đoàn Lao động tỉnh {unit.place}",
                "mass",
                "Chủ tịch",
            )
        )
    else:
        out += [
            WorkplaceSpec(
                "sector:police", f"Công an {where}", f"Công an {where}", "armed", "Trưởng"
            ),
            WorkplaceSpec(
                "sector:military",
                f"Ban Chỉ huy Quân sự {where}",
                f"Ban Chỉ huy Quân sự {where}",
                "armed",
                "Chỉ huy trưởng",
            ),
        ]
    return out


POST_WORKPLACE = {
    "people_council_chair": "council",
    "people_council_vice_chair": "council",
    "people_committee_chair": "committee",
    "people_committee_vice_chair": "committee",
    "fatherland_front_chair": "front",
}


def workplace_key(post: str) -> str | None:
    if post.startswith("sector:"):
        return post
    return POST_WORKPLACE.get(post)


# --------------------------------------------------------------------------------------
# The résumé's fields

STRENGTHS = [
    "Công tác tổ chức, cán bộ",
    "Quản lý kinh tế",
    "Công tác dân vận",
    "Quản lý hành chính nhà nước",
    "Công tác tuyên giáo",
    "Công tác kiểm tra, giám sát",
    "Quản lý tài chính, ngân sách",
    "Giáo dục, đào tạo",
]
HONOURS = ["Chiến sĩ thi đua cấp tỉnh", "Chiến sĩ thi đua cơ sở", "Nhà giáo ưu tú"]
OTHER_NAMES = ["Tư", "Út", "Hai", "Ba", "Năm", "Sáu"]
HAMLETS = [
    "Thôn Đông",
    "Thôn Tây",
    "Thôn Trung",
    "Khu phố 1",
    "Khu phố 2",
    "Thôn Tân Lập",
    "Thôn Hòa Bình",
]


def _recruitment(education: str) -> tuple[str, str]:
    """The occupation when recruited, and the salary grade it led to."""
    e = education.lower()
    if "sư phạm" in e:
        return "Giáo viên", "Giáo viên trung học cơ sở hạng II (V.07.04.31)"
    if "công an" in e:
        return "Cán bộ công an", ""
    if "quân sự" in e:
        return "Quân nhân", ""
    if "bác sĩ" in e:
        return "Bác sĩ", "Bác sĩ (V.08.01.03)"
    if "kỹ sư" in e:
        return "Kỹ sư", "Kỹ sư (V.05.02.07)"
    return "Cán bộ", "Chuyên viên (01.003)"


@dataclass
class Dossier:
    fields: dict
    history: list[tuple[date, date | None, str]]


def dossier_of(c, unit, drng: random.Random, province_name: str) -> Dossier:
    """Every 2C field of one planned cadre (`c`, a CadrePlan) of `unit` (a UnitPlan)."""
    place = unit.place if unit.level != "province" else province_name
    word = "phường" if "phường" in unit.name else "xã"
    home = (
        f"{drng.choice(HAMLETS)}, {word} {place}, tỉnh {province_name}"
        if unit.level != "province"
        else (
            f"{drng.choice(HAMLETS)}, xã {drng.choice(['Đông Hải', 'Tân Lập', 'Hòa Bình'])}, tỉnh {province_name}"
        )
    )
    occupation, grade = _recruitment(c.education)
    recruited = _years(c.birth, 22 + drng.randrange(5)) + timedelta(days=drng.randrange(200))
    recruited = min(recruited, date(2024, 6, 30))
    step = 1 + min(8, (2025 - recruited.year) // 3)
    state = c.state_management
    if state == "Chuyên viên chính":
        grade, coef = "Chuyên viên chính (01.002)", 4.40 + 0.34 * (min(step, 8) - 1)
    elif state == "Chuyên viên cao cấp":
        grade, coef = "Chuyên viên cao cấp (01.001)", 6.20 + 0.36 * (min(step, 6) - 1)
    else:
        coef = 2.34 + 0.33 * (min(step, 9) - 1)
    military = drng.random() < 0.08 and c.person.sex == "male"
    enlisted = _years(c.birth, 18) + timedelta(days=drng.randrange(300)) if military else None
    fields = {
        "other_names": drng.choice(OTHER_NAMES) if drng.random() < 0.03 else "",
        "birth_place": c.hometown
        if c.is_local or drng.random() < 0.7
        else f"Bệnh viện đa khoa tỉnh {province_name}",
        "permanent_address": home,
        "current_address": home
        if drng.random() < 0.85
        else f"{drng.choice(HAMLETS)}, {word} {place}, tỉnh {province_name}",
        "recruitment_occupation": occupation,
        "recruited_on": recruited,
        "recruiting_body": f"Ủy ban nhân dân {word} {place}"
        if unit.level != "province"
        else f"Sở Nội vụ tỉnh {province_name}",
        "salary_grade": grade,
        "salary_step": step if grade else None,
        "salary_coefficient": round(coef, 2) if grade else None,
        "general_education": "12/12" if c.birth.year >= 1970 or drng.random() < 0.8 else "10/10",
        "academic_title": "Tiến sĩ"
        if c.education.startswith("Tiến sĩ")
        else "Thạc sĩ"
        if c.education.startswith("Thạc sĩ")
        else "",
        "mass_org_joined": f"26/03/{c.birth.year + 16}, Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        "enlisted_on": enlisted,
        "discharged_on": _years(enlisted, 2) if enlisted else None,
        "military_rank": drng.choice(["Thượng sĩ", "Trung sĩ", "Thiếu úy"]) if enlisted else "",
        "highest_honour": drng.choice(HONOURS) if drng.random() < 0.05 else "",
        "strengths": (strength := drng.choice(STRENGTHS)),
        "main_duties": f"Theo dõi, phụ trách lĩnh vực {strength[0].lower()}{strength[1:]}",
        "health": drng.choice(["Tốt", "Tốt", "Bình thường"]),
        "personal_history": "Lịch sử bản thân rõ ràng; không bị bắt, bị tù, không làm việc trong "
        "bộ máy của chế độ cũ.",
    }
    first = f"{occupation}, {fields['recruiting_body']}"
    then = _years(recruited, 3 + drng.randrange(4))
    second = (
        f"Chuyên viên, Văn phòng {derive_committee_name(unit.name, unit.level) or unit.name}"
        if unit.level in ("province", "commune")
        else f"Cán bộ, {unit.name.replace('Đảng bộ ', '').replace('Chi bộ ', '')}"
    )
    if then >= date(2024, 6, 30):
        return Dossier(fields, [(recruited, None, first)])
    history = [(recruited, then - timedelta(days=1), first), (then, None, second)]
    return Dossier(fields, history)


def _years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# --------------------------------------------------------------------------------------
# Family relations

KINSHIP = {
    ("spouse", "male"): "Chồng",
    ("spouse", "female"): "Vợ",
    ("parent", "male"): "Bố đẻ",
    ("parent", "female"): "Mẹ đẻ",
    ("child", "male"): "Con trai",
    ("child", "female"): "Con gái",
    ("child_in_law", "male"): "Con rể",
    ("child_in_law", "female"): "Con dâu",
    ("sibling", "male"): "Anh, em trai",
    ("sibling", "female"): "Chị, em gái",
    ("parent_in_law", "male"): "Bố vợ (chồng)",
    ("parent_in_law", "female"): "Mẹ vợ (chồng)",
    ("sibling_in_law", "male"): "Anh, em vợ (chồng)",
    ("sibling_in_law", "female"): "Chị, em vợ (chồng)",
}
AGE_GAP = {
    "spouse": (-4, 4),
    "parent": (-34, -22),
    "parent_in_law": (-34, -22),
    "child": (22, 34),
    "child_in_law": (21, 35),
    "sibling": (-8, 8),
    "sibling_in_law": (-8, 8),
}
OCCUPATIONS = ["Làm ruộng", "Nghỉ hưu", "Giáo viên", "Kinh doanh tự do", "Công nhân", "Nội trợ"]


def relative_details(
    cadre, relation: str, sex: str, drng: random.Random, province_name: str
) -> dict:
    """The columns of the résumé's family tables for an outside relative of `cadre`."""
    lo, hi = AGE_GAP.get(relation, (-10, 10))
    year = min(2024, cadre.birth.year + drng.randint(lo, hi))
    if year > 2006:
        occupation = "Học sinh"
    elif relation in ("parent", "parent_in_law") and year < 1960:
        occupation = drng.choice(["Nghỉ hưu", "Làm ruộng", "Đã mất"])
    else:
        occupation = drng.choice(OCCUPATIONS)
    home = (
        cadre.hometown
        if relation in ("parent", "sibling", "child")
        else (
            f"xã {drng.choice(['Đông Hải', 'Tân Lập', 'Hòa Bình', 'Yên Lạc'])}, tỉnh {province_name}"
        )
    )
    return {
        "kinship": KINSHIP.get((relation, sex), ""),
        "birth_year": year,
        "hometown": home,
        "occupation": occupation,
        "work_unit": "",
        "residence": ""
        if occupation == "Đã mất"
        else f"{drng.choice(HAMLETS)}, tỉnh {province_name}",
    }
