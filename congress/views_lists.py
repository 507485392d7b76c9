"""Congress and nominee-list pages. Thin: fetch through a selector, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_POST

from congress.models import AuditLog, CongressBody, Nominee, NomineeList, Notification
from congress.reports import charts
from congress.reports.data import ratio_rows
from congress.rules.labels import post_label
from congress.selectors import can, congresses_visible_to, list_for
from congress.services import lists as svc
from congress.views_reports import ISSUE_ROLES
from personnel.models import Cadre, Post, Role
from personnel.scope import reaches, unit_q
from personnel.selectors import cadre_search

POST_CHOICES_ORDER = [
    "secretary",
    "standing_deputy_secretary",
    "deputy_secretary",
    "standing_member",
    "member",
    "people_committee_chair",
    "people_council_chair",
    "inspection_chair",
    "organization_head",
    "fatherland_front_chair",
]


def _post_choices() -> list[tuple[str, str]]:
    """Every post of the catalogue, the usual ones of a committee first."""
    codes = list(Post.objects.order_by("-rank", "code").values_list("code", flat=True))
    first = [c for c in POST_CHOICES_ORDER if c in codes]
    return [(c, post_label(c)) for c in first + [c for c in codes if c not in first]]


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


def _editor_context(request, nominee_list: NomineeList, **extra):
    nominees = list(
        nominee_list.nominees.select_related("cadre", "cadre__unit").order_by("order", "id")
    )
    evaluation = svc.evaluate_list(nominee_list)
    people = {p["id"]: p for p in evaluation.get("people", [])}
    rows = []
    for n in nominees:
        info = people.get(str(n.cadre_id), {})
        codes = [
            f["code"] for f in evaluation["findings"] if str(n.cadre_id) in f.get("people", [])
        ]
        rows.append(
            {
                "nominee": n,
                "info": info,
                "codes": codes,
                "posts": ", ".join(post_label(p) for p in n.proposed_posts),
            }
        )
    user = request.user
    ratio_svg = age_svg = ""
    if not evaluation["empty"]:
        params = nominee_list.body.congress.ruleset.data.get("params", {})
        ratio_svg = charts.ratio_bars(
            ratio_rows(evaluation, params), title="Cơ cấu so với chỉ tiêu"
        )
        ages = [(r["info"].get("age", 0), r["nominee"].cadre.sex) for r in rows]
        age_svg = charts.age_pyramid(charts.age_bins(ages), title="Tháp tuổi theo giới tính")
    return {
        "ratio_svg": ratio_svg,
        "age_svg": age_svg,
        "list": nominee_list,
        "congress": nominee_list.body.congress,
        "rows": rows,
        "evaluation": evaluation,
        "can_edit": can(user, nominee_list, "edit") and nominee_list.is_editable,
        "can_review": can(user, nominee_list, "review"),
        "post_choices": _post_choices(),
        "errors": [f for f in evaluation["findings"] if f["severity"] == "error"],
        "warnings": [f for f in evaluation["findings"] if f["severity"] != "error"],
        "blocking": [f for f in evaluation["findings"] if f.get("blocking")],
        "can_issue": reaches(user, nominee_list.body.congress.unit, ISSUE_ROLES),
        **extra,
    }


def _render_editor(request, nominee_list, status=200, **extra):
    template = "congress/partials/editor.html" if request.htmx else "congress/list_detail.html"
    return render(request, template, _editor_context(request, nominee_list, **extra), status=status)


def _after_write(request, nominee_list, ok_message: str | None = None):
    if request.htmx:
        nominee_list.refresh_from_db()
        return _render_editor(request, nominee_list, flash=ok_message)
    if ok_message:
        messages.success(request, ok_message)
    return redirect("lists:detail", pk=nominee_list.pk)


def _refused(request, nominee_list, exc):
    if isinstance(exc, svc.StaleListError):
        nominee_list.refresh_from_db()
        return _render_editor(request, nominee_list, status=409, stale=exc)
    text = _error_text(exc)
    if request.htmx:
        nominee_list.refresh_from_db()
        return _render_editor(request, nominee_list, status=422, error=text)
    messages.error(request, text)
    return redirect("lists:detail", pk=nominee_list.pk)


def _revision(request) -> int | None:
    raw = request.POST.get("revision")
    return int(raw) if raw and raw.isdigit() else None


@login_required
@require_GET
def index(request):
    congresses = (
        congresses_visible_to(request.user)
        .select_related("unit", "term", "ruleset")
        .prefetch_related(
            Prefetch(
                "bodies",
                queryset=CongressBody.objects.prefetch_related(
                    Prefetch("lists", queryset=NomineeList.objects.annotate(n=Count("nominees")))
                ),
            )
        )
        .order_by("unit__path", "term__start")
    )
    page = Paginator(congresses, 30).get_page(request.GET.get("page"))
    return render(request, "congress/index.html", {"page": page})


@login_required
@require_GET
def detail(request, pk):
    nominee_list = list_for(request.user, pk)
    return _render_editor(request, nominee_list)


@login_required
@require_GET
def findings(request, pk):
    nominee_list = list_for(request.user, pk)
    return render(
        request, "congress/partials/findings.html", _editor_context(request, nominee_list)
    )


@login_required
@require_GET
def search(request, pk):
    """Cadres that may be added: the unit's own registry, or for board staff their scope."""
    nominee_list = list_for(request.user, pk, "edit")
    unit = nominee_list.body.congress.unit
    board = frozenset({Role.BOARD_STAFF})
    if request.GET.get("all") and reaches(request.user, unit, board):
        # Board staff may propose people from other units of their scope.
        qs = Cadre.objects.filter(unit_q(request.user, board, prefix="unit__"))
    else:
        qs = Cadre.objects.filter(unit__path__startswith=unit.path)
    qs = cadre_search(qs, request.GET.get("q", "")).exclude(
        pk__in=nominee_list.nominees.values("cadre_id")
    )
    results = list(qs.select_related("unit")[:20])
    return render(
        request, "congress/partials/search_results.html", {"list": nominee_list, "results": results}
    )


