"""The permission matrix, generated from the one policy table (`personnel.policy.POLICY`).

Every view of the project declares what it does with `@requires(kind, action)` (or says it
is open to every signed-in user, or public). For every URL pattern and every role, the test
puts an object of the view's kind on the role's own unit, on a unit below it and on another
unit, and checks the answer the policy table implies:

- outside what the role sees of that kind: 404;
- in sight, without the action there (a secretary approving, board staff approving their
  own unit's list, a viewer editing): 403;
- allowed: the view does its work. An empty form may be refused (400, 409, 422): that
  answer comes after the permission passed, so it counts as allowed; 403, 404, 405 and 5xx
  never do.

A view without a declaration, a declaration naming an action the table lacks, or a URL
argument the test cannot fill fails the suite, so a new view or a new action must be placed
in the table before it can ship.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from congress.models import (
    IssuedDocument,
    NominationRound,
    Nominee,
    NomineeListEdition,
    ReportJob,
)
from congress.services import lists as svc
from personnel.models import ImportJob, Post, Term
from personnel.policy import POLICY, Kind, Reach
from planning.models import PlanningEntry, PlanningList
from tests.congress.builders import congress_with_list, eligible_people
from tests.factories import CadreFactory, UnitFactory, UserFactory, grant
from vetting.models import VettingCase

ROLES = ["board_staff", "secretary", "vetting_officer", "viewer"]
SECRET_UNIT = "Đảng bộ xã Bình Minh"
SECRET_PERSON = "Người Ngoài Phạm Vi"

# Django's own pages (sign in and out); the admin has its own tests (tests/*/test_admin.py).
DJANGO_PAGES = {"login", "logout"}

# URL argument -> how to fill it from the objects of one unit, by the view's kind.
ARGUMENTS = {
    (Kind.UNIT, "code"): lambda o: o["unit"].code,
    (Kind.CADRE, "pk"): lambda o: o["cadre"].pk,
    (Kind.CONGRESS, "pk"): lambda o: o["list"].body.congress_id,
    (Kind.NOMINEE_LIST, "pk"): lambda o: o["list"].pk,
    (Kind.NOMINEE_LIST, "nominee_pk"): lambda o: o["nominee"].pk,
    # An edition of a list, or a step of its nomination rounds (both exist on every list).
    (Kind.NOMINEE_LIST, "number"): lambda o: 1,
    (Kind.PLANNING_LIST, "pk"): lambda o: o["plan"].pk,
    (Kind.PLANNING_LIST, "entry_pk"): lambda o: o["entry"].pk,
    (Kind.VETTING_CASE, "pk"): lambda o: o["case"].pk,
    (Kind.REPORT, "pk"): lambda o: o["job"].pk,
    (Kind.REPORT, "code"): lambda o: o["document"].code,
    (Kind.IMPORT, "pk"): lambda o: o["import_job"].pk,
}

# Views without an object in their path that name one in the query or the form: they are
# placed like object views.
QUERIES = {
    "vetting:case_open": lambda o: {"cadre": o["cadre"].pk},
    "reports:create": lambda o: {"unit": o["unit"].code, "kind": "nominee-list"},
    "planning:create": lambda o: {"unit": o["unit"].code, "term": o["term"].pk},
    "imports:export": lambda o: {"unit": o["unit"].code},
}

# Listings that answer with a file holding nobody's data (the blank import template).
OWNERLESS_FILES = {"health", "imports:template"}

# A listing's query that points at another unit's data (must show none of it).
LISTING_QUERIES = {
    "personnel:unit_tree": lambda o: {"q": "Bình Minh"},
    "personnel:cadre_list": lambda o: {"q": "nguoi ngoai"},
    "reports:verify_form": lambda o: {"ma": o["document"].code},
    **QUERIES,
}


def url_patterns():
    """(name, pattern) of every named URL of the project, the admin's excepted."""

    def walk(patterns, ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                yield from walk(p.url_patterns, p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name:
                yield (f"{ns}:{p.name}" if ns else p.name), p

    return dict(walk(get_resolver().url_patterns))


def declaration(pattern):
    return getattr(pattern.callback, "policy", "undeclared")


def test_every_view_declares_what_it_does_and_the_table_has_it():
    wrong = []
    for name, pattern in url_patterns().items():
        if name in DJANGO_PAGES:
            continue
        decl = declaration(pattern)
        if decl == "undeclared":
            wrong.append(f"{name}: no @requires / @open_view / @public_view")
        elif isinstance(decl, tuple):
            kind, action, _ = decl
            if action not in POLICY[kind]:
                wrong.append(f"{name}: action {action!r} is not in the policy for {kind}")
            for arg in pattern.pattern.converters:
                if (kind, arg) not in ARGUMENTS:
                    wrong.append(f"{name}: the matrix cannot fill <{arg}> of a {kind} view")
    assert not wrong, "\n".join(wrong)


def _in(reach: Reach | None, where: str) -> bool:
    """Whether a grant on the role's own unit reaches an object placed `where`."""
    if reach is None:
        return False
    return {
        Reach.OWN: where == "own",
        Reach.SUBTREE: where in ("own", "below"),
        Reach.BELOW: where == "below",
    }[reach]


def expected(role: str, kind: Kind, action: str, listing: bool, where: str | None) -> str:
    reaches = POLICY[kind][action]
    if listing and role not in reaches:
        return "403"
    if where is None:
        return "ok"
    if not _in(POLICY[kind]["view"].get(role), where):
        return "404"
    if not _in(reaches.get(role), where):
        return "403"
    return "ok"


def _objects(unit, user, tag: str) -> dict:
    """One of everything a view can be about, on `unit`; report jobs are `user`'s."""
    nl = congress_with_list(unit, seats=3)
    cadre = CadreFactory(unit=unit, full_name=f"Cán bộ {tag}")
    nominee = Nominee.objects.create(nominee_list=nl, cadre=cadre, order=1)
    NomineeListEdition.objects.create(nominee_list=nl, edition=1, data={"nominees": []})
    case = VettingCase.objects.create(cadre=cadre, term=nl.body.congress.term)
    NominationRound.objects.create(
        nominee_list=nl, step=1, held_on=date(2025, 3, 1), summoned=20, present=18
    )
    job = ReportJob.objects.create(
        kind="nominee-list", user=user, unit=unit, status="done", file_path=f"reports/{tag}.pdf",
        docx_path=f"reports/{tag}.docx",
    )  # fmt: skip
    document = IssuedDocument.objects.create(
        code=f"MA{tag.upper():0>8}"[:10], kind="nominee-list", unit=unit, number=1,
        data_hash="0" * 64,
    )  # fmt: skip
    term = Term.objects.get(code="2030-2035")
    plan = PlanningList.objects.create(unit=unit, term=term)
    entry = PlanningEntry.objects.create(
        planning_list=plan, cadre=cadre, post=Post.objects.get(code="secretary"),
        since=date(2025, 1, 1),
    )  # fmt: skip
    import_job = ImportJob.objects.create(
        kind="cadres", user=user, unit=unit, file_name="x.xlsx", token=f"matrix-{tag}",
        status="done",
    )  # fmt: skip
    return {
        "unit": unit, "cadre": cadre, "list": nl, "nominee": nominee, "case": case, "job": job,
        "document": document, "plan": plan, "entry": entry, "term": term,
        "import_job": import_job,
    }  # fmt: skip


def _request(client, url, data=None):
    """GET, or POST when the view takes only POST: the answer to the method it serves. Each
    request runs in a savepoint rolled back after it, so no request changes the next one's
    world (an approval, a removal)."""
    with transaction.atomic():
        resp = client.get(url, data or {})
        if resp.status_code == 405:
            resp = client.post(url, data or {})
        transaction.set_rollback(True)
    return resp


def _judge(resp, want: str) -> bool:
    code = resp.status_code
    if want == "ok":
        return code < 500 and code not in (403, 404, 405)
    return code == int(want)


@pytest.fixture
def world(settings, tmp_path, province, commune, other_commune, make_user, request):
    """A user with `role` on the commune; objects on the commune ("own"), on a grassroots
    unit under it ("below") and on another commune ("outside")."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "reports").mkdir()
    role = request.param
    user = make_user(role, commune)
    below = UnitFactory(code="CS09", name="Chi bộ Thôn Tây", level="grassroots", parent=commune)
    places = {"own": commune, "below": below, "outside": other_commune}
    objects = {}
    for where, unit in places.items():
        objects[where] = _objects(unit, user, where)
        (tmp_path / "reports" / f"{where}.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
        (tmp_path / "reports" / f"{where}.docx").write_bytes(b"PK\x03\x04")
    return role, user, objects


@pytest.mark.django_db
@pytest.mark.parametrize("world", ROLES, indirect=True)
def test_every_url_answers_as_the_policy_says_for_every_role(client, world):
    role, user, objects = world
    client.force_login(user)
    wrong = []
    checked = 0
    for name, pattern in url_patterns().items():
        decl = declaration(pattern)
        if name in DJANGO_PAGES or decl == "public":
            continue
        if decl is None:  # open to every signed-in user: their own data only
            resp = _request(client, reverse(name))
            checked += 1
            if not _judge(resp, "ok"):
                wrong.append(f"{name} -> {resp.status_code} (open view)")
            continue
        kind, action, listing = decl
        converters = pattern.pattern.converters
        placed = bool(converters) or name in QUERIES
        for where in ("own", "below", "outside") if placed else (None,):
            objs = objects[where] if where else objects["own"]
            kwargs = {arg: ARGUMENTS[(kind, arg)](objs) for arg in converters}
            data = QUERIES[name](objs) if name in QUERIES else {}
            resp = _request(client, reverse(name, kwargs=kwargs), data)
            want = expected(role, kind, action, listing, where)
            checked += 1
            if not _judge(resp, want):
                wrong.append(
                    f"{name} [{kind}.{action}] object {where}: {resp.status_code}, want {want}"
                )
    assert checked > 100
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.fixture
def other(province, commune, other_commune):
    """Everything that belongs to the other commune (X02), with recognisable names."""
    other_commune.name = SECRET_UNIT
    other_commune.save()
    nl = congress_with_list(other_commune, seats=3)
    cadre = CadreFactory(unit=other_commune, full_name=SECRET_PERSON, citizen_id="001099000001")
    people = eligible_people(other_commune, 3, congress=nl.body.congress)
    owner = UserFactory(username="chu_xa_khac")
    grant(owner, "secretary", other_commune)
    board = UserFactory(username="btc_tinh")
    grant(board, "board_staff", province)
    svc.nominee_add(nominee_list=nl, cadre=cadre, user=board)
    for p in people:
        svc.nominee_add(nominee_list=nl, cadre=p, user=board)
    svc.nominee_list_submit(nominee_list=nl, user=board)
    VettingCase.objects.create(cadre=cadre, term=nl.body.congress.term, conclusion="pending")
    job = ReportJob.objects.create(
        kind="nominee-list", user=owner, unit=other_commune, status="done"
    )
    document = IssuedDocument.objects.create(
        code="KHAC000001", kind="nominee-list", unit=other_commune, number=1, data_hash="0" * 64
    )
    term = Term.objects.get(code="2030-2035")
    PlanningList.objects.create(unit=other_commune, term=term)
    return {
        "unit": other_commune, "cadre": cadre, "list": nl, "job": job, "document": document,
        "term": term,
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_listings_never_show_the_other_unit(client, make_user, commune, other, role):
    client.force_login(make_user(role, commune))
    leaks = []
    for name, pattern in url_patterns().items():
        if name in DJANGO_PAGES or pattern.pattern.converters:
            continue
        data = LISTING_QUERIES[name](other) if name in LISTING_QUERIES else {}
        resp = _request(client, reverse(name), data)
        if resp.status_code >= 500:
            leaks.append(f"{name} -> {resp.status_code}")
            continue
        if resp.get("Content-Type", "").startswith("text/html"):
            body = resp.content.decode()
            if SECRET_PERSON in body or SECRET_UNIT in body:
                leaks.append(f"{name} shows the other unit")
        elif (
            name not in OWNERLESS_FILES
            and resp.status_code == 200
            and (resp.streaming or resp.content)
        ):
            # Exports: an xlsx of another unit must never be served.
            leaks.append(f"{name} served {resp.get('Content-Type')} for the other unit")
    assert not leaks, "\n".join(leaks)
    # And nothing was created or queued for the other unit on the way.
    assert not ReportJob.objects.filter(unit=other["unit"]).exclude(pk=other["job"].pk).exists()
    assert PlanningList.objects.filter(unit=other["unit"]).count() == 1
