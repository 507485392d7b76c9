import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

app = Celery("congress")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _check_db_connections(task=None, **kwargs):
    """Between two tasks of a worker, what Django does between two requests: close the
    connection if it broke or outlived CONN_MAX_AGE, and check it before its next use
    (CONN_HEALTH_CHECKS). Celery's own close after every task is off (CELERY_DB_REUSE_MAX).
    Not for an eager task: it runs inside the caller's request and transaction."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
