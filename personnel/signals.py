"""Signals the registry sends to the apps above it, which it never imports."""

from django.dispatch import Signal

# Sent once a transaction that changed registry data of these units has committed
# (`personnel.services.registry_changed`). Arguments: `unit_ids` (a sorted list).
units_changed = Signal()
