"""Who may do what, and where: the one permission policy of the product.

A role is a grant on a party unit (a guardian object permission `personnel.role_<role>`,
one row per grant). `POLICY` says, for each kind of object and each action on it, which
roles may act and over which reach of their granted unit:

- `OWN`: the granted unit itself (a secretary acts for their own unit only);
- `SUBTREE`: the granted unit and every unit under it;
- `BELOW`: the units strictly under the granted one: the level above acting on them
  (approving a list, recording an exception "approved by the level above").

Nothing else decides. Selectors filter querysets with `scoped()`, views fetch objects with
`object_for()` (404 outside the user's sight of that kind, 403 in sight without the right to
the action), listings and buttons ask `allows()` / `any_reach()`, views declare what they
do with `@requires(kind, action)` (the permission matrix test reads it), templates ask
`{% can %}`, the admin and every service ask the same functions. Every model that belongs
to a unit says how it reaches it in `scope_path` ("" for the unit itself).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from personnel.demo.users import DEMO_USERNAMES
from personnel.models import PartyUnit, PartyUnitUserObjectPermission, Role

PERM_PREFIX = "role_"


class Reach(StrEnum):
    OWN = "own"
    SUBTREE = "subtree"
    BELOW = "below"


class Kind(StrEnum):
    UNIT = "unit"
    CADRE = "cadre"
    CONGRESS = "congress"
    NOMINEE_LIST = "nominee_list"
    PLANNING_LIST = "planning_list"
    VETTING_CASE = "vetting_case"
    REPORT = "report"
    IMPORT = "import"
    STRUCTURE = "structure"
    # What belongs to no unit: the catalogue of posts and terms, rule sets, user accounts,
    # second-factor devices. No role reaches it: superusers only.
    SYSTEM = "system"


B, S, V, W = Role.BOARD_STAFF, Role.SECRETARY, Role.VETTING_OFFICER, Role.VIEWER
OWN, SUBTREE, BELOW = Reach.OWN, Reach.SUBTREE, Reach.BELOW

# Everyone with a grant sees the objects of their reach (a secretary: their own unit's).
_SEE = {B: SUBTREE, S: OWN, V: SUBTREE, W: SUBTREE}
# The unit's own editors: its secretary, and board staff of it or above.
_EDIT = {B: SUBTREE, S: OWN}
# Archive (the one "delete") and restore what people rely on: board staff.
_ARCHIVE = {B: SUBTREE}

POLICY: dict[Kind, dict[str, dict[Role, Reach]]] = {
    Kind.UNIT: {
        "view": _SEE,
        # Units themselves (the admin, the unit import).
        "manage": {B: SUBTREE},
        # A unit is archived or restored by the level above.
        "archive": {B: BELOW},
        "restore": {B: BELOW},
    },
    Kind.CADRE: {
        "view": _SEE,
        # The dossier (the admin, import rows, archive).
        "edit": {B: SUBTREE},
        "export": {B: SUBTREE},
        # Propose the cadre for a list of another unit (the unit's own lists take anyone
        # of the unit the editor sees).
        "nominate": {B: SUBTREE},
        "archive": _ARCHIVE,
        "restore": _ARCHIVE,
        # Who opened the dossier, downloaded a résumé or exported it.
        "view_access_log": {B: SUBTREE},
    },
    Kind.CONGRESS: {
        "view": _SEE,
        "manage": {B: SUBTREE},
        "archive": _ARCHIVE,
        "restore": _ARCHIVE,
    },
    Kind.NOMINEE_LIST: {
        "view": _SEE,
        # Nominees, their posts and notes, justifications, nomination rounds.
        "edit": _EDIT,
        "submit": _EDIT,
        # Return, approve, lock and reopen: the level above.
        "review": {B: BELOW},
        # A family-relation exception approved by the committee one level up.
        "approve_exception": {B: BELOW},
        "archive": _ARCHIVE,
        "restore": _ARCHIVE,
    },
    Kind.PLANNING_LIST: {
        "view": _SEE,
        # Open a plan, add and remove people, justify, record the yearly review, use.
        "edit": _EDIT,
        "submit": _EDIT,
        "review": {B: BELOW},
    },
    Kind.VETTING_CASE: {
        # The outcome only: eligible, ineligible or not concluded.
        "view": _SEE,
        # The confidential content: the items, the conclusion's document, the read log.
        "view_items": {V: SUBTREE},
        "edit": {V: SUBTREE},
        "archive": _ARCHIVE,
        "restore": _ARCHIVE,
    },
    Kind.REPORT: {
        # Verify a document's code; follow one's own document jobs.
        "view": _SEE,
        # Print (issue) official documents of the unit.
        "issue": _EDIT,
    },
    Kind.IMPORT: {
        # Follow one's own import jobs (their unit still in reach).
        "view": {B: SUBTREE},
        # Upload, check, map, import; the rows themselves are also asked of CADRE "edit"
        # (the cadre's current unit) and UNIT "manage".
        "run": {B: SUBTREE},
    },
    Kind.STRUCTURE: {
        "view": _SEE,
    },
    Kind.SYSTEM: {
        "manage": {},
    },
}

# Who must sign in with a second factor (a TOTP code) on top of the password, when
# `settings.OTP_REQUIRED`: those who read secrets or act for a whole subtree (superusers too).
SECOND_FACTOR_ROLES = frozenset({B, V})

MESSAGES: dict[Kind, str] = {
    Kind.UNIT: "Không tìm thấy tổ chức đảng trong phạm vi của bạn.",
    Kind.CADRE: "Không tìm thấy cán bộ trong phạm vi của bạn.",
    Kind.CONGRESS: "Không tìm thấy đại hội trong phạm vi của bạn.",
    Kind.NOMINEE_LIST: "Không tìm thấy danh sách trong phạm vi của bạn.",
    Kind.PLANNING_LIST: "Không tìm thấy danh sách quy hoạch trong phạm vi của bạn.",
    Kind.VETTING_CASE: "Không tìm thấy hồ sơ thẩm tra trong phạm vi của bạn.",
    Kind.REPORT: "Không tìm thấy văn bản trong phạm vi của bạn.",
    Kind.IMPORT: "Không tìm thấy trong phạm vi của bạn.",
    Kind.STRUCTURE: "Không tìm thấy trong phạm vi của bạn.",
    Kind.SYSTEM: "Không tìm thấy.",
}

DENIED: dict[tuple[Kind, str], str] = {
    (Kind.VETTING_CASE, "view_items"): (
        "Nội dung thẩm tra là tài liệu mật: chỉ cán bộ bảo vệ chính trị nội bộ được xem."
    ),
    (Kind.VETTING_CASE, "edit"): (
        "Chỉ cán bộ bảo vệ chính trị nội bộ có phạm vi bao gồm cán bộ này được cập nhật hồ sơ "
        "thẩm tra."
    ),
    (Kind.NOMINEE_LIST, "review"): "Chỉ Ban Tổ chức cấp trên được trả lại hoặc phê duyệt.",
    (Kind.NOMINEE_LIST, "approve_exception"): (
        "Ngoại lệ quan hệ gia đình chỉ do cán bộ Ban Tổ chức cấp trên ghi nhận."
    ),
    (Kind.PLANNING_LIST, "review"): "Chỉ Ban Tổ chức cấp trên được trả lại hoặc phê duyệt.",
    (Kind.IMPORT, "run"): "Chỉ cán bộ Ban Tổ chức được nhập, xuất dữ liệu.",
    (Kind.CADRE, "export"): "Chỉ cán bộ Ban Tổ chức được xuất dữ liệu cán bộ.",
    (Kind.REPORT, "issue"): "Chỉ bí thư và cán bộ Ban Tổ chức được in văn bản.",
    (Kind.CADRE, "view_access_log"): (
        "Chỉ cán bộ Ban Tổ chức được xem nhật ký truy cập hồ sơ cán bộ."
    ),
    (Kind.SYSTEM, "manage"): "Chỉ quản trị hệ thống được thay đổi danh mục và tài khoản.",
    **{
        (kind, action): "Chỉ cán bộ Ban Tổ chức được lưu trữ hoặc khôi phục."
        for kind in (Kind.CADRE, Kind.CONGRESS, Kind.NOMINEE_LIST, Kind.VETTING_CASE)
        for action in ("archive", "restore")
    },
    (Kind.UNIT, "archive"): "Chỉ Ban Tổ chức cấp trên được lưu trữ tổ chức đảng.",
    (Kind.UNIT, "restore"): "Chỉ Ban Tổ chức cấp trên được khôi phục tổ chức đảng.",
}
DEFAULT_DENIED = "Bạn không có quyền thực hiện thao tác này."


def actions(kind: Kind | str) -> dict[str, dict[Role, Reach]]:
    return POLICY[Kind(kind)]


def denied_message(kind: Kind | str, action: str) -> str:
    return DENIED.get((Kind(kind), action), DEFAULT_DENIED)


# ----------------------------------------------------------------------------------------
# Grants


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    unit_code: str
    unit_name: str
    path: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def grants_of(user) -> list[Grant]:
    """The user's role grants, cached on the user object for the request."""
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_congress_grants", None)
    if cached is not None:
        return cached
    # Plain values, not three model instances a row: every page asks this once.
    rows = (
        PartyUnitUserObjectPermission.objects.filter(
            user_id=user.pk, permission__codename__startswith=PERM_PREFIX
        )
        .order_by("content_object__path")
        .values_list(
            "permission__codename",
            "content_object_id",
            "content_object__code",
            "content_object__name",
            "content_object__path",
        )
    )
    result = []
    for codename, unit_id, code, name, path in rows:
        role = codename[len(PERM_PREFIX) :]
        if role in Role.values:
            result.append(Grant(role, unit_id, code, name, path))
    user._congress_grants = result
    return result


