"""Planning pages: thin views over `planning.selectors` and `planning.services`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from personnel import policy
from personnel.policy import Kind, requires
from personnel.selectors import cadre_search, term_by_code, terms, unit_for
from planning import hooks
from planning import selectors as sel
from planning import services as svc
from planning.forms import (
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
from planning.models import PlanningState

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


@require_GET
@requires(Kind.PLANNING_LIST, "view", listing=True)
def index(request):
    """The planning lists in the user's scope, and a form to open a new one."""
    return _index_page(request)


def _index_page(request, form=None, status=200):
    qs = (
        sel.planning_lists_visible_to(request.user)
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
    can_create = sel.planning_units_for(request.user).exists()
    form = form or PlanningListCreateForm(
        terms=sel.planning_terms(),
        initial={"term": term_by_code(sel.PLANNING_TERM)},
    )
    return render(
        request,
        "planning/index.html",
        {
            "page": page,
            "term": term,
            "state": state,
            "states": PlanningState.choices,
            "terms": terms(),
            "can_create": can_create,
            "form": form,
        },
        status=status,
    )


@require_POST
@requires(Kind.PLANNING_LIST, "edit", listing=True)
def create(request):
    # A unit outside the user's sight answers 404; one in sight they may not plan for, 403.
    code = request.POST.get("unit", "").strip()
    if code:
        policy.require(request.user, Kind.PLANNING_LIST, "edit", unit_for(request.user, code))
    form = PlanningListCreateForm(
        request.POST, units=sel.planning_units_for(request.user), terms=sel.planning_terms()
    )
    if not form.is_valid():
        _form_errors(request, form)
        return _index_page(request, form, status=422)
    existing = sel.planning_lists_visible_to(request.user).filter(
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
        return _index_page(request, form, status=422)
    messages.success(request, "Đã lập danh sách quy hoạch.")
    return _back(planning_list)


@require_GET
@requires(Kind.PLANNING_LIST, "view")
def detail(request, pk):
    """The planning matrix: posts × planned people, findings next to them, the structure
    against its targets, and the actions the user may take."""
    return _detail_page(request, sel.planning_list_for(request.user, pk))


def _detail_page(request, planning_list, status=200):
    """The list's page; 422 when it comes back with a refused form's messages on it."""
    can_edit = sel.planning_can(request.user, planning_list, "edit")
    can_submit = sel.planning_can(request.user, planning_list, "submit")
    can_review = sel.planning_can(request.user, planning_list, "review")
    matrix = sel.planning_matrix(planning_list)
    # The planning report takes a number in the unit's series: the same right as any document.
    can_issue = policy.allows(request.user, Kind.REPORT, "issue", planning_list.unit)
    return render(
        request,
        "planning/detail.html",
        {
            "pl": planning_list,
            "m": matrix,
            "can_issue": can_issue,
            "can_edit": can_edit and planning_list.is_editable,
            "can_submit": can_submit
            and planning_list.state in (PlanningState.DRAFT, PlanningState.RETURNED),
            "can_decide": can_review and planning_list.state == PlanningState.SUBMITTED,
            "can_use": can_edit,
            "use_targets": hooks.targets(planning_list, request.user) if can_edit else [],
            "approve_form": ApproveForm(),
            "return_form": ReturnForm(),
            "submit_form": SubmitForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires(Kind.PLANNING_LIST, "edit")
def entry_add(request, pk):
    planning_list = sel.planning_list_for(request.user, pk, "edit")
    ruleset = sel.current_ruleset()
    candidates = sel.planning_candidates(request.user, planning_list)
    posts = sel.planning_posts(ruleset)
    status = 200
    if request.method == "POST":
        form = EntryAddForm(request.POST, cadres=candidates, posts=posts)
        if form.is_valid():
            try:
                entry = svc.planning_entry_add(
                    planning_list=planning_list, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors(request, exc)
                status = 422
            else:
                messages.success(request, f"Đã đưa {entry.cadre} vào quy hoạch {entry.post}.")
                person = str(entry.cadre_id)
                for f in sel.planning_findings(planning_list, ruleset=ruleset):
                    if person in f["people"]:
                        messages.warning(request, f["message"])
                return _back(planning_list)
        else:
            status = 422
    else:
        form = EntryAddForm(cadres=candidates, posts=posts)
    q = request.GET.get("q", "").strip()
    results = list(cadre_search(candidates, q)[:SEARCH_LIMIT]) if q else []
    selected = form["cadre"].value()
    return render(
        request,
        "planning/entry_add.html",
        {"pl": planning_list, "form": form, "q": q, "results": results, "selected": selected},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires(Kind.PLANNING_LIST, "edit")
def entry_remove(request, pk, entry_pk):
    planning_list = sel.planning_list_for(request.user, pk, "edit")
    entry = sel.planning_entry_for(request.user, planning_list, entry_pk)
    status = 200
    if request.method == "POST":
        status = 422  # unless the removal is done below
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
        "planning/entry_remove.html",
        {"pl": planning_list, "entry": entry, "form": form},
        status=status,
    )


@require_POST
@requires(Kind.PLANNING_LIST, "edit")
def entry_use(request, pk, entry_pk):
    planning_list = sel.planning_list_for(request.user, pk, "edit")
    entry = sel.planning_entry_for(request.user, planning_list, entry_pk)
    form = UseForm(request.POST, targets=hooks.targets(planning_list, request.user))
    if not form.is_valid():
        _form_errors(request, form)
        return _detail_page(request, planning_list, status=422)
    target = form.cleaned_data["target"]
    try:
        svc.planning_entry_use(entry=entry, user=request.user, target=target)
    except ValidationError as exc:
        _errors(request, exc)
        return _detail_page(request, planning_list, status=422)
    else:
        label = dict(form.fields["target"].choices).get(target) if target else ""
        if label:
            messages.success(request, f"Đã đưa {entry.cadre} vào {label}.")
        else:
            messages.success(request, f"Đã ghi nhận sử dụng quy hoạch của {entry.cadre}.")
    return _back(planning_list)


def _act(request, planning_list, form, action, success: str):
    """The shape of every planning action: a valid form, then the service with the form's
    data, then a message saying how it went, then back to the list. A refusal shows the
    list's page again with the reason, 422: nothing was written."""
    if not form.is_valid():
        _form_errors(request, form)
        return _detail_page(request, planning_list, status=422)
    try:
        action(planning_list=planning_list, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        planning_list.refresh_from_db()
        return _detail_page(request, planning_list, status=422)
    messages.success(request, success)
    return _back(planning_list)


@require_POST
@requires(Kind.PLANNING_LIST, "edit")
def justify(request, pk):
    planning_list = sel.planning_list_for(request.user, pk, "edit")
    return _act(
        request, planning_list, JustifyForm(request.POST), svc.planning_justify,
        "Đã ghi nhận giải trình.",
    )  # fmt: skip


@require_POST
@requires(Kind.PLANNING_LIST, "submit")
def submit(request, pk):
    planning_list = sel.planning_list_for(request.user, pk, "edit")
    return _act(
        request, planning_list, SubmitForm(request.POST), svc.planning_submit,
        "Đã trình cấp trên phê duyệt quy hoạch.",
    )  # fmt: skip


@require_POST
@requires(Kind.PLANNING_LIST, "review")
def return_(request, pk):
    planning_list = sel.planning_list_for(request.user, pk, "review")
    return _act(
        request, planning_list, ReturnForm(request.POST), svc.planning_return,
        "Đã trả lại danh sách quy hoạch.",
    )  # fmt: skip


@require_POST
@requires(Kind.PLANNING_LIST, "review")
def approve(request, pk):
    planning_list = sel.planning_list_for(request.user, pk, "review")
    return _act(
        request, planning_list, ApproveForm(request.POST), svc.planning_approve,
        "Đã phê duyệt quy hoạch.",
    )  # fmt: skip


@require_GET
@requires(Kind.PLANNING_LIST, "view")
def review(request, pk):
    """The yearly review: the removals the data implies, each confirmed in one click; a form
    per person for the reasons only people know; the record of the review decision."""
    return _review_page(request, sel.planning_list_for(request.user, pk))


def _review_page(request, planning_list, record_form=None, status=200):
    can_edit = sel.planning_can(request.user, planning_list, "edit")
    proposals = sel.planning_review_proposals(planning_list)
    proposed_ids = {p["entry_id"] for p in proposals}
    others = [e for e in sel.active_entries(planning_list) if e.pk not in proposed_ids]
    reviews = planning_list.unit.planning_reviews.filter(term=planning_list.term).select_related(
        "reviewer"
    )
    return render(
        request,
        "planning/review.html",
        {
            "pl": planning_list,
            "proposals": proposals,
            "others": others,
            "reviews": reviews,
            "can_edit": can_edit and planning_list.is_editable,
            "record_form": record_form or ReviewRecordForm(),
            "remove_form": EntryRemoveForm(),
        },
        status=status,
    )


@require_POST
@requires(Kind.PLANNING_LIST, "edit")
def review_confirm(request, pk):
    """Confirm one proposed removal: it must still be proposed by the data."""
    planning_list = sel.planning_list_for(request.user, pk, "edit")
    form = ReviewConfirmForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _review_page(request, planning_list, status=422)
    entry_id, reason = form.cleaned_data["entry"], form.cleaned_data["reason"]
    entry = sel.planning_entry_for(request.user, planning_list, entry_id)
    match = next(
        (
            p
            for p in sel.planning_review_proposals(planning_list)
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


@require_POST
@requires(Kind.PLANNING_LIST, "edit")
def review_record(request, pk):
    planning_list = sel.planning_list_for(request.user, pk, "edit")
    form = ReviewRecordForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _review_page(request, planning_list, form, status=422)
    try:
        svc.planning_review_record(
            planning_list=planning_list, user=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        _errors(request, exc)
        return _review_page(request, planning_list, form, status=422)
    else:
        messages.success(request, "Đã ghi nhận kết quả rà soát quy hoạch.")
    return redirect("planning:review", pk=planning_list.pk)


@require_GET
@requires(Kind.PLANNING_LIST, "view")
def history(request, pk):
    """Removed entries with their reasons, and every audit row of the list."""
    planning_list = sel.planning_list_for(request.user, pk)
    rows = Paginator(sel.planning_history(planning_list), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "planning/history.html",
        {"pl": planning_list, "removed": sel.removed_entries(planning_list), "page": rows},
    )
