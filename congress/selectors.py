"""Reads of congresses, nominee lists, structure snapshots and documents. Every queryset a
view uses comes from here, and every one asks `personnel.policy`."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from congress.models import (
    Congress,
    CongressBody,
    IssuedDocument,
    ListState,
    NominationRound,
    Nominee,
    NomineeList,
    ReportJob,
    StructureSnapshot,
)
from personnel import policy
from personnel.inputs import id_from
from personnel.models import AuditLog, Cadre, Level
from personnel.policy import Kind
from personnel.selectors import (
    cadre_search,
    cadres_visible_to,
    object_history,
    remember_unread,
    unread_notifications,
)
from vetting.models import VettingCase


def congresses_visible_to(user, *, archived: bool | None = False) -> QuerySet[Congress]:
    """The congresses in the user's sight; live ones unless `archived` says otherwise."""
    qs = policy.scoped(user, Kind.CONGRESS, "view", Congress.objects.all())
    return qs if archived is None else (qs.archived() if archived else qs.live())


def congress_for(user, pk: int, action: str = "view") -> Congress:
    """One congress, archived or not: 404 outside the user's sight, 403 without `action`."""
    qs = Congress.objects.select_related("unit", "term")
    return policy.object_for(user, Kind.CONGRESS, action, qs, pk=pk)


def congress_index(user) -> QuerySet[Congress]:
    """The congresses of the user's scope with their bodies and lists (and nominee counts)."""
    return (
        congresses_visible_to(user)
        .select_related("unit", "term", "ruleset")
        .prefetch_related(
            Prefetch(
                "bodies",
                queryset=CongressBody.objects.prefetch_related(
                    Prefetch(
                        "lists",
                        queryset=lists_visible_to(user).annotate(n=Count("nominees")),
                    )
                ),
            )
        )
        .order_by("unit__path", "term__start")
    )


def lists_visible_to(
    user, action: str = "view", *, archived: bool | None = False
) -> QuerySet[NomineeList]:
    """The lists on which `user` may perform `action` (a nominee-list action of the policy);
    live ones (neither they nor their congress archived) unless `archived` says otherwise."""
    qs = policy.scoped(user, Kind.NOMINEE_LIST, action, NomineeList.objects.all())
    if archived is None:
        return qs
    if archived:
        return qs.filter(
            Q(archived_at__isnull=False) | Q(body__congress__archived_at__isnull=False)
        )
    return qs.live().filter(body__congress__archived_at__isnull=True)


def list_for(user, pk: int, action: str = "view") -> NomineeList:
    """404 outside the user's scope, 403 in scope without the right to `action`."""
    qs = NomineeList.objects.select_related(
        "body__congress__unit", "body__congress__term", "body__congress__ruleset"
    )
    return policy.object_for(user, Kind.NOMINEE_LIST, action, qs, pk=pk)


def nominee_for(user, pk: int, action: str = "view") -> Nominee:
    qs = Nominee.objects.select_related("cadre", "nominee_list__body__congress__unit")
    return policy.object_for(user, Kind.NOMINEE_LIST, action, qs, pk=pk)


def can(user, nominee_list: NomineeList, action: str) -> bool:
    return policy.allows(user, Kind.NOMINEE_LIST, action, nominee_list.body.congress.unit)


def list_candidates(user, nominee_list: NomineeList, text: str, *, everywhere: bool = False):
    """Cadres the user may add to the list: those of the list's unit (and below) that the
    user sees, or with `everywhere` every cadre the user may nominate for another unit."""
    unit = nominee_list.body.congress.unit
    if everywhere:
        qs = policy.scoped(user, Kind.CADRE, "nominate", Cadre.objects.all())
    else:
        qs = cadres_visible_to(user).filter(unit__path__startswith=unit.path)
    return cadre_search(qs, text).exclude(pk__in=nominee_list.nominees.values("cadre_id"))


def list_history(nominee_list: NomineeList) -> QuerySet[AuditLog]:
    return object_history(nominee_list)


def round_for(user, pk: int, action: str = "view") -> NominationRound:
    qs = NominationRound.objects.select_related("nominee_list__body__congress__unit")
    return policy.object_for(user, Kind.NOMINEE_LIST, action, qs, pk=pk)


