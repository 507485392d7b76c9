"""Retirement ages, dates and working time left (RULES.md §2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congress.rules.dates import (
    add_months,
    age_at,
    months_left,
    retirement_age,
    retirement_date,
)

# The table of RULES.md §2, written out as data independently of the implementation:
# (first birth month, last birth month, years, months), inclusive, as (year, month).
MEN_TABLE = [
    ((1900, 1), (1960, 12), 60, 0),
    ((1961, 1), (1961, 9), 60, 3),
    ((1961, 10), (1962, 6), 60, 6),
    ((1962, 7), (1963, 3), 60, 9),
    ((1963, 4), (1963, 12), 61, 0),
    ((1964, 1), (1964, 9), 61, 3),
    ((1964, 10), (1965, 6), 61, 6),
    ((1965, 7), (1966, 3), 61, 9),
    ((1966, 4), (2100, 12), 62, 0),
]
WOMEN_TABLE = [
    ((1900, 1), (1965, 12), 55, 0),
    ((1966, 1), (1966, 8), 55, 4),
    ((1966, 9), (1967, 4), 55, 8),
    ((1967, 5), (1967, 12), 56, 0),
    ((1968, 1), (1968, 8), 56, 4),
    ((1968, 9), (1969, 4), 56, 8),
    ((1969, 5), (1969, 12), 57, 0),
    ((1970, 1), (1970, 8), 57, 4),
    ((1970, 9), (1971, 4), 57, 8),
    ((1971, 5), (1971, 12), 58, 0),
    ((1972, 1), (1972, 8), 58, 4),
    ((1972, 9), (1973, 4), 58, 8),
    ((1973, 5), (1973, 12), 59, 0),
    ((1974, 1), (1974, 8), 59, 4),
    ((1974, 9), (1975, 4), 59, 8),
    ((1975, 5), (2100, 12), 60, 0),
]


def table_lookup(table: list, year: int, month: int) -> tuple[int, int]:
    for first, last, years, months in table:
        if first <= (year, month) <= last:
            return years, months
    raise AssertionError(f"no row for {year}-{month}")


def all_months(first_year: int, last_year: int):
    for year in range(first_year, last_year + 1):
        for month in range(1, 13):
            yield year, month


@pytest.mark.parametrize("sex,table", [("male", MEN_TABLE), ("female", WOMEN_TABLE)])
def test_whole_table_month_by_month(sex: str, table: list) -> None:
    checked = 0
    for year, month in all_months(1959, 1977):
        for day in (1, 15, 28):
            birth = date(year, month, day)
            assert retirement_age(sex, birth) == table_lookup(table, year, month), (sex, birth)
            checked += 1
    assert checked == 19 * 12 * 3


def test_extended_retirement_applies_mens_table_to_women() -> None:
    for year, month in all_months(1959, 1977):
        birth = date(year, month, 10)
        assert retirement_age("female", birth, True) == table_lookup(MEN_TABLE, year, month)
        assert retirement_age("male", birth, True) == table_lookup(MEN_TABLE, year, month)


def test_published_case_woman_born_august_1974() -> None:
    birth = date(1974, 8, 20)
    assert retirement_age("female", birth) == (59, 4)
    ret = retirement_date("female", birth)
    assert ret == date(2033, 12, 20)
    # The pension starts the month after the retirement month: 1/2034.
    assert add_months(ret.replace(day=1), 1) == date(2034, 1, 1)


def test_published_case_woman_born_february_1975() -> None:
    birth = date(1975, 2, 5)
    assert retirement_age("female", birth) == (59, 8)
    ret = retirement_date("female", birth)
    assert (ret.year, ret.month) == (2034, 10)
    assert add_months(ret.replace(day=1), 1) == date(2034, 11, 1)


def test_unknown_sex_rejected() -> None:
    with pytest.raises(ValueError):
        retirement_age("other", date(1970, 1, 1))


def test_retirement_date_keeps_day() -> None:
    assert retirement_date("male", date(1968, 3, 10)) == date(2030, 3, 10)
    assert retirement_date("female", date(1968, 10, 10)) == date(2025, 6, 10)  # 56y8m


def test_retirement_date_clamped_to_month_end() -> None:
    # Men born 10/1961 retire at 60y6m: 31 October + 60y6m -> 30 April 2022.
    assert retirement_date("male", date(1961, 10, 31)) == date(2022, 4, 30)
    # Women born 10/1966 retire at 55y8m: 31 October + 55y8m -> 30 June 2022.
    assert retirement_date("female", date(1966, 10, 31)) == date(2022, 6, 30)
    # Day kept when it exists.
    assert retirement_date("female", date(1967, 4, 30)) == date(2022, 12, 30)


def test_retirement_date_29_february() -> None:
    # 62 years after 1992-02-29 is 2054, not a leap year: clamped to 28 February.
    assert retirement_date("male", date(1992, 2, 29)) == date(2054, 2, 28)
    # 60 years after 1976-02-29 is 2036, a leap year: the day is kept.
    assert retirement_date("female", date(1976, 2, 29)) == date(2036, 2, 29)


def test_add_months() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)
    assert add_months(date(2025, 1, 15), -13) == date(2023, 12, 15)
    assert add_months(date(2000, 2, 29), 12 * 100) == date(2100, 2, 28)
    assert add_months(date(2025, 5, 5), 0) == date(2025, 5, 5)


def test_months_left_definition() -> None:
    ref = date(2025, 4, 1)
    assert months_left(ref, date(2030, 3, 10)) == 59
    assert months_left(ref, date(2025, 5, 1)) == 1
    assert months_left(ref, date(2025, 4, 1)) == 0
    assert months_left(ref, date(2025, 3, 31)) == -1
    # ret.day < ref.day subtracts one month.
    assert months_left(date(2025, 4, 15), date(2025, 6, 14)) == 1
    assert months_left(date(2025, 4, 15), date(2025, 6, 15)) == 2
    assert months_left(date(2026, 3, 1), date(2025, 6, 10)) == -9
    assert months_left(date(2026, 3, 1), date(2054, 2, 28)) == 335


def test_age_at_completed_years() -> None:
    assert age_at(date(1970, 5, 14), date(2025, 5, 13)) == 54
    assert age_at(date(1970, 5, 14), date(2025, 5, 14)) == 55
    assert age_at(date(1970, 5, 14), date(1970, 5, 14)) == 0


def test_age_at_29_february_reached_on_1_march() -> None:
    birth = date(1992, 2, 29)
    assert age_at(birth, date(2026, 2, 28)) == 33
    assert age_at(birth, date(2026, 3, 1)) == 34
    assert age_at(birth, date(2024, 2, 28)) == 31
    assert age_at(birth, date(2024, 2, 29)) == 32


dates = st.dates(min_value=date(1930, 1, 1), max_value=date(2060, 12, 31))
sexes = st.sampled_from(["male", "female"])


@given(ref=dates, ret=dates, step=st.integers(min_value=0, max_value=4000))
def test_months_left_never_grows_as_reference_moves_forward(
    ref: date, ret: date, step: int
) -> None:
    later = ref + timedelta(days=step)
    assert months_left(later, ret) <= months_left(ref, ret)


@given(sex=sexes, birth=dates, step=st.integers(min_value=0, max_value=400), ext=st.booleans())
def test_retirement_age_never_decreases_with_later_birth(
    sex: str, birth: date, step: int, ext: bool
) -> None:
    later = add_months(birth, step)
    a1 = retirement_age(sex, birth, ext)
    a2 = retirement_age(sex, later, ext)
    assert a2 >= a1


@given(sex=sexes, birth=dates, step=st.integers(min_value=0, max_value=400))
def test_retirement_date_never_earlier_with_later_birth(sex: str, birth: date, step: int) -> None:
    later = add_months(birth, step)
    assert retirement_date(sex, later) >= retirement_date(sex, birth)


@given(birth=dates, ref=dates, step=st.integers(min_value=0, max_value=4000))
def test_age_at_monotone(birth: date, ref: date, step: int) -> None:
    later = ref + timedelta(days=step)
    assert age_at(birth, later) >= age_at(birth, ref)


@given(birth=dates, years=st.integers(min_value=0, max_value=80))
def test_age_at_birthday(birth: date, years: int) -> None:
    anniversary = add_months(birth, 12 * years)
    if anniversary.day == birth.day:
        assert age_at(birth, anniversary) == years
    else:  # 29 February in a common year: reached on 1 March.
        assert age_at(birth, anniversary) == years - 1
        assert age_at(birth, anniversary + timedelta(days=1)) == years


@given(d=dates, n=st.integers(min_value=-600, max_value=600))
def test_add_months_day_kept_or_clamped(d: date, n: int) -> None:
    r = add_months(d, n)
    assert (r.year * 12 + r.month) - (d.year * 12 + d.month) == n
    assert r.day == d.day or (r.day < d.day and (r + timedelta(days=1)).day == 1)
