"""The startup check that says when the render accelerations are off for the WeasyPrint
installed (congress/reports/checks.py, registered by CongressConfig.ready)."""

import weasyprint
from django.core import checks

from congress.reports import accel


def _w001() -> list[checks.CheckMessage]:
    return [m for m in checks.run_checks() if m.id == "congress.W001"]


def test_another_weasyprint_version_is_warned_at_startup(monkeypatch):
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    [warning] = _w001()
    assert warning.level == checks.WARNING
    assert warning.msg == (
        f"WeasyPrint 71.0 installed; the render accelerations were checked against "
        f"{accel.CHECKED_VERSION} and are off."
    )


def test_the_checked_weasyprint_version_is_not_warned(monkeypatch):
    monkeypatch.setattr(weasyprint, "__version__", accel.CHECKED_VERSION)
    assert _w001() == []
