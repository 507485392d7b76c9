from __future__ import annotations

from django import forms

from personnel.inputs import (
    LINE_MAX,
    LONG_TEXT_MAX,
    CalendarDateField,
    IdChoiceField,
    LimitedTextField,
)
from personnel.models import Term
from vetting.models import Conclusion, ItemKind


class CaseOpenForm(forms.Form):
    term = IdChoiceField(
        label="Nhiệm kỳ đại hội",
        queryset=Term.objects.order_by("-start"),
        required=False,
        empty_label="— Không gắn với nhiệm kỳ đại hội (bổ nhiệm, quy hoạch) —",
        help_text="Hồ sơ gắn với nhiệm kỳ dùng cho mọi đại hội của nhiệm kỳ đó, ở mọi cấp.",
    )


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label="Nội dung thẩm tra", choices=ItemKind.choices)
    finding = LimitedTextField(
        label="Kết quả thẩm tra", widget=forms.Textarea(attrs={"rows": 6}), max_length=LONG_TEXT_MAX
    )
    is_concern = forms.BooleanField(label="Có vấn đề cần lưu ý", required=False)


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(label="Kết luận", choices=Conclusion.choices)
    concluded_on = CalendarDateField(
        label="Ngày kết luận (dd/mm/yyyy)",
        required=False,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )
    concluding_body = LimitedTextField(
        label="Cơ quan kết luận", required=False, max_length=LINE_MAX
    )
    document_number = LimitedTextField(label="Số văn bản kết luận", required=False, max_length=64)
    complex_political_issue = forms.BooleanField(
        label="Có vấn đề chính trị phức tạp", required=False
    )


class CaseFilterForm(forms.Form):
    """The case list's search: by the cadre's name (without accents) or code, by unit (its
    name or code; the unit and everything under it), by state, outcome and term."""

    STATES = [("", "Tất cả"), ("pending", "Chưa kết luận"), ("concluded", "Đã kết luận")]
    OUTCOMES = [
        ("", "Tất cả"),
        (Conclusion.ELIGIBLE, "Đủ tiêu chuẩn chính trị"),
        (Conclusion.INELIGIBLE, "Không đủ tiêu chuẩn chính trị"),
        (Conclusion.PENDING, "Chưa kết luận"),
    ]

    q = forms.CharField(label="Họ tên hoặc mã cán bộ", required=False, max_length=100)
    unit = forms.CharField(label="Đơn vị (tên hoặc mã)", required=False, max_length=100)
    state = forms.ChoiceField(label="Trạng thái", choices=STATES, required=False)
    conclusion = forms.ChoiceField(label="Kết luận", choices=OUTCOMES, required=False)
    term = forms.ModelChoiceField(
        label="Nhiệm kỳ",
        queryset=Term.objects.order_by("-start"),
        required=False,
        empty_label="Tất cả",
        to_field_name="code",
    )
