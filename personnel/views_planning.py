"""Planning pages: thin views over `personnel.planning` (selectors, services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congress.views_reports import ISSUE_ROLES
from personnel import planning as svc
from personnel.forms_planning import (
    ApproveForm,
    EntryAddForm,
    EntryRemoveForm,
    JustifyForm,
    PlanningListCreateForm,
    ReturnForm,
    ReviewConfirmForm,
    ReviewRecordForm,
    SubmitForm,
    UseForm,
)
from personnel.models import PlanningState, Term
from personnel.scope import reaches
from personnel.selectors import cadre_search

PAGE_SIZE = 50
SEARCH_LIMIT = 50


def _errors(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _form_errors(request, form) -> None:
    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errs:
            messages.error(request, f"{label}: {e}" if label else e)


def _back(planning_list):
    return redirect("planning:detail", pk=planning_list.pk)


@login_required
@require_GET
def index(request):
    """The planning lists in the user's scope, and a form to open a new one."""
    qs = (
        svc.planning_lists_visible_to(request.user)
        .select_related("unit", "term")
        .annotate(active=Count("entries", filter=Q(entries__removed_at__isnull=True)))
        .order_by("unit__path", "term__start")
    )
    term = request.GET.get("term", "")
    if term:
        qs = qs.filter(term__code=term)
    state = request.GET.get("state", "")
    if state in PlanningState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = svc.planning_units_for(request.user).exists()
    form = PlanningListCreateForm(
        terms=svc.planning_terms(),
        initial={"term": Term.objects.filter(code=svc.PLANNING_TERM).first()},
    )
    return render(
        request,
        "personnel/planning/index.html",
        {
            "page": page,
            "term": term,
            "state": state,
            "states": PlanningState.choices,
            "terms": Term.objects.all(),
            "can_create": can_create,
            "form": form,
        },
    )


