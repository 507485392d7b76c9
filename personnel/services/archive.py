"""Archive and restore: the only "delete" of the records people rely on (units, cadres,
congresses, nominee lists, vetting cases; `personnel.models.archive`).

Both ask the one policy (the kind's "archive" / "restore" action, board staff), lock the row,
change only its archive stamp and write one audit row in the same transaction. What hangs on
the row stays as it was: restoring gives everything back.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from personnel import policy
from personnel.inputs import LINE_MAX, too_long
from personnel.models import Archivable
from personnel.services.audit import audit

ARCHIVE_FIELDS = ["archived_at", "archived_by", "archive_reason"]


def _state(obj: Archivable) -> dict:
    return {
        "archived_at": obj.archived_at.isoformat() if obj.archived_at else None,
        "archived_by": obj.archived_by_id,
        "archive_reason": obj.archive_reason,
    }


def _locked(obj: Archivable) -> Archivable:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


@transaction.atomic
def archive(*, obj: Archivable, user, reason: str) -> Archivable:
    """Archive `obj`: hidden from the listings, kept with everything that hangs on it."""
    locked = _locked(obj)
    policy.require(user, locked.policy_kind, "archive", locked)
    reason = (reason or "").strip()
    if locked.is_archived:
        raise ValidationError(f"{locked} đã được lưu trữ từ {locked.archived_at:%d/%m/%Y}.")
    if not reason:
        raise ValidationError({"reason": "Cần ghi lý do lưu trữ."})
    if len(reason) > LINE_MAX:
        raise ValidationError({"reason": too_long("Lý do lưu trữ", LINE_MAX, len(reason))})
    blockers = locked.archive_blockers()
    if blockers:
        raise ValidationError(f"Không thể lưu trữ {locked}: " + "; ".join(blockers) + ".")
    before = _state(locked)
    locked.archived_at = timezone.now()
    locked.archived_by = user if getattr(user, "pk", None) else None
    locked.archive_reason = reason
    locked.save(update_fields=ARCHIVE_FIELDS)
    audit(
        actor=user,
        action="archive",
        obj=locked,
        before=before,
        after=_state(locked),
        unit=policy.unit_of(locked),
        note=reason,
    )
    _copy_stamp(locked, obj)
    return locked


@transaction.atomic
def restore(*, obj: Archivable, user) -> Archivable:
    """Bring an archived row back into the listings, as it was."""
    locked = _locked(obj)
    policy.require(user, locked.policy_kind, "restore", locked)
    if not locked.is_archived:
        raise ValidationError(f"{locked} không ở trạng thái lưu trữ.")
    before = _state(locked)
    locked.archived_at = None
    locked.archived_by = None
    locked.archive_reason = ""
    locked.save(update_fields=ARCHIVE_FIELDS)
    audit(
        actor=user,
        action="restore",
        obj=locked,
        before=before,
        after=_state(locked),
        unit=policy.unit_of(locked),
    )
    _copy_stamp(locked, obj)
    return locked


def _copy_stamp(source: Archivable, target: Archivable) -> None:
    """The caller's instance shows the new stamp too."""
    for attname in ("archived_at", "archived_by_id", "archive_reason"):
        setattr(target, attname, getattr(source, attname))
