"""Congress and nominee-list pages. Thin: fetch through a selector, call a service, render."""

from __future__ import annotations

from datetime import date, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from congress import selectors
from congress.models import NomineeList
from congress.reports import charts, sheets
from congress.reports.data import ratio_rows
from congress.rules.labels import finding_title, post_label, posts_for_level, target_text
from congress.selectors import can, list_for, nominee_for
from congress.services import lists as svc
from personnel import policy
from personnel.inputs import INT_MAX, LINE_MAX, date_from, id_from, int_from, text_from
from personnel.models import AccessKind
from personnel.policy import Kind, requires
from personnel.selectors import cadre_for, known_post_codes, posts_by_rank
from personnel.services.dossier import dossier_access_record
from personnel.views.archive import archive_and_return, restore_and_return
from vetting.selectors import cases_visible_to

# The members of a vote-counting board a form may name (a board has three to five).
MAX_COUNTING_BOARD = 30

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


def _post_choices(level: str) -> list[tuple[str, str]]:
    """The posts a list of this level may propose, the usual ones of a committee first."""
    codes = posts_for_level(level, list(posts_by_rank().values_list("code", flat=True)))
    first = [c for c in POST_CHOICES_ORDER if c in codes]
    return [(c, post_label(c)) for c in first + [c for c in codes if c not in first]]


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


def _blocking_summary(blocking: list[dict]) -> str:
    """The confirmation asked before submitting a list that still has blocking errors: it
    names each of them, so the secretary knows what the level above will refuse."""
    if not blocking:
        return ""
    items = "; ".join(
        f"{finding_title(f['code'])} ({', '.join(f['names']) or 'cả danh sách'})" for f in blocking
    )
    return (
        f"Danh sách còn {len(blocking)} lỗi chặn phê duyệt: {items}. "
        "Cấp trên sẽ không thể phê duyệt khi các lỗi này chưa được khắc phục hoặc giải trình. "
        "Vẫn trình danh sách?"
    )


def _vetting_of(user, nominee_list: NomineeList, cadre_ids: list[int]) -> dict[int, object]:
    """Each nominee's vetting case for the term of the list's congress (none: no case)."""
    term = nominee_list.body.congress.term
    cases = cases_visible_to(user).filter(cadre_id__in=cadre_ids, term=term)
    return {c.cadre_id: c for c in cases}


