"""Granting and revoking roles: guardian object permissions `personnel.role_<role>` on a unit.

Used by the `grant_role` / `revoke_role` commands and meant to be reused by the admin and the
pages. Who may grant is the caller's decision (the commands run as the system, actor=None);
these services only validate, change the grant and write the audit row in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from personnel.models import PartyUnit, PartyUnitUserObjectPermission, Role
from personnel.policy import PERM_PREFIX, forget_grants
from personnel.services.audit import audit


def _perm(role: str) -> str:
    if role not in Role.values:
        valid = ", ".join(Role.values)
        raise ValidationError(f"Vai trò «{role}» không tồn tại. Các vai trò hợp lệ: {valid}.")
    return f"{PERM_PREFIX}{role}"


def has_role(*, user, role: str, unit: PartyUnit) -> bool:
    """Whether this exact grant exists (on the unit itself, not inherited from above)."""
    return PartyUnitUserObjectPermission.objects.filter(
        user=user, permission__codename=_perm(role), content_object=unit
    ).exists()


@transaction.atomic
def role_grant(*, user, role: str, unit: PartyUnit, actor=None) -> bool:
    """Give `user` the role on `unit` (and its subtree, except for secretaries).
    Returns False, and writes nothing, when the user already holds this grant."""
    codename = _perm(role)
    if has_role(user=user, role=role, unit=unit):
        return False
    assign_perm(f"personnel.{codename}", user, unit)
    forget_grants(user)
    audit(
        actor=actor,
        action="role.grant",
        obj=unit,
        after={"user": user.get_username(), "role": role},
        unit=unit,
    )
    return True


@transaction.atomic
def role_revoke(*, user, role: str, unit: PartyUnit, actor=None) -> bool:
    """Take the role on `unit` back from `user`. Returns False, and writes nothing, when the
    user did not hold this grant (a grant on a unit above is not touched)."""
    codename = _perm(role)
    if not has_role(user=user, role=role, unit=unit):
        return False
    remove_perm(f"personnel.{codename}", user, unit)
    forget_grants(user)
    audit(
        actor=actor,
        action="role.revoke",
        obj=unit,
        before={"user": user.get_username(), "role": role},
        unit=unit,
    )
    return True


def resolve_grant(*, username: str, role: str, unit_code: str):
    """The user and unit named on a command line, checked: a ValidationError names whatever
    is unknown (the user, the role, the unit), all at once."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    errors = []
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is None:
        errors.append(f"Không tìm thấy người dùng «{username}».")
    try:
        _perm(role)
    except ValidationError as exc:
        errors.extend(exc.messages)
    unit = PartyUnit.objects.filter(code=unit_code).first()
    if unit is None:
        errors.append(f"Không tìm thấy tổ chức đảng có mã «{unit_code}».")
    if errors:
        raise ValidationError(errors)
    return user, unit
