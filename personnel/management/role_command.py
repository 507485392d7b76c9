"""The shape shared by `grant_role` and `revoke_role`: the same three arguments, checked
together, and a Vietnamese error with a non-zero exit for anything unknown."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from personnel.management.base import OriginCommand
from personnel.models import Role
from personnel.services.roles import resolve_grant


class RoleCommand(OriginCommand):
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
        self.apply(user=user, role=options["role"], unit=unit, label=Role(options["role"]).label)

    def apply(self, *, user, role: str, unit, label: str) -> None:
        raise NotImplementedError
