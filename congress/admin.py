"""The congress app's admin: the policy's reach, archive instead of delete, audited writes
(`personnel.admin.ScopedAdmin`)."""

from django.contrib import admin

from congress import models
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
    """Lists change only through their workflow (services write the audit trail); board
    staff may archive and restore them here."""

    policy_kind = Kind.NOMINEE_LIST
    list_display = ["__str__", "state", "edition", "revision"]
    list_filter = ["state"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("body__congress__unit")


@admin.register(models.StructureSnapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    policy_kind = Kind.STRUCTURE
    list_display = ["unit", "slot", "member_count", "error_count", "warning_count", "computed_at"]
