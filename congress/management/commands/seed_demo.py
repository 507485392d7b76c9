"""`python manage.py seed_demo --scale {tiny,district,province} [--seed N] [--province K]
[--if-empty] [--flush]`

`--province K` (K > 1) adds province K beside the provinces already in the database, with
codes, users and identity numbers of its own (`make bench-scale` seeds several this way)."""

import time

from django.core.management.base import CommandError
from django.db import connection, transaction

from congress.demo import STEPS
from personnel.demo import DEFAULT_SEED, SCALE_NAMES, DemoContext, run_steps
from personnel.management.base import OriginCommand


class Command(OriginCommand):
    help = "Tạo dữ liệu mẫu (tổ chức đảng, cán bộ, chức vụ, cấp ủy, người dùng thử)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALE_NAMES, default="tiny")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--province",
            type=int,
            default=1,
            help="Tạo tỉnh thứ K (K > 1: thêm bên cạnh các tỉnh đã có, mã và tài khoản riêng).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Không làm gì nếu cơ sở dữ liệu đã có tổ chức đảng (với --province K > 1: "
            "nếu đã có tỉnh thứ K).",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Xóa dữ liệu tổ chức, cán bộ và người dùng mẫu cũ trước khi tạo lại.",
        )

    def handle(self, *args, scale, seed, province, if_empty, flush, **options):
        from personnel.demo.flush import flush_registry
        from personnel.demo.registry import province as province_of
        from personnel.demo.users import demo_logins
        from personnel.models import PartyUnit

        if province < 1:
            raise CommandError("--province phải từ 1 trở lên.")
        existing = PartyUnit.objects.count()
        if province > 1 and not flush:
            # Adding a province: only that province's own units count as "already there".
            code = province_of(province).code
            if PartyUnit.objects.filter(code=code).exists():
                if if_empty:
                    self.stdout.write(f"Đã có tỉnh {code}: bỏ qua việc tạo dữ liệu mẫu.")
                    return
                raise CommandError(
                    f"Cơ sở dữ liệu đã có tỉnh {code}. Dùng --flush để xóa toàn bộ dữ liệu "
                    "mẫu cũ và tạo lại, hoặc --if-empty để bỏ qua."
                )
            existing = 0
        if existing and if_empty:
            self.stdout.write(
                f"Đã có dữ liệu ({existing} tổ chức đảng): bỏ qua việc tạo dữ liệu mẫu."
            )
            return
        if existing and not flush:
            raise CommandError(
                f"Cơ sở dữ liệu đã có dữ liệu ({existing} tổ chức đảng). Dùng --flush để xóa "
                "dữ liệu mẫu cũ và tạo lại, hoặc --if-empty để bỏ qua."
            )
        ctx = DemoContext(scale=scale, seed=seed, province=province, log=self.stdout.write)
        started = time.perf_counter()
        which = f", tỉnh thứ {province}" if province > 1 else ""
        self.stdout.write(f"Tạo dữ liệu mẫu quy mô «{scale}» (seed {seed}{which})…")
        with transaction.atomic():
            if flush and existing:
                flush_registry()
                self.stdout.write("  Đã xóa dữ liệu cũ.")
            run_steps(ctx, STEPS)
            if connection.vendor == "postgresql":
                # Planner statistics for the tables just filled in bulk: without them the
                # first pages plan for empty tables (nested loops over thousands of rows).
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{k}: {v:,}".replace(",", ".") for k, v in ctx.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Xong trong {elapsed:.1f} s — {summary}."))
        self.stdout.write(f"Tài khoản thử (mật khẩu chung: {ctx.password}):")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<12} {login.role} — {login.unit}")
