from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "personnel"
    verbose_name = "Cán bộ và tổ chức đảng"

    def ready(self) -> None:
        from personnel import receivers  # noqa: F401
