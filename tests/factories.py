"""factory_boy factories shared by the test packages."""

from datetime import date

import factory
from django.contrib.auth import get_user_model
from guardian.shortcuts import assign_perm

from personnel import models


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PartyUnit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Đảng bộ xã số {n}")
    level = models.Level.COMMUNE
    parent = None


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Cadre

    full_name = factory.Iterator(
        ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]
    )
    birth_date = date(1980, 5, 14)
    sex = factory.Iterator([models.Sex.MALE, models.Sex.FEMALE])
    unit = factory.SubFactory(UnitFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("mat-khau-thu-nghiem")


def grant(user, role: str, unit) -> None:
    """Give `user` the role on `unit` (and, for all but secretaries, its subtree)."""
    assign_perm(f"personnel.role_{role}", user, unit)
    if hasattr(user, "_congress_grants"):
        del user._congress_grants
