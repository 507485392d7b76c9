"""The second factor: a TOTP app (django-otp) and single-use backup codes.

Enrolment creates an unconfirmed TOTP device, shows its key as a QR code, and confirms it
only when the user types a code the app computed: a device the user could not read never
guards an account. Backup codes (a static device) are made at enrolment and can be renewed;
they are shown once and stored as django-otp stores them.
"""

from __future__ import annotations

from django.db import transaction
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from personnel.services.audit import audit

BACKUP_CODE_COUNT = 10
TOTP_NAME = "Ứng dụng xác thực"
BACKUP_NAME = "Mã dự phòng"


def has_second_factor(user) -> bool:
    return any(devices_for_user(user, confirmed=True))


def totp_pending(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device (made on first call): its key is what the QR code
    shows until the user confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def second_factor_enrol(*, user, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending TOTP device with a code it computed; replaces any earlier TOTP
    device and issues new backup codes. None (nothing changed) when the code is wrong."""
    device = totp_pending(user)
    if not device.verify_token((token or "").strip()):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(user)
    audit(
        actor=user,
        action="otp.enrol",
        obj=user,
        after={"device": TOTP_NAME, "backup_codes": len(codes)},
    )
    return device, codes


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    codes = _new_backup_codes(user)
    audit(actor=user, action="otp.backup_codes", obj=user, after={"backup_codes": len(codes)})
    return codes


def second_factor_check(*, user, token: str):
    """The confirmed device (the app first, then the backup codes) that accepts this code,
    or None. Each device counts failures and slows guessing down (django-otp throttling)."""
    token = (token or "").replace(" ", "").strip()
    if not token:
        return None
    for device in devices_for_user(user, confirmed=True):
        matched = verify_token(user, device.persistent_id, token)
        if matched is not None:
            return matched
    return None
