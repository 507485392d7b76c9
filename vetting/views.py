"""Pages of political vetting. Thin: fetch through vetting.selectors, write through
vetting.services. The items of a case are read only through `read_items`, which logs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from personnel import policy
from personnel.inputs import id_from
from personnel.policy import Kind, requires
from personnel.selectors import cadre_for, term_by_code
from personnel.views.archive import archive_and_return, restore_and_return
from vetting import services
from vetting.forms import CaseFilterForm, CaseOpenForm, ConcludeForm, ItemForm
from vetting.models import ItemKind
from vetting.selectors import (
    UNIT_MATCH_LIMIT,
    case_allows,
    case_for_user,
    case_search,
    cases_visible_to,
    default_term,
    read_items,
    units_matching,
)

PAGE_SIZE = 50


def _form_errors_from(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_GET
@requires(Kind.VETTING_CASE, "view", listing=True)
def case_list(request):
    """The cases in the user's scope: search by name, filter by unit, state, outcome, term."""
    filters = CaseFilterForm(request.GET or None)
    criteria: dict = {}
    unit_note = ""
    if filters.is_valid():
        data = filters.cleaned_data
        criteria = {
            "q": data["q"],
            "state": data["state"],
            "conclusion": data["conclusion"],
            "term": data["term"],
        }
        if data["unit"].strip():
            units = units_matching(request.user, data["unit"])
            if len(units) > UNIT_MATCH_LIMIT:
                unit_note = (
                    f"Có {len(units)} đơn vị khớp «{data['unit']}»: chỉ lọc theo "
                    f"{UNIT_MATCH_LIMIT} đơn vị đầu; hãy nhập tên đầy đủ hoặc mã đơn vị."
                )
                units = units[:UNIT_MATCH_LIMIT]
            elif not units:
                unit_note = f"Không có đơn vị nào khớp «{data['unit']}» trong phạm vi của bạn."
            criteria["units"] = units
    qs = case_search(request.user, **criteria).select_related("cadre__unit", "term")
    page = Paginator(qs.order_by("-requested_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "vetting/case_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "unit_note": unit_note,
            "filtered": bool(
                request.GET.get("q")
                or request.GET.get("unit")
                or criteria.get("state")
                or criteria.get("conclusion")
                or criteria.get("term")
            ),
            "can_open": policy.any_reach(request.user, Kind.VETTING_CASE, "edit"),
        },
    )


@require_GET
@requires(Kind.VETTING_CASE, "view")
def case_detail(request, pk: int):
    case = case_for_user(request.user, pk)
    can_read = case_allows(request.user, case, "view_items")
    rows = None
    if can_read:
        by_kind = {item.kind: item for item in read_items(request.user, case, request)}
        rows = [(kind, label, by_kind.get(kind)) for kind, label in ItemKind.choices]
    return render(
        request,
        "vetting/case_detail.html",
        {
            "case": case,
            "can_read": can_read,
            "can_edit": case_allows(request.user, case, "edit") and not case.is_archived,
            "can_archive": case_allows(request.user, case, "archive"),
            "can_restore": case_allows(request.user, case, "restore"),
            "rows": rows,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(Kind.VETTING_CASE, "edit", listing=True)
def case_open(request):
    """Open a case for a cadre. The term defaults to the one named in the link (a nominee
    row passes the term of its list's congress), else the term under way."""
    cadre_id = id_from(request.GET.get("cadre"))
    if cadre_id is None:
        raise Http404("Không tìm thấy cán bộ.")
    cadre = cadre_for(request.user, cadre_id)
    policy.require(request.user, Kind.VETTING_CASE, "edit", cadre.unit)
    existing = cases_visible_to(request.user).filter(cadre=cadre).select_related("term")
    term = term_by_code(request.GET.get("term", "")) or default_term()
    if request.method == "GET" and term is not None:
        same = existing.filter(term=term).first()
        if same is not None:
            messages.info(request, f"Cán bộ này đã có hồ sơ thẩm tra nhiệm kỳ {term.code}.")
            return redirect("vetting:case_detail", pk=same.pk)
    form = CaseOpenForm(request.POST or None, initial={"term": term})
    # A POST that gets here again was refused: 422, with the reason on the form.
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            case = services.vetting_case_open(
                cadre=cadre, term=form.cleaned_data["term"], user=request.user
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, "Đã mở hồ sơ thẩm tra.")
            return redirect("vetting:case_detail", pk=case.pk)
    return render(
        request,
        "vetting/case_open.html",
        {"cadre": cadre, "form": form, "existing": existing},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires(Kind.VETTING_CASE, "edit")
def item_record(request, pk: int):
    case = case_for_user(request.user, pk, "edit")
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid():
            try:
                services.vetting_item_record(case=case, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors_from(form, exc)
            else:
                messages.success(request, "Đã ghi nội dung thẩm tra.")
                return redirect("vetting:case_detail", pk=case.pk)
    else:
        kind = request.GET.get("kind", "")
        initial = {}
        if kind in ItemKind.values:
            initial["kind"] = kind
            # Pre-filling the current finding is a read of the items: it goes through the log.
            current = {item.kind: item for item in read_items(request.user, case, request)}
            if kind in current:
                initial["finding"] = current[kind].finding
                initial["is_concern"] = current[kind].is_concern
        form = ItemForm(initial=initial)
    status = 422 if request.method == "POST" else 200  # a POST here was refused
    return render(request, "vetting/item_form.html", {"case": case, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@requires(Kind.VETTING_CASE, "edit")
def case_conclude(request, pk: int):
    case = case_for_user(request.user, pk, "edit")
    if request.method == "POST":
        form = ConcludeForm(request.POST)
        if form.is_valid():
            try:
                services.vetting_case_conclude(case=case, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors_from(form, exc)
            else:
                messages.success(request, "Đã ghi kết luận thẩm tra.")
                return redirect("vetting:case_detail", pk=case.pk)
    else:
        form = ConcludeForm(
            initial={
                "conclusion": case.conclusion,
                "concluded_on": case.concluded_on,
                "concluding_body": case.concluding_body,
                "document_number": case.document_number,
                "complex_political_issue": case.complex_political_issue,
            }
        )
    status = 422 if request.method == "POST" else 200  # a POST here was refused
    return render(
        request, "vetting/conclude_form.html", {"case": case, "form": form}, status=status
    )


@require_GET
@requires(Kind.VETTING_CASE, "view_items")
def read_log(request, pk: int):
    case = case_for_user(request.user, pk, "view_items")
    reads = case.reads.select_related("user").order_by("-at", "-pk")
    page = Paginator(reads, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "vetting/read_log.html", {"case": case, "page": page})


@require_POST
@requires(Kind.VETTING_CASE, "archive")
def case_archive(request, pk: int):
    case = case_for_user(request.user, pk, "archive")
    return archive_and_return(request, case, reverse("vetting:case_detail", args=[case.pk]))


@require_POST
@requires(Kind.VETTING_CASE, "restore")
def case_restore(request, pk: int):
    case = case_for_user(request.user, pk, "restore")
    return restore_and_return(request, case, reverse("vetting:case_detail", args=[case.pk]))
