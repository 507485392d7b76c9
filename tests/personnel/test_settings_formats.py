from datetime import date

from django import forms
from django.template import Context, Template
from django.utils import translation


class BirthForm(forms.Form):
    birth = forms.DateField()


def test_dates_are_parsed_day_first():
    with translation.override("vi"):
        form = BirthForm({"birth": "09/03/2026"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["birth"] == date(2026, 3, 9)


def test_a_day_above_twelve_is_not_taken_for_a_month():
    with translation.override("vi"):
        form = BirthForm({"birth": "25/12/1980"})
        assert form.is_valid()
        assert form.cleaned_data["birth"] == date(1980, 12, 25)


def test_dates_are_shown_day_first():
    with translation.override("vi"):
        out = Template("{{ d|date:'SHORT_DATE_FORMAT' }}").render(Context({"d": date(2026, 3, 9)}))
    assert out == "09/03/2026"


def test_settings_are_vietnamese(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
