from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "vetting"
    verbose_name = "Bảo vệ chính trị nội bộ"
