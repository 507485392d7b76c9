"""A commune with a planning list for 2030-2035, and the people around it."""

from datetime import date

import pytest

from personnel.models import Post, Tenure, Term
from planning.models import PlanningList
from tests.factories import CadreFactory


@pytest.fixture
def term(db):
    return Term.objects.get(code="2030-2035")


@pytest.fixture
def post(db):
    def get(code: str) -> Post:
        return Post.objects.get(code=code)

    return get


@pytest.fixture
def plist(commune, term):
    return PlanningList.objects.create(unit=commune, term=term)


@pytest.fixture
def person(commune):
    """A cadre of the commune; a man born 1980 has far more than a term left in 2030."""

    def make(name="Nguyễn Văn An", *, unit=None, sex="male", birth=date(1980, 5, 14), holds=()):
        c = CadreFactory(full_name=name, unit=unit or commune, sex=sex, birth_date=birth)
        for code in holds:
            Tenure.objects.create(
                cadre=c,
                post=Post.objects.get(code=code),
                unit=unit or commune,
                start=date(2025, 7, 1),
            )
        return c

    return make


@pytest.fixture
def users(make_user, province, commune, other_commune):
    return {
        "secretary": make_user("secretary", commune),
        "staff": make_user("board_staff", commune),
        "above": make_user("board_staff", province),
        "viewer": make_user("viewer", commune),
        "outsider": make_user("board_staff", other_commune),
        "other_secretary": make_user("secretary", other_commune),
    }
