"""`seed_demo` / `demo_logins`: shape, determinism and the demo accounts of the synthetic data."""

import re
import unicodedata
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from personnel.demo import DEMO_PASSWORD
from personnel.demo.registry import add_years
from personnel.models import (
    Cadre,
    CommitteeMembership,
    FamilyRelation,
    PartyUnit,
    PartyUnitUserObjectPermission,
    Rating,
    Tenure,
)

pytestmark = pytest.mark.django_db


def seed(*args, **kwargs) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def tiny(db):
    return seed("--scale", "tiny")


def test_tiny_tree_shape(tiny):
    roots = list(PartyUnit.objects.filter(parent=None))
    assert [r.code for r in roots] == ["T01"]
    assert roots[0].level == "province"
    units = {u.pk: u for u in PartyUnit.objects.all()}
    communes = [u for u in units.values() if u.level == "commune" and u.is_active]
    grassroots = [u for u in units.values() if u.level == "grassroots"]
    cells = [u for u in units.values() if u.level == "cell"]
    assert len(communes) == 2
    assert 8 <= len(grassroots) <= 12
    assert len(cells) >= 2
    for unit in units.values():
        expected = (units[unit.parent_id].path if unit.parent_id else "/") + f"{unit.pk}/"
        assert unit.path == expected
        assert unit.depth == expected.count("/") - 2
    # The 2025 merger: a commune formed from 3 dissolved former communes under a former district.
    merged = [c for c in communes if c.predecessors.exists()]
    assert len(merged) == 1
    formers = list(merged[0].predecessors.all())
    assert 2 <= len(formers) <= 3
    assert all(not f.is_active and f.dissolved_on == date(2025, 7, 1) for f in formers)
    district = PartyUnit.objects.get(level="district")
    assert not district.is_active and district.dissolved_on == date(2025, 7, 1)
    assert {f.parent_id for f in formers} == {district.pk}


def test_tiny_cadres(tiny):
    cadres = list(Cadre.objects.select_related("unit"))
    assert len(cadres) >= 150
    tree_ids = set(PartyUnit.objects.values_list("pk", flat=True))
    assert all(c.unit_id in tree_ids and c.unit.is_active for c in cadres)
    assert all(unicodedata.is_normalized("NFC", c.full_name) for c in cadres)
    assert all(len(c.full_name.split()) >= 3 for c in cadres)
    cccds = [c.citizen_id for c in cadres]
    assert all(re.fullmatch(r"\d{12}", x) for x in cccds)
    assert len(set(cccds)) == len(cccds)
    codes = [c.code for c in cadres]
    assert all(re.fullmatch(r"CB\d{6}", x) for x in codes) and len(set(codes)) == len(codes)
    for c in cadres:
        assert c.party_entry_date >= add_years(c.birth_date, 18)
        assert c.party_confirmed_date == add_years(c.party_entry_date, 1)
        assert c.sort_key and c.search_name
        c.full_clean(exclude=["unit"])
    women = sum(c.sex == "female" for c in cadres) / len(cadres)
    assert 0.15 <= women <= 0.45
    surnames = [c.full_name.split()[0] for c in cadres]
    assert surnames.count("Nguyễn") / len(surnames) > 0.2
    assert any(c.ethnicity != "Kinh" for c in cadres)


