"""Error pages in Vietnamese: 400 (and 413 for a body too large), 403, 404, 500 and the CSRF
failure.

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
def bad_request(request, exception=None):
    """Django refuses a body past DATA_UPLOAD_MAX_MEMORY_SIZE (or with too many fields)
    from its Content-Length, before reading it, as a 400: answer 413 and say so."""
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent

    status, title = 400, "Yêu cầu không hợp lệ"
    message = "Trình duyệt đã gửi một yêu cầu không hợp lệ. Hãy tải lại trang rồi thử lại."
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        status, title = 413, "Dữ liệu gửi lên quá lớn"
        message = (
            f"Nội dung gửi lên vượt quá giới hạn {limit:.1f} MB. Hãy rút gọn nội dung "
            "(ghi chú, giải trình) rồi gửi lại."
        )
    elif isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        status, title = 413, "Dữ liệu gửi lên quá lớn"
        message = "Biểu mẫu gửi lên có quá nhiều trường hoặc tệp. Hãy tải lại trang rồi thử lại."
    context = {"title": title, "message": message}
    try:
        return render(request, "errors/400.html", context, status=status)
    except Exception:
        # Refused before the middleware that the page's layout reads (the signed-in user)
        # had run: the same words, without the layout.
        from django.http import HttpResponse

        return HttpResponse(f"<h1>{title}</h1><p>{message}</p>", status=status)


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
