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


# Every finding code of the engine (slates and plans), named for the people who read it:
# a short title for badges and headings, and what it means and how it is usually resolved.
# Pages show these instead of the code (the code stays in a tooltip for staff).
FINDING_LABELS: dict[str, tuple[str, str]] = {
    "PAST_RETIREMENT": (
        "Đã đến tuổi nghỉ hưu",
        "Tại thời điểm tính tuổi, người này đã đến tuổi nghỉ hưu nên không đủ điều kiện tuổi "
        "tham gia cấp ủy.",
    ),
    "AGE_FIRST_TIME": (
        "Không đủ tuổi tham gia lần đầu",
        "Người tham gia cấp ủy lần đầu phải còn đủ thời gian công tác tối thiểu (thường là trọn "
        "một nhiệm kỳ) tính đến thời điểm tính tuổi.",
    ),
    "AGE_REELECTION": (
        "Không đủ tuổi tái cử",
        "Người tái cử phải còn đủ số tháng công tác tối thiểu theo chỉ thị của nhiệm kỳ, tính "
        "đến thời điểm tính tuổi.",
    ),
    "TERM_LIMIT": (
        "Quá hai nhiệm kỳ liên tiếp giữ chức cấp trưởng",
        "Không giới thiệu một người giữ cùng một chức vụ cấp trưởng ở cùng đơn vị quá hai nhiệm "
        "kỳ liên tiếp; giữ liên tục từ 8 năm trở lên được tính là hai nhiệm kỳ.",
    ),
    "FAMILY_CONFLICT": (
        "Vướng quan hệ gia đình",
        "Người có quan hệ gia đình không được đồng thời giữ các chức vụ có liên quan; trường hợp "
        "đặc biệt phải được cấp ủy cấp trên trực tiếp đồng ý bằng văn bản.",
    ),
    "VETTING_MISSING": (
        "Chưa có kết luận tiêu chuẩn chính trị",
        "Không giới thiệu ứng cử khi cán bộ chưa được kết luận về tiêu chuẩn chính trị; cần mở "
        "và kết luận hồ sơ thẩm tra trước khi trình.",
    ),
    "VETTING_INELIGIBLE": (
        "Không đạt tiêu chuẩn chính trị",
        "Cán bộ đã được kết luận không đạt tiêu chuẩn chính trị nên không được giới thiệu ứng cử.",
    ),
    "LOCAL_SECRETARY": (
        "Bí thư là người địa phương",
        "Chủ trương bố trí Bí thư không là người địa phương: bắt buộc ở cấp tỉnh, phấn đấu ở "
        "cấp xã.",
    ),
    "NO_ACHIEVEMENT": (
        "Chưa có thành tích trong những năm gần đây",
        "Người được giới thiệu ứng cử cần có thành tích được ghi nhận trong những năm gần nhất; "
        "bổ sung thành tích vào hồ sơ nếu có.",
    ),
    "SURPLUS_NONE": (
        "Không có số dư",
        "Danh sách bầu cử phải có số người nhiều hơn số lượng cần bầu.",
    ),
    "SURPLUS_LOW": (
        "Số dư quá ít",
        "Số người ứng cử phải dư ít nhất mức luật định so với số đại biểu cần bầu của đơn vị "
        "bầu cử.",
    ),
    "SURPLUS_HIGH": (
        "Số dư vượt mức tối đa",
        "Số người dư trong danh sách bầu cử không được vượt mức tối đa theo quy chế bầu cử "
        "trong Đảng.",
    ),
    "SURPLUS_OUT_OF_RANGE": (
        "Số dư ngoài khoảng chuẩn bị",
        "Cấp ủy triệu tập thường chuẩn bị số dư trong một khoảng nhất định; đây là lưu ý, không "
        "chặn phê duyệt.",
    ),
    "SEATS_RANGE": (
        "Số lượng cấp ủy ngoài giới hạn",
        "Số lượng cần bầu của cơ quan này nằm ngoài giới hạn mà chỉ thị quy định cho cấp này.",
    ),
    "NO_FEMALE_IN_STANDING": (
        "Ban Thường vụ chưa có cán bộ nữ",
        "Cơ cấu Ban Thường vụ cần bảo đảm có cán bộ nữ.",
    ),
    "FEMALE_RATIO": (
        "Chưa đạt tỷ lệ cán bộ nữ",
        "Tỷ lệ cán bộ nữ trong danh sách thấp hơn chỉ tiêu của chỉ thị.",
    ),
    "YOUNG_RATIO": (
        "Chưa đạt tỷ lệ cán bộ trẻ",
        "Tỷ lệ cán bộ trẻ trong danh sách thấp hơn chỉ tiêu của chỉ thị.",
    ),
    "ETHNIC_RATIO": (
        "Chưa đạt tỷ lệ cán bộ dân tộc thiểu số",
        "Tỷ lệ cán bộ người dân tộc thiểu số thấp hơn chỉ tiêu phù hợp với địa phương.",
    ),
    "RENEWAL_RATIO": (
        "Chưa đạt tỷ lệ đổi mới",
        "Tỷ lệ người tham gia cấp ủy lần đầu thấp hơn chỉ tiêu đổi mới.",
    ),
    "AGE_TIER": (
        "Cơ cấu ba độ tuổi chưa đạt",
        "Tỷ lệ các độ tuổi trong danh sách chưa đúng khoảng mà chỉ thị đặt ra.",
    ),
    "STANDARD_NOT_MET": (
        "Chưa đạt tiêu chuẩn chức danh",
        "Trình độ lý luận chính trị, quản lý nhà nước hoặc chuyên môn chưa đạt tiêu chuẩn của "
        "chức danh; cần có kế hoạch đào tạo.",
    ),
    "PLAN_TOO_MANY": (
        "Quá số người cho một chức danh",
        "Mỗi chức danh chỉ quy hoạch tối đa số người theo quy định.",
    ),
    "PLAN_PERSON_TOO_MANY_POSTS": (
        "Một người quy hoạch quá nhiều chức danh cùng cấp",
        "Mỗi người chỉ được quy hoạch vào một số chức danh cùng cấp theo quy định.",
    ),
    "PLAN_NOT_HIGHER": (
        "Chức danh quy hoạch không cao hơn chức danh đang giữ",
        "Chỉ quy hoạch vào chức danh cao hơn chức danh cán bộ đang giữ.",
    ),
    "PLAN_AGE": (
        "Không đủ thời gian công tác cho một nhiệm kỳ",
        "Người được quy hoạch phải còn đủ thời gian công tác theo quy định tính đến đầu nhiệm kỳ "
        "quy hoạch.",
    ),
}


