"""What the congress app does when the layers below announce a change."""

from django.dispatch import receiver

from personnel.signals import units_changed


@receiver(units_changed)
def recompute_changed_units(sender, unit_ids, **kwargs):
    """Registry data of these units changed (after commit): recompute their structure."""
    from congress.services.structure import enqueue_recompute

    enqueue_recompute(unit_ids=list(unit_ids))