def test_tiny_tenures_memberships_ratings_relations(tiny):
    years = set(Tenure.objects.values_list("start__year", flat=True))
    assert {2010, 2015, 2020, 2025} <= years
    for post in ("secretary", "deputy_secretary", "people_committee_chair", "standing_member"):
        assert Tenure.objects.filter(post__code=post).exists(), post
    assert Tenure.objects.filter(post__code="member").exists()
    # At least one secretary held the post continuously for 8 years or more (term-limit case).
    long_held = False
    for unit in PartyUnit.objects.filter(is_active=True):
        current = Tenure.objects.filter(unit=unit, post__code="secretary", end=None).first()
        if not current:
            continue
        start = current.start
        for t in Tenure.objects.filter(
            unit=unit, post__code="secretary", cadre=current.cadre
        ).order_by("-start"):
            if t.end and (start - t.end).days <= 31:
                start = t.start
        long_held |= start <= date(2017, 7, 1)
    assert long_held
    # Memberships of both terms for every unit with a committee.
    province = PartyUnit.objects.get(code="T01")
    for term in ("2020-2025", "2025-2030"):
        ex = CommitteeMembership.objects.filter(unit=province, term__code=term, body="executive")
        st = CommitteeMembership.objects.filter(unit=province, term__code=term, body="standing")
        assert 40 <= ex.count() <= 50
        assert 13 <= st.count() <= 15
        for commune in PartyUnit.objects.filter(level="commune", is_active=True):
            n = CommitteeMembership.objects.filter(
                unit=commune, term__code=term, body="executive"
            ).count()
            assert 15 <= n <= 33
    grassroots_bodies = CommitteeMembership.objects.filter(
        unit__level="grassroots", term__code="2025-2030", body="executive"
    )
    assert grassroots_bodies.exists()
    # Ratings every year, 2025 points consistent with the level.
    assert set(Rating.objects.values_list("year", flat=True)) == set(range(2020, 2026))
    assert Rating.objects.count() == Cadre.objects.count() * 6
    bands = {"excellent": (90, 100), "good": (70, 89), "done": (50, 69), "not_done": (0, 49)}
    for r in Rating.objects.filter(year=2025):
        lo, hi = bands[r.level]
        assert lo <= r.points <= hi
    assert not Rating.objects.filter(year__lt=2025, points__isnull=False).exists()
    # Relations: between cadres (both ways) and outside relatives with posts.
    assert FamilyRelation.objects.filter(relative__isnull=False).exists()
    assert FamilyRelation.objects.exclude(relative_posts=[]).exists()
    # The secretary of commune 1 has a sibling who is the commune police chief.
    commune1 = PartyUnit.objects.get(code="X001")
    sec = Tenure.objects.get(unit=commune1, post__code="secretary", end=None).cadre
    police = Tenure.objects.get(unit=commune1, post__code="sector:police", end=None).cadre
    assert FamilyRelation.objects.filter(cadre=sec, relative=police, relation="sibling").exists()
    assert sec.full_name.split()[0] == police.full_name.split()[0]


def test_demo_users_and_grants(tiny):
    user_model = get_user_model()
    admin = user_model.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    expected = {
        "bantochuc": ("board_staff", "T01"),
        "bithu_xa": ("secretary", "X001"),
        "bithu_coso": ("secretary", "X001.CS01"),
        "bvct": ("vetting_officer", "T01"),
        "xem": ("viewer", "X002"),
    }
    for username, (role, code) in expected.items():
        user = user_model.objects.get(username=username)
        assert user.password == admin.password  # one shared password, hashed once
        assert user.first_name and user.last_name
        grants = PartyUnitUserObjectPermission.objects.filter(user=user)
        assert [(g.permission.codename, g.content_object.code) for g in grants] == [
            (f"role_{role}", code)
        ]
        assert user.has_perm(f"personnel.role_{role}", PartyUnit.objects.get(code=code))
    # The secretary users are the units' current secretaries.
    bithu_xa = user_model.objects.get(username="bithu_xa")
    sec = Tenure.objects.get(unit__code="X001", post__code="secretary", end=None).cadre
    assert f"{bithu_xa.last_name} {bithu_xa.first_name}" == sec.full_name
    assert DEMO_PASSWORD in tiny


def test_if_empty_and_refusal(tiny):
    units, cadres = PartyUnit.objects.count(), Cadre.objects.count()
    out = seed("--scale", "tiny", "--if-empty")
    assert "bỏ qua" in out
    assert (PartyUnit.objects.count(), Cadre.objects.count()) == (units, cadres)
    with pytest.raises(CommandError, match="--flush"):
        seed("--scale", "tiny")
    seed("--scale", "tiny", "--flush", "--seed", "7")
    assert get_user_model().objects.filter(username="bithu_xa").count() == 1
    assert PartyUnit.objects.filter(parent=None).count() == 1


def test_refusal_exits_non_zero(tiny, capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "seed_demo", "--scale", "tiny"]).execute()
    assert exc.value.code != 0


def _people():
    return list(Cadre.objects.order_by("code").values_list("full_name", "birth_date"))


def test_deterministic(db):
    seed("--scale", "tiny", "--seed", "11")
    first = _people()
    seed("--scale", "tiny", "--seed", "11", "--flush")
    assert _people() == first
    seed("--scale", "tiny", "--seed", "12", "--flush")
    assert _people() != first


def test_demo_logins(db):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "Chưa có dữ liệu mẫu" in out.getvalue()
    seed("--scale", "tiny")
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for username in ("bantochuc", "bithu_xa", "bithu_coso", "bvct", "xem", "admin"):
        assert username in text
    assert "Bí thư" in text and "Người xem" in text


def test_district_scale_smoke(db):
    seed("--scale", "district")
    assert 50 <= PartyUnit.objects.count() <= 75
    assert 2800 <= Cadre.objects.count() <= 3600


