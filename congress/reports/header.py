"""Who issues a document and how its frame reads (DOCUMENTS.md §2 and §3): the issuer's lines
by kind of issuer, the number and code, the place and date, the signature authority and the
recipients; and `printable`, which keeps internal words off the paper.

The issuer comes from the registry: a unit's committee (`PartyUnit.committee_name`, or the
cell itself), with the line above it from the tree (the parent's đảng bộ); a congress, or one
of its bodies (the vote-counting board). Nothing here is a free-text setting to retype.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from personnel.models import Body, CommitteeMembership, Level, PartyUnit, Tenure
from personnel.titles import committee_word, locality

# Type codes (HD 36): the symbol after the number.
TYPE_CODES = {
    "nominee-list": "DS",
    "personnel-plan": "ĐA",
    "structure-summary": "BC",
    "planning": "BC",
    "ballot-minutes": "BB",
    "resume": "",  # the 2C form is not a numbered dispatch
}

# A unit's registered abbreviation when none is set, by level.
DEFAULT_ISSUER_CODES = {
    Level.PROVINCE: "TU",
    Level.DISTRICT: "HU",
    Level.COMMUNE: "ĐU",
    Level.GRASSROOTS: "ĐU",
    Level.CELL: "CB",
}
COUNTING_BOARD = ("BAN KIỂM PHIẾU", "BKP")
CONGRESS_CODE = "ĐH"

_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def upper(text: str) -> str:
    return " ".join(text.split()).upper()


@dataclass
class Issuer:
    """The issuer of a document: the left column of its header, and the key its numbers run
    under (one series per issuer, document type and term)."""

    key: str
    above: list[str]  # regular uppercase, the body directly above (none for a province)
    lines: list[str]  # the issuer's own name, bold uppercase
    code: str  # registered abbreviation: TU, ĐU, CB, BKP
    display: str  # as a sentence names it: "Tỉnh ủy An Hòa"
    place: str  # the place of the date line
    unit: PartyUnit | None = None
    extra: dict = field(default_factory=dict)


def is_cell(unit: PartyUnit) -> bool:
    return unit.is_cell


def place_of(unit: PartyUnit | None) -> str:
    """The place of the date line: the unit's setting, else the place it is named after,
    else its parent's."""
    while unit is not None:
        if unit.document_place:
            return unit.document_place
        where = locality(unit.name, unit.level)
        if where:
            for word in ("thành phố ", "tỉnh ", "huyện ", "thị xã ", "quận ", "xã ", "phường "):
                if where.lower().startswith(word):
                    return where[len(word) :]
            return where
        unit = unit.parent
    return ""


def unit_issuer(unit: PartyUnit) -> Issuer:
    """A unit's committee (or the cell itself) as the issuer (HD 36 §1.2.1)."""
    parent = unit.parent
    above = [upper(parent.name)] if parent is not None and parent.level != Level.CENTRAL else []
    own = unit.issuer_name
    return Issuer(
        key=f"unit:{unit.pk}",
        above=above,
        lines=[upper(own)],
        code=unit.issuer_code or DEFAULT_ISSUER_CODES.get(unit.level, ""),
        display=" ".join(own.split()),
        place=place_of(unit),
        unit=unit,
    )


def congress_name(congress, *, with_unit: bool = True) -> str:
    """ "ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ TỈNH AN HÒA LẦN THỨ XVIII" (or the term when the ordinal is
    unknown)."""
    unit = congress.unit
    words = ["ĐẠI HỘI"]
    if congress.delegates and not is_cell(unit):
        words.append("ĐẠI BIỂU")
    if with_unit:
        words.append(upper(unit.name))
    if congress.ordinal:
        words.append(f"LẦN THỨ {roman(congress.ordinal)}")
    else:
        words.append(f"NHIỆM KỲ {congress.term.code.replace('-', ' - ')}")
    return " ".join(words)


def congress_issuer(congress) -> Issuer:
    """A congress as the issuer: its đảng bộ, then "ĐẠI HỘI ĐẠI BIỂU LẦN THỨ XVIII"."""
    unit = congress.unit
    return Issuer(
        key=f"congress:{congress.pk}",
        above=[],
        lines=[upper(unit.name), congress_name(congress, with_unit=False)],
        code=CONGRESS_CODE,
        display=congress_name(congress).capitalize(),
        place=place_of(unit),
        unit=unit,
    )


def congress_body_issuer(congress, body: tuple[str, str] = COUNTING_BOARD) -> Issuer:
    """A body of a congress (its vote-counting board) as the issuer: the congress above it."""
    name, code = body
    return Issuer(
        key=f"congress:{congress.pk}:{code}",
        above=[congress_name(congress)],
        lines=[name],
        code=code,
        display=f"{name.capitalize()} {congress_name(congress).lower()}".replace(
            upper(congress.unit.name).lower(), congress.unit.name
        ),
        place=place_of(congress.unit),
        unit=congress.unit,
    )


def number_text(number: int | None, kind: str, issuer_code: str) -> str:
    """ "Số 01-BC/TU" (numbers below 10 with a leading zero, no colon); a draft's number is left
    blank to be filled when it is issued."""
    symbol = TYPE_CODES.get(kind) or "VB"
    suffix = f"/{issuer_code}" if issuer_code else ""
    if number is None:
        return f"Số\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-{symbol}{suffix}"
    return f"Số {number:02d}-{symbol}{suffix}"


