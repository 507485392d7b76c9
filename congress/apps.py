from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = "Đại hội và nhân sự"

    def ready(self) -> None:
        # The Celery app, so that `shared_task`s bind to it in every process that loads
        # Django; `congress/__init__.py` stays empty so the engine imports without it.
        # The congress app's answers to the layers below: the structure recompute after a
        # registry change, its panels of the registry's pages, and planning's "use" targets.
        from congress import (  # noqa: F401
            celery,  # noqa: F401
            panels,
            receivers,
        )
