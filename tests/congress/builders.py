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


def congress_with_list(unit, *, seats=5, kind="executive", term_code="2025-2030"):
    """A congress of `unit` with one body and an empty draft list."""
    from congress.models import Congress, CongressBody, NomineeList
    from personnel.services.ruleset_versions import latest_ruleset

    congress = Congress.objects.create(
        unit=unit,
        term=Term.objects.get(code=term_code),
        ruleset=latest_ruleset(),
        title=f"Đại hội {unit.name} nhiệm kỳ {term_code}",
        held_on=date(2025, 7, 15),
    )
    body = CongressBody.objects.create(congress=congress, kind=kind, seats=seats)
    return NomineeList.objects.create(body=body)


def eligible_people(unit, n, *, women=2, congress=None):
    """`n` cadres of `unit`, all vetted eligible and with a recent achievement."""
    from personnel.models import Achievement
    from vetting.models import VettingCase

    people = []
    for i in range(n):
        c = CadreFactory(
            unit=unit,
            sex="female" if i < women else "male",
            full_name=f"Ứng viên {unit.code} {i}",
            birth_date=date(1978 + i % 8, 3, 5),
        )
        VettingCase.objects.create(
            cadre=c,
            term=congress.term if congress is not None else None,
            conclusion="eligible",
            concluded_on=date(2025, 3, 1),
            concluding_body="Ban Thường vụ",
            document_number=f"{i}-KL/TU",
        )
        Achievement.objects.create(cadre=c, year=2024, title="Giấy khen")
        people.append(c)
    return people
