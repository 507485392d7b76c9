"""The columns an import understands, as data: one line per column, with the words boards
write in their headers.

Adding a field to the import is one `Column(...)` line in `CADRE_COLUMNS` (and the model
field it fills). Headers are compared by `header_keys`: case, accents, punctuation, line
breaks and a trailing "(*)" do not matter, and a part in parentheses may be left out
("Họ và tên (tên thường gọi)" is also "Họ và tên").

A header may have two rows: a group label over its sub-columns ("Ngày sinh" over "Nam" and
"Nữ", "Ngày vào Đảng" over "Ngày vào" and "Chính thức", "Trình độ" over "Chuyên môn",
"Lý luận chính trị" …). A sub-column is placed by a column declared `under` the group's field
(the birth date under "Nam" gives the sex), else by its own words, else, when the group has
no other sub-column, by the group's words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from personnel.imports.limits import column_letters

# Value kinds (see `values.PARSERS`).
TEXT, NAME, CODE, DATE, SEX, MARK, CCCD, BOOL, THEORY, POST, UNIT, LEVEL = (
    "text", "name", "code", "date", "sex", "mark", "cccd", "bool", "theory", "post", "unit",
    "level",
)  # fmt: skip
# Whole numbers, decimals (comma or point), text whose line breaks are kept, and the
# general-education grade ("12/12", which Excel turns into a date when typed).
INT, DECIMAL, PARAGRAPH, SCHOOLING = "int", "decimal", "paragraph", "schooling"


@dataclass(frozen=True)
class Column:
    """One column the import can fill.

    `field`: the key of the mapping (shown in the mapping screen, stored in presets);
    `label`: the header the template and the export write; `kind`: how values are read;
    `synonyms`: other headers boards write; `under`: the group field this sub-column belongs
    to (its synonyms are then the sub-column's words); `target`: the model field it fills
    when not `field`; `implies`: (field, value) set by a non-empty cell (the birth date
    under "Nữ" says the sex); `required`: the file is refused without it.
    """

    field: str
    label: str
    kind: str
    synonyms: tuple[str, ...] = ()
    under: str | None = None
    target: str | None = None
    implies: tuple[str, str] | None = None
    required: bool = False

    @property
    def fills(self) -> str:
        return self.target or self.field


# fmt: off
CADRE_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã cán bộ", CODE, ("Mã số cán bộ", "Mã CB", "Mã số")),
    Column("full_name", "Họ và tên", NAME, ("Họ tên", "Họ, tên khai sinh", "Họ và tên khai sinh", "Họ tên khai sinh", "Họ và tên (tên thường gọi)", "Họ và tên đảng viên", "Họ và tên cán bộ"), required=True),
    Column("birth_date", "Ngày sinh", DATE, ("Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Sinh ngày", "Ngày/tháng/năm sinh")),
    Column("birth_date_male", "Ngày sinh (cột Nam)", DATE, ("Nam",), under="birth_date", target="birth_date", implies=("sex", "male")),
    Column("birth_date_female", "Ngày sinh (cột Nữ)", DATE, ("Nữ",), under="birth_date", target="birth_date", implies=("sex", "female")),
    Column("sex", "Giới tính", SEX, ("Nam/Nữ", "Nam, nữ", "Nam hay nữ", "Phái")),
    Column("sex_male", "Giới tính (đánh dấu cột Nam)", MARK, ("Nam",), under="sex", target="sex", implies=("sex", "male")),
    Column("sex_female", "Giới tính (đánh dấu cột Nữ)", MARK, ("Nữ",), under="sex", target="sex", implies=("sex", "female")),
    Column("ethnicity", "Dân tộc", TEXT),
    Column("religion", "Tôn giáo", TEXT),
    Column("citizen_id", "Số CCCD", CCCD, ("CCCD", "CCCD/CMND", "Số CCCD/CMND", "CMND/CCCD", "Số CMND/CCCD", "Số định danh", "Số định danh cá nhân", "Căn cước công dân", "Số căn cước", "Số căn cước công dân")),
    Column("hometown", "Quê quán", TEXT, ("Nguyên quán", "Quê")),
    Column("is_local", "Người địa phương", BOOL, ("Là người địa phương", "Địa phương")),
    Column("post_text", "Chức vụ hiện nay", POST, ("Chức vụ", "Chức vụ hiện tại", "Chức vụ Đảng, chính quyền, đoàn thể", "Chức vụ, chức danh", "Chức danh")),
    Column("post_party", "Chức vụ hiện nay (Đảng)", POST, ("Đảng",), under="post_text", target="post_text"),
    Column("post_state", "Chức vụ hiện nay (chính quyền)", POST, ("Chính quyền",), under="post_text", target="post_text"),
    Column("post_mass", "Chức vụ hiện nay (đoàn thể)", POST, ("Đoàn thể",), under="post_text", target="post_text"),
    Column("party_entry_date", "Ngày vào Đảng", DATE, ("Ngày vào", "Ngày vào đảng", "Vào Đảng", "Ngày kết nạp", "Ngày kết nạp Đảng", "Ngày vào Đảng dự bị", "Dự bị")),
    Column("party_confirmed_date", "Ngày chính thức", DATE, ("Chính thức", "Ngày vào Đảng chính thức", "Ngày công nhận chính thức")),
    Column("education", "Trình độ chuyên môn", TEXT, ("Chuyên môn", "Chuyên môn nghiệp vụ", "Chuyên môn, nghiệp vụ", "Trình độ chuyên môn nghiệp vụ", "Trình độ CMNV", "CMNV")),
    Column("political_theory", "Lý luận chính trị", THEORY, ("Trình độ LLCT", "LLCT", "Trình độ lý luận chính trị", "Lý luận CT", "Chính trị")),
    Column("state_management", "Quản lý nhà nước", TEXT, ("QLNN", "Trình độ QLNN")),
    Column("foreign_language", "Ngoại ngữ", TEXT, ("Trình độ ngoại ngữ",)),
    Column("it_skill", "Tin học", TEXT, ("Trình độ tin học",)),
    Column("unit", "Mã đơn vị", UNIT, ("Đơn vị", "Chi bộ", "Tổ chức đảng", "Mã chi bộ")),
    # The other fields of the résumé form 2C (DOCUMENTS.md §5), in the form's order; every one
    # optional, so the files boards kept before still import.
    Column("other_names", "Tên gọi khác", TEXT, ("Tên khác", "Bí danh", "Tên thường gọi")),
    Column("birth_place", "Nơi sinh", TEXT, ("Sinh tại", "Nơi sinh ra")),
    Column("permanent_address", "Nơi thường trú", TEXT, ("Thường trú", "Hộ khẩu thường trú", "Nơi đăng ký hộ khẩu thường trú", "Nơi đăng ký thường trú", "Địa chỉ thường trú", "Nơi ở thường trú")),
    Column("current_address", "Nơi ở hiện nay", TEXT, ("Nơi ở hiện tại", "Chỗ ở hiện nay", "Chỗ ở hiện tại", "Địa chỉ hiện nay")),
    Column("recruitment_occupation", "Nghề nghiệp khi được tuyển dụng", TEXT, ("Nghề nghiệp khi tuyển dụng", "Nghề nghiệp bản thân khi được tuyển dụng", "Nghề nghiệp khi được tuyển")),
    Column("recruited_on", "Ngày tuyển dụng", DATE, ("Ngày được tuyển dụng", "Ngày, tháng, năm được tuyển dụng", "Tuyển dụng ngày")),
    Column("recruiting_body", "Cơ quan tuyển dụng", TEXT, ("Cơ quan, đơn vị tuyển dụng", "Nơi tuyển dụng", "Tuyển dụng tại", "Vào cơ quan nào", "Đơn vị tuyển dụng")),
    Column("main_duties", "Công việc chính được giao", TEXT, ("Công việc chính", "Công việc được giao", "Nhiệm vụ chính được giao")),
    Column("salary_grade", "Ngạch công chức, viên chức", TEXT, ("Ngạch", "Ngạch công chức", "Ngạch viên chức", "Ngạch lương")),
    Column("salary_step", "Bậc lương", INT, ("Bậc", "Bậc lương hiện hưởng")),
    Column("salary_coefficient", "Hệ số lương", DECIMAL, ("Hệ số", "Hệ số lương hiện hưởng", "HSL")),
    Column("general_education", "Giáo dục phổ thông", SCHOOLING, ("Trình độ giáo dục phổ thông", "GDPT", "Văn hóa", "Trình độ văn hóa", "Phổ thông")),
    Column("academic_title", "Học hàm, học vị", TEXT, ("Học hàm học vị", "Học vị", "Học hàm")),
    Column("mass_org_joined", "Ngày tham gia tổ chức chính trị - xã hội", TEXT, ("Ngày tham gia các tổ chức chính trị - xã hội", "Ngày tham gia tổ chức CT-XH", "Tham gia tổ chức chính trị - xã hội", "Ngày vào Đoàn")),
    Column("enlisted_on", "Ngày nhập ngũ", DATE, ("Nhập ngũ",)),
    Column("discharged_on", "Ngày xuất ngũ", DATE, ("Xuất ngũ",)),
    Column("military_rank", "Quân hàm cao nhất", TEXT, ("Quân hàm", "Quân hàm, chức vụ cao nhất")),
    Column("highest_honour", "Danh hiệu được phong tặng cao nhất", TEXT, ("Danh hiệu cao nhất", "Danh hiệu được phong tặng", "Danh hiệu")),
    Column("strengths", "Sở trường công tác", TEXT, ("Sở trường",)),
    Column("health", "Tình trạng sức khỏe", TEXT, ("Sức khỏe",)),
    Column("personal_history", "Đặc điểm lịch sử bản thân", PARAGRAPH, ("Đặc điểm lịch sử", "Lịch sử bản thân")),
)

UNIT_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã đơn vị", CODE, ("Mã", "Mã tổ chức đảng"), required=True),
    Column("name", "Tên đơn vị", NAME, ("Tên tổ chức đảng", "Tên", "Tổ chức đảng"), required=True),
    Column("level", "Cấp", LEVEL, ("Cấp đơn vị", "Cấp tổ chức"), required=True),
    Column("parent", "Mã đơn vị cấp trên", CODE, ("Mã cấp trên", "Cấp trên", "Đơn vị cấp trên")),
)
# fmt: on

# Group labels that head sub-columns without filling anything themselves.
GROUPS = (
    "Trình độ", "Trình độ đào tạo", "Trình độ học vấn, chuyên môn", "Lương", "Lương hiện hưởng",
    "Ngạch, bậc lương", "Ngạch, bậc, hệ số lương", "Quân ngũ",
)  # fmt: skip
# Columns every board has and no field needs: recognised, ignored without a warning.
IGNORED = ("STT", "TT", "Số TT", "Số thứ tự")

# Fields the cadre import needs; each entry is satisfied by any one of its fields.
CADRE_REQUIRED: tuple[tuple[str, ...], ...] = (
    ("full_name",),
    ("birth_date", "birth_date_male", "birth_date_female"),
    ("sex", "sex_male", "sex_female", "birth_date_male", "birth_date_female"),
)
UNIT_REQUIRED: tuple[tuple[str, ...], ...] = (("code",), ("name",), ("level",))

_PUNCTUATION = re.compile(r"[\s,.;:/\\\-–—_()\[\]*'\"“”‘’?!+&]+")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def fold(text: str) -> str:
    """Lower case, without accents, đ as d, punctuation and runs of space as one space."""
    text = unicodedata.normalize("NFD", str(text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("đ", "d")
    return _PUNCTUATION.sub(" ", text).strip()


def header_keys(text: str) -> list[str]:
    """The key of a header, then (when it has one) the key without its parenthesised part."""
    keys = [fold(text)]
    bare = fold(_PARENTHESES.sub(" ", str(text)))
    if bare and bare != keys[0]:
        keys.append(bare)
    return keys


@dataclass
class Spec:
    """What one kind of import reads: its columns, what it requires, what it skips."""

    kind: str
    columns: tuple[Column, ...]
    required: tuple[tuple[str, ...], ...]
    by_key: dict[str, Column] = field(default_factory=dict)
    under: dict[tuple[str, str], Column] = field(default_factory=dict)
    by_field: dict[str, Column] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)
    ignored: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for col in self.columns:
            self.by_field[col.field] = col
            if col.under:
                for word in col.synonyms:
                    self.under[(col.under, fold(word))] = col
                continue
            for word in (col.label, *col.synonyms):
                self.by_key.setdefault(fold(word), col)
        self.groups = {fold(g) for g in GROUPS}
        self.ignored = {fold(i) for i in IGNORED}

    def lookup(self, text: str) -> Column | None:
        for key in header_keys(text):
            if key in self.by_key:
                return self.by_key[key]
        return None

    def is_known(self, text: str) -> bool:
        """Whether a header cell is one of ours (a field, a group or a skipped column)."""
        keys = header_keys(text)
        return any(k in self.by_key or k in self.groups or k in self.ignored for k in keys)

    def is_group(self, text: str) -> bool:
        return any(k in self.groups for k in header_keys(text))

    def is_ignored(self, text: str) -> bool:
        return any(k in self.ignored for k in header_keys(text))

    def choices(self) -> list[tuple[str, str]]:
        """(field, label) for the mapping screen's selects."""
        return [(c.field, c.label) for c in self.columns]


CADRES = Spec("cadres", CADRE_COLUMNS, CADRE_REQUIRED)
UNITS = Spec("units", UNIT_COLUMNS, UNIT_REQUIRED)
SPECS = {"cadres": CADRES, "units": UNITS}


# --- the mapping of one file ------------------------------------------------------------


@dataclass
class Header:
    """A column of the file's table: its position and its header as the file shows it."""

    index: int  # 0-based column
    top: str  # the header cell (or the group label over a sub-column)
    sub: str = ""  # the sub-column's own label, in a two-row header

    @property
    def shown(self) -> str:
        if self.sub and self.top and self.sub != self.top:
            return f"{self.top} › {self.sub}"
        return self.sub or self.top

    @property
    def key(self) -> str:
        """How a preset recognises this column in the next file of the same shape."""
        parts = [self.top] if not self.sub or self.sub == self.top else [self.top, self.sub]
        return " › ".join(fold(p) for p in parts if p)

    @property
    def letter(self) -> str:
        return column_letters(self.index + 1)


def propose(spec: Spec, header: Header) -> Column | None:
    """The column a header most likely is, or None."""
    top, sub = header.top, header.sub
    if sub and sub != top:
        group = spec.lookup(top) if top else None
        if group is not None:
            for key in header_keys(sub):
                hit = spec.under.get((group.field, key))
                if hit is not None:
                    return hit
        own = spec.lookup(sub)
        if own is not None:
            return own
        if top:
            joined = spec.lookup(f"{top} {sub}")
            if joined is not None:
                return joined
        return None
    return spec.lookup(top)


@dataclass
class ColumnPlan:
    """The mapping of one file: for each header, the column it fills (or None)."""

    spec: Spec
    headers: list[Header]
    assigned: dict[int, Column | None]  # by column index
    source: dict[int, str]  # "auto", "preset" or "user", for the screen

    def used(self) -> list[tuple[Header, Column]]:
        return [(h, c) for h in self.headers if (c := self.assigned.get(h.index)) is not None]

    def indices(self, field_name: str) -> list[int]:
        return [h.index for h, c in self.used() if c.field == field_name]

    def by_target(self) -> dict[str, list[tuple[Header, Column]]]:
        result: dict[str, list[tuple[Header, Column]]] = {}
        for h, c in self.used():
            result.setdefault(c.fills, []).append((h, c))
        return result

    def fields(self) -> set[str]:
        return {c.field for _, c in self.used()}

    def missing(self) -> list[str]:
        """Labels of the required fields no column fills."""
        present = self.fields()
        return [
            self.spec.by_field[group[0]].label
            for group in self.spec.required
            if not present.intersection(group)
        ]

    def describe(self) -> list[dict[str, Any]]:
        return [
            {
                "index": h.index,
                "letter": h.letter,
                "header": h.shown,
                "key": h.key,
                "field": (c.field if (c := self.assigned.get(h.index)) else ""),
                "label": (c.label if c else ""),
                "source": self.source.get(h.index, "auto"),
            }
            for h in self.headers
        ]


def plan_columns(
    spec: Spec,
    headers: Sequence[Header],
    *,
    preset: dict[str, str] | None = None,
    overrides: dict[int, str] | None = None,
    warn=None,
) -> ColumnPlan:
    """Propose a column for each header, then apply a preset (header key -> field, "" to
    ignore) and the user's choices (column index -> field, "" to ignore).

    Two headers proposing the same field: the first keeps it, the other is ignored with a
    warning (the sub-columns of one target, e.g. the three parts of a post, may share it).
    Headers nothing could place are ignored with a warning.
    """
    assigned: dict[int, Column | None] = {}
    source: dict[int, str] = {}
    preset = preset or {}
    overrides = overrides or {}
    for h in headers:
        col: Column | None
        if h.index in overrides:
            col = spec.by_field.get(overrides[h.index]) if overrides[h.index] else None
            source[h.index] = "user"
        elif h.key in preset:
            col = spec.by_field.get(preset[h.key]) if preset[h.key] else None
            source[h.index] = "preset"
        else:
            col = propose(spec, h)
            source[h.index] = "auto"
        assigned[h.index] = col
    seen: dict[str, Header] = {}
    unplaced: list[str] = []
    for h in headers:
        col = assigned[h.index]
        if col is None:
            if (
                source[h.index] == "auto"
                and not spec.is_ignored(h.top)
                and not spec.is_ignored(h.sub)
            ):
                unplaced.append(f"“{h.shown}” (cột {h.letter})")
            continue
        if col.field in seen:
            if warn:
                first = seen[col.field]
                warn(
                    f"Cột {h.letter} “{h.shown}” và cột {first.letter} “{first.shown}” cùng là "
                    f"“{col.label}”: chỉ dùng cột {first.letter}, bỏ qua cột {h.letter}."
                )
            assigned[h.index] = None
            continue
        seen[col.field] = h
    if unplaced and warn:
        warn("Các cột không xác định được, đã bỏ qua: " + ", ".join(unplaced) + ".")
    return ColumnPlan(spec, list(headers), assigned, source)


def template_headers(spec: Spec) -> list[str]:
    """The headers of the blank template: every column that is not a sub-column."""
    return [c.label for c in spec.columns if not c.under]
