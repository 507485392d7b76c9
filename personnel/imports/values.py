"""Cell values as boards type them, read without guessing.

Every reader takes a cell as python-calamine gives it (str, float, int, bool, date, datetime)
and returns the value, None for an empty cell, or raises `CellError` with a message that
names the value. `read_column` applies a reader to a whole column at once, remembering the
answer for each distinct text: a column of 100,000 cells holds a few thousand distinct
values (dates, places, degrees), so most cells cost one dictionary lookup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from personnel.imports.columns import (
    BOOL,
    CCCD,
    CODE,
    DATE,
    DECIMAL,
    INT,
    LEVEL,
    MARK,
    NAME,
    PARAGRAPH,
    POST,
    SCHOOLING,
    SEX,
    TEXT,
    THEORY,
    UNIT,
    fold,
)
from personnel.models import Level, PoliticalTheory, Sex


class CellError(ValueError):
    """A value that cannot be read; the message names it."""


class Bad(str):
    """A cell's error message standing in a parsed column where its value would be."""

    __slots__ = ()


_MISS = object()
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\ufeff\u00ad")
_DATE_TEXT = re.compile(r"^([0-9]{1,2})\s*([/.\-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4})$")
_CCCD_NOISE = str.maketrans("", "", " .-\u00a0'")


def shown(value: Any) -> str:
    """A cell as the user typed it, for messages."""
    if type(value) is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if type(value) is bool:
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def clean_text(value: str) -> str:
    """NFC, invisible characters removed, single spaces, trimmed (what `normalize_name`
    does, with a short way for the plain ASCII of codes and numbers)."""
    if value.isascii():
        return " ".join(value.split())
    text = value.translate(_INVISIBLE)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def read_text(value: Any) -> str | None:
    if type(value) is str:
        text = clean_text(value)
        return text or None
    if value is None:
        return None
    return shown(value) or None


def read_date(value: Any) -> date | None:
    """An Excel date cell, or text as d/m/yyyy, dd/mm/yyyy, dd-mm-yyyy or dd.mm.yyyy."""
    t = type(value)
    if t is date:
        return value
    if t is datetime:
        return value.date()
    if t is str:
        text = value.strip()
        if not text:
            return None
        m = _DATE_TEXT.match(text)
        if m is None:
            raise CellError(f"“{text}” không phải ngày hợp lệ (cần dạng dd/mm/yyyy).")
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if year < 1900:
            raise CellError(f"ngày “{text}” có năm {year} không hợp lệ.")
        try:
            return date(year, month, day)
        except ValueError:
            raise CellError(f"ngày “{text}” không tồn tại.") from None
    if value is None:
        return None
    raise CellError(f"“{shown(value)}” không phải ngày hợp lệ (cần dạng dd/mm/yyyy).")


_SEXES = {"nam": Sex.MALE, "nam gioi": Sex.MALE, "nu": Sex.FEMALE, "nu gioi": Sex.FEMALE}
_SEXES.update({fold(v): v for v in Sex.values})


def read_sex(value: Any) -> str | None:
    text = read_text(value)
    if text is None:
        return None
    sex = _SEXES.get(fold(text))
    if sex is None:
        raise CellError(f"giá trị “{text}” không hợp lệ (chỉ nhận Nam hoặc Nữ).")
    return sex


_YES = {"co", "x", "c", "true", "1", "dung", "v", "yes"}
_NO = {"khong", "k", "false", "0", "sai", "no"}


def read_bool(value: Any) -> bool | None:
    if type(value) is bool:
        return value
    if type(value) is float and value in (0.0, 1.0):
        return value == 1.0
    text = read_text(value)
    if text is None:
        return None
    key = fold(text)
    if key in _YES or text == "✓":
        return True
    if key in _NO:
        return False
    raise CellError(f"giá trị “{text}” không hợp lệ (chỉ nhận Có hoặc Không).")


def read_mark(value: Any) -> bool | None:
    """A tick in a "Nam" / "Nữ" column: x, X, ✓, 1."""
    return True if read_bool(value) else None


