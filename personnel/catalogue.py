"""The post catalogue and the terms, with the codes the rules engine uses (SLATE_FORMAT.md).

Loaded by a data migration and by `seed_demo`; `ensure_catalogue()` is idempotent.
"""

# code, Vietnamese name, is head (cấp trưởng), rank (higher = more senior), in standing committee
POSTS: list[tuple[str, str, bool, int, bool]] = [
    ("secretary", "Bí thư", True, 100, True),
    ("standing_deputy_secretary", "Phó Bí thư Thường trực", False, 90, True),
    ("deputy_secretary", "Phó Bí thư", False, 85, True),
    ("people_council_chair", "Chủ tịch HĐND", True, 80, False),
    ("people_committee_chair", "Chủ tịch UBND", True, 80, False),
    ("standing_member", "Ủy viên Ban Thường vụ", False, 70, True),
    ("people_council_vice_chair", "Phó Chủ tịch HĐND", False, 60, False),
    ("people_committee_vice_chair", "Phó Chủ tịch UBND", False, 60, False),
    ("inspection_chair", "Chủ nhiệm Ủy ban Kiểm tra", True, 55, False),
    ("organization_head", "Trưởng Ban Tổ chức", True, 55, False),
    ("fatherland_front_chair", "Chủ tịch Ủy ban MTTQ", True, 55, False),
    ("sector:internal_affairs", "Trưởng phòng Nội vụ", True, 40, False),
    ("sector:inspectorate", "Chánh Thanh tra", True, 40, False),
    ("sector:finance", "Trưởng phòng Tài chính", True, 40, False),
    ("sector:banking", "Giám đốc Ngân hàng", True, 40, False),
    ("sector:tax", "Chi cục trưởng Thuế", True, 40, False),
    ("sector:customs", "Chi cục trưởng Hải quan", True, 40, False),
    ("sector:industry_trade", "Trưởng phòng Công Thương", True, 40, False),
    ("sector:planning_investment", "Trưởng phòng Kế hoạch - Đầu tư", True, 40, False),
    ("sector:natural_resources", "Trưởng phòng Tài nguyên - Môi trường", True, 40, False),
    ("sector:military", "Chỉ huy trưởng Quân sự", True, 40, False),
    ("sector:police", "Trưởng Công an", True, 40, False),
    ("sector:court", "Chánh án Tòa án", True, 40, False),
    ("sector:procuracy", "Viện trưởng Viện Kiểm sát", True, 40, False),
    ("member", "Ủy viên Ban Chấp hành", False, 30, False),
]

# The block of each post (party, state, mass organisations: the order of concurrent posts) and,
# for a post held in a workplace, the words composed with the workplace's name ("Phó Chủ tịch"
# + "UBND tỉnh An Hòa"). Empty: the head of a workplace takes the workplace's own head title
# ("Giám đốc" of a department), other posts their name. Posts not listed are party posts.
POST_GROUPS: dict[str, tuple[str, str]] = {
    "people_council_chair": ("state", "Chủ tịch"),
    "people_council_vice_chair": ("state", "Phó Chủ tịch"),
    "people_committee_chair": ("state", "Chủ tịch"),
    "people_committee_vice_chair": ("state", "Phó Chủ tịch"),
    "fatherland_front_chair": ("mass", "Chủ tịch"),
    **{code: ("state", "") for code, *_ in POSTS if code.startswith("sector:")},
}

TERMS: list[tuple[str, str, str]] = [
    ("2010-2015", "2010-07-01", "2015-06-30"),
    ("2015-2020", "2015-07-01", "2020-06-30"),
    ("2020-2025", "2020-07-01", "2025-06-30"),
    ("2025-2030", "2025-07-01", "2030-06-30"),
    ("2030-2035", "2030-07-01", "2035-06-30"),
]


def ensure_catalogue(Post=None, Term=None) -> None:  # noqa: N803 - models passed by migrations
    from datetime import date

    if Post is None or Term is None:
        from personnel.models import Post, Term  # noqa: N806
    # A migration passes the model as it was then: set only the fields it has.
    fields = {f.name for f in Post._meta.get_fields()}
    for code, name, is_head, rank, in_standing in POSTS:
        group, workplace_title = POST_GROUPS.get(code, ("party", ""))
        defaults = {
            "name": name,
            "is_head": is_head,
            "rank": rank,
            "in_standing": in_standing,
            "group": group,
            "workplace_title": workplace_title,
        }
        Post.objects.update_or_create(
            code=code, defaults={k: v for k, v in defaults.items() if k in fields}
        )
    for code, start, end in TERMS:
        Term.objects.update_or_create(
            code=code, defaults={"start": date.fromisoformat(start), "end": date.fromisoformat(end)}
        )
