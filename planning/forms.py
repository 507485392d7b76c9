"""Forms of the planning pages. Choices are restricted to the user's scope by the caller
(the same selectors the views use), never left open to every row in the database."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from personnel.inputs import (
    BIGINT_MAX,
    CalendarDateField,
    IdChoiceField,
    LimitedTextField,
    WholeNumberField,
)
from personnel.models import PartyUnit, Term
from planning.models import PlanningEntry, RemovalReason


class PlanningListCreateForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="Mã đơn vị",
        queryset=PartyUnit.objects.none(),
        to_field_name="code",
        widget=forms.TextInput,
        error_messages={"invalid_choice": "Không có đơn vị mã này trong phạm vi của bạn."},
    )
    term = IdChoiceField(label="Nhiệm kỳ quy hoạch", queryset=Term.objects.all())

    def __init__(self, *args, units=None, terms=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        if terms is not None:
            self.fields["term"].queryset = terms


class EntryAddForm(forms.ModelForm):
    """`cadre` is chosen among the search results; its queryset is the candidates in scope."""

    class Meta:
        model = PlanningEntry
        fields = ["cadre", "post", "since", "decision_number", "decision_date", "readiness_notes"]
        field_classes = {
            "cadre": IdChoiceField,
            "post": IdChoiceField,
            "since": CalendarDateField,
            "decision_date": CalendarDateField,
            "readiness_notes": LimitedTextField,
        }
        widgets = {
            "cadre": forms.HiddenInput,
            "readiness_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, cadres=None, posts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cadres is not None:
            self.fields["cadre"].queryset = cadres
        if posts is not None:
            self.fields["post"].queryset = posts
        self.fields["cadre"].error_messages["invalid_choice"] = (
            "Cán bộ không thuộc đơn vị hoặc ngoài phạm vi của bạn."
        )
        self.fields["since"].initial = timezone.localdate


class EntryRemoveForm(forms.Form):
    reason = forms.ChoiceField(label="Lý do đưa ra khỏi quy hoạch", choices=RemovalReason.choices)
    on = CalendarDateField(label="Ngày đưa ra", initial=timezone.localdate)
    note = LimitedTextField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == RemovalReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", "Cần ghi rõ lý do khác.")
        return data


class ReviewConfirmForm(forms.Form):
    entry = WholeNumberField(
        label="Người được đề xuất", min_value=1, max_value=BIGINT_MAX, widget=forms.HiddenInput
    )
    reason = forms.ChoiceField(choices=RemovalReason.choices, widget=forms.HiddenInput)


class JustifyForm(forms.Form):
    code = LimitedTextField(label="Mã phát hiện", max_length=64, widget=forms.HiddenInput)
    people_key = LimitedTextField(
        label="Người liên quan", max_length=255, widget=forms.HiddenInput, required=False
    )
    text = LimitedTextField(label="Giải trình", widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(forms.Form):
    remark = LimitedTextField(
        label="Ý kiến kèm theo", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    remark = LimitedTextField(label="Ý kiến trả lại", widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    decision_number = LimitedTextField(label="Số quyết định", max_length=64)
    decision_date = CalendarDateField(label="Ngày quyết định")
    remark = LimitedTextField(
        label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewRecordForm(forms.Form):
    year = WholeNumberField(label="Năm rà soát", min_value=2000, max_value=2100)
    decided_on = CalendarDateField(label="Ngày quyết định")
    decision_number = LimitedTextField(label="Số quyết định", max_length=64)
    notes = LimitedTextField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class UseForm(forms.Form):
    """Where a planned person is used: one of the targets the apps above offer
    (`planning.hooks`), or nowhere in particular (the entry is only marked used)."""

    target = forms.ChoiceField(label="Danh sách nhân sự", required=False)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—"), *targets]