def _editor_context(request, nominee_list: NomineeList, **extra):
    nominees = list(
        nominee_list.nominees.select_related("cadre", "cadre__unit").order_by("order", "id")
    )
    evaluation = svc.evaluate_list(nominee_list)
    people = {p["id"]: p for p in evaluation.get("people", [])}
    user = request.user
    congress = nominee_list.body.congress
    vetting = _vetting_of(user, nominee_list, [n.cadre_id for n in nominees])
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
                "case": vetting.get(n.cadre_id),
                "can_open_case": n.cadre_id not in vetting
                and policy.allows(user, Kind.VETTING_CASE, "edit", n.cadre.unit),
            }
        )
    params = congress.ruleset.data.get("params", {})
    ratios = [] if evaluation["empty"] else ratio_rows(evaluation, params)
    ratio_svg = age_svg = ""
    if not evaluation["empty"]:
        ratio_svg = charts.ratio_bars(ratios, title="Cơ cấu so với chỉ tiêu")
        ages = [(r["info"].get("age", 0), r["nominee"].cadre.sex) for r in rows]
        age_svg = charts.age_pyramid(charts.age_bins(ages), title="Tháp tuổi theo giới tính")
    blocking = [f for f in evaluation["findings"] if f.get("blocking")]
    reference = evaluation.get("reference_date") or ""
    return {
        "ratio_svg": ratio_svg,
        "age_svg": age_svg,
        "ratios": ratios,
        "reference_date": date.fromisoformat(reference) if reference else None,
        "list": nominee_list,
        "congress": congress,
        "rows": rows,
        "evaluation": evaluation,
        "can_edit": can(user, nominee_list, "edit") and nominee_list.is_editable,
        "can_submit": can(user, nominee_list, "submit") and nominee_list.is_editable,
        "can_review": can(user, nominee_list, "review") and not nominee_list.is_withdrawn,
        "can_approve_exception": can(user, nominee_list, "approve_exception")
        and nominee_list.state in svc.EXCEPTION_STATES
        and not nominee_list.is_withdrawn,
        "can_archive": can(user, nominee_list, "archive"),
        "can_restore": can(user, nominee_list, "restore"),
        "post_choices": _post_choices(congress.unit.level),
        "errors": [f for f in evaluation["findings"] if f["severity"] == "error"],
        "warnings": [f for f in evaluation["findings"] if f["severity"] != "error"],
        "blocking": blocking,
        "blocking_summary": _blocking_summary(blocking),
        "can_issue": policy.allows(user, Kind.REPORT, "issue", congress.unit),
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
    # The page again with the refusal on it, 422: nothing was written, and what was wrong
    # is named where the user looks (a redirect would answer 302 to a refused write).
    nominee_list.refresh_from_db()
    return _render_editor(request, nominee_list, status=422, error=_error_text(exc))


def _revision(request) -> int | None:
    return id_from(request.POST.get("revision"))


@require_GET
@requires(Kind.NOMINEE_LIST, "view", listing=True)
def index(request):
    page = Paginator(selectors.congress_index(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "congress/index.html", {"page": page})


@require_GET
@requires(Kind.NOMINEE_LIST, "view")
def detail(request, pk):
    nominee_list = list_for(request.user, pk)
    return _render_editor(request, nominee_list)


@require_GET
@requires(Kind.NOMINEE_LIST, "view")
def findings(request, pk):
    nominee_list = list_for(request.user, pk)
    return render(
        request, "congress/partials/findings.html", _editor_context(request, nominee_list)
    )


@require_GET
@requires(Kind.NOMINEE_LIST, "edit")
def search(request, pk):
    """Cadres that may be added: those of the list's unit the user sees, or with "all" the
    cadres of other units the user may nominate (board staff)."""
    nominee_list = list_for(request.user, pk, "edit")
    qs = selectors.list_candidates(
        request.user,
        nominee_list,
        request.GET.get("q", ""),
        everywhere=bool(request.GET.get("all")),
    )
    results = list(qs.select_related("unit")[:20])
    return render(
        request,
        "congress/partials/search_results.html",
        {
            "list": nominee_list,
            "results": results,
            "post_choices": _post_choices(nominee_list.body.congress.unit.level),
        },
    )


@require_POST
@requires(Kind.NOMINEE_LIST, "edit")
def add(request, pk):
    nominee_list = list_for(request.user, pk, "edit")
    cadre_id = id_from(request.POST.get("cadre"))
    if cadre_id is None:
        return _refused(request, nominee_list, ValidationError("Cần chọn cán bộ để thêm."))
    cadre = cadre_for(request.user, cadre_id)
    known = known_post_codes(request.POST.getlist("posts"))
    posts = [p for p in request.POST.getlist("posts") if p in known]
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


@require_POST
@requires(Kind.NOMINEE_LIST, "edit")
def add_many(request, pk):
    """Add the people ticked in the search results (or the one whose row button was
    pressed), each with the post chosen on their row."""
    nominee_list = list_for(request.user, pk, "edit")
    one = request.POST.get("one", "")
    raw = [one] if one else request.POST.getlist("cadre")
    ids = [i for i in map(id_from, raw) if i is not None]
    if not ids or len(ids) < len(raw):
        return _refused(
            request, nominee_list, ValidationError("Chưa chọn người nào để thêm vào danh sách.")
        )
    allowed = dict(_post_choices(nominee_list.body.congress.unit.level))
    people = []
    for cadre_id in ids:
        cadre = cadre_for(request.user, cadre_id)
        post = request.POST.get(f"post_{cadre_id}", "member")
        if post not in allowed:
            return _refused(
                request,
                nominee_list,
                ValidationError(
                    f"Chức danh đã chọn cho {cadre.full_name} không có ở cấp của danh sách này."
                ),
            )
        people.append((cadre, [post]))
    try:
        svc.nominee_add_many(
            nominee_list=nominee_list,
            user=request.user,
            people=people,
            expected_revision=_revision(request),
        )
    except (ValidationError, svc.StaleListError) as exc:
        return _refused(request, nominee_list, exc)
    names = ", ".join(c.full_name for c, _ in people)
    return _after_write(request, nominee_list, f"Đã thêm {names} vào danh sách.")


@require_POST
@requires(Kind.NOMINEE_LIST, "edit")
def add_outgoing(request, pk):
    nominee_list = list_for(request.user, pk, "edit")
    try:
        added = svc.nominee_add_outgoing(
            nominee_list=nominee_list, user=request.user, expected_revision=_revision(request)
        )
    except (ValidationError, svc.StaleListError) as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, f"Đã thêm {len(added)} đồng chí cấp ủy khóa trước.")


def _nominee_for(request, nominee_pk):
    try:
        nominee = nominee_for(request.user, nominee_pk, "edit")
    except Http404:
        # The usual cause: someone else removed the row since the page was loaded.
        raise Http404(
            "Người này không còn trong danh sách: có thể người khác vừa bỏ ra hoặc danh sách "
            "đã thay đổi. Tải lại trang để xem danh sách mới nhất."
        ) from None
    return nominee, nominee.nominee_list


@require_POST
@requires(Kind.NOMINEE_LIST, "edit")
def update(request, nominee_pk):
    nominee, nominee_list = _nominee_for(request, nominee_pk)
    posts = [p for p in request.POST.getlist("posts") if p]
    valid = known_post_codes(posts)
    unknown = [p for p in posts if p not in valid]
    level = nominee_list.body.congress.unit.level
    other_level = [p for p in posts if p in valid and p not in dict(_post_choices(level))]
    try:
        if unknown:
            raise ValidationError(f"Chức danh không hợp lệ: {', '.join(unknown)}.")
        if other_level:
            raise ValidationError(
                f"Chức danh {', '.join(post_label(p) for p in other_level)} không có ở cấp "
                "của danh sách này."
            )
        svc.nominee_update(
            nominee=nominee,
            user=request.user,
            proposed_posts=posts,
            notes=text_from(request.POST.get("notes"), label="Ghi chú"),
            expected_revision=_revision(request),
        )
    except (ValidationError, svc.StaleListError) as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, f"Đã cập nhật {nominee.cadre.full_name}.")


