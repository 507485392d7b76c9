from django.db import models
from django.utils import timezone

from personnel.jobs import Job


class StructureSnapshot(models.Model):
    """The engine's verdict on one unit's body at a moment: its current committee (from the
    registry) or a proposed list, with the roll-up over the unit's subtree."""

    scope_path = "unit"

    class Source(models.TextChoices):
        COMMITTEE = "committee", "Cấp ủy đương nhiệm"
        LIST = "list", "Danh sách đề xuất"

    unit = models.ForeignKey(
        "personnel.PartyUnit", on_delete=models.CASCADE, related_name="snapshots"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    nominee_list = models.ForeignKey(
        "congress.NomineeList", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # "committee", or "list:<id>": one snapshot per unit and slot, overwritten on recompute.
    slot = models.CharField(max_length=32)
    computed_at = models.DateTimeField(default=timezone.now, db_index=True)
    ruleset_code = models.CharField(max_length=64)
    ruleset_version = models.PositiveIntegerField(default=0)
    member_count = models.PositiveIntegerField(default=0)
    ratios = models.JSONField(default=dict)
    finding_counts = models.JSONField(default=dict)
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    missed_targets = models.JSONField(default=list)
    # The sums over this unit and its whole subtree (committee snapshots only).
    rollup = models.JSONField(default=dict)
    input_hash = models.CharField(max_length=64, blank=True)
    # Denormalised for the dashboard's filters and sorting over thousands of units: the row
    # shown for the unit (its executive list if it has one, else its committee), the missed
    # targets as "|female|young|", and the three headline percentages.
    is_primary = models.BooleanField(default=False, db_index=True)
    missed = models.CharField(max_length=255, blank=True, default="")
    female_pct = models.FloatField(null=True, blank=True)
    young_pct = models.FloatField(null=True, blank=True)
    renewal_pct = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = "cơ cấu"
        verbose_name_plural = "cơ cấu"
        constraints = [models.UniqueConstraint(fields=["unit", "slot"], name="uniq_snapshot_slot")]


class RecomputeJob(Job):
    """A recompute of a subtree (or of listed units), with progress for those waiting."""

    scope_path = "root"
    task_name = "congress.recompute_structure"
    lease_seconds = 600

    root = models.ForeignKey("personnel.PartyUnit", on_delete=models.CASCADE, related_name="+")
    unit_ids = models.JSONField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # A large subtree is recomputed as parts (runs of its child subtrees) the workers run side
    # by side; the job of the subtree's own root waits for them (`waiting_parts`), then
    # recomputes its root and rebuilds the roll-ups from every part's snapshots.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    waiting_parts = models.PositiveIntegerField(default=0)
    counted = models.BooleanField(default=False)  # this part's end was counted in its parent

    @classmethod
    def sendable(cls, queued):
        return queued.filter(waiting_parts=0)

    @classmethod
    def sweep(cls) -> int:
        """Parts failed outside their task (a lease that ran out of attempts) still end in
        their parent, so it never waits for them forever."""
        from congress.services.structure import recompute_part_ended

        lost = list(cls.objects.filter(parent__isnull=False, counted=False, status="failed"))
        for part in lost:
            recompute_part_ended(part, failed=True)
        return len(lost)
