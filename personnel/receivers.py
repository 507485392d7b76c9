"""Single-row registry edits announce the units they touch (`registry_changed`); the
announcement goes out after commit as `personnel.signals.units_changed`.

Bulk writes (imports, the demo seed) emit no model signals; they call `registry_changed` once.
"""

from celery.signals import task_postrun, task_prerun
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from personnel.models import (
    Achievement,
    Cadre,
    CommitteeMembership,
    Discipline,
    FamilyRelation,
    Tenure,
)
from personnel.origin import enter_origin, leave_origin, task_origin
from personnel.services import registry_changed


def _units_of_cadre(cadre_id: int, unit_id: int | None) -> set[int]:
    units = set(
        CommitteeMembership.objects.filter(cadre_id=cadre_id).values_list("unit_id", flat=True)
    )
    if unit_id:
        units.add(unit_id)
    return units


@receiver([post_save, post_delete], sender=Cadre)
def cadre_changed(sender, instance, **kwargs):
    registry_changed(_units_of_cadre(instance.pk, instance.unit_id))


@receiver([post_save, post_delete], sender=CommitteeMembership)
def membership_changed(sender, instance, **kwargs):
    registry_changed([instance.unit_id])


@receiver([post_save, post_delete], sender=Tenure)
@receiver([post_save, post_delete], sender=Achievement)
@receiver([post_save, post_delete], sender=Discipline)
def cadre_fact_changed(sender, instance, **kwargs):
    try:
        cadre = Cadre.objects.only("unit_id").get(pk=instance.cadre_id)
    except Cadre.DoesNotExist:  # cascading delete of the cadre itself
        return
    registry_changed(_units_of_cadre(cadre.pk, cadre.unit_id))


@receiver([post_save, post_delete], sender=FamilyRelation)
def relation_changed(sender, instance, **kwargs):
    units: set[int] = set()
    for cid in (instance.cadre_id, instance.relative_id):
        if cid:
            unit_id = Cadre.objects.filter(pk=cid).values_list("unit_id", flat=True).first()
            units |= _units_of_cadre(cid, unit_id)
    registry_changed(units)


# A task's writes are audited with the task as their origin (its name and id), whether a
# worker runs it or it runs eagerly inside a request.
_task_tokens: dict[str, object] = {}


@task_prerun.connect
def task_origin_start(task_id=None, task=None, **kwargs):
    if task_id:
        _task_tokens[task_id] = enter_origin(task_origin(getattr(task, "name", "task"), task_id))


@task_postrun.connect
def task_origin_end(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        leave_origin(token)