@require_POST
@requires(Kind.NOMINEE_LIST, "edit")
def remove(request, nominee_pk):
    nominee, nominee_list = _nominee_for(request, nominee_pk)
    name = nominee.cadre.full_name
    try:
        svc.nominee_remove(nominee=nominee, user=request.user, expected_revision=_revision(request))
    except (ValidationError, svc.StaleListError) as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, f"Đã bỏ {name} khỏi danh sách.")


@require_POST
@requires(Kind.NOMINEE_LIST, "edit")
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


def _transition(request, pk, action: str, run, done: str):
    nominee_list = list_for(request.user, pk, action)
    try:
        run(nominee_list, request.user, text_from(request.POST.get("remark"), label="Ý kiến"))
    except ValidationError as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, done)


@require_POST
@requires(Kind.NOMINEE_LIST, "submit")
def submit(request, pk):
    return _transition(
        request, pk, "submit",
        lambda nl, u, r: svc.nominee_list_submit(nominee_list=nl, user=u),
        "Đã trình danh sách.",
    )  # fmt: skip


@require_POST
@requires(Kind.NOMINEE_LIST, "review")
def return_(request, pk):
    return _transition(
        request, pk, "review",
        lambda nl, u, r: svc.nominee_list_return(nominee_list=nl, user=u, remark=r),
        "Đã trả lại danh sách.",
    )  # fmt: skip


@require_POST
@requires(Kind.NOMINEE_LIST, "review")
def approve(request, pk):
    return _transition(
        request, pk, "review",
        lambda nl, u, r: svc.nominee_list_approve(nominee_list=nl, user=u),
        "Đã phê duyệt danh sách.",
    )  # fmt: skip


