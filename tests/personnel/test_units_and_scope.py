import pytest
from django.core.exceptions import ValidationError

from personnel.models import Cadre, PartyUnit
from personnel.selectors import cadre_search, cadres_visible_to, units_visible_to
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_path_makes_the_subtree_one_prefix_query(province, commune, grassroots):
    cell = UnitFactory(code="CB01", level="cell", parent=grassroots)
    assert cell.path == f"/{province.pk}/{commune.pk}/{grassroots.pk}/{cell.pk}/"
    assert cell.depth == 3
    assert set(commune.subtree()) == {commune, grassroots, cell}
    assert list(cell.ancestors()) == [province, commune, grassroots, cell]


def test_moving_a_unit_rewrites_its_subtree(province, commune, other_commune, grassroots):
    cell = UnitFactory(code="CB01", level="cell", parent=grassroots)
    grassroots.parent = other_commune
    grassroots.save()
    cell.refresh_from_db()
    assert cell.path.startswith(other_commune.path)
    assert not commune.subtree().filter(pk=cell.pk).exists()


def test_unit_cannot_be_its_own_ancestor(commune, grassroots):
    commune.parent = grassroots
    with pytest.raises(ValidationError):
        commune.full_clean()


def test_predecessors_remember_merged_units(province):
    old_a = UnitFactory(level="commune", parent=province, is_active=False)
    old_b = UnitFactory(level="commune", parent=province, is_active=False)
    new = UnitFactory(level="commune", parent=province)
    new.predecessors.add(old_a, old_b)
    assert new.formed_from == 2
    assert set(old_a.successors.all()) == {new}


def test_cadre_name_is_stored_nfc_with_single_spaces(commune):
    c = CadreFactory(full_name="Nguye\u0302\u0303n   Va\u0306n  An", unit=commune)
    c.refresh_from_db()
    assert c.full_name == "Nguyễn Văn An"
    assert c.search_name == "nguyen van an"


def test_cadre_validation_refuses_bad_cccd_and_early_party_entry(commune):
    from datetime import date

    c = Cadre(full_name="Lê Văn Tám", birth_date=date(1990, 1, 1), sex="male", unit=commune)
    c.citizen_id = "12345"
    c.party_entry_date = date(2007, 6, 1)
    with pytest.raises(ValidationError) as exc:
        c.full_clean()
    assert "citizen_id" in exc.value.message_dict
    assert "party_entry_date" in exc.value.message_dict


def test_cccd_is_unique_when_present(commune):
    from django.db import IntegrityError

    CadreFactory(unit=commune, citizen_id="001080000001")
    CadreFactory(unit=commune, citizen_id=None)
    CadreFactory(unit=commune, citizen_id=None)
    with pytest.raises(IntegrityError):
        CadreFactory(unit=commune, citizen_id="001080000001")


def test_board_staff_reach_the_subtree_only(
    make_user, province, commune, other_commune, grassroots
):
    staff = make_user("board_staff", commune)
    codes = set(units_visible_to(staff).values_list("code", flat=True))
    assert codes == {"X01", "CS01"}


def test_secretary_reaches_own_unit_only(make_user, commune, grassroots):
    sec = make_user("secretary", commune)
    assert set(units_visible_to(sec).values_list("code", flat=True)) == {"X01"}


def test_user_without_grant_sees_nothing(make_user, commune):
    CadreFactory(unit=commune)
    nobody = make_user()
    assert not units_visible_to(nobody).exists()
    assert not cadres_visible_to(nobody).exists()


def test_cadres_outside_scope_are_invisible(make_user, commune, other_commune):
    mine = CadreFactory(unit=commune)
    CadreFactory(unit=other_commune)
    viewer = make_user("viewer", commune)
    assert list(cadres_visible_to(viewer)) == [mine]


def test_accent_insensitive_search_finds_the_cadre(commune):
    target = CadreFactory(full_name="Nguyễn Văn An", unit=commune, citizen_id="001080000009")
    CadreFactory(full_name="Trần Thị Bình", unit=commune)
    qs = Cadre.objects.all()
    assert list(cadre_search(qs, "nguyen van an")) == [target]
    assert list(cadre_search(qs, "NGUYỄN văn")) == [target]
    assert list(cadre_search(qs, "001080000009")) == [target]
    # A CCCD is matched whole: a prefix would let a user probe the numbers digit by digit.
    assert list(cadre_search(qs, "00108000000")) == []


def test_cadres_are_listed_in_vietnamese_order(commune):
    for name in ["Lê Ân", "Phạm Ánh", "Trần Anh", "Vũ An", "Hoàng Đạt", "Vũ Dũng"]:
        CadreFactory(full_name=name, unit=commune)
    names = list(Cadre.objects.values_list("full_name", flat=True))
    assert names == ["Vũ An", "Trần Anh", "Phạm Ánh", "Lê Ân", "Vũ Dũng", "Hoàng Đạt"]


def test_unit_levels_are_labelled_in_vietnamese():
    assert dict(PartyUnit._meta.get_field("level").choices)["grassroots"] == "Cơ sở"
