"""Error pages in Vietnamese: 403, 404, 500 and the CSRF failure.

A refusal raised by the policy or a view carries a Vietnamese message; Django's own
messages ("No NomineeList matches the given query.", "Resolver404", CSRF reasons) are in
English and are never shown: the page says in Vietnamese what happened instead. The
message sits in the element marked `data-refusal`, which static/js/app.js reads when the
answer comes to an htmx request.
"""

from __future__ import annotations

from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def readable(exception) -> str:
    """The exception's message when it is one of ours: Vietnamese messages carry
    diacritics, Django's English ones never do."""
    args = getattr(exception, "args", ())
    message = args[0] if args else ""
    if not isinstance(message, str) or message.isascii():
        return ""
    return message


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"message": readable(exception)}, status=403)


@requires_csrf_token
def not_found(request, exception=None):
    return render(request, "errors/404.html", {"message": readable(exception)}, status=404)


def server_error(request):
    # No request context: whatever broke (the database, a context processor) must not break
    # the error page too.
    from django.http import HttpResponseServerError

    return HttpResponseServerError(loader.get_template("errors/500.html").render())


def csrf_failure(request, reason=""):
    from django.http import HttpResponseForbidden

    return HttpResponseForbidden(loader.get_template("errors/403_csrf.html").render())