@require_POST
@requires(Kind.NOMINEE_LIST, "review")
def lock(request, pk):
    return _transition(
        request, pk, "review",
        lambda nl, u, r: svc.nominee_list_lock(nominee_list=nl, user=u),
        "Đã khóa danh sách.",
    )  # fmt: skip


@require_POST
@requires(Kind.NOMINEE_LIST, "review")
def reopen(request, pk):
    return _transition(
        request, pk, "review",
        lambda nl, u, r: svc.nominee_list_reopen(nominee_list=nl, user=u, remark=r),
        "Đã mở lần lập danh sách mới.",
    )  # fmt: skip


@require_POST
@requires(Kind.NOMINEE_LIST, "edit")
def justify(request, pk):
    """The editors' justification of a finding (text only: an exception approved by the
    level above is recorded by that level, `exception`)."""
    nominee_list = list_for(request.user, pk, "edit")
    try:
        svc.justification_record(
            nominee_list=nominee_list,
            user=request.user,
            code=request.POST.get("code", ""),
            people_key=request.POST.get("people_key", ""),
            text=text_from(request.POST.get("text"), label="Giải trình"),
        )
    except ValidationError as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, "Đã ghi giải trình.")


@require_POST
@requires(Kind.NOMINEE_LIST, "approve_exception")
def exception(request, pk):
    """Board staff of the level above record the family-relation exception their committee
    approved (body, document number, date)."""
    nominee_list = list_for(request.user, pk, "approve_exception")
    try:
        approval_date = date_from(
            request.POST.get("approval_date"), label="Ngày văn bản phê duyệt", required=False
        )
        svc.family_exception_record(
            nominee_list=nominee_list,
            user=request.user,
            code=request.POST.get("code", ""),
            people_key=request.POST.get("people_key", ""),
            approved_by_body=request.POST.get("approved_by_body", ""),
            approval_document=request.POST.get("approval_document", ""),
            approval_date=approval_date,
        )
    except ValidationError as exc:
        return _refused(request, nominee_list, exc)
    return _after_write(request, nominee_list, "Đã ghi nhận ngoại lệ được cấp trên phê duyệt.")


def _rounds_page(request, nominee_list, *, error=None, status=None, minutes_error=None):
    rounds = list(nominee_list.rounds.all())
    results = [(r, svc.round_results(r)) for r in rounds]
    unit = nominee_list.body.congress.unit
    return render(
        request,
        "congress/rounds.html",
        {
            "list": nominee_list,
            "results": results,
            "nominees": nominee_list.nominees.select_related("cadre").order_by("order"),
            "error": error,
            "minutes_error": minutes_error or {},
            "can_edit": can(request.user, nominee_list, "edit") and nominee_list.is_editable,
            "can_complete": can(request.user, nominee_list, "edit"),
            "can_issue": policy.allows(request.user, Kind.REPORT, "issue", unit),
            "unit": unit,
            "next_step": len(rounds) + 1,
            "form": request.POST if (error or minutes_error) else {},
        },
        status=status or (422 if (error or minutes_error) else 200),
    )


@require_GET
@requires(Kind.NOMINEE_LIST, "view")
def rounds(request, pk):
    return _rounds_page(request, list_for(request.user, pk))


def _time(raw: str | None, label: str):
    """ "14:30", "14h30", "14 giờ 30": a time of day; empty: None."""
    text = (raw or "").strip().lower().replace("giờ", ":").replace("h", ":").replace(" ", "")
    if not text:
        return None
    parts = [p for p in text.split(":") if p != ""]
    try:
        if not 1 <= len(parts) <= 2 or not all(p.isascii() and p.isdigit() for p in parts):
            raise ValueError
        hour = int(parts[0])
        minute = int(parts[1]) if len(parts) > 1 else 0
        return time(hour, minute)
    except ValueError:
        raise ValidationError(f"{label}: phải là giờ, phút (ví dụ 14:30).") from None


