"""python manage.py grant_role USERNAME ROLE UNIT_CODE"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from personnel.models import Role
from personnel.roles import resolve_grant, role_grant


class Command(BaseCommand):
    help = (
        "Giao vai trò cho người dùng trên một tổ chức đảng (và các đơn vị cấp dưới, trừ vai trò "
        "bí thư). Vai trò: " + ", ".join(f"{value} ({label})" for value, label in Role.choices)
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="tên đăng nhập")
        parser.add_argument("role", help="vai trò: " + ", ".join(Role.values))
        parser.add_argument("unit_code", help="mã tổ chức đảng")

    def handle(self, *args, **options):
        try:
            user, unit = resolve_grant(
                username=options["username"], role=options["role"], unit_code=options["unit_code"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=1) from exc
        label = Role(options["role"]).label
        if role_grant(user=user, role=options["role"], unit=unit):
            self.stdout.write(
                self.style.SUCCESS(f"Đã giao vai trò {label} cho {user.get_username()} tại {unit}.")
            )
        else:
            self.stdout.write(f"{user.get_username()} đã có vai trò {label} tại {unit}: không đổi.")
