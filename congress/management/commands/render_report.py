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
        parser.add_argument("--docx", help="tệp Word (.docx) sẽ ghi kèm (không bắt buộc)")
        parser.add_argument(
            "--du-thao", action="store_true", dest="draft", help="bản dự thảo: không lấy số"
        )

    def handle(self, *args, kind, unit, term, body, cadre, round, out, docx, draft, **options):
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
        word = Path(docx) if docx else None
        for path in (target, word):
            if path is not None and not path.parent.is_dir():
                raise CommandError(f"Thư mục «{path.parent}» không tồn tại.")
        params = {"term": term or "", "body": body, "cadre": cadre, "round": round}
        if draft:
            params["draft"] = True

        def save(code: str, pdf: bytes, docx_bytes: bytes) -> None:
            # The files first; the number is registered once they are written.
            target.write_bytes(pdf)
            if word is not None:
                word.write_bytes(docx_bytes)

        try:
            produced = produce(kind, unit, params, save=save)
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        issued = produced.issued
        number = issued.number_text or ("bản dự thảo" if issued.is_draft else "không số")
        self.stdout.write(
            f"Đã tạo {issued.get_kind_display()} ({number}), mã kiểm tra {issued.code}: "
            f"{target} ({len(produced.pdf) // 1024} KB)" + (f", {word}" if word else "") + "."
        )
