from datetime import date

import pytest

from tests.factories import CadreFactory
from vetting import services
from vetting.models import Conclusion, ItemKind


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users are made by the dozen here; the production hasher costs ~0.5 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SECRET = "Có em ruột định cư tại Canada từ năm 1995, không tham gia tổ chức phản động"


@pytest.fixture
def cadre(commune):
    return CadreFactory(full_name="Nguyễn Văn An", unit=commune)


@pytest.fixture
def officer(make_user, province):
    """A vetting officer of the province: the commune is in the subtree."""
    return make_user("vetting_officer", province, first_name="Minh", last_name="Lê")


@pytest.fixture
def case(cadre, officer):
    case = services.vetting_case_open(cadre=cadre, user=officer)
    services.vetting_item_record(
        case=case, kind=ItemKind.FOREIGN, finding=SECRET, is_concern=False, user=officer
    )
    return services.vetting_case_conclude(
        case=case,
        conclusion=Conclusion.ELIGIBLE,
        concluded_on=date(2025, 3, 9),
        concluding_body="Ban Thường vụ Tỉnh ủy",
        document_number="123-KL/TU",
        user=officer,
    )


@pytest.fixture
def in_scope_readers(make_user, commune):
    """Roles of the cadre's own unit that see the outcome but not the items."""
    return {
        "board_staff": make_user("board_staff", commune),
        "secretary": make_user("secretary", commune),
        "viewer": make_user("viewer", commune),
    }
