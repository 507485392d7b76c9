from __future__ import annotations

from django import forms

from congress.models import Congress
from personnel.models import Cadre
from vetting.models import Conclusion, ItemKind


class CaseOpenForm(forms.Form):
    congress = forms.ModelChoiceField(
        label="Đại hội",
        queryset=Congress.objects.none(),
        required=False,
        empty_label="— Không gắn với đại hội —",
    )

    def __init__(self, *args, cadre: Cadre, **kwargs):
        super().__init__(*args, **kwargs)
        # Only congresses of the cadre's own unit or of a unit above it.
        ancestor_ids = [int(x) for x in cadre.unit.path.strip("/").split("/") if x]
        self.fields["congress"].queryset = (
            Congress.objects.filter(unit_id__in=ancestor_ids)
            .select_related("unit", "term")
            .order_by("unit__depth", "term__start")
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
