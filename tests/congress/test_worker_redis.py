"""A real Celery worker, through Redis, recomputes a subtree on PostgreSQL after an edit
commits. Marked so that CI (REQUIRE_SERVICES=1) fails rather than skips without them."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from congress.celery import app
from congress.models import StructureSnapshot
from tests.congress.builders import committee

ROOT = Path(__file__).resolve().parents[2]


def worker_backends() -> list[int]:
    """The server processes of this database's other connections: the worker's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend' ORDER BY pid"
        )
        return [row[0] for row in cursor.fetchall()]


def wait_for(predicate, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_real_worker_recomputes_subtree_after_commit(province, commune):
    from personnel.catalogue import ensure_catalogue

    ensure_catalogue()  # a transactional test starts from tables emptied by earlier ones
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["CELERY_QUEUE"] = queue
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "congress",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        people = committee(commune, women=0, men=7)  # each save commits and enqueues

        def female_count():
            snap = StructureSnapshot.objects.filter(unit=commune, slot="committee").first()
            return snap.ratios.get("female", {}).get("count") if snap else None

        assert wait_for(lambda: female_count() == 0), "the worker never computed the commune"
        kept = worker_backends()
        person = people[0]
        person.sex = "female"
        person.save()  # autocommit: on_commit fires at once and the task goes to Redis
        assert wait_for(lambda: female_count() == 1), "the edit was not recomputed by the worker"
        # The worker keeps its database connection from one task to the next (a new backend
        # for every task cost each a connection and cold caches) ...
        assert kept and worker_backends() == kept
        # ... and a connection that broke between two tasks is replaced, as between requests.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) pid", [kept])
        person = people[1]
        person.sex = "female"
        person.save()
        assert wait_for(lambda: female_count() == 2), "a broken connection stopped the worker"
        province_snap = StructureSnapshot.objects.get(unit=province, slot="committee")
        assert wait_for(
            lambda: (
                StructureSnapshot.objects.get(pk=province_snap.pk)
                .rollup.get("counts", {})
                .get("female")
                == 2
            )
        ), "the province roll-up did not follow"
    finally:
        app.conf.task_default_queue = old_queue
        worker.terminate()
        try:
            out, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, _ = worker.communicate()
        print(out[-3000:])


def test_a_send_while_redis_is_down_fails_on_the_broker_not_on_a_result_store():
    """With Redis stopped, handing over a job must fail at once on the broker (the sweeper
    re-sends it): no result store that would retry for twenty seconds inside the request."""
    code = (
        "import django; django.setup()\n"
        "from congress.celery import app\n"
        "try:\n"
        "    app.send_task('congress.recompute_structure', args=[0])\n"
        "except Exception as exc:\n"
        "    print(type(exc).__module__ + '.' + type(exc).__name__)\n"
    )
    env = dict(os.environ, REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    env.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.strip() == "kombu.exceptions.OperationalError", (
        out.stdout + out.stderr[-2000:]
    )
