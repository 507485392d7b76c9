from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = "Quy hoạch cán bộ"

    def ready(self) -> None:
        # The planning panel of the cadre page.
        from planning import panels  # noqa: F401