def rounds_visible_to(user) -> QuerySet[NominationRound]:
    """The nomination rounds of the lists the user sees, with what names them."""
    return policy.scoped(
        user, Kind.NOMINEE_LIST, "view", NominationRound.objects.all()
    ).select_related("nominee_list__body__congress__unit")


def rounds_of_unit(unit) -> QuerySet[NominationRound]:
    return NominationRound.objects.filter(nominee_list__body__congress__unit=unit)


# --- structure and the home page ---------------------------------------------------------


def snapshots_visible_to(user) -> QuerySet[StructureSnapshot]:
    return policy.scoped(user, Kind.STRUCTURE, "view", StructureSnapshot.objects.all())


def scope_figures(user) -> dict:
    """The headline figures of the user's scope (primary snapshots)."""
    return (
        snapshots_visible_to(user)
        .filter(is_primary=True)
        .aggregate(
            units=Count("id"),
            with_errors=Count("id", filter=Q(error_count__gt=0)),
            miss_female=Count("id", filter=Q(missed__contains="|female|")),
            miss_young=Count("id", filter=Q(missed__contains="|young|")),
            members=Sum("member_count"),
        )
    )


def list_state_counts(user) -> dict[str, int]:
    rows = lists_visible_to(user).values("state").annotate(n=Count("id")).order_by("state")
    return {r["state"]: r["n"] for r in rows}


def lists_to_review(user) -> QuerySet[NomineeList]:
    return (
        lists_visible_to(user, "review")
        .filter(state=ListState.SUBMITTED)
        .select_related("body__congress__unit")
        .order_by("state_changed_at")
    )


def own_unit_lists(user, unit_ids: list[int]) -> QuerySet[NomineeList]:
    return (
        lists_visible_to(user)
        .filter(body__congress__unit_id__in=unit_ids)
        .select_related("body__congress__unit", "body__congress__term")
        .annotate(n=Count("nominees"))
        .order_by("body__congress__unit__path", "body__kind")
    )


def list_snapshots(nominee_lists) -> dict[int, StructureSnapshot]:
    return {
        s.nominee_list_id: s
        for s in StructureSnapshot.objects.filter(nominee_list__in=nominee_lists)
    }


# --- documents --------------------------------------------------------------------------


def jobs_of(user) -> QuerySet[ReportJob]:
    """A document job is its requester's, and only while its unit stays in their sight."""
    return policy.scoped(user, Kind.REPORT, "view", ReportJob.objects.filter(user=user))


def job_for(user, pk: int) -> ReportJob:
    qs = ReportJob.objects.filter(user=user).select_related("unit", "document")
    return policy.object_for(user, Kind.REPORT, "view", qs, pk=pk)


def documents_visible_to(user) -> QuerySet[IssuedDocument]:
    return policy.scoped(user, Kind.REPORT, "view", IssuedDocument.objects.all())


# --- the dashboard ---------------------------------------------------------------------

TARGETS = [
    ("female", "Nữ"),
    ("young", "Trẻ"),
    ("ethnic_minority", "Dân tộc thiểu số"),
    ("renewal", "Đổi mới"),
    ("age_tier_low", "Độ tuổi thấp"),
    ("age_tier_mid", "Độ tuổi giữa"),
]
SORTS = {
    "don-vi": ("unit__path",),
    "nu": ("female_pct", "unit__path"),
    "tre": ("young_pct", "unit__path"),
    "doi-moi": ("renewal_pct", "unit__path"),
    "loi": ("-error_count", "unit__path"),
    "canh-bao": ("-warning_count", "unit__path"),
}


def dashboard_congress(user, params) -> Congress | None:
    """The congress the dashboard is narrowed to (`dai-hoi`), if the user sees it."""
    pk = id_from(params.get("dai-hoi"))
    if pk is None:
        return None
    return congresses_visible_to(user).select_related("unit", "term").filter(pk=pk).first()


def dashboard_congress_choices(user, limit: int = 200) -> list[Congress]:
    """The congresses offered by the dashboard's filter: those of the user's own units and
    the units one level below (a province's board sees the province and its communes)."""
    grants = policy.grants_of(user)
    qs = congresses_visible_to(user).select_related("unit", "term")
    if grants and not user.is_superuser:
        # depth is path.count("/") - 2: one level below the highest grant.
        top = min(g.path.count("/") for g in grants) - 1
        qs = qs.filter(unit__depth__lte=top)
    return list(qs.order_by("-term__start", "unit__path")[:limit])