@login_required
@require_POST
def create(request):
    # Units in view scope: a unit the user sees but may not plan for answers 403.
    form = PlanningListCreateForm(
        request.POST, units=svc.planning_units_for(request.user, "view"), terms=svc.planning_terms()
    )
    if form.is_valid() and not reaches(
        request.user, form.cleaned_data["unit"], svc.PLANNING_ACTIONS["edit"]
    ):
        raise PermissionDenied("Bạn không có quyền lập quy hoạch cho đơn vị này.")
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("planning:index")
    existing = svc.planning_lists_visible_to(request.user).filter(
        unit=form.cleaned_data["unit"], term=form.cleaned_data["term"]
    )
    if existing.exists():
        messages.info(request, "Đơn vị đã có danh sách quy hoạch nhiệm kỳ này.")
        return _back(existing.get())
    try:
        planning_list = svc.planning_list_create(
            unit=form.cleaned_data["unit"], term=form.cleaned_data["term"], user=request.user
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("planning:index")
    messages.success(request, "Đã lập danh sách quy hoạch.")
    return _back(planning_list)


@login_required
@require_GET
def detail(request, pk):
    """The planning matrix: posts × planned people, findings next to them, the structure
    against its targets, and the actions the user may take."""
    planning_list = svc.planning_list_for(request.user, pk)
    can_edit = svc.planning_can(request.user, planning_list, "edit")
    can_approve = svc.planning_can(request.user, planning_list, "approve")
    matrix = svc.planning_matrix(planning_list)
    # The planning report takes a number in the unit's series: the same roles as any document.
    can_issue = reaches(request.user, planning_list.unit, ISSUE_ROLES)
    return render(
        request,
        "personnel/planning/detail.html",
        {
            "pl": planning_list,
            "m": matrix,
            "can_issue": can_issue,
            "can_edit": can_edit and planning_list.is_editable,
            "can_submit": can_edit
            and planning_list.state in (PlanningState.DRAFT, PlanningState.RETURNED),
            "can_decide": can_approve and planning_list.state == PlanningState.SUBMITTED,
            "can_use": can_edit,
            "approve_form": ApproveForm(),
            "return_form": ReturnForm(),
            "submit_form": SubmitForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request, pk):
    planning_list = svc.planning_list_for(request.user, pk, "edit")
    ruleset = svc.current_ruleset()
    candidates = svc.planning_candidates(request.user, planning_list)
    posts = svc.planning_posts(ruleset)
    if request.method == "POST":
        form = EntryAddForm(request.POST, cadres=candidates, posts=posts)
        if form.is_valid():
            try:
                entry = svc.planning_entry_add(
                    planning_list=planning_list, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, f"Đã đưa {entry.cadre} vào quy hoạch {entry.post}.")
                person = str(entry.cadre_id)
                for f in svc.planning_findings(planning_list, ruleset=ruleset):
                    if person in f["people"]:
                        messages.warning(request, f["message"])
                return _back(planning_list)
    else:
        form = EntryAddForm(cadres=candidates, posts=posts)
    q = request.GET.get("q", "").strip()
    results = list(cadre_search(candidates, q)[:SEARCH_LIMIT]) if q else []
    selected = form["cadre"].value()
    return render(
        request,
        "personnel/planning/entry_add.html",
        {"pl": planning_list, "form": form, "q": q, "results": results, "selected": selected},
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_remove(request, pk, entry_pk):
    planning_list = svc.planning_list_for(request.user, pk, "edit")
    entry = svc.planning_entry_for(request.user, planning_list, entry_pk)
    if request.method == "POST":
        form = EntryRemoveForm(request.POST)
        if form.is_valid():
            try:
                svc.planning_entry_remove(
                    entry=entry,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    on=form.cleaned_data["on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, f"Đã đưa {entry.cadre} ra khỏi quy hoạch {entry.post}.")
                return _back(planning_list)
    else:
        form = EntryRemoveForm()
    return render(
        request,
        "personnel/planning/entry_remove.html",
        {"pl": planning_list, "entry": entry, "form": form},
    )


@login_required
@require_POST
def entry_use(request, pk, entry_pk):
    planning_list = svc.planning_list_for(request.user, pk, "edit")
    entry = svc.planning_entry_for(request.user, planning_list, entry_pk)
    form = UseForm(request.POST, nominee_lists=svc.editable_nominee_lists(planning_list))
    if not form.is_valid():
        _form_errors(request, form)
        return _back(planning_list)
    try:
        nominee = svc.planning_entry_use(
            entry=entry, user=request.user, nominee_list=form.cleaned_data["nominee_list"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if nominee is not None:
            messages.success(request, f"Đã đưa {entry.cadre} vào {nominee.nominee_list}.")
        else:
            messages.success(request, f"Đã ghi nhận sử dụng quy hoạch của {entry.cadre}.")
    return _back(planning_list)


def _act(request, planning_list, form, action, success: str):
    """The shape of every planning action: a valid form, then the service with the form's
    data, then a message saying how it went, then back to the list."""
    if not form.is_valid():
        _form_errors(request, form)
        return _back(planning_list)
    try:
        action(planning_list=planning_list, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, success)
    return _back(planning_list)


@login_required
@require_POST
def justify(request, pk):
    planning_list = svc.planning_list_for(request.user, pk, "edit")
    return _act(
        request, planning_list, JustifyForm(request.POST), svc.planning_justify,
        "Đã ghi nhận giải trình.",
    )  # fmt: skip


@login_required
@require_POST
def submit(request, pk):
    planning_list = svc.planning_list_for(request.user, pk, "edit")
    return _act(
        request, planning_list, SubmitForm(request.POST), svc.planning_submit,
        "Đã trình cấp trên phê duyệt quy hoạch.",
    )  # fmt: skip


@login_required
@require_POST
def return_(request, pk):
    planning_list = svc.planning_list_for(request.user, pk, "approve")
    return _act(
        request, planning_list, ReturnForm(request.POST), svc.planning_return,
        "Đã trả lại danh sách quy hoạch.",
    )  # fmt: skip


@login_required
@require_POST
def approve(request, pk):
    planning_list = svc.planning_list_for(request.user, pk, "approve")
    return _act(
        request, planning_list, ApproveForm(request.POST), svc.planning_approve,
        "Đã phê duyệt quy hoạch.",
    )  # fmt: skip


@login_required
@require_GET
def review(request, pk):
    """The yearly review: the removals the data implies, each confirmed in one click; a form
    per person for the reasons only people know; the record of the review decision."""
    planning_list = svc.planning_list_for(request.user, pk)
    can_edit = svc.planning_can(request.user, planning_list, "edit")
    proposals = svc.planning_review_proposals(planning_list)
    proposed_ids = {p["entry_id"] for p in proposals}
    others = [e for e in svc.active_entries(planning_list) if e.pk not in proposed_ids]
    reviews = planning_list.unit.planning_reviews.filter(term=planning_list.term).select_related(
        "reviewer"
    )
    return render(
        request,
        "personnel/planning/review.html",
        {
            "pl": planning_list,
            "proposals": proposals,
            "others": others,
            "reviews": reviews,
            "can_edit": can_edit and planning_list.is_editable,
            "record_form": ReviewRecordForm(),
            "remove_form": EntryRemoveForm(),
        },
    )


@login_required
@require_POST
def review_confirm(request, pk):
    """Confirm one proposed removal: it must still be proposed by the data."""
    planning_list = svc.planning_list_for(request.user, pk, "edit")
    form = ReviewConfirmForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("planning:review", pk=planning_list.pk)
    entry_id, reason = form.cleaned_data["entry"], form.cleaned_data["reason"]
    entry = svc.planning_entry_for(request.user, planning_list, entry_id)
    match = next(
        (
            p
            for p in svc.planning_review_proposals(planning_list)
            if p["entry_id"] == entry_id and p["reason"] == reason
        ),
        None,
    )
    if match is None:
        messages.error(request, "Đề xuất này không còn phù hợp với dữ liệu hiện tại.")
        return redirect("planning:review", pk=planning_list.pk)
    try:
        svc.planning_entry_remove(
            entry=entry, user=request.user, reason=reason, note=match["message"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"Đã đưa {entry.cadre} ra khỏi quy hoạch {entry.post}.")
    return redirect("planning:review", pk=planning_list.pk)


@login_required
@require_POST
def review_record(request, pk):
    planning_list = svc.planning_list_for(request.user, pk, "edit")
    form = ReviewRecordForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("planning:review", pk=planning_list.pk)
    try:
        svc.planning_review_record(
            planning_list=planning_list, user=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Đã ghi nhận kết quả rà soát quy hoạch.")
    return redirect("planning:review", pk=planning_list.pk)


@login_required
@require_GET
def history(request, pk):
    """Removed entries with their reasons, and every audit row of the list."""
    planning_list = svc.planning_list_for(request.user, pk)
    rows = Paginator(svc.planning_history(planning_list), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "personnel/planning/history.html",
        {"pl": planning_list, "removed": svc.removed_entries(planning_list), "page": rows},
    )
