"""Walk every URL pattern of the project, for each role, with the objects of another unit.

A URL must be listed below as taking another unit's objects (then it answers 404), as a
listing (then nothing of the other unit appears in it), or as public. A new view that is
not listed fails `test_every_url_is_in_the_matrix`, so the matrix cannot go stale.
"""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from congress.models import IssuedDocument, ReportJob
from congress.services import lists as svc
from personnel.models import PlanningEntry, PlanningList, Post, Term
from tests.congress.builders import congress_with_list, eligible_people
from tests.factories import CadreFactory, UserFactory
from vetting.models import VettingCase

ROLES = ["board_staff", "secretary", "vetting_officer", "viewer"]
SECRET_UNIT = "Đảng bộ xã Bình Minh"
SECRET_PERSON = "Người Ngoài Phạm Vi"

PUBLIC = {"login", "logout", "health"}

# url name -> kwargs built from the other unit's objects
OBJECT_URLS = {
    "personnel:unit_detail": lambda o: {"code": o["unit"].code},
    "personnel:cadre_detail": lambda o: {"pk": o["cadre"].pk},
    "lists:detail": lambda o: {"pk": o["list"].pk},
    "lists:findings": lambda o: {"pk": o["list"].pk},
    "lists:search": lambda o: {"pk": o["list"].pk},
    "lists:add": lambda o: {"pk": o["list"].pk},
    "lists:add_outgoing": lambda o: {"pk": o["list"].pk},
    "lists:transition": lambda o: {"pk": o["list"].pk, "action": "trinh"},
    "lists:justify": lambda o: {"pk": o["list"].pk},
    "lists:rounds": lambda o: {"pk": o["list"].pk},
    "lists:history": lambda o: {"pk": o["list"].pk},
    "lists:edition": lambda o: {"pk": o["list"].pk, "number": 1},
    "lists:update": lambda o: {"nominee_pk": o["nominee"].pk},
    "lists:remove": lambda o: {"nominee_pk": o["nominee"].pk},
    "lists:move": lambda o: {"nominee_pk": o["nominee"].pk},
    "vetting:case_detail": lambda o: {"pk": o["case"].pk},
    "vetting:item_record": lambda o: {"pk": o["case"].pk},
    "vetting:case_conclude": lambda o: {"pk": o["case"].pk},
    "vetting:read_log": lambda o: {"pk": o["case"].pk},
    "reports:job": lambda o: {"pk": o["job"].pk},
    "reports:job_status": lambda o: {"pk": o["job"].pk},
    "reports:download": lambda o: {"pk": o["job"].pk},
    "reports:verify": lambda o: {"code": o["document"].code},
    "planning:detail": lambda o: {"pk": o["plan"].pk},
    "planning:entry_add": lambda o: {"pk": o["plan"].pk},
    "planning:entry_remove": lambda o: {"pk": o["plan"].pk, "entry_pk": o["entry"].pk},
    "planning:entry_use": lambda o: {"pk": o["plan"].pk, "entry_pk": o["entry"].pk},
    "planning:justify": lambda o: {"pk": o["plan"].pk},
    "planning:submit": lambda o: {"pk": o["plan"].pk},
    "planning:return": lambda o: {"pk": o["plan"].pk},
    "planning:approve": lambda o: {"pk": o["plan"].pk},
    "planning:review": lambda o: {"pk": o["plan"].pk},
    "planning:review_confirm": lambda o: {"pk": o["plan"].pk},
    "planning:review_record": lambda o: {"pk": o["plan"].pk},
    "planning:history": lambda o: {"pk": o["plan"].pk},
}

# url name -> query or form data pointing at the other unit (may be empty)
LISTING_URLS = {
    "home": lambda o: {},
    "dashboard": lambda o: {},
    "personnel:unit_tree": lambda o: {"q": "Bình Minh"},
    "personnel:cadre_list": lambda o: {"q": "nguoi ngoai"},
    "lists:index": lambda o: {},
    "lists:notifications": lambda o: {},
    "lists:notifications_read": lambda o: {},
    "vetting:case_list": lambda o: {},
    "vetting:case_open": lambda o: {"cadre": o["cadre"].pk},
    "reports:home": lambda o: {},
    "reports:create": lambda o: {"unit": o["unit"].code, "kind": "nominee-list"},
    "reports:verify_form": lambda o: {"ma": o["document"].code},
    "planning:index": lambda o: {},
    "planning:create": lambda o: {"unit": o["unit"].pk, "term": o["term"].pk},
    "imports:upload": lambda o: {},
    "imports:confirm": lambda o: {},
    "imports:export": lambda o: {"unit": o["unit"].code},
}


