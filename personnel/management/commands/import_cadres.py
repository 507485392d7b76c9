"""python manage.py import_cadres FILE.xlsx [--dry-run]"""

from django.core.management.base import BaseCommand

from personnel.importers import import_cadres
from personnel.management.commands.import_units import print_report


class Command(BaseCommand):
    help = "Nhập cán bộ từ tệp Excel (.xlsx); tệp có lỗi bị từ chối toàn bộ."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx")
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ kiểm tra và báo cáo, không ghi gì"
        )

    def handle(self, *args, **options):
        print_report(self, import_cadres(options["file"], dry_run=options["dry_run"]))
