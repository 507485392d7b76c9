"""Names and titles as the official documents print them (DOCUMENTS.md §2 and §4).

A party unit carries two names: the party organisation (`PartyUnit.name`, "Đảng bộ tỉnh An
Hòa") and its committee (`PartyUnit.committee_name`, "Tỉnh ủy An Hòa"). A post is held in the
unit's party body, or in a workplace (`Workplace`: "UBND tỉnh An Hòa"); a title is composed
from it ("Phó Chủ tịch UBND tỉnh An Hòa", "Bí thư Đảng ủy xã Yên Tiến"), never a state post
attached to a party organisation. Concurrent posts read party first, then state, then mass
organisations.

The composition is plain Python over plain rows (`HeldPost`), so a document loads every
title it prints in one query (`current_titles`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

GROUP_ORDER = {"party": 0, "state": 1, "mass": 2}

# The committees' own words, longest first where one is a prefix of another.
COMMITTEE_WORDS = ("Tỉnh ủy", "Thành ủy", "Huyện ủy", "Thị ủy", "Quận ủy", "Đảng ủy", "Chi ủy")
_LOCAL_COMMITTEES = (
    ("tỉnh ", "Tỉnh ủy "),
    ("thành phố ", "Thành ủy "),
    ("huyện ", "Huyện ủy "),
    ("thị xã ", "Thị ủy "),
    ("quận ", "Quận ủy "),
)
PARTY_PREFIX = "Đảng bộ "


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def derive_committee_name(unit_name: str, level: str) -> str:
    """The committee of a đảng bộ, from its name: "Đảng bộ tỉnh An Hòa" -> "Tỉnh ủy An Hòa",
    "Đảng bộ xã Yên Tiến" -> "Đảng ủy xã Yên Tiến". A cell (chi bộ) gets none here: whether
    it has a chi ủy is the unit's own data."""
    name = _squash(unit_name)
    if not name.startswith(PARTY_PREFIX):
        return ""
    rest = name[len(PARTY_PREFIX) :]
    if level in ("province", "district"):
        for kind, word in _LOCAL_COMMITTEES:
            if rest.lower().startswith(kind):
                return word + rest[len(kind) :]
    return "Đảng ủy " + rest


def committee_name_from(old: str | None, unit_name: str, level: str) -> str:
    """The committee's name from an old free-text "issuing body" setting: a name typed in
    mixed case is kept; an uppercase one, or a bare "TỈNH ỦY", becomes the name composed from
    the unit's; the unit's own name means the unit issues as itself (no committee)."""
    text = _squash(old)
    if text.upper() == _squash(unit_name).upper():
        return ""
    derived = derive_committee_name(unit_name, level)
    if not text:
        return derived
    if not text.isupper():
        return text
    if derived and derived.upper().startswith(text):
        return derived
    return text


def committee_word(committee_name: str) -> str:
    """ "Tỉnh ủy An Hòa" -> "Tỉnh ủy": the committee as its own people name it ("Lưu Văn phòng
    Tỉnh ủy")."""
    name = _squash(committee_name)
    for word in COMMITTEE_WORDS:
        if name.lower().startswith(word.lower()):
            return word
    return name


def locality(unit_name: str, level: str) -> str:
    """The place a provincial, district or commune đảng bộ is named after ("tỉnh An Hòa",
    "phường Yên Tiến"); empty for a grassroots unit or a cell."""
    name = _squash(unit_name)
    if level not in ("province", "district", "commune") or not name.startswith(PARTY_PREFIX):
        return ""
    return name[len(PARTY_PREFIX) :]


