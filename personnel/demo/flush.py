"""Delete the registry (and everything that hangs on it) before a new seed."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from personnel.demo.users import demo_users_query


def registry_models() -> list[type[models.Model]]:
    """Every model that references `PartyUnit`, directly or through other such models
    (cadres, tenures, grants, and later congresses, nominees, vetting…), in an order where
    each model comes before the models it references."""
    from personnel.models import PartyUnit

    every = apps.get_models(include_auto_created=True)
    closure = {PartyUnit}
    grew = True
    while grew:
        grew = False
        for model in every:
            if model not in closure and any(_targets(model) & closure):
                closure.add(model)
                grew = True
    ordered: list[type[models.Model]] = []
    pending = sorted(closure, key=lambda mdl: mdl._meta.label)
    while pending:
        for model in pending:
            referrers = [
                other for other in pending if other is not model and model in _targets(other)
            ]
            if not referrers:
                ordered.append(model)
                pending.remove(model)
                break
        else:  # a cycle: break it where a foreign key can be nulled
            ordered.append(pending.pop(0))
    return ordered


def _targets(model) -> set:
    return {
        f.related_model
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None
    }


def _append_only_triggers() -> list[str]:
    """The database guards of the append-only logs (`personnel.models.audit.append_only`)."""
    import pgtrigger

    return [
        f"{model._meta.label}:{trigger.name}"
        for model, trigger in pgtrigger.registered()
        if trigger.name.endswith("append_only")
    ]


def flush_registry(using: str = "default") -> dict[str, int]:
    """Delete the demo users and all registry rows, leaving the post/term catalogue.

    The one place where rows of the append-only logs are deleted: `seed_demo --flush` wipes
    a demo or benchmark database whole, its logs with it (their rows point at the units and
    users being removed). It lifts the PostgreSQL guards for this transaction only."""
    import pgtrigger

    with pgtrigger.ignore(*_append_only_triggers(), databases=[using]):
        return _flush(using)


def _flush(using: str) -> dict[str, int]:
    from django.contrib.auth import get_user_model

    deleted = {}
    deleted["users"] = get_user_model().objects.filter(demo_users_query()).delete()[0]
    for model in registry_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.null and f.related_model is model:  # PartyUnit.parent
                model._base_manager.using(using).exclude(**{f.name: None}).update(**{f.name: None})
        deleted[model._meta.label] = model._base_manager.using(using).all()._raw_delete(using)
    return deleted
