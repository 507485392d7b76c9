"""The admin obeys the pages' scope and confidentiality.

Cases are read-only here: every change goes through vetting.services (from the pages), which
re-check the scope, validate the conclusion and write the audit row in the same transaction.
The items appear inline only to superusers and to vetting officers whose scope covers the
cadre, and showing them goes through `read_items`, so the read is logged like on the pages.
"""

from django.contrib import admin

from personnel.admin import ReadOnlyAdmin
from personnel.policy import Kind
from vetting.models import VettingCase, VettingItem, VettingReadLog
from vetting.selectors import case_allows, cases_visible_to, read_items


class VettingItemInline(admin.TabularInline):
    model = VettingItem
    extra = 0
    fields = ["kind", "finding", "is_concern"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VettingCase)
class VettingCaseAdmin(ReadOnlyAdmin):
    """Read-only (changes go through vetting.services); board staff may archive and
    restore a case here."""

    policy_kind = Kind.VETTING_CASE
    list_display = ["cadre", "unit", "term", "conclusion", "concluded_on"]
    list_filter = ["conclusion"]
    list_select_related = ["cadre__unit", "term"]
    search_fields = ["cadre__search_name", "cadre__code", "document_number"]
    fields = [
        "cadre",
        "term",
        "requested_by",
        "requested_at",
        "conclusion",
        "concluded_on",
        "concluding_body",
        "document_number",
        "complex_political_issue",
    ]
    readonly_fields = fields

    @admin.display(description="đơn vị", ordering="cadre__unit__path")
    def unit(self, obj):
        return obj.cadre.unit

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=cases_visible_to(request.user, archived=None).values("pk"))

    def _shows_items(self, request, obj) -> bool:
        return obj is not None and case_allows(request.user, obj, "view_items")

    def get_inlines(self, request, obj):
        return [VettingItemInline] if self._shows_items(request, obj) else []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "GET" and self._shows_items(request, obj):
            # The inline shows the items: log the read as the pages do.
            read_items(request.user, obj, request)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(VettingReadLog)
class VettingReadLogAdmin(ReadOnlyAdmin):
    policy_kind = Kind.VETTING_CASE

    list_display = ["at", "case", "user", "ip_address", "path"]
    list_select_related = ["case__cadre", "user"]
    list_filter = ["at"]
    search_fields = ["user__username", "case__cadre__search_name", "ip_address"]
    date_hierarchy = "at"

    def _view_action(self) -> str:
        # Who read a case is as confidential as what they read.
        return "view_items"

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(
            case__in=cases_visible_to(request.user, "view_items", archived=None).values("pk")
        )
