"""Date arithmetic: ages, retirement ages and dates, working time left.

Retirement ages follow the Labour Code 2019 (Bộ luật Lao động 2019, Điều 169) and Decree 135/2020/NĐ-CP
(khoản 1 Điều 4): the retirement age rises by a fixed step each calendar year from 2021 until a cap. The
per-birth-month table of RULES.md §2 is *derived* here from that roadmap, never copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "RETIREMENT_SCHEDULES",
    "RetirementSchedule",
    "add_months",
    "age_at",
    "days_in_month",
    "months_left",
    "retirement_age",
    "retirement_age_months",
    "retirement_date",
]

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True)
class RetirementSchedule:
    """A statutory roadmap of retirement ages.

    Before ``first_year`` the age is ``base_months``; in ``first_year`` it is ``base_months + step_months``
    and it grows by ``step_months`` every following calendar year until ``cap_months``.
    """

    base_months: int
    step_months: int
    cap_months: int
    first_year: int
    source: str


#: Statutory retirement roadmaps (law, not a Party directive, hence not part of a RuleSet).
RETIREMENT_SCHEDULES: dict[str, RetirementSchedule] = {
    "male": RetirementSchedule(
        base_months=60 * 12,
        step_months=3,
        cap_months=62 * 12,
        first_year=2021,
        source="Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP, khoản 1 Điều 4",
    ),
    "female": RetirementSchedule(
        base_months=55 * 12,
        step_months=4,
        cap_months=60 * 12,
        first_year=2021,
        source="Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP, khoản 1 Điều 4",
    ),
}

_AGE_CACHE: dict[tuple[bool, int, int], int] = {}


def days_in_month(year: int, month: int) -> int:
    """Number of days of ``month`` (1-12) in ``year`` (proleptic Gregorian)."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month - 1]


def add_months(d: date, n: int) -> date:
    """``d`` shifted by ``n`` months; the day of month is kept, clamped to the month's last day."""
    idx = d.year * 12 + d.month - 1 + n
    year, m0 = divmod(idx, 12)
    month = m0 + 1
    day = d.day
    if day > 28:
        last = days_in_month(year, month)
        if day > last:
            day = last
    return date(year, month, day)


def _derive(schedule: RetirementSchedule, year: int, month: int) -> int:
    """Retirement age in months for a person born in ``year``/``month`` under ``schedule``."""
    birth_idx = year * 12 + month - 1
    first_idx = schedule.first_year * 12
    # Under the old rule, people reaching the base age before the roadmap starts keep it.
    if birth_idx + schedule.base_months < first_idx:
        return schedule.base_months
    cal_year = schedule.first_year
    while True:
        age = schedule.base_months + schedule.step_months * (cal_year - schedule.first_year + 1)
        if age >= schedule.cap_months:
            return schedule.cap_months
        # The age of a calendar year applies to those who reach it during that year.
        if (birth_idx + age) // 12 <= cal_year:
            return age
        cal_year += 1


def retirement_age_months(sex: str, birth: date, extended_retirement: bool = False) -> int:
    """Retirement age in months (see :func:`retirement_age`)."""
    if sex == "male":
        male = True
    elif sex == "female":
        male = bool(extended_retirement)
    else:
        raise ValueError(f"unknown sex: {sex!r}")
    key = (male, birth.year, birth.month)
    cached = _AGE_CACHE.get(key)
    if cached is None:
        schedule = RETIREMENT_SCHEDULES["male" if male else "female"]
        cached = _AGE_CACHE[key] = _derive(schedule, birth.year, birth.month)
    return cached


def retirement_age(sex: str, birth: date, extended_retirement: bool = False) -> tuple[int, int]:
    """Retirement age as (years, months) for a person of ``sex`` ('male'/'female') born on ``birth``.

    ``extended_retirement`` (Nghị định 83/2022/NĐ-CP) makes the men's roadmap apply to a woman.
    """
    return divmod(retirement_age_months(sex, birth, extended_retirement), 12)


def retirement_date(sex: str, birth: date, extended_retirement: bool = False) -> date:
    """``birth`` + retirement age (day kept, clamped to the month's last day)."""
    return add_months(birth, retirement_age_months(sex, birth, extended_retirement))


def months_left(ref: date, ret: date) -> int:
    """Whole months of working time left at ``ref`` before the retirement date ``ret``."""
    return (ret.year - ref.year) * 12 + (ret.month - ref.month) - (1 if ret.day < ref.day else 0)


def age_at(birth: date, ref: date) -> int:
    """Age in completed years at ``ref``; a 29 February birthday is reached on 1 March in other years."""
    return (
        ref.year
        - birth.year
        - (
            1
            if (ref.month < birth.month or (ref.month == birth.month and ref.day < birth.day))
            else 0
        )
    )