def _minutes(post) -> dict:
    """The minutes fields of a round form: only those filled in."""
    out: dict = {}
    for name, label in (
        ("counting_started", "Giờ bắt đầu kiểm phiếu"),
        ("minutes_finished", "Giờ lập xong biên bản"),
    ):
        value = _time(post.get(name), label)
        if value is not None:
            out[name] = value
    place = " ".join(text_from(post.get("place"), label="Địa điểm", max_length=LINE_MAX).split())
    if place:
        out["place"] = place
    board_text = text_from(post.get("counting_board"), label="Ban kiểm phiếu")
    board = [" ".join(line.split()) for line in board_text.splitlines()]
    board = [b for b in board if b]
    for member in board:
        text_from(member, label="Tên thành viên ban kiểm phiếu", max_length=LINE_MAX)
    if len(board) > MAX_COUNTING_BOARD:
        raise ValidationError(f"Ban kiểm phiếu: tối đa {MAX_COUNTING_BOARD} người.")
    if board:
        out["counting_board"] = board
    for name, label in (
        ("present", "Số người có mặt"),
        ("ballots_issued", "Số phiếu phát ra"),
        ("ballots_received", "Số phiếu thu vào"),
        ("ballots_valid", "Số phiếu hợp lệ"),
        ("ballots_invalid", "Số phiếu không hợp lệ"),
    ):
        value = int_from(post.get(name), label=label, required=False)
        if value is not None:
            out[name] = value
    return out


@require_POST
@requires(Kind.NOMINEE_LIST, "edit")
def round_record(request, pk):
    nominee_list = list_for(request.user, pk, "edit")
    try:
        held_on = date_from(request.POST.get("held_on"), label="Ngày họp")
        summoned = int_from(request.POST.get("summoned"), label="Số người được triệu tập")
        votes = {}
        for n in nominee_list.nominees.select_related("cadre"):
            raw = request.POST.get(f"votes_{n.cadre_id}", "").strip()
            if raw == "":
                continue
            votes[n.cadre_id] = (
                int_from(raw, label=f"Số phiếu của {n.cadre.full_name}", min_value=-INT_MAX),
                bool(request.POST.get(f"floor_{n.cadre_id}")),
            )
        svc.nomination_round_record(
            nominee_list=nominee_list,
            user=request.user,
            step=int_from(request.POST.get("step"), label="Bước"),
            held_on=held_on,
            summoned=summoned,
            votes=votes,
            minutes=_minutes(request.POST),
        )
    except ValidationError as exc:
        return _rounds_page(request, nominee_list, error=_error_text(exc))
    messages.success(request, "Đã ghi kết quả bước giới thiệu.")
    return redirect("lists:rounds", pk=nominee_list.pk)


@require_POST
@requires(Kind.NOMINEE_LIST, "edit")
def round_minutes(request, pk, number):
    """Complete the minutes of recorded step `number`: time, place, counting board, ballots."""
    nominee_list = list_for(request.user, pk, "edit")
    rnd = get_object_or_404(nominee_list.rounds, step=number)
    try:
        svc.round_minutes_record(
            nomination_round=rnd, user=request.user, minutes=_minutes(request.POST)
        )
    except ValidationError as exc:
        return _rounds_page(request, nominee_list, minutes_error={rnd.pk: _error_text(exc)})
    rnd.refresh_from_db()
    gaps = rnd.minutes_gaps()
    if gaps:
        messages.warning(
            request,
            f"Đã lưu. Biên bản bước {rnd.step} còn thiếu: {', '.join(gaps)}.",
        )
    else:
        messages.success(request, f"Đã đủ thông tin để in biên bản kiểm phiếu bước {rnd.step}.")
    return redirect("lists:rounds", pk=nominee_list.pk)


@require_GET
@requires(Kind.NOMINEE_LIST, "view")
def history(request, pk):
    nominee_list = list_for(request.user, pk)
    return render(
        request,
        "congress/history.html",
        {
            "list": nominee_list,
            "entries": selectors.list_history(nominee_list),
            "editions": nominee_list.editions.all(),
        },
    )


@require_GET
@requires(Kind.NOMINEE_LIST, "view")
def edition(request, pk, number):
    nominee_list = list_for(request.user, pk)
    ed = nominee_list.editions.filter(edition=number).first()
    if ed is None:
        raise Http404(f"Danh sách chưa có bản phê duyệt lần {number}.")
    return render(request, "congress/edition.html", {"list": nominee_list, "edition": ed})


