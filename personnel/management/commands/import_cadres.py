"""python manage.py import_cadres FILE.xlsx --unit CODE [--dry-run] [--mapping PRESET]"""

from django.core.management.base import BaseCommand

from personnel.imports import import_cadres
from personnel.management.commands.import_units import (
    add_common_arguments,
    options_for,
    print_report,
)


class Command(BaseCommand):
    help = (
        "Nhập cán bộ từ tệp Excel (.xlsx): mẫu nhập của hệ thống, danh sách trích ngang hoặc "
        "danh sách đảng viên các đơn vị đang dùng. Tệp có lỗi bị từ chối toàn bộ; cách đọc "
        "các cột được in ra."
    )

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument(
            "--unit",
            help="mã đơn vị nhận (bắt buộc khi tệp không có cột Mã đơn vị; khi có, các mã phải "
            "là đơn vị cấp dưới của đơn vị này)",
        )

    def handle(self, *args, **options):
        report = import_cadres(
            options["file"],
            dry_run=options["dry_run"],
            note=f"Lệnh import_cadres, tệp “{options['file']}”",
            **options_for("cadres", options),
        )
        print_report(self, report)
