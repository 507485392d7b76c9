from django.contrib import admin

from personnel.admin import ScopedAdmin
from personnel.policy import Kind
from planning import models


class PlanningEntryInline(admin.TabularInline):
    model = models.PlanningEntry
    extra = 0
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
class PlanningListAdmin(ScopedAdmin):
    """Read-only here: planning changes go through its workflow, which writes the audit."""

    policy_kind = Kind.PLANNING_LIST
    list_display = ["unit", "term", "state", "decision_number", "decision_date"]
    list_filter = ["state", "term"]
    inlines = [PlanningEntryInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.PlanningReview)
class PlanningReviewAdmin(ScopedAdmin):
    policy_kind = Kind.PLANNING_LIST
    list_display = ["unit", "term", "year", "decided_on"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