def dashboard_rows(user, params) -> tuple[QuerySet[StructureSnapshot], str]:
    """The filtered, sorted snapshots of the units in the user's scope (a queryset).

    Without a term, each unit's primary snapshot (its executive list, else its sitting
    committee). With a term (`nhiem-ky`) or a congress (`dai-hoi`, its term and the units
    under its unit), the snapshots of the executive lists of that term's congresses."""
    congress = dashboard_congress(user, params)
    term = congress.term.code if congress else params.get("nhiem-ky", "")
    # Dissolved units keep their history but have no congress to prepare.
    qs = snapshots_visible_to(user).filter(unit__is_active=True, unit__archived_at__isnull=True)
    if term:
        qs = qs.filter(
            source=StructureSnapshot.Source.LIST,
            nominee_list__body__kind="executive",
            nominee_list__body__congress__term__code=term,
        )
    else:
        qs = qs.filter(is_primary=True)
    if congress is not None:
        qs = qs.filter(unit__path__startswith=congress.unit.path)
    level = params.get("cap", "")
    if level in Level.values:
        qs = qs.filter(unit__level=level)
    state = params.get("trang-thai", "")
    if state in ListState.values:
        qs = qs.filter(
            Exists(NomineeList.objects.filter(body__congress__unit=OuterRef("unit"), state=state))
        )
    miss = params.get("chua-dat", "")
    if miss in dict(TARGETS):
        qs = qs.filter(missed__contains=f"|{miss}|")
    elif miss == "bat-ky":
        qs = qs.exclude(missed="")
    if params.get("co-loi"):
        qs = qs.filter(error_count__gt=0)
    sort = params.get("sap-xep", "don-vi")
    return qs.order_by(*SORTS.get(sort, SORTS["don-vi"])), sort


def data_version(user=None) -> str:
    """What the dashboard shows changes only when a snapshot is written or a list changes
    state; one cheap query tells which version of the data is current. Given the user, the
    same query counts their unread notifications for the menu (`remember_unread`)."""
    # Each an index lookup (congress migration 0007, personnel 0013), whatever the rows.
    sql = (
        "SELECT (SELECT MAX(computed_at) FROM congress_structuresnapshot),"
        " (SELECT MAX(state_changed_at) FROM congress_nomineelist),"
        " (SELECT MAX(id) FROM congress_nomineelist)"
    )
    params: tuple = ()
    counting = user is not None and user.is_authenticated
    if counting:
        count = unread_notifications(user).order_by().values("user_id")
        count_sql, params = count.annotate(n=Count("id")).values("n").query.sql_with_params()
        sql += f", ({count_sql})"
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    if counting:
        remember_unread(user, row[3] or 0)
    return "|".join(str(v) for v in row[:3])


def lists_by_unit(user, unit_ids: list[int], term: str = "") -> dict[int, list[dict]]:
    """The states of the lists of these units (a dashboard page's rows), of one term's
    congresses when `term` is given."""
    out: dict[int, list[dict]] = defaultdict(list)
    qs = lists_visible_to(user).filter(body__congress__unit_id__in=unit_ids)
    if term:
        qs = qs.filter(body__congress__term__code=term)
    for row in qs.values("id", "state", "body__kind", "body__congress__unit_id").order_by(
        "body__kind"
    ):
        out[row["body__congress__unit_id"]].append(row)
    return out


def nominees_without_vetting(user, limit: int = 20) -> list[Nominee]:
    """People proposed on a list the user sees who have no vetting case for the term of that
    list's congress and whom the user may vet: a vetting officer's work to open."""
    missing = ~Exists(
        VettingCase.objects.filter(
            cadre=OuterRef("cadre"), term=OuterRef("nominee_list__body__congress__term")
        )
    )
    qs = (
        policy.scoped(user, Kind.NOMINEE_LIST, "view", Nominee.objects.all())
        .filter(missing)
        .filter(policy.unit_q(user, Kind.VETTING_CASE, "edit", prefix="cadre__unit__"))
        .select_related("cadre__unit", "nominee_list__body__congress__term")
        .order_by("cadre__sort_key", "pk")
    )
    seen: set[tuple[int, int]] = set()
    out = []
    for n in qs[: limit * 3]:
        key = (n.cadre_id, n.nominee_list.body.congress.term_id)
        if key not in seen:
            seen.add(key)
            out.append(n)
        if len(out) >= limit:
            break
    return out