def forget_grants(user) -> None:
    """Drop the cached grants after a grant or revoke in the same request."""
    if hasattr(user, "_congress_grants"):
        del user._congress_grants


def roles_of(user) -> set[str]:
    return {g.role for g in grants_of(user)}


def needs_second_factor(user) -> bool:
    """Whether the user must present a TOTP code besides the password (when the setting
    `OTP_REQUIRED` is on): superusers, board staff and vetting officers, except the demo
    users while `OTP_EXEMPT_DEMO_USERS` is on (`make run`)."""
    if not user or not user.is_authenticated:
        return False
    if settings.OTP_EXEMPT_DEMO_USERS and user.get_username() in DEMO_USERNAMES:
        return False
    return user.is_superuser or bool(roles_of(user) & SECOND_FACTOR_ROLES)


# ----------------------------------------------------------------------------------------
# Reach, as a filter and in Python


def _reaches_for(kind: Kind | str, action: str) -> dict[Role, Reach]:
    try:
        return POLICY[Kind(kind)][action]
    except KeyError:
        raise KeyError(f"policy has no action {action!r} on {kind!r}") from None


def unit_q(user, kind: Kind | str, action: str, prefix: str = "") -> Q:
    """A filter on units (or on rows reaching a unit through `prefix`, e.g. "unit__")
    matching where the user may perform `action` on objects of `kind`."""
    reaches = _reaches_for(kind, action)
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for g in grants_of(user):
        reach = reaches.get(g.role)
        if reach is None:
            continue
        if reach is Reach.OWN:
            q |= Q(**{f"{prefix}pk": g.unit_id})
        elif reach is Reach.SUBTREE:
            q |= Q(**{f"{prefix}path__startswith": g.path})
        else:
            q |= Q(**{f"{prefix}path__startswith": g.path}) & ~Q(**{f"{prefix}pk": g.unit_id})
    return q


