"""python manage.py revoke_role USERNAME ROLE UNIT_CODE"""

from django.core.management.base import CommandError

from personnel.management.role_command import RoleCommand
from personnel.models import Role
from personnel.services.roles import role_revoke


class Command(RoleCommand):
    help = "Thu hồi vai trò của người dùng trên một tổ chức đảng. Vai trò: " + ", ".join(
        Role.values
    )

    def apply(self, *, user, role, unit, label):
        if role_revoke(user=user, role=role, unit=unit):
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
