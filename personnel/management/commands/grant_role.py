"""python manage.py grant_role USERNAME ROLE UNIT_CODE"""

from personnel.management.role_command import RoleCommand
from personnel.models import Role
from personnel.services.roles import role_grant


class Command(RoleCommand):
    help = (
        "Giao vai trò cho người dùng trên một tổ chức đảng (và các đơn vị cấp dưới, trừ vai trò "
        "bí thư). Vai trò: " + ", ".join(f"{value} ({label})" for value, label in Role.choices)
    )

    def apply(self, *, user, role, unit, label):
        if role_grant(user=user, role=role, unit=unit):
            self.stdout.write(
                self.style.SUCCESS(f"Đã giao vai trò {label} cho {user.get_username()} tại {unit}.")
            )
        else:
            self.stdout.write(f"{user.get_username()} đã có vai trò {label} tại {unit}: không đổi.")
