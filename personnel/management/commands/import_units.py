"""python manage.py import_units FILE.xlsx [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError

from personnel.importers import ImportReport, import_units


def print_report(command: BaseCommand, report: ImportReport) -> None:
    """Warnings and problems to stderr; the summary to stdout, or a CommandError (exit 1)."""
    for warning in report.warnings:
        command.stderr.write(f"Cảnh báo: {warning}")
    for error in report.errors:
        command.stderr.write(error)
    if not report.ok:
        raise CommandError(report.summary(), returncode=1)
    command.stdout.write(command.style.SUCCESS(report.summary()))


class Command(BaseCommand):
    help = "Nhập tổ chức đảng từ tệp Excel (.xlsx): Mã đơn vị, Tên đơn vị, Cấp, Mã đơn vị cấp trên."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx")
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ kiểm tra và báo cáo, không ghi gì"
        )

    def handle(self, *args, **options):
        print_report(self, import_units(options["file"], dry_run=options["dry_run"]))
