"""`python manage.py demo_logins`: the demo accounts, their roles, units and the password."""

from django.core.management.base import BaseCommand

from personnel.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "In danh sách tài khoản dùng thử (do seed_demo tạo) và mật khẩu chung."

    def handle(self, *args, **options):
        from personnel.demo.users import demo_logins

        logins = demo_logins()
        if not logins:
            self.stdout.write(
                "Chưa có dữ liệu mẫu: chạy `python manage.py seed_demo --scale tiny` để tạo."
            )
            return
        self.stdout.write(f"Mật khẩu chung: {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<12} {login.full_name:<24} {login.role} — {login.unit}"
            )