def test_flush_wipes_the_append_only_logs_of_a_demo_database(tiny):
    """The one sanctioned deletion of audit and access rows: `seed_demo --flush` of a demo
    database (on PostgreSQL the append-only triggers are lifted for its transaction only)."""
    from personnel.models import AuditLog, DossierAccess
    from personnel.services.audit import audit

    unit = PartyUnit.objects.get(parent=None)
    cadre = Cadre.objects.first()
    audit(actor=None, action="test.before_flush", obj=unit, unit=unit)
    DossierAccess.objects.create(kind="page", cadre=cadre, unit=cadre.unit)
    seed("--scale", "tiny", "--flush", "--seed", "7")
    assert not AuditLog.objects.filter(action="test.before_flush").exists()
    assert not DossierAccess.objects.exists()
    from django.db import DatabaseError, connection, models, transaction

    if connection.vendor == "postgresql":  # the database's guard is back after the flush
        root = PartyUnit.objects.get(parent=None)
        audit(actor=None, action="test.after_flush", obj=root, unit=root)
        with pytest.raises(DatabaseError), transaction.atomic():
            models.QuerySet(model=AuditLog).filter(action="test.after_flush").delete()


def test_two_provinces_are_disjoint_trees_with_their_own_codes_and_users(tiny):
    """`--province 2` adds a second province beside the first (`make bench-scale` seeds
    several): its own tree, unit and cadre codes, identity numbers and demo logins, while
    province 1 keeps the codes the demo logins and the tests rely on."""
    first = {c.pk for c in Cadre.objects.all()}
    seed("--scale", "tiny", "--province", "2")
    roots = list(PartyUnit.objects.filter(parent=None, level="province").order_by("code"))
    assert [r.code for r in roots] == ["T01", "T02"]
    assert roots[0].name != roots[1].name
    trees = [set(PartyUnit.objects.filter(path__startswith=r.path)) for r in roots]
    assert not trees[0] & trees[1]
    assert trees[0] | trees[1] == set(PartyUnit.objects.all())
    assert all(u.code.startswith("T02") for u in trees[1])
    assert PartyUnit.objects.filter(code="X001", path__startswith=roots[0].path).exists()

    cadres = list(Cadre.objects.select_related("unit"))
    assert len({c.code for c in cadres}) == len(cadres)
    assert len({c.citizen_id for c in cadres}) == len(cadres)
    second = [c for c in cadres if c.pk not in first]
    assert second and all(c.unit.path.startswith(roots[1].path) for c in second)
    assert all(re.fullmatch(r"CB02\d{6}", c.code) for c in second)
    assert all(re.fullmatch(r"CB\d{6}", c.code) for c in cadres if c.pk in first)

    # Province 2's logins are its own, granted on its own units; the superuser stays one.
    grants = {
        g.user.username: g.content_object.code
        for g in PartyUnitUserObjectPermission.objects.select_related("user")
    }
    assert grants["bithu_xa"] == "X001" and grants["bithu_xa_t02"] == "T02.X001"
    assert grants["bantochuc_t02"] == "T02"
    assert not get_user_model().objects.filter(username="admin_t02").exists()
    with pytest.raises(CommandError, match="T02"):
        seed("--scale", "tiny", "--province", "2")
    seed("--scale", "tiny", "--flush")  # the flush takes every province's users with it
    assert not get_user_model().objects.filter(username__endswith="_t02").exists()
    assert list(PartyUnit.objects.filter(parent=None).values_list("code", flat=True)) == ["T01"]


def test_copy_writes_what_bulk_create_writes(db):
    """The seed's COPY path (PostgreSQL) and its `bulk_create` fallback store the same rows,
    text with tabs, newlines and backslashes and NULL dates included."""
    from django.db import connection

    from personnel.demo.registry import _copy
    from personnel.models import WorkHistory
    from tests.factories import CadreFactory

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    cadre = CadreFactory()
    fields = ("cadre_id", "start", "end", "description")
    texts = ["Bí thư\tchi bộ", "dòng 1\ndòng 2\r", "C:\\đường\\N", "\\N", ""]
    rows = [(cadre.pk, date(2000 + i, 1, 1), None if i % 2 else date(2001 + i, 1, 1), t)
            for i, t in enumerate(texts)]  # fmt: skip
    stored = []
    for copy in (True, False):
        assert _copy(WorkHistory, fields, rows, copy=copy) == len(rows)
        stored.append(list(WorkHistory.objects.order_by("pk").values_list(*fields[1:])))
        WorkHistory.objects.all().delete()
    assert stored[0] == stored[1] == [row[1:] for row in rows]
