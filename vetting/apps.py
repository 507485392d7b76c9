from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "vetting"
    verbose_name = "Bảo vệ chính trị nội bộ"

    def ready(self) -> None:
        # The vetting panel of the registry's cadre page.
        from vetting import panels  # noqa: F401