def allows(user, kind: Kind | str, action: str, unit: PartyUnit | None) -> bool:
    """The same test as `unit_q`, in Python, for one unit already loaded."""
    reaches = _reaches_for(kind, action)
    if user is None or not user.is_authenticated or unit is None:
        return False
    if user.is_superuser:
        return True
    for g in grants_of(user):
        reach = reaches.get(g.role)
        if reach is None:
            continue
        if reach is Reach.OWN and unit.pk == g.unit_id:
            return True
        if reach is Reach.SUBTREE and unit.path.startswith(g.path):
            return True
        if reach is Reach.BELOW and unit.path.startswith(g.path) and unit.pk != g.unit_id:
            return True
    return False


def any_reach(user, kind: Kind | str, action: str) -> bool:
    """Whether the user may perform `action` on objects of `kind` anywhere: for pages that
    list or create them, and for the menu."""
    reaches = _reaches_for(kind, action)
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or any(g.role in reaches for g in grants_of(user))


def _prefix(model: type[Model]) -> str:
    path = getattr(model, "scope_path", None)
    if path is None:
        raise TypeError(f"{model.__name__} has no scope_path: it cannot be scoped")
    return f"{path}__" if path else ""


def unit_of(obj: Model) -> PartyUnit | None:
    """The unit an object belongs to, following its model's `scope_path`."""
    for name in filter(None, type(obj).scope_path.split("__")):
        obj = getattr(obj, name)
        if obj is None:
            return None
    return obj