def date_line(place: str, day: date) -> str:
    """ "An Hòa, ngày 05 tháng 02 năm 2026": days below 10 and the months 1 and 2 take a leading
    zero (HD 36)."""
    dd = f"{day.day:02d}"
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {dd} tháng {mm} năm {day.year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def date_words(day: date) -> str:
    """A date in running text: "ngày 15 tháng 4 năm 2025"."""
    return f"ngày {day.day} tháng {day.month} năm {day.year}"


# --- signature ----------------------------------------------------------------------------


def has_standing_committee(unit: PartyUnit) -> bool:
    """Province, district and commune committees have a standing committee; a grassroots
    committee has one when its latest term records one."""
    if unit.level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        return True
    memberships = CommitteeMembership.objects.filter(unit=unit)
    latest = memberships.order_by("-term__start").values_list("term_id", flat=True).first()
    return latest is not None and memberships.filter(term_id=latest, body=Body.STANDING).exists()


def secretary_name(unit: PartyUnit, on: date | None = None) -> str:
    return (
        Tenure.objects.current(on)
        .filter(unit=unit, post__code="secretary")
        .order_by("-start")
        .values_list("cadre__full_name", flat=True)
        .first()
        or ""
    )


def signature(kind: str, unit: PartyUnit) -> dict[str, str]:
    """The signature block: authority, title, name (DOCUMENTS.md §3). The personnel plan is a
    decision of the whole outgoing committee; other documents of a committee with a standing
    committee are signed on its behalf; a cell signs as the cell (or its chi ủy)."""
    if is_cell(unit):
        behalf = "T/M CHI ỦY" if unit.committee_name else "T/M CHI BỘ"
    elif kind == "personnel-plan":
        behalf = "T/M BAN CHẤP HÀNH"
    elif has_standing_committee(unit):
        behalf = "T/M BAN THƯỜNG VỤ"
    else:
        behalf = "T/M ĐẢNG ỦY"
    return {
        "behalf": behalf,
        "title": upper(unit.signer_title or "Bí thư"),
        "name": unit.signer_name or secretary_name(unit),
    }


# --- recipients ---------------------------------------------------------------------------


def _office(unit: PartyUnit) -> str:
    if is_cell(unit):
        return "Lưu hồ sơ chi bộ"
    word = committee_word(unit.committee_name) if unit.committee_name else ""
    return f"Lưu Văn phòng {word}" if word else "Lưu hồ sơ"


def recipients(kind: str, unit: PartyUnit) -> list[str]:
    """ "Nơi nhận": the superior committee and its staff board, in normal capitalisation,
    then the issuer's own file copy; never the issuer itself."""
    if kind in ("resume", "ballot-minutes"):
        return []
    parent = unit.parent
    out: list[str] = []
    if parent is None or parent.level == Level.CENTRAL:
        out += ["Ban Bí thư (để báo cáo)", "Ban Tổ chức Trung ương (để báo cáo)"]
    else:
        committee = parent.committee_name or parent.name
        if parent.level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
            out.append(f"Ban Thường vụ {committee} (để báo cáo)")
        else:
            out.append(f"{committee} (để báo cáo)")
        if parent.level in (Level.PROVINCE, Level.DISTRICT):
            out.append(f"Ban Tổ chức {committee}")
        elif parent.level == Level.COMMUNE:
            out.append(f"Ban Xây dựng Đảng {committee}")
    if kind == "personnel-plan":
        out.append("Các đồng chí Ủy viên Ban Chấp hành" if not is_cell(unit) else "Các đảng viên")
    out.append(_office(unit))
    return out


# --- words that never reach the paper -----------------------------------------------------

_INTERNAL = [
    (re.compile(r"\s*\((?:tài liệu mẫu|phiên bản|chưa xác nhận|unconfirmed)[^)]*\)", re.I), ""),
    (re.compile(r",?\s*(?:theo\s+)?giá trị ghi đè trong dữ liệu đầu vào[^.;:]*", re.I), ""),
    (re.compile(r"\s*\(\d+\)"), ""),  # a database id after a name
    (re.compile(r"\s*\(#\w+\)"), ""),
]
UNIT_CODE = re.compile(r"\b[A-Z]{1,3}\d{2,4}(?:\.[A-Z]{1,3}\d{1,3})*\b")


def printable(text: str, unit_names: dict[str, str] | None = None) -> str:
    """`text` without internal words: source notes, version numbers, "unconfirmed" marks, ids,
    override notes; a unit code becomes the unit's name."""
    for pattern, repl in _INTERNAL:
        text = pattern.sub(repl, text)
    names = unit_names or {}

    def unit(m: re.Match) -> str:
        return names.get(m.group(0), "")

    text = re.sub(
        r"(tại |của )?đơn vị (" + UNIT_CODE.pattern + ")",
        lambda m: (m.group(1) or "") + names.get(m.group(2), "đơn vị"),
        text,
    )
    text = UNIT_CODE.sub(unit, text)
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()


def cite(reference: str) -> str:
    """A legal citation as DOCUMENTS.md §4 writes it: "Chỉ thị 45-CT/TW ngày 14/4/2025 của Bộ
    Chính trị" -> "Chỉ thị số 45-CT/TW, ngày 14/4/2025 của Bộ Chính trị"; notes in brackets
    go."""
    text = re.sub(r"\s*\([^)]*\)", "", reference or "").strip()
    m = re.match(r"^(.*?)\s+(?:số\s+)?(\d+-[^\s,]+),?\s+ngày\s+(\S+)(.*)$", text)
    if not m:
        return printable(text)
    kind, number, day, rest = m.groups()
    return f"{kind} số {number}, ngày {day}{rest}"
