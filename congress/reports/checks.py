"""Startup checks of the PDF renderer."""

from __future__ import annotations

from django.core import checks


@checks.register()
def pdf_accelerations_checked(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The render shortcuts (`accel.py`) patch WeasyPrint internals and were checked, byte for
    byte, against one version: with another installed they stay off and documents render with
    plain WeasyPrint (the same PDF, slower). Say so, so that nobody mistakes it for a slowdown
    without a reason."""
    # Imported here, not at module level: registering the check must not load WeasyPrint.
    import weasyprint

    from congress.reports import accel

    if accel.checked():
        return []
    return [
        checks.Warning(
            f"WeasyPrint {weasyprint.__version__} installed; the render accelerations were "
            f"checked against {accel.CHECKED_VERSION} and are off.",
            hint=(
                "Documents render with plain WeasyPrint (same PDF, slower). Install "
                f"weasyprint=={accel.CHECKED_VERSION} (requirements.txt), or run "
                "tests/reports/test_accel.py against the new version and update "
                "congress.reports.accel.CHECKED_VERSION."
            ),
            id="congress.W001",
        )
    ]
