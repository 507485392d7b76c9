"""Benchmark: import a generated 100,000-row cadres file against the current database.

`run(results)` stores two floats: `import_read_floor_s`, python-calamine alone reading the
file (open, first sheet, every value as Python objects: the fastest well-kept reader), and
`import_100k_s`, `personnel.imports.import_cadres` on it: the size checks, header detection,
column mapping, every value read and checked, the people matched against the registry, the
cadres written with COPY and one audit row each, in one transaction. The goal (issue 16) is
import_100k_s <= 3 × import_read_floor_s. Needs django.setup() done by the caller.

The audit rows the import writes stay (the audit trail is append-only); the cadres are
removed after the run.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from pathlib import Path

ROWS = 100_000
UNITS = 100
BENCH_ROOT = "BENCH"
TMP = Path(__file__).resolve().parent / "tmp"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Xuân", "Thu", "Hồng"]
GIVEN = [
    "An", "Anh", "Ánh", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu",
    "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga",
    "Ngọc", "Phúc", "Phương", "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến",
]  # fmt: skip
THEORY = ["", "Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"]
# The import template's flat layout, as the file has always been generated.
HEADERS = [
    "Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Số CCCD",
    "Quê quán", "Người địa phương", "Ngày vào Đảng", "Ngày chính thức", "Trình độ chuyên môn",
    "Lý luận chính trị", "Quản lý nhà nước", "Ngoại ngữ", "Mã đơn vị",
]  # fmt: skip


def _units() -> list[str]:
    from personnel.models import Level, PartyUnit

    root = PartyUnit.objects.filter(code=BENCH_ROOT).first()
    if root is None:
        root = PartyUnit.objects.create(
            code=BENCH_ROOT, name="Đảng bộ đo hiệu năng", level=Level.PROVINCE
        )
    codes = [f"{BENCH_ROOT}-{i:03d}" for i in range(UNITS)]
    have = set(PartyUnit.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in have:
            PartyUnit.objects.create(
                code=code, name=f"Chi bộ đo hiệu năng {code}", level=Level.CELL, parent=root
            )
    return codes


def generate(path: Path, unit_codes: list[str], rows: int = ROWS, seed: int = 1) -> None:
    """A realistic cadres file: mixed Excel date cells and dd/mm/yyyy text, unique CCCDs."""
    from openpyxl import Workbook

    rnd = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Cán bộ")
    ws.append(HEADERS)
    base = date(1960, 1, 1)
    for i in range(rows):
        birth = base + timedelta(days=rnd.randrange(0, 365 * 30))
        entry = birth + timedelta(days=365 * 19 + rnd.randrange(0, 365 * 5))
        confirmed = entry + timedelta(days=365)
        sex = "Nữ" if rnd.random() < 0.4 else "Nam"
        name = f"{rnd.choice(FAMILY)} {'Thị' if sex == 'Nữ' else rnd.choice(MIDDLE)} "
        name += rnd.choice(GIVEN)
        ws.append(
            [
                f"BCB{i:06d}",
                name,
                birth if i % 2 else birth.strftime("%d/%m/%Y"),
                sex,
                "Kinh" if i % 10 else "Tày",
                "",
                f"0{i + 10_000_000_000:011d}",
                "Xã An Bình, huyện Thử Nghiệm",
                "Có" if i % 3 else "Không",
                entry,
                confirmed.strftime("%d/%m/%Y"),
                "Cử nhân Luật",
                THEORY[i % len(THEORY)],
                "Chuyên viên",
                "Tiếng Anh B1",
                unit_codes[i % len(unit_codes)],
            ]
        )
    wb.save(path)


def read_floor(path: Path) -> float:
    """python-calamine reading the file: every cell of the sheet as a Python value."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    with CalamineWorkbook.from_path(str(path)) as wb:
        rows = wb.get_sheet_by_index(0).to_python()
    elapsed = time.perf_counter() - start
    assert len(rows) == ROWS + 1, len(rows)
    return elapsed


def _cleanup(unit_codes: list[str]) -> None:
    from django.db import IntegrityError, transaction

    from personnel.models import Cadre

    qs = Cadre.objects.filter(unit__code__in=unit_codes)
    try:
        with transaction.atomic():
            qs._raw_delete(qs.db)  # fast; the bench cadres have no related rows
    except IntegrityError:
        qs.delete()


def run(results: dict) -> None:
    from personnel.imports import import_cadres

    TMP.mkdir(parents=True, exist_ok=True)
    path = TMP / "cadres_100k.xlsx"
    unit_codes = _units()
    _cleanup(unit_codes)
    if not path.exists():
        generate(path, unit_codes)
    # Warm the page cache, then take the best of two reads as the floor.
    results["import_read_floor_s"] = round(min(read_floor(path) for _ in range(2)), 3)
    # The import's one hook enqueues a structure recompute; without a broker Celery runs it
    # in-process, which is not import work: count the call, do not run the recompute.
    hook_calls: list[list[int]] = []
    try:
        import personnel.services as services
    except ImportError:
        services = None
    saved = getattr(services, "registry_changed", None)
    if services is not None:
        services.registry_changed = hook_calls.append
    try:
        start = time.perf_counter()
        report = import_cadres(path)
        elapsed = time.perf_counter() - start
        if not report.ok:
            raise RuntimeError("bench import refused: " + "; ".join(report.errors[:5]))
        assert report.created == ROWS, report.created
        results["import_100k_s"] = round(elapsed, 3)
    finally:
        if services is not None:
            services.registry_changed = saved
        _cleanup(unit_codes)
