from django.contrib import admin
from django.db import transaction

from personnel import models
from personnel.scope import unit_q


class ScopedAdmin(admin.ModelAdmin):
    """The admin obeys the same scope as the pages: staff see only their units' rows."""

    unit_field = "unit__"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(unit_q(request.user, prefix=self.unit_field))


@admin.register(models.PartyUnit)
class PartyUnitAdmin(ScopedAdmin):
    unit_field = ""
    list_display = ["code", "name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["predecessors"]


class TenureInline(admin.TabularInline):
    model = models.Tenure
    fk_name = "cadre"
    extra = 0
    raw_id_fields = ["unit"]


class RatingInline(admin.TabularInline):
    model = models.Rating
    extra = 0


class RelationInline(admin.TabularInline):
    model = models.FamilyRelation
    fk_name = "cadre"
    extra = 0
    raw_id_fields = ["relative"]


@admin.register(models.Cadre)
class CadreAdmin(ScopedAdmin):
    list_display = ["full_name", "code", "birth_date", "sex", "ethnicity", "unit"]
    list_filter = ["sex", "political_theory"]
    search_fields = ["search_name", "citizen_id", "code"]
    raw_id_fields = ["unit"]
    inlines = [TenureInline, RatingInline, RelationInline]


@admin.register(models.Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_head", "rank", "in_standing"]


@admin.register(models.Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["code", "start", "end"]


class CadreChildAdmin(ScopedAdmin):
    unit_field = "cadre__unit__"
    raw_id_fields = ["cadre"]


@admin.register(models.Tenure)
class TenureAdmin(CadreChildAdmin):
    list_display = ["cadre", "post", "unit", "start", "end"]
    raw_id_fields = ["cadre", "unit"]


@admin.register(models.CommitteeMembership)
class MembershipAdmin(CadreChildAdmin):
    list_display = ["cadre", "unit", "term", "body"]
    raw_id_fields = ["cadre", "unit"]


@admin.register(models.Rating)
class RatingAdmin(CadreChildAdmin):
    list_display = ["cadre", "year", "level", "points"]


@admin.register(models.Achievement)
class AchievementAdmin(CadreChildAdmin):
    list_display = ["cadre", "year", "title"]


@admin.register(models.Discipline)
class DisciplineAdmin(CadreChildAdmin):
    list_display = ["cadre", "decided_on", "level"]


@admin.register(models.FamilyRelation)
class FamilyRelationAdmin(CadreChildAdmin):
    list_display = ["cadre", "relation", "relative", "relative_name"]
    raw_id_fields = ["cadre", "relative"]


@admin.register(models.Training)
class TrainingAdmin(CadreChildAdmin):
    list_display = ["cadre", "kind", "institution", "start", "end"]


@admin.register(models.PartyUnitUserObjectPermission)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["user", "permission", "content_object"]
    raw_id_fields = ["user", "content_object"]
    list_filter = ["permission"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(unit_q(request.user, prefix="content_object__"))

    def _audit(self, request, obj, action):
        from congress.services.audit import audit

        entry = {"user": obj.user.username, "role": obj.permission.codename.removeprefix("role_")}
        audit(
            actor=request.user,
            action=action,
            obj=obj.content_object,
            unit=obj.content_object,
            before=entry if action == "role.revoke" else None,
            after=entry if action == "role.grant" else None,
            note="qua trang quản trị",
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change:
                old = type(obj).objects.select_related("user", "permission", "content_object")
                self._audit(request, old.get(pk=obj.pk), "role.revoke")
            super().save_model(request, obj, form, change)
            self._audit(request, obj, "role.grant")

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit(request, obj, "role.revoke")
            super().delete_model(request, obj)


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
    list_display = ["unit", "term", "year", "decided_on"]

    def has_change_permission(self, request, obj=None):
        return False
