from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from congress import models
from congress.rules.rulesets import RuleSetError
from congress.services.rulesets import ruleset_edit
from personnel.scope import unit_q


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
        model = models.RuleSet
        fields = []


@admin.register(models.RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
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
                base=models.RuleSet.objects.get(pk=obj.pk),
                params=form.cleaned_data["params"],
                note=form.cleaned_data["change_note"],
                user=request.user,
                new_code=form.cleaned_data["new_code"] or None,
            )
        except (RuleSetError, ValueError, ValidationError) as exc:
            messages.error(request, f"Không lưu được bộ quy tắc: {exc}")
            return redirect(request.path)
        messages.success(request, f"Đã tạo {row} (bản cũ giữ nguyên).")
        return redirect("admin:congress_ruleset_change", row.pk)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_label", "object_id"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(unit_q(request.user, prefix="unit__"))


class CongressBodyInline(admin.TabularInline):
    model = models.CongressBody
    extra = 0


@admin.register(models.Congress)
class CongressAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "term", "held_on", "ruleset"]
    raw_id_fields = ["unit"]
    inlines = [CongressBodyInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(unit_q(request.user, prefix="unit__"))


@admin.register(models.NomineeList)
class NomineeListAdmin(ReadOnlyAdmin):
    """Lists change only through their workflow (services write the audit trail)."""

    list_display = ["__str__", "state", "edition", "revision"]
    list_filter = ["state"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("body__congress__unit")
        if request.user.is_superuser:
            return qs
        return qs.filter(unit_q(request.user, prefix="body__congress__unit__"))


@admin.register(models.StructureSnapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["unit", "slot", "member_count", "error_count", "warning_count", "computed_at"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(unit_q(request.user, prefix="unit__"))
