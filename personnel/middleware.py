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
