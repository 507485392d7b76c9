from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congress.models.reports import ReportKind
from congress.reports.data import ReportError
from congress.reports.documents import produce


class Command(BaseCommand):
    help = (
        "Tạo văn bản PDF (danh sách trích ngang, đề án nhân sự, báo cáo cơ cấu, lý lịch, biên bản, "
        "báo cáo quy hoạch cán bộ)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="loại văn bản: " + ", ".join(ReportKind.values))
        parser.add_argument("--unit", help="mã đơn vị")
        parser.add_argument("--term", help="nhiệm kỳ, ví dụ 2025-2030 (quy hoạch: 2030-2035)")
        parser.add_argument("--body", default="executive", help="executive hoặc standing")
        parser.add_argument("--cadre", type=int, help="mã số cán bộ (sơ yếu lý lịch)")
        parser.add_argument("--round", type=int, help="mã số vòng giới thiệu (biên bản)")
        parser.add_argument("--out", help="tệp PDF sẽ ghi")

    def handle(self, *args, kind, unit, term, body, cadre, round, out, **options):
        if kind not in ReportKind.values:
            raise CommandError(
                f"Loại văn bản «{kind}» không hợp lệ; chọn một trong: {', '.join(ReportKind.values)}."
            )
        if not unit:
            raise CommandError("Thiếu mã đơn vị (--unit).")
        if not out:
            raise CommandError("Thiếu tệp kết quả (--out FILE.pdf).")
        if kind == "resume" and not cadre:
            raise CommandError("Sơ yếu lý lịch cần mã số cán bộ (--cadre).")
        if kind == "ballot-minutes" and not round:
            raise CommandError("Biên bản kiểm phiếu cần mã số vòng giới thiệu (--round).")
        if body not in ("executive", "standing", "people_council"):
            raise CommandError(
                "Cơ quan bầu (--body) phải là executive, standing hoặc people_council."
            )
        target = Path(out)
        if not target.parent.is_dir():
            raise CommandError(f"Thư mục «{target.parent}» không tồn tại.")
        params = {"term": term or "", "body": body, "cadre": cadre, "round": round}
        try:
            issued, pdf = produce(kind, unit, params)
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        target.write_bytes(pdf)
        self.stdout.write(
            f"Đã tạo {issued.get_kind_display()} số {issued.number}, mã kiểm tra {issued.code}: "
            f"{target} ({len(pdf) // 1024} KB)."
        )
