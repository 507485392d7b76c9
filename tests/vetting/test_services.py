"""The vetting services: scope re-checked, conclusions validated, one audit row per change."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from personnel.models import AuditLog
from tests.vetting.conftest import SECRET
from vetting import services
from vetting.models import Conclusion, ItemKind, VettingCase, VettingItem

pytestmark = pytest.mark.django_db

GOOD = {
    "concluded_on": date(2025, 3, 9),
    "concluding_body": "Ban Thường vụ Tỉnh ủy",
    "document_number": "123-KL/TU",
}


def audit_rows(case, action):
    return AuditLog.objects.filter(
        object_type="vetting.vettingcase", object_id=str(case.pk), action=action
    )


@pytest.fixture
def open_case(cadre, officer):
    return services.vetting_case_open(cadre=cadre, user=officer)


@pytest.mark.parametrize("conclusion", [Conclusion.ELIGIBLE, Conclusion.INELIGIBLE])
@pytest.mark.parametrize("missing", ["concluded_on", "concluding_body", "document_number"])
def test_final_conclusion_needs_date_body_and_document(open_case, officer, conclusion, missing):
    data = {**GOOD, missing: None if missing == "concluded_on" else "  "}
    with pytest.raises(ValidationError) as exc:
        services.vetting_case_conclude(case=open_case, conclusion=conclusion, user=officer, **data)
    assert missing in exc.value.message_dict
    assert "phải có" in exc.value.message_dict[missing][0]
    open_case.refresh_from_db()
    assert open_case.conclusion == Conclusion.PENDING
    assert not audit_rows(open_case, "vetting.conclude").exists()


def test_unknown_conclusion_and_future_date_are_refused(open_case, officer):
    with pytest.raises(ValidationError, match="Kết luận không hợp lệ"):
        services.vetting_case_conclude(case=open_case, conclusion="maybe", user=officer, **GOOD)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="Ngày kết luận ở tương lai"):
        services.vetting_case_conclude(
            case=open_case,
            conclusion=Conclusion.ELIGIBLE,
            user=officer,
            **{**GOOD, "concluded_on": tomorrow},
        )


def test_pending_needs_no_document(open_case, officer):
    case = services.vetting_case_conclude(
        case=open_case,
        conclusion=Conclusion.PENDING,
        concluded_on=None,
        concluding_body="",
        document_number="",
        user=officer,
    )
    assert case.conclusion == Conclusion.PENDING


def test_conclusion_is_audited_with_before_and_after(open_case, officer):
    case = services.vetting_case_conclude(
        case=open_case, conclusion=Conclusion.ELIGIBLE, user=officer, **GOOD
    )
    row = audit_rows(case, "vetting.conclude").get()
    assert row.actor == officer and row.unit == case.cadre.unit
    assert row.before["conclusion"] == "pending"
    assert row.after == {
        "conclusion": "eligible",
        "concluded_on": "2025-03-09",
        "concluding_body": "Ban Thường vụ Tỉnh ủy",
        "document_number": "123-KL/TU",
        "complex_political_issue": False,
    }


def test_changed_conclusion_triggers_structure_recompute(open_case, officer, monkeypatch):
    # Recorded at the call: the registry's own on-commit coalescing is tested with it.
    calls = []
    monkeypatch.setattr("vetting.services.registry_changed", lambda ids: calls.append(list(ids)))
    services.vetting_case_conclude(
        case=open_case, conclusion=Conclusion.ELIGIBLE, user=officer, **GOOD
    )
    assert calls == [[open_case.cadre.unit_id]]
    # The same conclusion again changes nothing the structure reads.
    services.vetting_case_conclude(
        case=open_case, conclusion=Conclusion.ELIGIBLE, user=officer, **GOOD
    )
    assert calls == [[open_case.cadre.unit_id]]


def test_open_is_audited_and_refuses_duplicates(cadre, officer):
    case = services.vetting_case_open(cadre=cadre, user=officer)
    row = audit_rows(case, "vetting.open").get()
    assert row.actor == officer and row.after == {"cadre": cadre.pk, "term": None}
    with pytest.raises(ValidationError, match="đã có hồ sơ thẩm tra"):
        services.vetting_case_open(cadre=cadre, user=officer)
    assert VettingCase.objects.count() == 1


def test_item_is_audited_without_its_text(open_case, officer):
    services.vetting_item_record(
        case=open_case, kind=ItemKind.FOREIGN, finding=SECRET, is_concern=True, user=officer
    )
    services.vetting_item_record(
        case=open_case,
        kind=ItemKind.FOREIGN,
        finding="Đã xác minh lại.",
        is_concern=False,
        user=officer,
    )
    item = VettingItem.objects.get(case=open_case)
    assert item.finding == "Đã xác minh lại." and not item.is_concern
    first, second = audit_rows(open_case, "vetting.item").order_by("id")
    assert first.before is None and first.after["is_concern"] is True
    assert second.before["finding_sha256"] == first.after["finding_sha256"]
    assert second.before["finding_sha256"] != second.after["finding_sha256"]
    for row in (first, second):
        assert "Canada" not in str(row.before) + str(row.after) + row.note


def test_empty_or_unknown_item_is_refused(open_case, officer):
    with pytest.raises(ValidationError):
        services.vetting_item_record(
            case=open_case, kind=ItemKind.ASSETS, finding="   ", is_concern=False, user=officer
        )
    with pytest.raises(ValidationError, match="không hợp lệ"):
        services.vetting_item_record(
            case=open_case, kind="gossip", finding="x", is_concern=False, user=officer
        )
    assert not VettingItem.objects.exists()
    assert not audit_rows(open_case, "vetting.item").exists()


@pytest.mark.parametrize(
    "who", ["board_staff_commune", "viewer_province", "officer_other_commune", "secretary"]
)
def test_services_refuse_users_without_the_right(
    make_user, province, commune, other_commune, cadre, open_case, who
):
    user = {
        "board_staff_commune": lambda: make_user("board_staff", commune),
        "viewer_province": lambda: make_user("viewer", province),
        "officer_other_commune": lambda: make_user("vetting_officer", other_commune),
        "secretary": lambda: make_user("secretary", commune),
    }[who]()
    with pytest.raises(PermissionDenied):
        services.vetting_case_open(cadre=cadre, term=None, user=user)
    with pytest.raises(PermissionDenied):
        services.vetting_item_record(
            case=open_case, kind=ItemKind.ASSETS, finding="x", is_concern=False, user=user
        )
    with pytest.raises(PermissionDenied):
        services.vetting_case_conclude(
            case=open_case, conclusion=Conclusion.ELIGIBLE, user=user, **GOOD
        )
    assert AuditLog.objects.filter(actor=user).count() == 0


def test_one_case_per_cadre_and_term(cadre, officer):
    from personnel.models import Term

    term = Term.objects.get(code="2025-2030")
    case = services.vetting_case_open(cadre=cadre, term=term, user=officer)
    assert case.term == term
    with pytest.raises(ValidationError) as exc:
        services.vetting_case_open(cadre=cadre, term=term, user=officer)
    assert "nhiệm kỳ 2025-2030" in " ".join(exc.value.messages)
    # Another term, or no term at all, is another case.
    assert services.vetting_case_open(cadre=cadre, term=None, user=officer).term is None
