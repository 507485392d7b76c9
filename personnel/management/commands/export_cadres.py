"""python manage.py export_cadres --unit CODE [--layout flat|trich-ngang] FILE.xlsx"""

from django.core.management.base import CommandError

from personnel.exporters import LAYOUTS, export_cadres
from personnel.management.base import OriginCommand
from personnel.models import AccessKind, Cadre, PartyUnit
from personnel.services.dossier import dossier_access_record


class Command(OriginCommand):
    help = (
        "Xuất cán bộ của một đơn vị và các đơn vị cấp dưới ra tệp Excel (.xlsx): bảng phẳng "
        "như mẫu nhập, hoặc danh sách trích ngang (--layout trich-ngang); cả hai nhập lại được."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị")
        parser.add_argument("--layout", choices=LAYOUTS, default="flat", help="mẫu bảng")
        parser.add_argument("file", help="tệp .xlsx sẽ ghi")

    def handle(self, *args, **options):
        code = options["unit"].strip()
        unit = PartyUnit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã “{code}”.", returncode=1)
        qs = Cadre.objects.live().filter(unit__path__startswith=unit.path)
        # Logged before the file is written: the dossiers leave the database here.
        dossier_access_record(
            user=None, kind=AccessKind.EXPORT, cadres=qs, unit=unit, label=options["file"]
        )
        try:
            count = export_cadres(qs, options["file"], layout=options["layout"], unit=unit)
        except OSError as exc:
            raise CommandError(
                f"Không ghi được tệp {options['file']}: {exc}", returncode=1
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Đã xuất {count} cán bộ của {unit.name} vào {options['file']}.")
        )