@dataclass(frozen=True)
class HeldPost:
    """A post as held: what a title is composed from, as plain values."""

    post_code: str
    post_name: str
    group: str
    rank: int
    is_head: bool = False
    workplace_title: str = ""  # the post's words composed with a workplace ("Phó Chủ tịch")
    title: str = ""  # the tenure's own title, when set ("Giám đốc")
    workplace: str = ""  # the workplace's name in titles ("UBND tỉnh An Hòa")
    workplace_group: str = ""
    head_title: str = ""  # the workplace's head ("Giám đốc" of a department)
    unit_name: str = ""
    committee_name: str = ""
    unit_level: str = ""

    @property
    def block(self) -> str:
        return self.workplace_group or self.group

    @property
    def sort_key(self) -> tuple:
        return (GROUP_ORDER.get(self.block, 3), -self.rank)


def compose_title(p: HeldPost) -> str:
    """One post as a document writes it (DOCUMENTS.md §4)."""
    if p.workplace:
        words = p.title or p.workplace_title or (p.head_title if p.is_head else "") or p.post_name
        return f"{words} {p.workplace}"
    body = p.committee_name or p.unit_name
    if p.group == "party":
        if p.unit_level == "cell":
            if p.post_code == "member":
                return f"Chi ủy viên {p.unit_name}"
            return f"{p.title or p.post_name} {p.unit_name}"
        if p.post_code == "member":
            return f"Ủy viên Ban Chấp hành {p.unit_name}"
        if p.post_code == "standing_member":
            return f"Ủy viên Ban Thường vụ {body}"
        return f"{p.title or p.post_name} {body}"
    # A state or mass-organisation post recorded without its workplace: named after the
    # locality of the unit (never "Chủ tịch UBND Đảng bộ …"), or alone.
    place = locality(p.unit_name, p.unit_level)
    words = p.title or p.post_name
    return f"{words} {place}" if place else words


def titles_of(posts: Iterable[HeldPost]) -> list[str]:
    """Concurrent posts in the order of DOCUMENTS.md §4: party, state, mass organisations,
    the senior first; a standing member's executive membership goes without saying."""
    posts = sorted(posts, key=lambda p: p.sort_key)
    standing_units = {p.unit_name for p in posts if p.post_code == "standing_member"}
    seniors = {
        p.unit_name
        for p in posts
        if p.group == "party" and not p.workplace and p.post_code != "member"
    }
    out: list[str] = []
    for p in posts:
        if p.post_code == "member" and (p.unit_name in standing_units or p.unit_name in seniors):
            continue
        text = compose_title(p)
        if text not in out:
            out.append(text)
    return out


TENURE_VALUES = (
    "cadre_id",
    "post__code",
    "post__name",
    "post__group",
    "post__rank",
    "post__is_head",
    "post__workplace_title",
    "title",
    "workplace__name",
    "workplace__short_name",
    "workplace__kind",
    "workplace__head_title",
    "unit__name",
    "unit__committee_name",
    "unit__level",
)


def held_post(row: dict) -> HeldPost:
    from personnel.models.workplaces import KIND_GROUP

    kind = row.get("workplace__kind")
    return HeldPost(
        post_code=row["post__code"],
        post_name=row["post__name"],
        group=row["post__group"],
        rank=row["post__rank"] or 0,
        is_head=bool(row["post__is_head"]),
        workplace_title=row["post__workplace_title"] or "",
        title=row["title"] or "",
        workplace=row["workplace__short_name"] or row["workplace__name"] or "",
        workplace_group=str(KIND_GROUP[kind]) if kind else "",
        head_title=row["workplace__head_title"] or "",
        unit_name=row["unit__name"],
        committee_name=row["unit__committee_name"] or "",
        unit_level=row["unit__level"],
    )


def current_titles(cadre_ids: Iterable[int], on: date | None = None) -> dict[int, list[str]]:
    """The posts each cadre holds on `on` (today), as titles in document order: one query."""
    from personnel.models import Tenure

    held: dict[int, list[HeldPost]] = defaultdict(list)
    for row in (
        Tenure.objects.current(on).filter(cadre_id__in=list(cadre_ids)).values(*TENURE_VALUES)
    ):
        held[row["cadre_id"]].append(held_post(row))
    return {cid: titles_of(posts) for cid, posts in held.items()}
