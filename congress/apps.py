from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = "Đại hội và nhân sự"

    def ready(self) -> None:
        from congress.reports import checks  # noqa: F401  (registers the system checks)
