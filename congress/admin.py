from django.contrib import admin

from congress import models
from personnel import policy
from personnel.admin import ReadOnlyAdmin, ScopedAdmin
from personnel.policy import Kind


class CongressBodyInline(admin.TabularInline):
    model = models.CongressBody
    extra = 0


@admin.register(models.Congress)
class CongressAdmin(ScopedAdmin):
    policy_kind = Kind.CONGRESS
    edit_action = "manage"
    list_display = ["title", "unit", "term", "held_on", "ruleset"]
    raw_id_fields = ["unit"]
    inlines = [CongressBodyInline]


@admin.register(models.NomineeList)
class NomineeListAdmin(ReadOnlyAdmin):
    """Lists change only through their workflow (services write the audit trail)."""

    list_display = ["__str__", "state", "edition", "revision"]
    list_filter = ["state"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("body__congress__unit")
        return policy.scoped(request.user, Kind.NOMINEE_LIST, "view", qs)


@admin.register(models.StructureSnapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["unit", "slot", "member_count", "error_count", "warning_count", "computed_at"]

    def get_queryset(self, request):
        return policy.scoped(request.user, Kind.STRUCTURE, "view", super().get_queryset(request))
