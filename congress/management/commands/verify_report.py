from django.core.management.base import BaseCommand, CommandError

from congress.reports.documents import verify


class Command(BaseCommand):
    help = "Kiểm tra một mã văn bản: có do hệ thống tạo ra không, dữ liệu có thay đổi không."

    def add_arguments(self, parser):
        parser.add_argument("code", help="mã in ở chân trang (hoặc nội dung mã QR)")

    def handle(self, *args, code, **options):
        result = verify(code)
        if not result.found:
            raise CommandError(result.summary)
        doc = result.document
        self.stdout.write(
            f"{result.what}, {doc.issuer_name or doc.unit.name}, nhiệm kỳ {doc.term or '—'}, "
            f"tạo lúc {doc.issued_at:%d/%m/%Y %H:%M}."
        )
        self.stdout.write(result.summary)
        if result.hash_matches_print is False or not result.unchanged:
            raise CommandError("Văn bản không còn khớp với dữ liệu hiện tại.")
