from django.contrib import admin

from personnel.admin import ReadOnlyAdmin, ScopedInline
from personnel.policy import Kind
from planning import models


class PlanningEntryInline(ScopedInline):
    model = models.PlanningEntry
    raw_id_fields = ["cadre", "added_by", "removed_by"]
    fields = [
        "cadre",
        "post",
        "since",
        "decision_number",
        "removed_at",
        "removed_reason",
        "used_at",
    ]
    readonly_fields = ["removed_at", "removed_reason", "used_at"]


@admin.register(models.PlanningList)
class PlanningListAdmin(ReadOnlyAdmin):
    """Read-only here: planning changes go through its workflow, which writes the audit."""

    policy_kind = Kind.PLANNING_LIST
    list_display = ["unit", "term", "state", "decision_number", "decision_date"]
    list_filter = ["state", "term"]
    inlines = [PlanningEntryInline]


@admin.register(models.PlanningReview)
class PlanningReviewAdmin(ReadOnlyAdmin):
    policy_kind = Kind.PLANNING_LIST
    list_display = ["unit", "term", "year", "decided_on"]