# --- archive (the one "delete"), board staff ----------------------------------------------


@require_POST
@requires(Kind.NOMINEE_LIST, "archive")
def archive(request, pk):
    nominee_list = list_for(request.user, pk, "archive")
    return archive_and_return(request, nominee_list, reverse("lists:detail", args=[pk]))


@require_POST
@requires(Kind.NOMINEE_LIST, "restore")
def restore(request, pk):
    nominee_list = list_for(request.user, pk, "restore")
    return restore_and_return(request, nominee_list, reverse("lists:detail", args=[pk]))


@require_POST
@requires(Kind.CONGRESS, "archive")
def congress_archive(request, pk):
    congress = selectors.congress_for(request.user, pk, "archive")
    return archive_and_return(request, congress, reverse("lists:index"))


@require_POST
@requires(Kind.CONGRESS, "restore")
def congress_restore(request, pk):
    congress = selectors.congress_for(request.user, pk, "restore")
    return restore_and_return(request, congress, reverse("personnel:archive_index"))


def _export_rows(ctx) -> list[list]:
    out = []
    for i, r in enumerate(ctx["rows"], start=1):
        c = r["nominee"].cadre
        out.append(
            [
                i,
                c.full_name,
                c.birth_date,
                c.get_sex_display(),
                c.ethnicity,
                c.unit.name,
                r["posts"],
                "Tái cử" if r["info"].get("status") == "tai_cu" else "Lần đầu",
                r["info"].get("age"),
                "; ".join(finding_title(code) for code in r["codes"]) or "Đạt",
                r["nominee"].notes,
            ]
        )
    return out


@require_GET
@requires(Kind.NOMINEE_LIST, "view")
def export(request, pk):
    """The list as the page shows it, in Excel: the people, the structure, the findings."""
    nominee_list = list_for(request.user, pk)
    ctx = _editor_context(request, nominee_list)
    unit = nominee_list.body.congress.unit
    name = f"danh-sach-{unit.code}-{nominee_list.body.kind}-lan-{nominee_list.edition}.xlsx"
    # The file carries the people's dossiers out of the server: logged first, as every
    # export is (a list without people logs its unit).
    dossier_access_record(
        user=request.user,
        kind=AccessKind.EXPORT,
        cadres=[r["nominee"].cadre for r in ctx["rows"]],
        unit=unit,
        label=name,
    )
    people = sheets.Sheet(
        "Danh sách",
        ["TT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Đơn vị", "Chức danh dự kiến",
         "Tình trạng", "Tuổi", "Phát hiện", "Ghi chú"],
        _export_rows(ctx),
        widths=(5, 28, 12, 9, 10, 30, 28, 10, 6, 40, 30),
    )  # fmt: skip
    structure = sheets.Sheet(
        "Cơ cấu",
        ["Cơ cấu", "Số người", "Tỷ lệ (%)", "Chỉ tiêu", "Kết quả"],
        [
            [r["label"], r["count"], r["percent"], target_text(r["target"]) or "—",
             "Đạt" if r["ok"] else "Chưa đạt"]
            for r in ctx["ratios"]
        ],
        widths=(30, 10, 10, 14, 10),
    )  # fmt: skip
    findings = sheets.Sheet(
        "Phát hiện",
        ["Mức độ", "Phát hiện", "Người liên quan", "Nội dung", "Giải trình"],
        [
            [
                "Lỗi" if f["severity"] == "error" else "Cảnh báo",
                finding_title(f["code"]),
                ", ".join(f["names"]),
                f["message"],
                f["justification"].text if f.get("justification") else "",
            ]
            for f in ctx["evaluation"]["findings"]
        ],
        widths=(10, 36, 30, 80, 40),
    )
    body = sheets.workbook([people, structure, findings])
    return HttpResponse(
        body,
        content_type=sheets.XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@require_GET
@requires(Kind.NOMINEE_LIST, "view")
def print_view(request, pk):
    """The list laid out for the browser's print: the people, the structure, the findings."""
    nominee_list = list_for(request.user, pk)
    return render(request, "congress/list_print.html", _editor_context(request, nominee_list))
