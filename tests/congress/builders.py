"""Small registry scenes for congress tests."""

from datetime import date

from personnel.models import CommitteeMembership, Term
from tests.factories import CadreFactory, UnitFactory


def committee(unit, *, women: int, men: int, term_code: str = "2025-2030", born=1975):
    """Give `unit` a sitting executive committee of the given make-up; returns the cadres."""
    term = Term.objects.get(code=term_code)
    people = []
    for i in range(women + men):
        sex = "female" if i < women else "male"
        c = CadreFactory(
            unit=unit,
            sex=sex,
            full_name=f"Ủy viên {unit.code} số {i}",
            birth_date=date(born + (i % 10), 1 + i % 12, 10),
        )
        CommitteeMembership.objects.create(cadre=c, unit=unit, term=term, body="executive")
        people.append(c)
    return people


def communes(province, n: int, start: int = 0):
    return [
        UnitFactory(code=f"XA{i:03d}", name=f"Đảng bộ xã {i}", level="commune", parent=province)
        for i in range(start, start + n)
    ]