def read_cccd(value: Any) -> str | None:
    """12 digits. A number cell lost its leading zeros in Excel (every CCCD starts with a
    province code 001–096, so one or two zeros): they are put back for 10 or 11 digits,
    never for other lengths (a 9-digit number is an old CMND, not a CCCD)."""
    t = type(value)
    if t is float or t is int:
        if t is float and not value.is_integer():
            raise CellError(f"“{shown(value)}” không hợp lệ (phải gồm đúng 12 chữ số).")
        text = str(int(value))
        if len(text) in (10, 11):
            text = text.zfill(12)
        typed = shown(value)
    elif t is str:
        typed = value.strip()
        text = typed.translate(_CCCD_NOISE)
        if not text:
            return None
    elif value is None:
        return None
    else:
        raise CellError(f"“{shown(value)}” không hợp lệ (phải gồm đúng 12 chữ số).")
    if len(text) != 12 or not (text.isascii() and text.isdigit()):
        raise CellError(f"“{typed}” không hợp lệ (phải gồm đúng 12 chữ số).")
    return text


_THEORY_WORDS = {
    "so cap": PoliticalTheory.SO_CAP,
    "sc": PoliticalTheory.SO_CAP,
    "trung cap": PoliticalTheory.TRUNG_CAP,
    "tc": PoliticalTheory.TRUNG_CAP,
    "cao cap": PoliticalTheory.CAO_CAP,
    "cc": PoliticalTheory.CAO_CAP,
    "cu nhan": PoliticalTheory.CU_NHAN,
    "cn": PoliticalTheory.CU_NHAN,
    "chua co": PoliticalTheory.NONE,
    "chua": PoliticalTheory.NONE,
    "khong": PoliticalTheory.NONE,
    "khong co": PoliticalTheory.NONE,
}
_THEORY_WORDS.update({fold(v): v for v in PoliticalTheory.values if v})
_THEORY_SUFFIXES = ("ly luan chinh tri", "ly luan", "chinh tri", "llct", "lý luận")
_PARENS = re.compile(r"\([^)]*\)")
THEORY_LABELS = ", ".join(str(label) for v, label in PoliticalTheory.choices if v)


def read_theory(value: Any) -> str | None:
    """A political-theory level in any capitalisation: "cao cấp", "CC", "Cao cấp LLCT"."""
    text = read_text(value)
    if text is None:
        return None
    for candidate in (text, _PARENS.sub(" ", text)):
        key = fold(candidate)
        for suffix in _THEORY_SUFFIXES:
            if key.endswith(" " + suffix):
                key = key[: -len(suffix) - 1]
                break
        if key in _THEORY_WORDS:
            return _THEORY_WORDS[key]
    raise CellError(
        f"giá trị “{text}” không hợp lệ (chỉ nhận {THEORY_LABELS}, viết tắt SC, TC, CC, CN, "
        "hoặc để trống)."
    )


_LEVELS = {fold(str(label)): value for value, label in Level.choices}
_LEVELS.update({fold(v): v for v in Level.values})
_LEVELS.update({"phuong": Level.COMMUNE, "thi tran": Level.COMMUNE})
LEVEL_LABELS = ", ".join(str(label) for _, label in Level.choices)


def read_level(value: Any) -> str | None:
    text = read_text(value)
    if text is None:
        return None
    level = _LEVELS.get(fold(text))
    if level is None:
        raise CellError(f"giá trị “{text}” không hợp lệ (chỉ nhận {LEVEL_LABELS}).")
    return level