def all_url_names():
    def walk(patterns, ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                yield from walk(p.url_patterns, p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}:{p.name}" if ns else p.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_is_in_the_matrix():
    missing = all_url_names() - set(OBJECT_URLS) - set(LISTING_URLS) - PUBLIC
    assert not missing, f"views without a scope test in the permission matrix: {sorted(missing)}"


@pytest.fixture
def other(province, commune, other_commune):
    """Everything that belongs to the other commune (X02), with recognisable names."""
    other_commune.name = SECRET_UNIT
    other_commune.save()
    nl = congress_with_list(other_commune, seats=3)
    cadre = CadreFactory(unit=other_commune, full_name=SECRET_PERSON, citizen_id="001099000001")
    people = eligible_people(other_commune, 3, congress=nl.body.congress)
    owner = UserFactory(username="chu_xa_khac")
    from tests.factories import grant

    grant(owner, "secretary", other_commune)
    board = UserFactory(username="btc_tinh")
    grant(board, "board_staff", province)
    nominee = svc.nominee_add(nominee_list=nl, cadre=cadre, user=board)
    for p in people:
        svc.nominee_add(nominee_list=nl, cadre=p, user=board)
    svc.nominee_list_submit(nominee_list=nl, user=board)
    case = VettingCase.objects.create(cadre=cadre, congress=nl.body.congress, conclusion="pending")
    job = ReportJob.objects.create(
        kind="nominee-list", user=owner, unit=other_commune, status="done"
    )
    document = IssuedDocument.objects.create(
        code="KHAC000001", kind="nominee-list", unit=other_commune, number=1, data_hash="0" * 64
    )
    term = Term.objects.get(code="2030-2035")
    plan = PlanningList.objects.create(unit=other_commune, term=term)
    entry = PlanningEntry.objects.create(
        planning_list=plan,
        cadre=cadre,
        post=Post.objects.get(code="secretary"),
        since=date(2025, 1, 1),
    )
    from congress.models import NomineeListEdition

    NomineeListEdition.objects.create(nominee_list=nl, edition=1, data={"nominees": []})
    return {
        "unit": other_commune, "cadre": cadre, "list": nl, "nominee": nominee, "case": case,
        "job": job, "document": document, "plan": plan, "entry": entry, "term": term,
    }  # fmt: skip


def _request(client, url, data=None):
    """GET, or POST when the view takes only POST: the answer to the method it serves."""
    resp = client.get(url, data or {})
    if resp.status_code == 405:
        resp = client.post(url, data or {})
    return resp


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_other_units_objects_answer_404_for_every_role(client, make_user, commune, other, role):
    client.force_login(make_user(role, commune))
    wrong = []
    for name, kwargs in OBJECT_URLS.items():
        url = reverse(name, kwargs=kwargs(other))
        resp = _request(client, url)
        if resp.status_code != 404:
            wrong.append(f"{name} {url} -> {resp.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_listings_never_show_the_other_unit(client, make_user, commune, other, role):
    client.force_login(make_user(role, commune))
    leaks = []
    for name, data in LISTING_URLS.items():
        resp = _request(client, reverse(name), data(other))
        if resp.status_code >= 500:
            leaks.append(f"{name} -> {resp.status_code}")
            continue
        if resp.get("Content-Type", "").startswith("text/html"):
            body = resp.content.decode()
            if SECRET_PERSON in body or SECRET_UNIT in body:
                leaks.append(f"{name} shows the other unit")
        elif resp.status_code == 200 and resp.content:
            # Exports: an xlsx of another unit must never be served.
            leaks.append(f"{name} served {resp.get('Content-Type')} for the other unit")
    assert not leaks, "\n".join(leaks)
    # And nothing was created or queued for the other unit on the way.
    assert not ReportJob.objects.filter(unit=other["unit"]).exclude(pk=other["job"].pk).exists()
    assert PlanningList.objects.filter(unit=other["unit"]).count() == 1
