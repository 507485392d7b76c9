"""After an import is committed: tell the rest of the product once."""

from __future__ import annotations

import logging

from personnel.imports.report import ImportReport

logger = logging.getLogger("personnel.imports")


def registry_changed_after_import(unit_ids: set[int | None], report: ImportReport) -> None:
    """The structure ratios of these units are recomputed after the commit
    (`personnel.services.registry_changed`). The data is already written: a failure here is
    logged and reported as a warning, not an error."""
    from personnel import services

    ids = sorted(u for u in unit_ids if u is not None)
    if not ids:
        return
    try:
        services.registry_changed(ids)
    except Exception:
        logger.exception("registry_changed failed after an import")
        report.warn(
            "Dữ liệu đã được nhập, nhưng chưa lên lịch tính lại cơ cấu được; "
            "hãy báo quản trị hệ thống."
        )
