"""The demo users, one per role, sharing one password (created only by `seed_demo`)."""

from __future__ import annotations

from dataclasses import dataclass

# username, role (None: superuser), where: "province" | "commune1" | "commune2" | "grassroots1"
DEMO_USERS: list[tuple[str, str | None, str]] = [
    ("bantochuc", "board_staff", "province"),
    ("bithu_xa", "secretary", "commune1"),
    ("bithu_coso", "secretary", "grassroots1"),
    ("bvct", "vetting_officer", "province"),
    ("xem", "viewer", "commune2"),
    ("admin", None, "province"),
]
DEMO_USERNAMES = [u for u, _, _ in DEMO_USERS]


def demo_username(username: str, province: int = 1) -> str:
    """The demo user's name in province `province`: the plain name in province 1 (the demo
    logins everyone knows), suffixed in the others ("bithu_xa_t02")."""
    return username if province == 1 else f"{username}_t{province:02d}"


def demo_users_query():
    """The demo users of every province (for the flush and the list of logins)."""
    from django.db.models import Q

    q = Q(username__in=DEMO_USERNAMES)
    for username in DEMO_USERNAMES:
        q |= Q(username__regex=rf"^{username}_t[0-9]{{2,}}$")
    return q


# Vietnamese names (last_name = family and middle names, first_name = given name) for the users
# who are not themselves a cadre of the registry.
STAFF_NAMES = {
    "bantochuc": ("Trần Thị", "Hồng Nhung"),
    "bvct": ("Lê Quang", "Vinh"),
    "xem": ("Phạm Minh", "Khoa"),
    "admin": ("Nguyễn Đức", "Quản"),
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str  # label
    unit: str


def seed_step(ctx) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from guardian.shortcuts import assign_perm

    from personnel.models import Cadre

    result = ctx.result
    commune1 = result.communes[0]
    commune2 = result.communes[1] if len(result.communes) > 1 else commune1
    grassroots1 = next(g for g in result.grassroots if g.parent_id == commune1.pk)
    units = {
        "province": result.province,
        "commune1": commune1,
        "commune2": commune2,
        "grassroots1": grassroots1,
    }
    User = get_user_model()  # noqa: N806
    hashed = make_password(ctx.password)  # hashed once: PBKDF2 is slow on purpose
    number = getattr(ctx, "province", 1)
    created = 0
    for base, role, where in DEMO_USERS:
        if role is None and number != 1:
            continue  # one superuser for the whole database
        username = demo_username(base, number)
        unit = units[where]
        last, first = STAFF_NAMES.get(base, ("", ""))
        if role == "secretary":  # the user is the unit's current secretary
            cadre_id = result.holder(unit, "secretary")
            if cadre_id is not None:
                name = Cadre.objects.get(pk=cadre_id).full_name
                last, _, first = name.rpartition(" ")
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@daihoi.example",
                "is_staff": role is None,
                "is_superuser": role is None,
                "is_active": True,
            },
        )
        user.password = hashed
        user.save(update_fields=["password"])
        if role:
            assign_perm(f"personnel.role_{role}", user, unit)
        ctx.users[username] = user
        created += 1
    ctx.count("users", created)


def demo_logins() -> list[DemoLogin]:
    """The demo users found in the database, with their roles and units."""
    from django.contrib.auth import get_user_model

    from personnel.models import PartyUnitUserObjectPermission, Role

    users = {u.username: u for u in get_user_model().objects.filter(demo_users_query())}
    out = []
    for username in sorted(users, key=_login_order):
        user = users[username]
        if user is None:
            continue
        full_name = f"{user.last_name} {user.first_name}".strip()
        grants = (
            PartyUnitUserObjectPermission.objects.filter(
                user=user, permission__codename__startswith="role_"
            )
            .select_related("permission", "content_object")
            .order_by("content_object__path")
        )
        for grant in grants:
            role = grant.permission.codename.removeprefix("role_")
            label = Role(role).label if role in Role.values else role
            out.append(DemoLogin(username, full_name, label, str(grant.content_object)))
        if user.is_superuser:
            out.append(DemoLogin(username, full_name, "Quản trị hệ thống", "toàn hệ thống"))
    return out


def _login_order(username: str) -> tuple[int, int]:
    """Province 1's users first, in the table's order, then those of the next provinces."""
    order = {name: i for i, name in enumerate(DEMO_USERNAMES)}
    if username in order:
        return 1, order[username]
    base, _, number = username.rpartition("_t")
    return int(number), order[base]
