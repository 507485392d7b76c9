from django.apps import AppConfig, apps


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = "Đại hội và nhân sự"

    def ready(self) -> None:
        # The Celery app, so that `shared_task`s bind to it in every process that loads
        # Django; `congress/__init__.py` stays empty so the engine imports without it. Every
        # app's tasks are registered now: a web process sends jobs by task name (the job
        # outbox, personnel/jobs.py) without importing the app that defines the task.
        from congress.celery import app

        app.autodiscover_tasks([c.name for c in apps.get_app_configs()], force=True)

        # The congress app's answers to the layers below: the structure recompute after a
        # registry change, its panels of the registry's pages, and planning's "use" targets.
        from congress import panels, receivers  # noqa: F401

        # The startup check of the optional PDF accelerations.
        from congress.reports import checks  # noqa: F401
