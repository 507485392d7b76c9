"""The project package and the congress app. Importing it loads nothing: the Celery app is
started by `CongressConfig.ready()` (and found by `celery -A congress` in `congress.celery`),
so the pure engine `congress.rules` imports without Django or Celery."""
