"""Signing in with a second factor: enrol a TOTP app (a QR code, then a code it computed,
then the backup codes, shown once) and type a code after the password. Open to every
signed-in user: each acts on their own account only."""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from personnel import policy
from personnel.policy import open_view
from personnel.services.second_factor import (
    backup_codes_renew,
    has_second_factor,
    second_factor_check,
    second_factor_enrol,
    totp_pending,
)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=15)
    # Our own SVG of an otpauth:// address: no user input reaches the markup unescaped.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308


def _secret_text(device) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@require_http_methods(["GET", "POST"])
@open_view
def otp_setup(request):
    user = request.user
    enrolled = has_second_factor(user)
    if enrolled and not user.is_verified():
        # Replacing a device needs the current one first: a stolen password alone must not
        # be enough to enrol the thief's phone.
        return redirect(f"{reverse('otp_verify')}?next={request.path}")
    if request.method == "POST" and request.POST.get("action") == "backup" and enrolled:
        codes = backup_codes_renew(user=user)
        return render(request, "personnel/otp_codes.html", {"codes": codes, "next": _next(request)})
    error = ""
    if request.method == "POST":
        result = second_factor_enrol(user=user, token=request.POST.get("token", ""))
        if result is not None:
            device, codes = result
            otp_login(request, device)
            return render(
                request, "personnel/otp_codes.html", {"codes": codes, "next": _next(request)}
            )
        error = "Mã xác thực không đúng hoặc đã hết hạn: nhập mã đang hiển thị trên ứng dụng."
    device = totp_pending(user)
    return render(
        request,
        "personnel/otp_setup.html",
        {
            "qr_svg": _qr_svg(device.config_url),
            "secret": _secret_text(device),
            "enrolled": enrolled,
            "required": settings.OTP_REQUIRED and policy.needs_second_factor(user),
            "error": error,
            "next": _next(request),
        },
        status=422 if error else 200,
    )


@require_http_methods(["GET", "POST"])
@open_view
def otp_verify(request):
    user = request.user
    if not has_second_factor(user):
        return redirect("otp_setup")
    error = ""
    if request.method == "POST":
        device = second_factor_check(user=user, token=request.POST.get("token", ""))
        if device is not None:
            otp_login(request, device)
            messages.success(request, "Đã xác thực hai bước.")
            return redirect(_next(request))
        error = (
            "Mã không đúng, đã dùng hoặc đã hết hạn. Nhập mã 6 chữ số trên ứng dụng xác thực, "
            "hoặc một mã dự phòng."
        )
    return render(
        request,
        "personnel/otp_verify.html",
        {"error": error, "next": _next(request)},
        status=422 if error else 200,
    )