def finding_title(code: str) -> str:
    """The Vietnamese name of a finding code; an unknown code reads as a generic finding,
    never as the code itself."""
    entry = FINDING_LABELS.get(code)
    return entry[0] if entry else "Phát hiện khác"


def finding_help(code: str) -> str:
    entry = FINDING_LABELS.get(code)
    return entry[1] if entry else ""


def target_text(target: object) -> str:
    """An engine target (">= 15", "<= 30", "40-50") as people write it: "≥ 15 %"."""
    text = str(target or "").strip()
    if not text:
        return ""
    if text.endswith("%"):
        return text
    for op, sign in ((">=", "≥ "), ("<=", "≤ "), ("≥", "≥ "), ("≤", "≤ ")):
        if text.startswith(op):
            return f"{sign}{num_text(text[len(op) :].strip())} %"
    if "-" in text:
        lo, _, hi = text.partition("-")
        return f"{num_text(lo.strip())}–{num_text(hi.strip())} %"
    return f"{num_text(text)} %"


def num_text(text: str) -> str:
    """A number written by the engine (a dot as decimal mark) with a comma."""
    try:
        value = float(text)
    except ValueError:
        return text
    return num(value)


# The posts a list of each level may propose (the post selector of a list offers these and
# nothing else: a grassroots list never offers a provincial post). Levels not named here
# (central, province, district) offer the whole catalogue.
LEVEL_POSTS: dict[str, tuple[str, ...]] = {
    "commune": (
        "secretary",
        "standing_deputy_secretary",
        "deputy_secretary",
        "standing_member",
        "member",
        "people_council_chair",
        "people_council_vice_chair",
        "people_committee_chair",
        "people_committee_vice_chair",
        "inspection_chair",
        "organization_head",
        "fatherland_front_chair",
        "sector:military",
        "sector:police",
    ),
    "grassroots": (
        "secretary",
        "deputy_secretary",
        "standing_member",
        "member",
        "inspection_chair",
    ),
    "cell": ("secretary", "deputy_secretary", "member"),
}


def posts_for_level(level: str, codes: list[str]) -> list[str]:
    """`codes` (the catalogue, in its order) restricted to the posts of `level`."""
    allowed = LEVEL_POSTS.get(level)
    if allowed is None:
        return list(codes)
    return [c for c in codes if c in allowed]
