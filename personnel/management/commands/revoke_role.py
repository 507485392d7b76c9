"""python manage.py revoke_role USERNAME ROLE UNIT_CODE"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from personnel.models import Role
from personnel.roles import resolve_grant, role_revoke


class Command(BaseCommand):
    help = "Thu hồi vai trò của người dùng trên một tổ chức đảng. Vai trò: " + ", ".join(
        Role.values
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
        if role_revoke(user=user, role=options["role"], unit=unit):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã thu hồi vai trò {label} của {user.get_username()} tại {unit}."
                )
            )
        else:
            # Nothing to revoke is an error: a typo in the unit code must not pass as done.
            raise CommandError(
                f"{user.get_username()} không có vai trò {label} tại {unit}: không có gì để thu hồi.",
                returncode=1,
            )