def read_paragraph(value: Any) -> str | None:
    """Text of several lines (a history): each line cleaned as `clean_text` does, the line
    breaks kept, empty lines at either end dropped."""
    if type(value) is not str:
        return read_text(value)
    lines = [
        clean_text(line) for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    return "\n".join(lines).strip("\n") or None


# The largest value of a PositiveSmallIntegerField, where the whole numbers are kept.
INT_MAX = 32767
_NUMBER_NOISE = str.maketrans("", "", " \u00a0")


def read_int(value: Any) -> int | None:
    """A whole number from 1: a number cell, or digits typed as text ("5", " 5 ")."""
    t = type(value)
    if t is bool:
        raise CellError(f"“{shown(value)}” không phải số nguyên dương.")
    if t is float or t is int:
        if t is float and not value.is_integer():
            raise CellError(f"“{shown(value)}” không phải số nguyên dương.")
        number = int(value)
    elif t is str:
        text = value.strip().translate(_NUMBER_NOISE)
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            raise CellError(f"“{value.strip()}” không phải số nguyên dương.")
        number = int(text)
    elif value is None:
        return None
    else:
        raise CellError(f"“{shown(value)}” không phải số nguyên dương.")
    if not 1 <= number <= INT_MAX:
        raise CellError(f"“{shown(value)}” không hợp lệ (phải là số nguyên từ 1 đến {INT_MAX}).")
    return number


_DECIMAL_TEXT = re.compile(r"^[0-9]+([.,][0-9]+)?$")


def read_decimal(value: Any) -> Decimal | None:
    """A number with at most two decimal places, under 100 (a salary coefficient): a number
    cell, or text with a decimal comma ("4,98") or point ("4.98")."""
    t = type(value)
    if t is float or t is int:
        # A computed cell may hold 3.0000000000000004: read as Excel shows it (15 digits).
        number = Decimal(f"{value:.15g}")
        typed = shown(value)
    elif t is str:
        typed = value.strip()
        text = typed.translate(_NUMBER_NOISE)
        if not text:
            return None
        if not _DECIMAL_TEXT.match(text):
            raise CellError(f"“{typed}” không phải số (ghi dạng 4,98 hoặc 4.98).")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise CellError(f"“{typed}” không phải số (ghi dạng 4,98 hoặc 4.98).") from None
    elif value is None:
        return None
    else:
        raise CellError(f"“{shown(value)}” không phải số (ghi dạng 4,98 hoặc 4.98).")
    if number != number.quantize(Decimal("0.01")):
        raise CellError(f"“{typed}” có quá 2 chữ số thập phân.")
    if not 0 <= number < 100:
        raise CellError(f"“{typed}” không hợp lệ (phải từ 0 đến dưới 100).")
    return number.quantize(Decimal("0.01"))


_GRADES = (10, 12)


def read_schooling(value: Any) -> str | None:
    """The general-education grade as written ("12/12", "10/10", "9/12"). Excel turns
    "12/12" typed into a cell into a date: such a date is read back as the grade it was
    typed as, whichever of day and month the sheet's locale took first."""
    t = type(value)
    if t is datetime or t is date:
        day, month = value.day, value.month
        if month in _GRADES and day <= month:
            return f"{day}/{month}"
        if day in _GRADES and month <= day:
            return f"{month}/{day}"
        raise CellError(
            f"“{shown(value)}” là một ngày, không phải trình độ giáo dục phổ thông "
            "(ghi dạng 12/12 hoặc 10/10)."
        )
    return read_text(value)


READERS: dict[str, Callable[[Any], Any]] = {
    TEXT: read_text,
    NAME: read_text,
    CODE: read_text,
    POST: read_text,
    UNIT: read_text,
    DATE: read_date,
    SEX: read_sex,
    MARK: read_mark,
    CCCD: read_cccd,
    BOOL: read_bool,
    THEORY: read_theory,
    LEVEL: read_level,
    INT: read_int,
    DECIMAL: read_decimal,
    PARAGRAPH: read_paragraph,
    SCHOOLING: read_schooling,
}


# Readers that keep most texts as typed, with the check that says so of many texts at once
# (in C: one join, one regular expression, one normalization check). Used by `read_column`
# when a column holds many distinct texts (names, codes, CCCDs), where reading each would
# cost a Python call per cell. An empty text reads as None, as the readers say.
_UNTOUCHED_TEXT = re.compile(r"[^\S ]|  |^ | $|\x00 | \x00|[\u200b\u200c\u200d\ufeff\u00ad]")
_CCCD_COLUMN = re.compile(r"(?:[0-9]{12})?(?:\x00(?:[0-9]{12})?)*")


def _texts_kept(texts: list[str], limit: int | None = None) -> bool:
    """Whether `read_text` returns every one of `texts` unchanged: NFC, no invisible
    characters, single spaces inside, none at either end, within `limit` characters."""
    joined = "\x00".join(texts)
    if _UNTOUCHED_TEXT.search(joined):
        return False
    if not (joined.isascii() or unicodedata.is_normalized("NFC", joined)):
        return False
    return not limit or max(map(len, texts), default=0) <= limit


def _cccds_kept(texts: list[str], limit: int | None = None) -> bool:
    """Whether `read_cccd` returns every one of `texts` unchanged: 12 ASCII digits."""
    if limit and limit < 12:
        return False
    joined = "\x00".join(texts)
    # (No text may hold the separator itself, else "\x00" would pass as two empty cells.)
    return joined.count("\x00") == len(texts) - 1 and _CCCD_COLUMN.fullmatch(joined) is not None


# reader -> its check of many distinct texts at once (see above)
_KEPT: dict[Callable[[Any], Any], Callable[[list[str], int | None], bool]] = {
    read_text: _texts_kept,
    read_cccd: _cccds_kept,
}


class _Reader:
    """A reader with a length limit, and the whole-column check that goes with it."""

    __slots__ = ("reader", "limit", "kept")

    def __init__(self, reader: Callable[[Any], Any], limit: int) -> None:
        self.reader, self.limit = reader, limit
        check = _KEPT.get(reader)
        self.kept = None if check is None else (lambda texts: check(texts, limit))

    def __call__(self, value: Any) -> Any:
        result = self.reader(value)
        if result is not None and type(result) is str and len(result) > self.limit:
            raise CellError(f"dài quá {self.limit} ký tự.")
        return result


def with_max_length(reader: Callable[[Any], Any], limit: int | None) -> Callable[[Any], Any]:
    return _Reader(reader, limit) if limit else reader


def _kept_check(reader: Callable[[Any], Any]) -> Callable[[list[str]], bool] | None:
    if type(reader) is _Reader:
        return reader.kept
    return _KEPT.get(reader)


def read_column(values: list[Any], reader: Callable[[Any], Any], cache: dict) -> tuple[list, bool]:
    """The reader applied to every cell of a column; an unreadable cell becomes a `Bad`
    holding its message. Returns (values, whether any cell was unreadable).

    Each distinct value is read once, and the column is then mapped in C: a column of
    100,000 cells holds a few thousand distinct dates, places, degrees. Texts and dates are
    also remembered across columns and batches (`cache`). Numbers of different types
    compare equal (1 == 1.0 == True), so a column mixing them is read cell by cell."""
    kinds = set(map(type, values))
    if len(kinds & _NUMBERS) > 1:
        return _read_each(values, reader, cache)
    distinct = set(values)
    if kinds == {str} and len(distinct) > _MANY:
        kept = _kept_check(reader)
        if kept is not None and kept(list(distinct)):
            # Every text reads as itself: the column is mapped without a reader call.
            answers = dict(zip(distinct, distinct, strict=True))
            if "" in answers:
                answers[""] = None
            return list(map(answers.__getitem__, values)), False
    answers = {}
    bad = False
    get = cache.get
    for v in distinct:
        t = type(v)
        r = get(v, _MISS) if t is str or t is date else _MISS
        if r is _MISS:
            try:
                r = reader(v)
            except CellError as exc:
                r = Bad(str(exc))
            if t is str or t is date:
                cache[v] = r
        if type(r) is Bad:
            bad = True
        answers[v] = r
    return list(map(answers.__getitem__, values)), bad


_NUMBERS = {int, float, bool}
# Above this many distinct texts in a column, `read_column` first asks whether the reader
# keeps them all as they are (below it, reading each distinct text once is as cheap).
_MANY = 256


def _read_each(values: list[Any], reader: Callable[[Any], Any], cache: dict) -> tuple[list, bool]:
    out: list[Any] = []
    append = out.append
    bad = False
    get = cache.get
    for v in values:
        t = type(v)
        if t is str or t is date:
            r = get(v, _MISS)
            if r is _MISS:
                try:
                    r = reader(v)
                except CellError as exc:
                    r = Bad(str(exc))
                cache[v] = r
        else:
            try:
                r = reader(v)
            except CellError as exc:
                r = Bad(str(exc))
        if type(r) is Bad:
            bad = True
        append(r)
    return out, bad