@login_required
@require_POST
def add(request, pk):
    nominee_list = list_for(request.user, pk, "edit")
    cadre = get_object_or_404(Cadre.objects.select_related("unit"), pk=request.POST.get("cadre"))
    posts = [p for p in request.POST.getlist("posts") if Post.objects.filter(code=p).exists()]
    try:
        svc.nominee_add(
            nominee_list=nominee_list,
            cadre=cadre,
            user=request.user,
            proposed_posts=posts or ["member"],
            expected_revision=_revision(request),
        )
    except (ValidationError, svc.StaleListError) as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, f"Đã thêm {cadre.full_name} vào danh sách.")


@login_required
@require_POST
def add_outgoing(request, pk):
    nominee_list = list_for(request.user, pk, "edit")
    try:
        added = svc.nominee_add_outgoing(
            nominee_list=nominee_list, user=request.user, expected_revision=_revision(request)
        )
    except (ValidationError, svc.StaleListError) as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, f"Đã thêm {len(added)} đồng chí cấp ủy khóa trước.")


def _nominee_for(request, nominee_pk) -> tuple[Nominee, NomineeList]:
    nominee = get_object_or_404(Nominee.objects.select_related("cadre"), pk=nominee_pk)
    nominee_list = list_for(request.user, nominee.nominee_list_id, "edit")
    nominee.nominee_list = nominee_list
    return nominee, nominee_list


@login_required
@require_POST
def update(request, nominee_pk):
    nominee, nominee_list = _nominee_for(request, nominee_pk)
    posts = [p for p in request.POST.getlist("posts") if p]
    valid = set(Post.objects.filter(code__in=posts).values_list("code", flat=True))
    unknown = [p for p in posts if p not in valid]
    try:
        if unknown:
            raise ValidationError(f"Chức danh không hợp lệ: {', '.join(unknown)}.")
        svc.nominee_update(
            nominee=nominee,
            user=request.user,
            proposed_posts=posts,
            notes=request.POST.get("notes", ""),
            expected_revision=_revision(request),
        )
    except (ValidationError, svc.StaleListError) as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, f"Đã cập nhật {nominee.cadre.full_name}.")


@login_required
@require_POST
def remove(request, nominee_pk):
    nominee, nominee_list = _nominee_for(request, nominee_pk)
    name = nominee.cadre.full_name
    try:
        svc.nominee_remove(nominee=nominee, user=request.user, expected_revision=_revision(request))
    except (ValidationError, svc.StaleListError) as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, f"Đã bỏ {name} khỏi danh sách.")


@login_required
@require_POST
def move(request, nominee_pk):
    nominee, nominee_list = _nominee_for(request, nominee_pk)
    direction = -1 if request.POST.get("direction") == "up" else 1
    try:
        svc.nominee_move(
            nominee=nominee,
            user=request.user,
            direction=direction,
            expected_revision=_revision(request),
        )
    except (ValidationError, svc.StaleListError) as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list)


