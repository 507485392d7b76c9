"""The write-scope matrix, generated from the one policy table: every URL that writes is
posted, with data that would succeed, by every role, on an object of the role's own unit, of
a unit below it and of another unit.

Where the policy refuses (`test_permission_matrix.expected`), the answer is 403 or 404 and
nothing is written: no audit row, no document job. Where it allows, the request is not
refused, and for the writes marked `MUST_WRITE` the audit trail shows the change was made.
Each request runs in a savepoint rolled back after it. A new view that writes fails the test
until it has its row in `WRITES`.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from congress.models import FindingJustification, Nominee, NomineeList, ReportJob
from congress.services import lists as svc
from personnel.models import AuditLog, Cadre, FamilyRelation, PartyUnit, Post
from personnel.services.archive import archive
from tests.factories import CadreFactory, UnitFactory
from tests.security.test_permission_matrix import (
    ARGUMENTS,
    QUERIES,
    _objects,
    declaration,
    expected,
    url_patterns,
)

ROLES = ["board_staff", "secretary", "vetting_officer", "viewer"]
READ_ACTIONS = {"view", "view_items", "view_access_log", "export"}
# Declared with a write action but only read (a search, the archive page's listing).
READS_ONLY = {"lists:search", "personnel:archive_index", "imports:template"}
# Imports are posted as files and act on the uploader's own pending job: their scope is
# checked row by row in tests/personnel/test_import_*.py, and the permission matrix places
# the jobs inside and outside each role's reach.
NOT_HERE = {
    "imports:upload",
    "imports:confirm",
    "imports:job",
    "imports:save_preset",
    "imports:cancel",
}


def _root():
    return get_user_model().objects.get(username="goc_ma_tran")


def _extra_cadre(o):
    return CadreFactory(unit=o["unit"], full_name="Người Được Thêm")


def _submitted(o):
    NomineeList.objects.filter(pk=o["list"].pk).update(state="submitted")


def _approved(o):
    NomineeList.objects.filter(pk=o["list"].pk).update(state="approved")


def _a_finding(o):
    finding = next(
        f for f in svc.evaluate_list(o["list"])["findings"] if f["code"] not in svc.UNJUSTIFIABLE
    )
    return {"code": finding["code"], "people_key": finding["people_key"], "text": "Giải trình"}


def _family_conflict(o):
    """A married couple proposed for secretary and deputy, the unit's justification written:
    what the level above records its exception on."""
    nl, a = o["list"], o["cadre"]
    b = CadreFactory(unit=o["unit"], full_name="Người Phối Ngẫu")
    FamilyRelation.objects.create(cadre=a, relation="spouse", relative=b)
    Nominee.objects.filter(nominee_list=nl, cadre=a).update(proposed_posts=["secretary"])
    Nominee.objects.create(nominee_list=nl, cadre=b, order=2, proposed_posts=["deputy_secretary"])
    key = next(
        f["people_key"] for f in svc.evaluate_list(nl)["findings"] if f["code"] == "FAMILY_CONFLICT"
    )
    FindingJustification.objects.create(
        nominee_list=nl,
        code="FAMILY_CONFLICT",
        people_key=key,
        text="Đề nghị cho phép",
        created_by=_root(),
    )
    return {
        "code": "FAMILY_CONFLICT",
        "people_key": key,
        "approved_by_body": "Ban Thường vụ Tỉnh ủy",
        "approval_document": "15-CV/TU",
        "approval_date": "01/06/2025",
    }


def _second_nominee(o):
    Nominee.objects.create(nominee_list=o["list"], cadre=_extra_cadre(o), order=2)
    return {"direction": "down"}


def _archived(key):
    def prepare(o):
        archive(obj=o[key], user=_root(), reason="Chuẩn bị ma trận")
        return {}

    return prepare


def _archived_congress(o):
    archive(obj=o["list"].body.congress, user=_root(), reason="Chuẩn bị ma trận")
    return {}


def _archived_unit(o):
    PartyUnit.objects.filter(pk=o["unit"].pk).update(archived_at=timezone.now())
    return {}


def _planning_submitted(o):
    type(o["plan"]).objects.filter(pk=o["plan"].pk).update(state="submitted")


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


# name -> (prepare(o) -> POST body, query(o) -> GET arguments or None). The prepare step runs
# in the request's savepoint, as a superuser where it needs a user.
WRITES = {
    "personnel:unit_archive": lambda o: {"reason": "Sáp nhập"},
    "personnel:unit_restore": _archived_unit,
    "personnel:cadre_archive": lambda o: {"reason": "Nhập trùng"},
    "personnel:cadre_restore": _archived("cadre"),
    "lists:add": lambda o: {"cadre": _extra_cadre(o).pk},
    "lists:add_many": lambda o: {"cadre": [_extra_cadre(o).pk]},
    "lists:add_outgoing": lambda o: {},
    "lists:submit": lambda o: {},
    "lists:return": lambda o: (_submitted(o), {"remark": "Bổ sung cán bộ nữ"})[1],
    "lists:approve": lambda o: (_submitted(o), {})[1],
    "lists:lock": lambda o: (_approved(o), {})[1],
    "lists:reopen": lambda o: (_approved(o), {"remark": "Thay đổi nhân sự"})[1],
    "lists:justify": _a_finding,
    "lists:exception": _family_conflict,
    "lists:round_record": lambda o: {
        "step": o["list"].rounds.count() + 1,
        "held_on": _today(),
        "summoned": 20,
        f"votes_{o['cadre'].pk}": 12,
    },
    "lists:round_minutes": lambda o: {"place": "Hội trường Đảng ủy", "present": 18},
    "lists:update": lambda o: {"posts": ["member"], "notes": "Ghi chú mới"},
    "lists:remove": lambda o: {},
    "lists:move": _second_nominee,
    "lists:archive": lambda o: {"reason": "Lập nhầm"},
    "lists:restore": _archived("list"),
    "lists:congress_archive": lambda o: {"reason": "Hoãn đại hội"},
    "lists:congress_restore": _archived_congress,
    "vetting:case_open": lambda o: {"term": ""},
    "vetting:item_record": lambda o: {
        "kind": "political_history",
        "finding": "Không có vấn đề",
    },
    "vetting:case_conclude": lambda o: {
        "conclusion": "eligible",
        "concluded_on": "01/03/2025",
        "concluding_body": "Ban Thường vụ",
        "document_number": "1-KL/TU",
    },
    "vetting:case_archive": lambda o: {"reason": "Mở nhầm"},
    "vetting:case_restore": _archived("case"),
    "reports:create": lambda o: {
        "unit": o["unit"].code,
        "kind": "nominee-list",
        "term": "2025-2030",
    },
    "planning:create": lambda o: {"unit": o["unit"].code, "term": o["term"].pk},
    "planning:entry_add": lambda o: {
        "cadre": o["cadre"].pk,
        "post": Post.objects.get(code="deputy_secretary").pk,
        "since": "01/01/2025",
    },
    "planning:entry_remove": lambda o: {"reason": "other", "on": _today(), "note": "Ghi chú"},
    "planning:entry_use": lambda o: {},
    "planning:justify": lambda o: {
        "code": "PLAN_AGE",
        "people_key": str(o["cadre"].pk),
        "text": "x",
    },
    "planning:submit": lambda o: {},
    "planning:return": lambda o: (_planning_submitted(o), {"remark": "Bổ sung"})[1],
    "planning:approve": lambda o: (
        _planning_submitted(o),
        {"decision_number": "12-QĐ/TU", "decision_date": "01/10/2026"},
    )[1],
    "planning:review_confirm": lambda o: {},
    "planning:review_record": lambda o: {},
}

# The writes whose data above succeeds for an allowed user: the audit trail must show them.
MUST_WRITE = {
    "personnel:unit_restore",
    "personnel:cadre_archive",
    "personnel:cadre_restore",
    "lists:add",
    "lists:add_many",
    "lists:submit",
    "lists:return",
    "lists:lock",
    "lists:reopen",
    "lists:justify",
    "lists:exception",
    "lists:round_record",
    "lists:round_minutes",
    "lists:update",
    "lists:remove",
    "lists:move",
    "lists:archive",
    "lists:restore",
    "lists:congress_archive",
    "lists:congress_restore",
    "vetting:case_open",
    "vetting:item_record",
    "vetting:case_conclude",
    "vetting:case_archive",
    "vetting:case_restore",
    "reports:create",
    "planning:entry_add",
    "planning:entry_remove",
    "planning:return",
}


def write_urls() -> dict:
    out = {}
    for name, pattern in url_patterns().items():
        decl = declaration(pattern)
        if not isinstance(decl, tuple) or name in READS_ONLY or name in NOT_HERE:
            continue
        if decl[1] not in READ_ACTIONS:
            out[name] = (pattern, decl)
    return out


def test_every_write_url_is_in_the_matrix():
    missing = sorted(set(write_urls()) - set(WRITES))
    assert not missing, f"write views without a row in WRITES: {missing}"
    assert MUST_WRITE <= set(WRITES)


def _writes() -> int:
    return AuditLog.objects.count() + ReportJob.objects.count()


@pytest.fixture
def world(settings, tmp_path, province, commune, other_commune, make_user, request):
    settings.MEDIA_ROOT = tmp_path
    role = request.param
    user = make_user(role, commune)
    get_user_model().objects.create_superuser("goc_ma_tran", password="x")
    below = UnitFactory(code="CS09", name="Chi bộ Thôn Tây", level="grassroots", parent=commune)
    places = {"own": commune, "below": below, "outside": other_commune}
    objects = {where: _objects(unit, user, where) for where, unit in places.items()}
    return role, user, objects


@pytest.mark.django_db
@pytest.mark.parametrize("world", ROLES, indirect=True)
def test_every_write_is_refused_outside_the_policy_and_writes_nothing(client, world):
    role, user, objects = world
    client.force_login(user)
    wrong = []
    checked = 0
    for name, (pattern, (kind, action, listing)) in write_urls().items():
        converters = pattern.pattern.converters
        for where in ("own", "below", "outside"):
            o = objects[where]
            kwargs = {arg: ARGUMENTS[(kind, arg)](o) for arg in converters}
            url = reverse(name, kwargs=kwargs)
            if name in QUERIES and name != "reports:create" and name != "planning:create":
                url += "?" + urlencode(QUERIES[name](o))
            want = expected(role, kind, action, listing, where)
            with transaction.atomic():
                body = WRITES[name](o)
                before = _writes()
                resp = client.post(url, body)
                written = _writes() - before
                transaction.set_rollback(True)
            checked += 1
            code = resp.status_code
            if want != "ok":
                if code not in (403, 404) or written:
                    wrong.append(f"{name} {where}: {code}, {written} rows written; want {want}")
            elif code >= 500 or code in (403, 404, 405):
                wrong.append(f"{name} {where}: {code}, want the write to go through")
            elif name in MUST_WRITE and not written:
                wrong.append(f"{name} {where}: {code} but nothing was written")
    assert checked > 90
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_refused_writes_leave_the_objects_as_they_were(client, make_user, commune, other_commune):
    """The matrix counts rows; this checks the rows themselves for the issue's cases."""
    owner = make_user("secretary", other_commune)
    o = _objects(other_commune, owner, "khac")
    client.force_login(make_user("secretary", commune))
    nl, cadre = o["list"], o["cadre"]
    client.post(reverse("lists:add", args=[nl.pk]), {"cadre": CadreFactory(unit=commune).pk})
    client.post(reverse("lists:justify", args=[nl.pk]), {"code": "X_TEST", "text": "x"})
    client.post(reverse("personnel:cadre_archive", args=[cadre.pk]), {"reason": "x"})
    assert nl.nominees.count() == 1 and not nl.justifications.exists()
    assert not Cadre.objects.get(pk=cadre.pk).is_archived
    assert NomineeList.objects.get(pk=nl.pk).state == "draft"