def scoped(user, kind: Kind | str, action: str, queryset: QuerySet) -> QuerySet:
    """`queryset` restricted to what the user may perform `action` on."""
    return queryset.filter(unit_q(user, kind, action, prefix=_prefix(queryset.model)))


def object_for(user, kind: Kind | str, action: str, queryset: QuerySet, **lookup: Any) -> Any:
    """One object for a view or a service: 404 when it lies outside what the user sees of
    this kind, 403 when the user sees it but may not perform `action` on it."""
    obj = scoped(user, kind, "view", queryset).filter(**lookup).first()
    if obj is None:
        raise Http404(MESSAGES[Kind(kind)])
    require(user, kind, action, obj)
    return obj


def require(user, kind: Kind | str, action: str, obj: Model | PartyUnit) -> None:
    """403 unless the user may perform `action` on this object (services call it again
    inside their transaction)."""
    unit = obj if isinstance(obj, PartyUnit) else unit_of(obj)
    if not allows(user, kind, action, unit):
        raise PermissionDenied(denied_message(kind, action))


# ----------------------------------------------------------------------------------------
# Views


def requires(kind: Kind | str, action: str, *, listing: bool = False) -> Callable:
    """Declare what a view does, for the permission matrix and for the reader.

    Every view carries it (with `login_required`). A `listing` view (no object in its URL:
    an index, a form that creates, a search) is refused with 403 when the user's grants
    give no reach for the action anywhere; an object view fetches its object with
    `object_for`, which answers 404 or 403 for that object.
    """
    kind = Kind(kind)
    _reaches_for(kind, action)  # an unknown action fails at import, not at request time

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if listing and not any_reach(request.user, kind, action):
                raise PermissionDenied(denied_message(kind, action))
            return view(request, *args, **kwargs)

        wrapper.policy = (kind, action, listing)
        return login_required(wrapper)

    return decorate


def open_view(view: Callable) -> Callable:
    """A page every signed-in user may open whatever their grants (their own notifications,
    the home page): it shows only what the policy lets them see."""
    wrapper = login_required(view)
    wrapper.policy = None
    return wrapper


def public_view(view: Callable) -> Callable:
    """A page anyone may open, signed in or not (the health probe): it shows no data."""
    view.policy = "public"
    return view
