"""Writes to political-vetting cases. Each service re-checks the user's right inside its
transaction and writes its audit row in the same transaction as the change.

Audit rows never carry the text of a finding: the audit trail is read more widely than the
case itself, so a finding appears there only as its kind, its concern flag and a digest that
shows whether it changed.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from personnel import policy
from personnel.models import Cadre, Term
from personnel.policy import Kind
from personnel.services import registry_changed
from personnel.services.audit import audit
from vetting.models import Conclusion, ItemKind, VettingCase, VettingItem


def _require_officer(user, cadre: Cadre) -> None:
    policy.require(user, Kind.VETTING_CASE, "edit", cadre.unit)


def _locked_case(case: VettingCase) -> VettingCase:
    """The case row, locked for the rest of the transaction, with its cadre's unit loaded;
    an archived case is read only."""
    locked = VettingCase.objects.select_for_update().select_related("cadre__unit").get(pk=case.pk)
    if locked.is_archived:
        raise ValidationError("Hồ sơ thẩm tra đã được lưu trữ: chỉ xem, không sửa được.")
    return locked


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _outcome(case: VettingCase) -> dict:
    return {
        "conclusion": case.conclusion,
        "concluded_on": case.concluded_on.isoformat() if case.concluded_on else None,
        "concluding_body": case.concluding_body,
        "document_number": case.document_number,
        "complex_political_issue": case.complex_political_issue,
    }


@transaction.atomic
def vetting_case_open(*, cadre: Cadre, term: Term | None = None, user) -> VettingCase:
    """Open a case for a cadre, for the congresses of a term (or standalone when `term` is
    None: an appointment or a plan outside a congress)."""
    # Lock the cadre so two officers opening the same standalone case cannot both pass the
    # duplicate check (the unique constraint does not cover a NULL term).
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    _require_officer(user, cadre)
    if cadre.is_archived:
        raise ValidationError(f"Hồ sơ của {cadre.full_name} đã được lưu trữ.")
    if VettingCase.objects.filter(cadre=cadre, term=term).exists():
        raise ValidationError(
            f"Cán bộ này đã có hồ sơ thẩm tra cho nhiệm kỳ {term.code}."
            if term is not None
            else "Cán bộ này đã có hồ sơ thẩm tra không gắn với nhiệm kỳ đại hội."
        )
    case = VettingCase(cadre=cadre, term=term, requested_by=user)
    case.full_clean()
    case.save()
    audit(
        actor=user,
        action="vetting.open",
        obj=case,
        after={"cadre": cadre.pk, "term": term.code if term else None},
        unit=cadre.unit,
    )
    return case


@transaction.atomic
def vetting_item_record(
    *, case: VettingCase, kind: str, finding: str, is_concern: bool, user
) -> VettingItem:
    """Record (or replace) the finding of one item of a case."""
    case = _locked_case(case)
    _require_officer(user, case.cadre)
    if kind not in ItemKind.values:
        raise ValidationError({"kind": "Nội dung thẩm tra không hợp lệ."})
    finding = (finding or "").strip()
    item = VettingItem.objects.filter(case=case, kind=kind).first()
    before = None
    if item is None:
        item = VettingItem(case=case, kind=kind)
    else:
        before = {
            "kind": kind,
            "is_concern": item.is_concern,
            "finding_sha256": _digest(item.finding),
        }
    item.finding = finding
    item.is_concern = bool(is_concern)
    item.full_clean()
    item.save()
    audit(
        actor=user,
        action="vetting.item",
        obj=case,
        before=before,
        after={"kind": kind, "is_concern": item.is_concern, "finding_sha256": _digest(finding)},
        unit=case.cadre.unit,
        note=ItemKind(kind).label,
    )
    return item


@transaction.atomic
def vetting_case_conclude(
    *,
    case: VettingCase,
    conclusion: str,
    concluded_on: date | None,
    concluding_body: str,
    document_number: str,
    user,
    complex_political_issue: bool | None = None,
) -> VettingCase:
    """Record the conclusion on the cadre's political standard. An eligible or ineligible
    conclusion needs its date, the concluding body and the document number; `pending` takes
    back a conclusion. `complex_political_issue=None` leaves that flag unchanged."""
    case = _locked_case(case)
    _require_officer(user, case.cadre)
    concluding_body = (concluding_body or "").strip()
    document_number = (document_number or "").strip()
    errors: dict[str, str] = {}
    if conclusion not in Conclusion.values:
        errors["conclusion"] = "Kết luận không hợp lệ."
    elif conclusion != Conclusion.PENDING:
        if not concluded_on:
            errors["concluded_on"] = "Kết luận đủ/không đủ tiêu chuẩn phải có ngày kết luận."
        if not concluding_body:
            errors["concluding_body"] = "Kết luận đủ/không đủ tiêu chuẩn phải có cơ quan kết luận."
        if not document_number:
            errors["document_number"] = (
                "Kết luận đủ/không đủ tiêu chuẩn phải có số văn bản kết luận."
            )
    if concluded_on and concluded_on > timezone.localdate():
        errors["concluded_on"] = "Ngày kết luận ở tương lai."
    if errors:
        raise ValidationError(errors)

    before = _outcome(case)
    case.conclusion = conclusion
    case.concluded_on = concluded_on
    case.concluding_body = concluding_body
    case.document_number = document_number
    if complex_political_issue is not None:
        case.complex_political_issue = bool(complex_political_issue)
    case.full_clean()
    case.save()
    after = _outcome(case)
    audit(
        actor=user,
        action="vetting.conclude",
        obj=case,
        before=before,
        after=after,
        unit=case.cadre.unit,
    )
    if before["conclusion"] != after["conclusion"] or (
        before["complex_political_issue"] != after["complex_political_issue"]
    ):
        # The structure checks read the conclusion (VETTING_MISSING / VETTING_INELIGIBLE).
        registry_changed([case.cadre.unit_id])
    return case
