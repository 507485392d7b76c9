from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect

from congress.rules.rulesets import RuleSetError
from personnel import models, policy
from personnel.policy import Kind
from personnel.services.audit import audit
from personnel.services.ruleset_versions import ruleset_edit


class ScopedAdmin(admin.ModelAdmin):
    """The admin obeys the same policy as the pages: staff see only the rows of their reach
    (`policy_kind`'s "view"), and change only those where the policy allows `edit_action`."""

    policy_kind = Kind.CADRE
    edit_action = "edit"

    def get_queryset(self, request):
        return policy.scoped(request.user, self.policy_kind, "view", super().get_queryset(request))

    def _may_edit(self, request, obj) -> bool:
        if obj is None:
            return policy.any_reach(request.user, self.policy_kind, self.edit_action)
        unit = obj if isinstance(obj, models.PartyUnit) else policy.unit_of(obj)
        return policy.allows(request.user, self.policy_kind, self.edit_action, unit)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request) and self._may_edit(request, None)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.PartyUnit)
class PartyUnitAdmin(ScopedAdmin):
    policy_kind = Kind.UNIT
    edit_action = "manage"
    list_display = ["code", "name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["predecessors"]


@admin.register(models.Workplace)
class WorkplaceAdmin(ScopedAdmin):
    policy_kind = Kind.UNIT
    edit_action = "manage"
    list_display = ["name", "short_name", "kind", "head_title", "party_unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name"]
    raw_id_fields = ["parent", "party_unit"]


class TenureInline(admin.TabularInline):
    model = models.Tenure
    fk_name = "cadre"
    extra = 0
    raw_id_fields = ["unit", "workplace"]


class WorkHistoryInline(admin.TabularInline):
    model = models.WorkHistory
    extra = 0


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
    inlines = [TenureInline, WorkHistoryInline, RatingInline, RelationInline]


@admin.register(models.Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "workplace_title", "is_head", "rank", "in_standing"]


@admin.register(models.Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["code", "start", "end"]


class CadreChildAdmin(ScopedAdmin):
    raw_id_fields = ["cadre"]


@admin.register(models.Tenure)
class TenureAdmin(CadreChildAdmin):
    list_display = ["cadre", "post", "unit", "workplace", "start", "end"]
    raw_id_fields = ["cadre", "unit", "workplace"]


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


@admin.register(models.WorkHistory)
class WorkHistoryAdmin(CadreChildAdmin):
    list_display = ["cadre", "start", "end", "description"]


@admin.register(models.PartyUnitUserObjectPermission)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["user", "permission", "content_object"]
    raw_id_fields = ["user", "content_object"]
    list_filter = ["permission"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # Grants of the units the user may manage.
        return qs.filter(
            content_object__in=policy.scoped(
                request.user, Kind.UNIT, "manage", models.PartyUnit.objects.all()
            )
        )

    def _audit(self, request, obj, action):
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


class RuleSetEditForm(forms.ModelForm):
    """Editing a rule set writes a new version; the row shown is never changed."""

    params = forms.JSONField(
        label="Tham số (JSON)", help_text="Chỉ sửa giá trị; tên tham số cố định."
    )
    new_code = forms.CharField(
        label="Mã bộ quy tắc mới (để trống: tạo phiên bản mới của bộ này)", required=False
    )
    change_note = forms.CharField(label="Lý do thay đổi", widget=forms.Textarea, required=True)

    class Meta:
        model = models.RuleSetVersion
        fields = []


@admin.register(models.RuleSetVersion)
class RuleSetVersionAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "name", "is_preset", "created_at", "created_by"]
    list_filter = ["code", "is_preset"]
    readonly_fields = [
        "code",
        "version",
        "name",
        "source",
        "data",
        "based_on",
        "note",
        "created_at",
    ]
    form = RuleSetEditForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            form.base_fields["params"].initial = obj.data.get("params", {})
        return form

    def has_add_permission(self, request):
        return False  # copies are made from an existing rule set

    def has_delete_permission(self, request, obj=None):
        return False  # congresses keep the exact version they chose

    def save_model(self, request, obj, form, change):
        pass  # never overwritten: response_change writes the new version

    def save_related(self, request, form, formsets, change):
        pass

    def response_change(self, request, obj):
        form = self.get_form(request, obj)(request.POST, instance=obj)
        if not form.is_valid():
            messages.error(request, "Dữ liệu không hợp lệ: " + form.errors.as_text())
            return redirect(request.path)
        try:
            row = ruleset_edit(
                base=models.RuleSetVersion.objects.get(pk=obj.pk),
                params=form.cleaned_data["params"],
                note=form.cleaned_data["change_note"],
                user=request.user,
                new_code=form.cleaned_data["new_code"] or None,
            )
        except (RuleSetError, ValueError, ValidationError) as exc:
            messages.error(request, f"Không lưu được bộ quy tắc: {exc}")
            return redirect(request.path)
        messages.success(request, f"Đã tạo {row} (bản cũ giữ nguyên).")
        return redirect("admin:personnel_rulesetversion_change", row.pk)


@admin.register(models.AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_label", "object_id"]

    def get_queryset(self, request):
        # Rows of the units the user sees; rows tied to no unit only for superusers.
        return policy.scoped(request.user, Kind.UNIT, "view", super().get_queryset(request))
