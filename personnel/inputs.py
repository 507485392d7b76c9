"""Reading what users type: numbers, dates, ids and free text from a form, checked the same
way in every app.

Python's own parsers are too generous for a form: `int()` and `str.isdigit()` accept
Arabic-Indic and full-width digits ("١٢٣", "１２") and superscripts ("²", on which `int()`
then fails), `int()` has no upper bound (PostgreSQL's `integer` has), and `date()` raises
on "31/02/2025" instead of saying which field is wrong. Every reader here either returns a
value the database accepts or raises a `ValidationError` whose message, in Vietnamese,
names the field; views answer it with 422 and write nothing.

The limits that the database also holds (`TEXT_MAX`, the check constraints of the models)
are declared here once, so a form, a service and a migration cannot disagree.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError

# PostgreSQL `integer` / `bigint`: the largest value a column (or an id) can hold.
INT_MAX = 2_147_483_647
BIGINT_MAX = 9_223_372_036_854_775_807
# Dates a person types into this application: births, decisions, meetings.
MIN_YEAR, MAX_YEAR = 1900, 2100
# Free text typed into a form: notes, remarks, reasons, justifications.
TEXT_MAX = 4000
# A one-line name or place.
LINE_MAX = 255
# A long written finding (the vetting items).
LONG_TEXT_MAX = 20000

_INT = re.compile(r"-?[0-9]+")
_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def _shown(raw: object) -> str:
    """The bad value, short enough to quote back in a message."""
    text = str(raw).strip()
    return text if len(text) <= 20 else text[:20] + "…"


def int_from(
    raw: object,
    *,
    label: str,
    min_value: int = 0,
    max_value: int = INT_MAX,
    required: bool = True,
) -> int | None:
    """An integer typed in ASCII digits, within [min_value, max_value]; None when empty and
    not required."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = "" if raw is None else str(raw).strip()
        if not text:
            if required:
                raise ValidationError(f"Cần nhập {label[:1].lower()}{label[1:]}.")
            return None
        if not _INT.fullmatch(text) or len(text) > 20:
            raise ValidationError(
                f"{label} phải là số nguyên từ {min_value} đến {max_value} "
                f"(viết bằng chữ số 0–9), không phải «{_shown(text)}»."
            )
        value = int(text)
    if not min_value <= value <= max_value:
        raise ValidationError(f"{label} phải là số nguyên từ {min_value} đến {max_value}.")
    return value


def id_from(raw: object) -> int | None:
    """A row id from a form or a query string: ASCII digits within `bigint`, else None (the
    caller answers 404 or 422, never a database error)."""
    text = "" if raw is None else str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= BIGINT_MAX else None


def date_from(raw: object, *, label: str, required: bool = True) -> date | None:
    """A date typed as dd/mm/yyyy (what users type) or yyyy-mm-dd (what a date picker
    sends): a day that exists, between MIN_YEAR and MAX_YEAR. None when empty and not
    required."""
    if isinstance(raw, date):
        value = raw
    else:
        text = "" if raw is None else str(raw).strip()
        if not text:
            if required:
                raise ValidationError(f"Cần nhập {label[:1].lower()}{label[1:]} (dd/mm/yyyy).")
            return None
        value = None
        if m := _DMY.fullmatch(text):
            day, month, year = int(m[1]), int(m[2]), int(m[3])
        elif m := _ISO.fullmatch(text):
            year, month, day = int(m[1]), int(m[2]), int(m[3])
        else:
            raise ValidationError(
                f"{label} không hợp lệ: «{_shown(text)}» không phải ngày tháng "
                "(nhập theo dạng dd/mm/yyyy, ví dụ 25/03/2025)."
            )
        try:
            value = date(year, month, day)
        except ValueError:
            raise ValidationError(
                f"{label} không hợp lệ: ngày {_shown(text)} không có trên lịch."
            ) from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(f"{label} không hợp lệ: năm phải từ {MIN_YEAR} đến {MAX_YEAR}.")
    return value


def text_from(
    raw: object, *, label: str, max_length: int = TEXT_MAX, required: bool = False
) -> str:
    """Free text, stripped, at most `max_length` characters."""
    text = "" if raw is None else str(raw).strip()
    if required and not text:
        raise ValidationError(f"Cần nhập {label[:1].lower()}{label[1:]}.")
    if "\x00" in text:
        raise ValidationError(f"{label} chứa ký tự không hợp lệ.")
    if len(text) > max_length:
        raise ValidationError(too_long(label, max_length, len(text)))
    return text


def too_long(label: str, max_length: int, length: int) -> str:
    return f"{label} dài {length} ký tự, vượt quá giới hạn {max_length} ký tự."


# --- form fields ---------------------------------------------------------------------------


class WholeNumberField(forms.IntegerField):
    """`forms.IntegerField` that takes ASCII digits only and stays within a database
    column, with the message naming the field."""

    def __init__(self, *, min_value: int = 0, max_value: int = INT_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return int_from(
            value,
            label=str(self.label or "Giá trị"),
            min_value=self.min_value,
            max_value=self.max_value,
        )


class CalendarDateField(forms.DateField):
    """`forms.DateField` that names the field and says why: a day that does not exist
    ("31/02/2025"), a year outside MIN_YEAR..MAX_YEAR, non-ASCII digits."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return date_from(value, label=str(self.label or "Ngày"))


class LimitedTextField(forms.CharField):
    """`forms.CharField` with a length the database also holds and a message naming it."""

    def __init__(self, *, max_length: int = TEXT_MAX, **kwargs):
        super().__init__(max_length=max_length, **kwargs)

    def clean(self, value):
        value = self.to_python(value)
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(
                too_long(str(self.label or "Nội dung"), self.max_length, len(value))
            )
        return super().clean(value)


# --- the same limits in the database -------------------------------------------------------


def length_check(field: str, max_length: int, *, name: str, label: str):
    """A check constraint holding a TextField to `max_length` characters in the database
    (a TextField's `max_length` reaches only its form field). `full_clean()` reports it
    with `label` named."""
    from django.db import models
    from django.db.models.functions import Length
    from django.db.models.lookups import LessThanOrEqual

    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), max_length),
        name=name,
        violation_error_message=f"{label} vượt quá giới hạn {max_length} ký tự.",
    )


class IdChoiceField(forms.ModelChoiceField):
    """`forms.ModelChoiceField` that takes an id in ASCII digits only: `int("١٢")` is 12,
    and a form must not pick row 12 for it."""

    def to_python(self, value):
        if value not in self.empty_values and not self.to_field_name and id_from(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)
