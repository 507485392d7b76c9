"""python manage.py import_units FILE.xlsx [--unit CODE] [--dry-run] [--mapping PRESET]"""

from django.core.management.base import BaseCommand, CommandError

from personnel.imports import ImportReport, import_units
from personnel.models import ImportPreset, PartyUnit


def print_report(command: BaseCommand, report: ImportReport) -> None:
    """The mapping used and the warnings and problems to stderr; the summary to stdout, or
    a CommandError (exit status 1)."""
    if report.columns:
        command.stderr.write("Cách đọc các cột:")
        for line in report.mapping_lines():
            command.stderr.write(f"  {line}")
    for warning in report.warning_lines():
        command.stderr.write(f"Cảnh báo: {warning}")
    for match in report.matches:
        changes = "; ".join(
            f"{label}: {old or '(trống)'} → {new}" for label, old, new in match["changes"]
        )
        command.stderr.write(
            f"Dòng {match['row']}: đã có {match['name']} (theo {match['by']})"
            + (f" — {changes}" if changes else " — không thay đổi")
        )
    for line in report.problem_lines():
        command.stderr.write(line)
    if not report.ok:
        raise CommandError(report.summary(), returncode=1)
    command.stdout.write(command.style.SUCCESS(report.summary()))


def options_for(kind: str, options: dict) -> dict:
    """The unit and preset named on the command line, or a CommandError."""
    unit = None
    if options.get("unit"):
        unit = PartyUnit.objects.filter(code=options["unit"].strip()).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã “{options['unit']}”.", returncode=1)
    preset = None
    if options.get("mapping"):
        found = ImportPreset.objects.filter(kind=kind, name=options["mapping"]).first()
        if found is None:
            names = ", ".join(ImportPreset.objects.filter(kind=kind).values_list("name", flat=True))
            raise CommandError(
                f"Không có mẫu cột “{options['mapping']}”"
                + (f" (các mẫu: {names})." if names else "."),
                returncode=1,
            )
        preset = found.columns
    return {"unit": unit, "preset": preset}


def add_common_arguments(parser) -> None:
    parser.add_argument("file", help="tệp .xlsx")
    parser.add_argument(
        "--dry-run", action="store_true", help="chỉ kiểm tra và báo cáo, không ghi gì"
    )
    parser.add_argument("--mapping", help="tên mẫu cột đã lưu (trên trang nhập dữ liệu)")


class Command(BaseCommand):
    help = (
        "Nhập tổ chức đảng từ tệp Excel (.xlsx): Mã đơn vị, Tên đơn vị, Cấp, Mã đơn vị cấp trên. "
        "Đơn vị không ghi cấp trên được đặt dưới đơn vị --unit."
    )

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--unit", help="mã đơn vị cấp trên của các đơn vị trong tệp")

    def handle(self, *args, **options):
        report = import_units(
            options["file"],
            dry_run=options["dry_run"],
            note=f"Lệnh import_units, tệp “{options['file']}”",
            **options_for("units", options),
        )
        print_report(self, report)
