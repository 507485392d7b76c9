from django.core.management.base import BaseCommand, CommandError

from congress.services.structure import enqueue_recompute, recompute_structure
from personnel.models import PartyUnit


class Command(BaseCommand):
    help = "Tính lại cơ cấu (tỷ lệ, phát hiện) của một đơn vị và toàn bộ đơn vị cấp dưới."

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="mã đơn vị gốc (mặc định: toàn bộ)")
        parser.add_argument(
            "--sync", action="store_true", help="tính ngay trong tiến trình này, không qua worker"
        )

    def handle(self, *args, unit=None, sync=False, **options):
        root = None
        if unit:
            root = PartyUnit.objects.filter(code=unit).first()
            if root is None:
                raise CommandError(f"Không tìm thấy đơn vị có mã '{unit}'.")
        verbosity = options.get("verbosity", 1)
        if sync:

            def progress(done, total):
                if verbosity > 1:
                    self.stderr.write(f"{done}/{total}")

            stats = recompute_structure(root=root, progress=progress)
            self.stdout.write(
                f"Đã tính {stats['units']} đơn vị, ghi {stats['written']} bản cơ cấu mới "
                f"(đọc dữ liệu {stats.get('load_s', 0)} giây, tính {stats.get('evaluate_s', 0)} "
                f"giây, ghi {stats.get('write_s', 0)} giây)."
            )
            return
        roots = [root] if root else list(PartyUnit.objects.filter(parent__isnull=True))
        for r in roots:
            job = enqueue_recompute(root=r)
            self.stdout.write(f"Đã đưa vào hàng đợi: tính lại cơ cấu {r.name} (việc số {job.pk}).")
