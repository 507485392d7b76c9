"""Vietnamese labels of the codes of the slate contract (display only, no regulation numbers)."""

from __future__ import annotations

from datetime import date

POST_LABELS: dict[str, str] = {
    "secretary": "Bí thư",
    "standing_deputy_secretary": "Phó Bí thư Thường trực",
    "deputy_secretary": "Phó Bí thư",
    "standing_member": "Ủy viên Ban Thường vụ",
    "member": "Ủy viên Ban Chấp hành",
    "people_council_chair": "Chủ tịch HĐND",
    "people_council_vice_chair": "Phó Chủ tịch HĐND",
    "people_committee_chair": "Chủ tịch UBND",
    "people_committee_vice_chair": "Phó Chủ tịch UBND",
    "inspection_chair": "Chủ nhiệm Ủy ban Kiểm tra",
    "organization_head": "Trưởng Ban Tổ chức",
    "fatherland_front_chair": "Chủ tịch Ủy ban MTTQ Việt Nam",
    "sector:internal_affairs": "người đứng đầu ngành Nội vụ",
    "sector:inspectorate": "Chánh Thanh tra",
    "sector:finance": "người đứng đầu ngành Tài chính",
    "sector:banking": "người đứng đầu ngành Ngân hàng",
    "sector:tax": "người đứng đầu ngành Thuế",
    "sector:customs": "người đứng đầu ngành Hải quan",
    "sector:industry_trade": "người đứng đầu ngành Công Thương",
    "sector:planning_investment": "người đứng đầu ngành Kế hoạch và Đầu tư",
    "sector:natural_resources": "người đứng đầu ngành Tài nguyên và Môi trường",
    "sector:military": "Chỉ huy trưởng Quân sự",
    "sector:police": "Trưởng Công an",
    "sector:court": "Chánh án Tòa án nhân dân",
    "sector:procuracy": "Viện trưởng Viện Kiểm sát nhân dân",
}

RELATION_LABELS: dict[str, str] = {
    "spouse": "vợ/chồng",
    "parent": "cha/mẹ - con",
    "parent_in_law": "cha/mẹ vợ (chồng) - con rể (dâu)",
    "child": "cha/mẹ - con",
    "child_in_law": "cha/mẹ vợ (chồng) - con rể (dâu)",
    "sibling": "anh/chị/em ruột",
    "sibling_in_law": "anh/chị/em vợ (chồng)",
}

LEVEL_LABELS: dict[str, str] = {
    "central": "Trung ương",
    "province": "cấp tỉnh",
    "district": "cấp huyện",
    "commune": "cấp xã",
    "grassroots": "cấp cơ sở",
    "cell": "chi bộ trực thuộc",
}

KIND_LABELS: dict[str, str] = {
    "executive": "Ban Chấp hành",
    "standing": "Ban Thường vụ",
    "people_council": "đơn vị bầu cử HĐND",
}

VETTING_LABELS: dict[str, str] = {
    "eligible": "đạt tiêu chuẩn chính trị",
    "ineligible": "không đạt tiêu chuẩn chính trị",
    "pending": "đang thẩm tra, chưa có kết luận",
    "none": "chưa thẩm tra",
}

DISCIPLINE_LABELS: dict[str, str] = {
    "reprimand": "khiển trách",
    "warning": "cảnh cáo",
    "dismissal": "cách chức",
    "expulsion": "khai trừ",
}


def post_label(code: str) -> str:
    return POST_LABELS.get(code, code)


def vn_date(d: date) -> str:
    """A date as dd/mm/yyyy."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def num(value: object) -> str:
    """A parameter value for display: integral numbers without decimals, a comma as decimal mark."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


RATIO_LABELS: dict[str, str] = {
    "female": "Cán bộ nữ",
    "young": "Cán bộ trẻ",
    "ethnic_minority": "Người dân tộc thiểu số",
    "renewal": "Tham gia lần đầu (đổi mới)",
    "age_tier_low": "Độ tuổi thấp",
    "age_tier_mid": "Độ tuổi giữa",
    "age_tier_high": "Độ tuổi cao",
}


def ratio_labels(
    *, young_below: object = None, low: object = None, high: object = None
) -> dict[str, str]:
    """The ratio names, with the age bounds of the rule set that computed them (a congress's
    tiers or the planning targets' tiers): one naming of the tiers on pages and paper."""
    labels = dict(RATIO_LABELS)
    if young_below is not None:
        labels["young"] = f"Cán bộ trẻ (dưới {young_below} tuổi)"
    if low is not None and high is not None:
        labels["age_tier_low"] = f"Dưới {low} tuổi"
        labels["age_tier_mid"] = f"Từ {low} đến {high} tuổi"
        labels["age_tier_high"] = f"Trên {high} tuổi"
    return labels
