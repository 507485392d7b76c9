"""Request middleware of the registry: where each request comes from (for the audit trail and
the access logs), and the second factor for those who hold secrets."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_otp import devices_for_user

from personnel import policy
from personnel.origin import request_origin, using_origin


class OriginMiddleware:
    """Record the request's origin (its own id, method, path and client address) for every
    audit or log row written while it is served; the id is echoed in `X-Request-ID` so a
    user's report can be matched with the rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = request_origin(request)
        request.origin = origin
        with using_origin(origin):
            response = self.get_response(request)
        response["X-Request-ID"] = origin.request_id
        return response


# Pages a user who still owes the second factor may open: signing in and out, enrolling,
# verifying, the health probe.
SECOND_FACTOR_FREE = frozenset({"login", "logout", "otp_setup", "otp_verify", "health"})


class SecondFactorMiddleware:
    """With `settings.OTP_REQUIRED`, a signed-in user who must present a second factor
    (`policy.needs_second_factor`) and has not in this session is sent to enrol (no
    confirmed device yet) or to type a code, and reaches nothing else until then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request):
        if not settings.OTP_REQUIRED:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if not policy.needs_second_factor(user):
            return None
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return None
        if name in SECOND_FACTOR_FREE:
            return None
        target = "otp_verify" if any(devices_for_user(user, confirmed=True)) else "otp_setup"
        url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=401)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


class NulCharacterMiddleware:
    """Refuse, with 422, a query or form value holding a NUL character: PostgreSQL cannot
    store or even compare one (psycopg raises on the literal), so any filter or save with it
    would be a 500. Checked once here rather than in every view. Views that read their own
    body (`csrf_exempt`, the import upload, which checks the size first) are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "csrf_exempt", False):
            return None
        sources = [request.GET] + ([request.POST] if request.method == "POST" else [])
        for source in sources:
            for key, values in source.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    from django.shortcuts import render

                    return render(
                        request,
                        "errors/422.html",
                        {"message": "Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự rỗng NUL)."},
                        status=422,
                    )
        return None
