"""What an import tells its user: counts, problems, warnings, matches and the mapping used.

A report is plain data (`as_dict` / `from_dict`), so a background job can store it on its
row and the page can show it later. Errors and warnings are capped: a hostile or broken file
can name millions of problems, and nobody reads past the first few hundred.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Shown on the page and printed by the commands; the rest is counted ("và N lỗi khác").
SHOWN = 200
# Kept per row for the error file (a column of messages beside each refused row).
KEPT_FOR_FILE = 10_000


class FileRefused(Exception):
    """The file as a whole cannot be read: not an xlsx, too large, no table found."""


@dataclass
class ImportReport:
    kind: str  # "cadres" or "units"
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    errors_total: int = 0
    warnings: list[str] = field(default_factory=list)
    warnings_total: int = 0
    # Existing people (or units) the file's rows were matched to, with what would change.
    matches: list[dict[str, Any]] = field(default_factory=list)
    matches_total: int = 0
    # The mapping used: one entry per column of the table (see `columns.ColumnPlan`).
    columns: list[dict[str, Any]] = field(default_factory=list)
    # The first rows as they will be imported: {"row": n, "cells": [text per column]}.
    preview: list[dict[str, Any]] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)  # spreadsheet row numbers
    # Row number -> messages, for the error file; not stored with the report.
    row_errors: dict[int, list[str]] = field(default_factory=dict, repr=False)

    # --- recording ------------------------------------------------------------------------

    def error(self, message: str, row: int | None = None) -> None:
        self.errors_total += 1
        if len(self.errors) < SHOWN:
            self.errors.append(message)
        if row is not None and self.errors_total <= KEPT_FOR_FILE:
            self.row_errors.setdefault(row, []).append(message)

    def cell_error(self, row: int, column: str, message: str) -> None:
        """The one shape of a value's problem: "Dòng N, cột <header as in the file>: …"."""
        self.error(f"Dòng {row}, cột {column}: {message}", row)

    def warn(self, message: str) -> None:
        self.warnings_total += 1
        if len(self.warnings) < SHOWN:
            self.warnings.append(message)

    def match(self, entry: dict[str, Any]) -> None:
        self.matches_total += 1
        if len(self.matches) < SHOWN:
            self.matches.append(entry)

    # --- reading --------------------------------------------------------------------------

    @property
    def ok(self) -> bool:
        return self.errors_total == 0

    @property
    def errors_hidden(self) -> int:
        return self.errors_total - len(self.errors)

    @property
    def warnings_hidden(self) -> int:
        return self.warnings_total - len(self.warnings)

    @property
    def matches_hidden(self) -> int:
        return self.matches_total - len(self.matches)

    @property
    def noun(self) -> str:
        return "đơn vị" if self.kind == "units" else "cán bộ"

    def summary(self) -> str:
        if not self.ok:
            return f"Tệp bị từ chối: {self.errors_total} lỗi, không ghi dữ liệu nào."
        counts = (
            f"{self.created + self.updated} {self.noun} (mới {self.created}, "
            f"cập nhật {self.updated})"
        )
        if self.unchanged:
            counts += f"; {self.unchanged} {self.noun} không thay đổi"
        if self.dry_run:
            return f"Tệp hợp lệ: {counts}. Chạy thử, chưa ghi dữ liệu nào."
        return f"Đã nhập {counts}."

    def problem_lines(self) -> list[str]:
        """The errors as shown, then "và N lỗi khác" when some were left out."""
        lines = list(self.errors)
        if self.errors_hidden:
            lines.append(f"… và {self.errors_hidden} lỗi khác.")
        return lines

    def warning_lines(self) -> list[str]:
        lines = list(self.warnings)
        if self.warnings_hidden:
            lines.append(f"… và {self.warnings_hidden} cảnh báo khác.")
        return lines

    def mapping_lines(self) -> list[str]:
        """The mapping used, one line a column, for the commands and the logs."""
        lines = []
        for c in self.columns:
            target = c["label"] if c["field"] else "bỏ qua"
            lines.append(f"Cột {c['letter']} “{c['header']}” → {target}")
        return lines

    # --- storing --------------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """Plain data for a job row; the messages per row as [[row, [messages]], …]."""
        data = asdict(self)
        data["row_errors"] = sorted([n, m] for n, m in self.row_errors.items())
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        known = set(cls.__dataclass_fields__)
        report = cls(**{k: v for k, v in data.items() if k in known and k != "row_errors"})
        report.row_errors = {int(n): list(m) for n, m in data.get("row_errors", [])}
        return report
