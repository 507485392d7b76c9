from __future__ import annotations

from django import forms

from personnel.models import Term
from vetting.models import Conclusion, ItemKind


class CaseOpenForm(forms.Form):
    term = forms.ModelChoiceField(
        label="Nhiệm kỳ đại hội",
        queryset=Term.objects.order_by("-start"),
        required=False,
        empty_label="— Không gắn với nhiệm kỳ đại hội —",
    )


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label="Nội dung thẩm tra", choices=ItemKind.choices)
    finding = forms.CharField(
        label="Kết quả thẩm tra", widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    is_concern = forms.BooleanField(label="Có vấn đề cần lưu ý", required=False)


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(label="Kết luận", choices=Conclusion.choices)
    concluded_on = forms.DateField(
        label="Ngày kết luận (dd/mm/yyyy)",
        required=False,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )
    concluding_body = forms.CharField(label="Cơ quan kết luận", required=False, max_length=255)
    document_number = forms.CharField(label="Số văn bản kết luận", required=False, max_length=64)
    complex_political_issue = forms.BooleanField(
        label="Có vấn đề chính trị phức tạp", required=False
    )


class CaseFilterForm(forms.Form):
    conclusion = forms.ChoiceField(
        label="Kết luận", choices=[("", "Tất cả")] + Conclusion.choices, required=False
    )
