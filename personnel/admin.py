"""The admin obeys the one policy (`personnel.policy`) like the pages, and leaves the same
trace.

Every ModelAdmin of the project, and those of the libraries it uses (users, groups,
second-factor devices, login attempts), derives from `ScopedAdmin`:

- its queryset is the policy's reach (`policy_kind`'s "view"); what belongs to no unit
  (`Kind.SYSTEM`: the catalogue, accounts, devices) only superusers reach;
- it changes and adds only where the policy allows `edit_action`, and its unit and cadre
  fields offer (and accept) only the units and cadres in that reach; after the write the
  object's new place is checked again in the same transaction;
- every create, change and delete, inline rows included, writes an audit row with the fields
  before and after (`personnel.services.audit`);
- the records people rely on (`Archivable`) are never deleted: "delete" archives them, an
  action restores them, and the policy's "archive" / "restore" actions decide who may.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect

from congress.rules.rulesets import RuleSetError
from personnel import models, policy
from personnel.policy import Kind
from personnel.services.archive import archive, restore
from personnel.services.audit import audit, changes, snapshot
from personnel.services.ruleset_versions import ruleset_edit

ADMIN_NOTE = "qua trang quản trị"
ADMIN_ARCHIVE_REASON = "Lưu trữ qua trang quản trị"

# The default "delete selected" would hard-delete: every admin offers archive instead (or
# deletes one row at a time, with its audit row, where deleting is allowed).
admin.site.disable_action("delete_selected")


def _is_archivable(model) -> bool:
    return issubclass(model, models.Archivable)


def _has_scope(model) -> bool:
    return getattr(model, "scope_path", None) is not None


class ArchivedFilter(admin.SimpleListFilter):
    """Archived rows are hidden from the listing unless asked for."""

    title = "lưu trữ"
    parameter_name = "luu_tru"

    def lookups(self, request, model_admin):
        return [("1", "Đã lưu trữ"), ("tat-ca", "Tất cả")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(archived_at__isnull=False)
        if self.value() == "tat-ca":
            return queryset
        return queryset.filter(archived_at__isnull=True)


class ScopedAdmin(admin.ModelAdmin):
    """See the module docstring. `policy_kind` and `edit_action` name the policy's row."""

    policy_kind: Kind = Kind.SYSTEM
    edit_action = "manage"
    read_only = False

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if _is_archivable(model):
            self.delete_confirmation_template = "admin/archive_confirmation.html"

    # --- what the user reaches -----------------------------------------------------------

    def _scoped(self, request, qs, action: str):
        if _has_scope(qs.model):
            return policy.scoped(request.user, self.policy_kind, action, qs)
        return qs if policy.any_reach(request.user, self.policy_kind, action) else qs.none()

    def _view_action(self) -> str:
        return "view" if "view" in policy.actions(self.policy_kind) else self.edit_action

    def get_queryset(self, request):
        return self._scoped(request, super().get_queryset(request), self._view_action())

    def _may(self, request, action: str, obj=None) -> bool:
        if obj is None or not _has_scope(type(obj)):
            return policy.any_reach(request.user, self.policy_kind, action)
        unit = obj if isinstance(obj, models.PartyUnit) else policy.unit_of(obj)
        return policy.allows(request.user, self.policy_kind, action, unit)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may(
            request, self._view_action(), obj
        )

    def has_change_permission(self, request, obj=None):
        if self.read_only or getattr(obj, "is_archived", False):
            return False
        return super().has_change_permission(request, obj) and self._may(
            request, self.edit_action, obj
        )

    def has_add_permission(self, request, obj=None):
        if self.read_only:
            return False
        return super().has_add_permission(request) and self._may(request, self.edit_action)

    def has_delete_permission(self, request, obj=None):
        if _is_archivable(self.model):
            return self.has_archive_permission(request, obj) and not getattr(
                obj, "is_archived", False
            )
        if self.read_only:
            return False
        return super().has_delete_permission(request, obj) and self._may(
            request, self.edit_action, obj
        )

    def has_archive_permission(self, request, obj=None):
        return (
            _is_archivable(self.model)
            and request.user.is_staff
            and self._may(request, "archive", obj)
        )

    def has_restore_permission(self, request, obj=None):
        return (
            _is_archivable(self.model)
            and request.user.is_staff
            and self._may(request, "restore", obj)
        )

    # --- what the forms offer and accept -------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related is models.PartyUnit:
            kwargs["queryset"] = self._units_for_edit(request)
        elif related is models.Cadre:
            action_kind = (Kind.CADRE, "view") if db_field.name == "relative" else None
            kwargs["queryset"] = self._cadres_for_edit(request, action_kind)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _units_for_edit(self, request):
        """Units the user may place an object of this admin in."""
        kind = self.policy_kind if self.policy_kind != Kind.SYSTEM else Kind.UNIT
        action = self.edit_action if self.policy_kind != Kind.SYSTEM else "manage"
        return policy.scoped(request.user, kind, action, models.PartyUnit.objects.live())

    def _cadres_for_edit(self, request, action_kind=None):
        kind, action = action_kind or (Kind.CADRE, "edit")
        return policy.scoped(request.user, kind, action, models.Cadre.objects.live())

    # --- writes: scope re-checked, audit written, in one transaction ---------------------

    def _audit(self, request, action, obj, before=None, after=None, note=ADMIN_NOTE):
        audit(
            actor=request.user,
            action=action,
            obj=obj,
            before=before,
            after=after,
            unit=policy.unit_of(obj) if _has_scope(type(obj)) else None,
            note=note,
        )

    def _recheck(self, request, obj) -> None:
        """The object's place after the write must still be in the user's reach (a unit
        moved elsewhere, a cadre put under another unit)."""
        if not self._may(request, self.edit_action, obj):
            raise PermissionDenied(policy.denied_message(self.policy_kind, self.edit_action))

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = snapshot(type(obj)._base_manager.get(pk=obj.pk)) if change else {}
            super().save_model(request, obj, form, change)
            self._recheck(request, obj)
            after = snapshot(obj)
            if change:
                old, new = changes(before, after)
                if old or new:
                    self._audit(request, "admin.change", obj, old, new)
            else:
                self._audit(request, "admin.create", obj, None, after)

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        """Inline rows: one audit row per row created, changed or deleted."""
        model = formset.model
        ids = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
        before = {o.pk: snapshot(o) for o in model._base_manager.filter(pk__in=ids)}
        formset.save()
        for obj in formset.new_objects:
            self._recheck(request, obj)
            self._audit(request, "admin.create", obj, None, snapshot(obj))
        for obj, _fields in formset.changed_objects:
            self._recheck(request, obj)
            old, new = changes(before.get(obj.pk, {}), snapshot(obj))
            if old or new:
                self._audit(request, "admin.change", obj, old, new)
        for obj in formset.deleted_objects:
            self._audit(request, "admin.delete", obj, before.get(obj.pk) or snapshot(obj), None)

    # --- delete: archive for what people rely on, an audited delete otherwise -------------

    def delete_model(self, request, obj):
        if _is_archivable(type(obj)):
            reason = (request.POST.get("reason") or "").strip() or ADMIN_ARCHIVE_REASON
            try:
                archive(obj=obj, user=request.user, reason=reason)
            except ValidationError as exc:
                # Shown on the page the admin returns to; nothing was changed.
                messages.error(request, " ".join(exc.messages))
                request._archive_refused = True
            return
        with transaction.atomic():
            self._audit(request, "admin.delete", obj, snapshot(obj), None)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def get_deleted_objects(self, objs, request):
        if not _is_archivable(self.model):
            return super().get_deleted_objects(objs, request)
        # Archiving touches nothing else: no cascade to list, no protected rows.
        labels = [str(o) for o in objs]
        return labels, {self.model._meta.verbose_name_plural: len(labels)}, set(), []

    def log_deletions(self, request, queryset):
        if not _is_archivable(self.model):
            return super().log_deletions(request, queryset)
        for obj in queryset:
            self.log_change(request, obj, ADMIN_ARCHIVE_REASON)

    def response_delete(self, request, obj_display, obj_id):
        if not _is_archivable(self.model):
            return super().response_delete(request, obj_display, obj_id)
        if not getattr(request, "_archive_refused", False):
            self.message_user(request, f"Đã lưu trữ “{obj_display}” (có thể khôi phục).")
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    # --- actions and filters --------------------------------------------------------------

    @admin.action(description="Lưu trữ các mục đã chọn", permissions=["archive"])
    def archive_selected(self, request, queryset):
        done = 0
        for obj in queryset.filter(archived_at__isnull=True):
            try:
                archive(obj=obj, user=request.user, reason=ADMIN_ARCHIVE_REASON)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{obj}: {' '.join(_messages(exc))}", messages.ERROR)
        self.message_user(request, f"Đã lưu trữ {done} mục.")

    @admin.action(description="Khôi phục các mục đã chọn", permissions=["restore"])
    def restore_selected(self, request, queryset):
        done = 0
        for obj in queryset.filter(archived_at__isnull=False):
            try:
                restore(obj=obj, user=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{obj}: {' '.join(_messages(exc))}", messages.ERROR)
        self.message_user(request, f"Đã khôi phục {done} mục.")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not _is_archivable(self.model):
            actions.pop("archive_selected", None)
            actions.pop("restore_selected", None)
        return actions

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return [ArchivedFilter, *filters] if _is_archivable(self.model) else filters

    actions = ["archive_selected", "restore_selected"]


def _messages(exc) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


class ScopedInline(admin.TabularInline):
    """Inline rows offer only the units and cadres the parent admin's user may edit."""

    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related is models.PartyUnit:
            kwargs["queryset"] = policy.scoped(
                request.user, Kind.CADRE, "edit", models.PartyUnit.objects.live()
            )
        elif related is models.Cadre:
            action = "view" if db_field.name == "relative" else "edit"
            kwargs["queryset"] = policy.scoped(
                request.user, Kind.CADRE, action, models.Cadre.objects.live()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(ScopedAdmin):
    """Rows that change only through their workflow (services write the audit): seen in the
    user's reach, never changed here."""

    read_only = True


class SystemAdmin(ScopedAdmin):
    """What belongs to no unit: superusers only (`Kind.SYSTEM` has no role)."""

    policy_kind = Kind.SYSTEM
    edit_action = "manage"


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


class TenureInline(ScopedInline):
    model = models.Tenure
    fk_name = "cadre"
    raw_id_fields = ["unit", "workplace"]


class WorkHistoryInline(ScopedInline):
    model = models.WorkHistory


class RatingInline(ScopedInline):
    model = models.Rating


class RelationInline(ScopedInline):
    model = models.FamilyRelation
    fk_name = "cadre"
    raw_id_fields = ["relative"]


@admin.register(models.Cadre)
class CadreAdmin(ScopedAdmin):
    policy_kind = Kind.CADRE
    edit_action = "edit"
    list_display = ["full_name", "code", "birth_date", "sex", "ethnicity", "unit"]
    list_filter = ["sex", "political_theory"]
    search_fields = ["search_name", "citizen_id", "code"]
    raw_id_fields = ["unit"]
    inlines = [TenureInline, WorkHistoryInline, RatingInline, RelationInline]


@admin.register(models.Post)
class PostAdmin(SystemAdmin):
    list_display = ["code", "name", "group", "workplace_title", "is_head", "rank", "in_standing"]


@admin.register(models.Term)
class TermAdmin(SystemAdmin):
    list_display = ["code", "start", "end"]


class CadreChildAdmin(ScopedAdmin):
    policy_kind = Kind.CADRE
    edit_action = "edit"
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


class GrantForm(forms.ModelForm):
    class Meta:
        model = models.PartyUnitUserObjectPermission
        fields = ["user", "permission", "content_object"]


@admin.register(models.PartyUnitUserObjectPermission)
class GrantAdmin(ScopedAdmin):
    """Role grants on the units the user manages; only the four role permissions."""

    policy_kind = Kind.UNIT
    edit_action = "manage"
    form = GrantForm
    list_display = ["user", "permission", "content_object"]
    raw_id_fields = ["user", "content_object"]
    list_filter = ["permission"]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        # Grants of the units the user may manage.
        return qs.filter(
            content_object__in=policy.scoped(
                request.user, Kind.UNIT, "manage", models.PartyUnit.objects.all()
            )
        )

    def _may(self, request, action: str, obj=None) -> bool:
        if obj is None:
            return policy.any_reach(request.user, Kind.UNIT, "manage")
        return policy.allows(request.user, Kind.UNIT, "manage", obj.content_object)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "permission":
            kwargs["queryset"] = Permission.objects.filter(
                content_type__app_label="personnel",
                codename__in=[f"{policy.PERM_PREFIX}{r}" for r in models.Role.values],
            )
        elif db_field.name == "content_object":
            kwargs["queryset"] = policy.scoped(
                request.user, Kind.UNIT, "manage", models.PartyUnit.objects.live()
            )
        return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)

    def _grant_audit(self, request, obj, action):
        entry = {"user": obj.user.username, "role": obj.permission.codename.removeprefix("role_")}
        audit(
            actor=request.user,
            action=action,
            obj=obj.content_object,
            unit=obj.content_object,
            before=entry if action == "role.revoke" else None,
            after=entry if action == "role.grant" else None,
            note=ADMIN_NOTE,
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change:
                old = type(obj).objects.select_related("user", "permission", "content_object")
                self._grant_audit(request, old.get(pk=obj.pk), "role.revoke")
            admin.ModelAdmin.save_model(self, request, obj, form, change)
            policy.forget_grants(obj.user)
            self._recheck(request, obj)
            self._grant_audit(request, obj, "role.grant")

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._grant_audit(request, obj, "role.revoke")
            admin.ModelAdmin.delete_model(self, request, obj)


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
class RuleSetVersionAdmin(SystemAdmin):
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

    def has_add_permission(self, request, obj=None):
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
    """Rows of the units the user sees; rows tied to no unit only for superusers."""

    policy_kind = Kind.UNIT
    list_display = ["at", "actor", "action", "object_type", "object_label", "source", "origin"]
    list_filter = ["action", "object_type", "source"]
    search_fields = ["object_label", "object_id", "request_id"]


@admin.register(models.DossierAccess)
class DossierAccessAdmin(ReadOnlyAdmin):
    """Who looked at which dossier: board staff of the cadre's reach."""

    policy_kind = Kind.CADRE
    edit_action = "view_access_log"
    list_display = ["at", "user", "kind", "cadre", "unit", "ip_address", "origin"]
    list_filter = ["kind"]
    list_select_related = ["user", "cadre", "unit"]
    search_fields = ["cadre__search_name", "user__username", "ip_address", "request_id"]

    def _view_action(self) -> str:
        return "view_access_log"


# --- the libraries' own admins: accounts, groups, second-factor devices, login attempts ----


def _system(admin_class):
    """The library's admin for `model`, asking the policy like ours (superusers only)."""
    return type(f"Scoped{admin_class.__name__}", (SystemAdmin, admin_class), {})


def _reregister(model, admin_class) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, _system(admin_class))


_reregister(get_user_model(), UserAdmin)
_reregister(Group, GroupAdmin)


def _library_admins() -> None:
    from axes import admin as axes_admin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model, admin_class in [
        (TOTPDevice, TOTPDeviceAdmin),
        (StaticDevice, StaticDeviceAdmin),
        (AccessAttempt, axes_admin.AccessAttemptAdmin),
        (AccessLog, axes_admin.AccessLogAdmin),
        (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
    ]:
        _reregister(model, admin_class)


_library_admins()