TRANSITION_SERVICES = {
    "trinh": ("edit", lambda nl, u, r: svc.nominee_list_submit(nominee_list=nl, user=u), "Đã trình danh sách."),
    "tra-lai": ("review", lambda nl, u, r: svc.nominee_list_return(nominee_list=nl, user=u, remark=r), "Đã trả lại danh sách."),
    "phe-duyet": ("review", lambda nl, u, r: svc.nominee_list_approve(nominee_list=nl, user=u), "Đã phê duyệt danh sách."),
    "khoa": ("review", lambda nl, u, r: svc.nominee_list_lock(nominee_list=nl, user=u), "Đã khóa danh sách."),
    "mo-lai": ("review", lambda nl, u, r: svc.nominee_list_reopen(nominee_list=nl, user=u, remark=r), "Đã mở lần lập danh sách mới."),
}  # fmt: skip


@login_required
@require_POST
def transition(request, pk, action):
    if action not in TRANSITION_SERVICES:
        raise Http404
    needed, run, done = TRANSITION_SERVICES[action]
    nominee_list = list_for(request.user, pk, needed)
    try:
        run(nominee_list, request.user, request.POST.get("remark", ""))
    except ValidationError as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, done)


@login_required
@require_POST
def justify(request, pk):
    nominee_list = list_for(request.user, pk, "edit")
    approval_date = parse_date(_iso(request.POST.get("approval_date", "")))
    try:
        svc.justification_record(
            nominee_list=nominee_list,
            user=request.user,
            code=request.POST.get("code", ""),
            people_key=request.POST.get("people_key", ""),
            text=request.POST.get("text", ""),
            approved_by_body=request.POST.get("approved_by_body", ""),
            approval_document=request.POST.get("approval_document", ""),
            approval_date=approval_date,
        )
    except ValidationError as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, "Đã ghi giải trình.")


def _iso(text: str) -> str:
    """dd/mm/yyyy (what users type) to ISO; ISO passes through."""
    text = text.strip()
    if "/" in text:
        parts = text.split("/")
        if len(parts) == 3:
            d, m, y = parts
            return f"{y}-{m.zfill(2)}-{d.zfill(2)}"
    return text


@login_required
def rounds(request, pk):
    nominee_list = list_for(request.user, pk)
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    error = None
    if request.method == "POST":
        nominee_list = list_for(request.user, pk, "edit")
        try:
            held_on = parse_date(_iso(request.POST.get("held_on", "")))
            if held_on is None:
                raise ValidationError("Ngày họp không hợp lệ (định dạng dd/mm/yyyy).")
            summoned = _int(request.POST.get("summoned"), "Số người được triệu tập")
            votes = {}
            for n in nominee_list.nominees.select_related("cadre"):
                raw = request.POST.get(f"votes_{n.cadre_id}", "").strip()
                if raw == "":
                    continue
                votes[n.cadre_id] = (
                    _int(raw, f"Số phiếu của {n.cadre.full_name}", allow_negative=True),
                    bool(request.POST.get(f"floor_{n.cadre_id}")),
                )
            svc.nomination_round_record(
                nominee_list=nominee_list,
                user=request.user,
                step=_int(request.POST.get("step"), "Bước"),
                held_on=held_on,
                summoned=summoned,
                votes=votes,
            )
            messages.success(request, "Đã ghi kết quả bước giới thiệu.")
            return redirect("lists:rounds", pk=nominee_list.pk)
        except ValidationError as exc:
            error = _error_text(exc)
    results = [(r, svc.round_results(r)) for r in nominee_list.rounds.all()]
    return render(
        request,
        "congress/rounds.html",
        {
            "list": nominee_list,
            "results": results,
            "nominees": nominee_list.nominees.select_related("cadre").order_by("order"),
            "error": error,
            "can_edit": can(request.user, nominee_list, "edit"),
            "next_step": nominee_list.rounds.count() + 1,
            "form": request.POST if error else {},
        },
        status=422 if error else 200,
    )


def _int(raw, label: str, allow_negative: bool = False) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"{label}: phải là số nguyên.") from None
    if value < 0 and not allow_negative:
        raise ValidationError(f"{label}: không được âm.")
    return value


@login_required
@require_GET
def history(request, pk):
    nominee_list = list_for(request.user, pk)
    entries = AuditLog.objects.filter(
        object_type="congress.nomineelist", object_id=str(nominee_list.pk)
    ).select_related("actor")
    return render(
        request,
        "congress/history.html",
        {"list": nominee_list, "entries": entries, "editions": nominee_list.editions.all()},
    )


@login_required
@require_GET
def edition(request, pk, number):
    nominee_list = list_for(request.user, pk)
    ed = get_object_or_404(nominee_list.editions, edition=number)
    return render(request, "congress/edition.html", {"list": nominee_list, "edition": ed})


@login_required
@require_GET
def notifications(request):
    items = Notification.objects.filter(user=request.user)[:100]
    return render(request, "congress/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect(reverse("lists:notifications"))
