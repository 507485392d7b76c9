"""Archive and restore from the pages (board staff), and the archive page listing what is
archived in the user's reach. Every app's archive and restore views are these two helpers
around its own `@requires(kind, "archive" | "restore")` view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from personnel import hooks, selectors
from personnel.hooks import ArchivedRow
from personnel.models import Archivable
from personnel.policy import Kind, requires
from personnel.services.archive import archive, restore


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


def archive_and_return(request, obj: Archivable, back: str):
    """Archive `obj` (the service asks the policy again) and go back to its page."""
    try:
        archive(obj=obj, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        # Nothing archived: say why, 422, with the way back (a redirect would read as done).
        return render(
            request, "errors/422.html", {"message": _error_text(exc), "back": back}, status=422
        )
    messages.success(request, f"Đã lưu trữ {obj}. Có thể khôi phục ở trang Lưu trữ.")
    return redirect(back)


def restore_and_return(request, obj: Archivable, back: str):
    try:
        restore(obj=obj, user=request.user)
    except ValidationError as exc:
        return render(
            request, "errors/422.html", {"message": _error_text(exc), "back": back}, status=422
        )
    messages.success(request, f"Đã khôi phục {obj}.")
    return redirect(back)


@require_POST
@requires(Kind.UNIT, "archive")
def unit_archive(request, code):
    unit = selectors.unit_for(request.user, code, "archive")
    return archive_and_return(request, unit, reverse("personnel:unit_detail", args=[unit.code]))


@require_POST
@requires(Kind.UNIT, "restore")
def unit_restore(request, code):
    unit = selectors.unit_for(request.user, code, "restore")
    return restore_and_return(request, unit, reverse("personnel:unit_detail", args=[unit.code]))


@require_POST
@requires(Kind.CADRE, "archive")
def cadre_archive(request, pk):
    cadre = selectors.cadre_for(request.user, pk, "archive")
    return archive_and_return(request, cadre, reverse("personnel:cadre_detail", args=[cadre.pk]))


@require_POST
@requires(Kind.CADRE, "restore")
def cadre_restore(request, pk):
    cadre = selectors.cadre_for(request.user, pk, "restore")
    return restore_and_return(request, cadre, reverse("personnel:cadre_detail", args=[cadre.pk]))


def archived_rows(qs, *, detail, restore_url, label=str) -> list[ArchivedRow]:
    """The archive page's rows for a queryset of archived records (newest first, at most
    200): `detail` and `restore_url` give each record's page and restore address."""
    return [
        ArchivedRow(
            label=label(obj),
            url=detail(obj),
            restore_url=restore_url(obj),
            archived_at=obj.archived_at,
            archived_by=obj.archived_by,
            reason=obj.archive_reason,
        )
        for obj in qs.select_related("archived_by").order_by("-archived_at")[:200]
    ]


@hooks.archived_sections.register
def _units(user):
    return (
        "Tổ chức đảng",
        archived_rows(
            selectors.units_visible_to(user, "restore", archived=True),
            detail=lambda u: reverse("personnel:unit_detail", args=[u.code]),
            restore_url=lambda u: reverse("personnel:unit_restore", args=[u.code]),
        ),
    )


@hooks.archived_sections.register
def _cadres(user):
    return (
        "Cán bộ",
        archived_rows(
            selectors.cadres_visible_to(user, "restore", archived=True).select_related("unit"),
            detail=lambda c: reverse("personnel:cadre_detail", args=[c.pk]),
            restore_url=lambda c: reverse("personnel:cadre_restore", args=[c.pk]),
            label=lambda c: f"{c.full_name} — {c.unit.name}",
        ),
    )


@require_GET
@requires(Kind.CADRE, "restore", listing=True)
def archive_index(request):
    """What is archived in the user's reach, kind by kind, each with its restore button."""
    sections = [s for s in hooks.archived_sections(request.user) if s[1]]
    return render(request, "personnel/archive.html", {"sections": sections})
