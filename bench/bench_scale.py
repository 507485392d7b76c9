"""`make bench-scale`: N provinces recomputed through real Celery workers.

Seeds `SCALE_PROVINCES` provinces (default 3, about 100,000 cadres each) of the demo into a
database of its own (`SCALE_DATABASE_URL`, default `congress_scale`, created when missing and
reused when it already holds those provinces; `SCALE_SEED=1` seeds it again), one
`seed_demo --scale province --province K` each. Then, with every snapshot of those provinces
deleted before each run:

- in one process, without Celery: province 1 alone (the one-province reference), then every
  province one after the other;
- through Redis and a real Celery worker started with 1, then 2 processes: one
  `enqueue_recompute` per province, which cuts the province into parts (runs of its child
  subtrees, `RECOMPUTE_PARTS`); the workers take the parts of every province side by side and
  each province's own job rolls it up when its last part has ended. At 1 process, province 1
  alone goes through the same path first (the fan-out's own one-province figure).

Each measurement is repeated `SCALE_REPEAT` times (default 3, the machine is shared) and the
median kept; every run is in `scale_runs`. Writes into bench/results.json:
`scale_provinces`, `scale_cadres`, `scale_jobs`, `scale_recompute_1w_s`, `scale_recompute_2w_s`,
`scale_speedup_2w` (goal >= 1.6 on 2 cores), `scale_inprocess_s` (every province, one process),
`scale_inprocess_1p_s`, `scale_recompute_1p_1w_s` and `scale_recompute_1p_2w_s` (province 1
alone; `scale_speedup_1p_2w`: how one province's parts share two processes),
`scale_cost_per_cadre_us` per measurement, `scale_cost_ratio_1w` (N provinces at 1 worker
against province 1 in one process, per cadre; goal <= 1.2), `scale_cost_ratio_1w_1p` (against
province 1 at 1 worker: the fan-out's linearity alone), `scale_cost_ratio_inprocess` (N against
1 province, both in one process), `scale_loadavg` (the machine's load averages before and after
the runs) and, when it seeded, `scale_seed_s` (seconds per province).
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get("SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/congress_scale")
REDIS_URL = os.environ.get("SCALE_REDIS_URL", "redis://127.0.0.1:6379/11")
PROVINCES = int(os.environ.get("SCALE_PROVINCES", "3"))
DEMO_SCALE = os.environ.get("SCALE_DEMO", "province")  # "tiny": a quick check of the bench
REPEAT = int(os.environ.get("SCALE_REPEAT", "3"))
QUEUE = "bench-scale"
LOG_DIR = Path(os.environ.get("SCALE_LOG_DIR", "/tmp"))


def _ensure_database(url: str) -> None:
    """Create the bench's database when missing (through the server's `postgres` database)."""
    import psycopg2
    from psycopg2 import sql

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(
        dbname="postgres", user=parts.username, password=parts.password,
        host=parts.hostname, port=parts.port or 5432,
    )  # fmt: skip
    conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def _worker(processes: int) -> subprocess.Popen:
    log = LOG_DIR / f"bench-scale-worker-{processes}.log"  # each task's time is in it
    log.write_text("")
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "congress", "worker", "-P", "prefork",
         "-c", str(processes), "-Q", QUEUE, "--without-heartbeat", "--without-mingle",
         "--without-gossip", "-l", "info"],
        cwd=ROOT, env=dict(os.environ), stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if " ready." in log.read_text(errors="replace"):
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the Celery worker did not start: " + log.read_text()[-2000:])


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait(job_ids: list[int], timeout: float = 1800) -> None:
    from congress.models import RecomputeJob
    from personnel.jobs import JobStatus

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = list(RecomputeJob.objects.filter(pk__in=job_ids).values_list("status", flat=True))
        if all(s in (JobStatus.DONE, JobStatus.FAILED) for s in states):
            failed = states.count(JobStatus.FAILED)
            if failed:
                raise RuntimeError(f"{failed} recompute jobs failed")
            return
        time.sleep(0.01)  # the runs last a second or two: poll finely
    raise RuntimeError("recompute jobs did not finish in time")


def _clear(provinces: list) -> None:
    """Delete the provinces' snapshots, then vacuum them away: autovacuum is off on the CI
    machine, and the dead rows of every earlier run would slow the later runs (the worker
    runs come last) by the bench's own leftovers."""
    from django.db import connection

    from congress.models import StructureSnapshot

    for province in provinces:
        StructureSnapshot.objects.filter(unit__path__startswith=province.path).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {StructureSnapshot._meta.db_table}")


def _in_process(provinces: list) -> float:
    from congress.services.structure import recompute_structure

    _clear(provinces)
    started = time.perf_counter()
    for province in provinces:
        recompute_structure(root=province)
    return time.perf_counter() - started


def _fanned_out(provinces: list) -> tuple[float, int]:
    """The production path, once per province: `enqueue_recompute` cuts each province into
    parts and runs the province's own job when its last part has ended."""
    from congress.services.structure import enqueue_recompute

    _clear(provinces)
    started = time.perf_counter()
    jobs = [enqueue_recompute(root=province) for province in provinces]
    _wait([job.pk for job in jobs])
    elapsed = time.perf_counter() - started
    return elapsed, sum(job.parts.count() + 1 for job in jobs)


def _seed(provinces: int) -> dict[str, float]:
    """Seed the provinces the database lacks; seconds per province seeded."""
    from django.core.management import call_command

    from personnel.demo.registry import province
    from personnel.models import PartyUnit

    fresh = os.environ.get("SCALE_SEED") == "1"
    seeded = {}
    for number in range(1, provinces + 1):
        code = province(number).code
        if not fresh and PartyUnit.objects.filter(code=code, parent__isnull=True).exists():
            continue
        print(f"seeding province {number} ({code})…", flush=True)
        started = time.perf_counter()
        call_command(
            "seed_demo", scale=DEMO_SCALE, province=number, flush=fresh and number == 1,
            stdout=StringIO(),
        )  # fmt: skip
        seeded[code] = round(time.perf_counter() - started, 1)
        print(f"  {seeded[code]} s", flush=True)
    return seeded


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def main() -> int:
    _ensure_database(DB_URL)
    os.environ["DATABASE_URL"] = DB_URL
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ["CELERY_QUEUE"] = QUEUE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from personnel.demo.registry import province
    from personnel.models import Cadre, PartyUnit

    call_command("migrate", verbosity=0)
    seeded = _seed(PROVINCES)
    # Whatever seeding or an earlier run left in the queue would be taken by the workers.
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "congress", "purge", "-f", "-Q", QUEUE],
        cwd=ROOT, env=dict(os.environ), capture_output=True,
    )  # fmt: skip
    roots = [
        PartyUnit.objects.get(code=province(n).code, parent__isnull=True)
        for n in range(1, PROVINCES + 1)
    ]
    per_province = [Cadre.objects.filter(unit__path__startswith=p.path).count() for p in roots]
    cadres, first = sum(per_province), per_province[0]

    # The machine may be shared: its load when the runs start goes with the figures.
    load_before = os.getloadavg()
    runs: dict[str, list[float]] = {"inprocess_1p": [], "inprocess": []}
    jobs = 0
    for processes in (1, 2):
        worker = _worker(processes)
        try:
            for _ in range(REPEAT):
                if processes == 1:
                    # The in-process references in the same rounds as the 1-process runs
                    # they are divided into (the idle worker waits on Redis, using no CPU):
                    # the machine's speed drifts, and a ratio should not measure the drift.
                    runs["inprocess_1p"].append(_in_process(roots[:1]))
                    runs["inprocess"].append(_in_process(roots))
                # Province 1 alone through the same path: the fan-out's own one-province
                # figure at 1 process, and how its parts share 2 processes.
                runs.setdefault(f"1p_{processes}w", []).append(_fanned_out(roots[:1])[0])
                elapsed, jobs = _fanned_out(roots)
                runs.setdefault(f"{processes}w", []).append(elapsed)
        finally:
            _stop(worker)

    s = {name: _median(values) for name, values in runs.items()}
    counted = {
        "inprocess_1p": first,
        "1p_1w": first,
        "1p_2w": first,
        "inprocess": cadres,
        "1w": cadres,
        "2w": cadres,
    }
    per_cadre = {name: round(seconds / counted[name] * 1e6, 1) for name, seconds in s.items()}
    figures: dict = {
        "scale_provinces": PROVINCES,
        "scale_cadres": cadres,
        "scale_cadres_per_province": per_province,
        "scale_jobs": jobs,
        "scale_repeat": REPEAT,
        "scale_inprocess_1p_s": s["inprocess_1p"],
        "scale_inprocess_s": s["inprocess"],
        "scale_recompute_1p_1w_s": s["1p_1w"],
        "scale_recompute_1w_s": s["1w"],
        "scale_recompute_2w_s": s["2w"],
        "scale_speedup_2w": round(s["1w"] / s["2w"], 2),
        "scale_recompute_1p_2w_s": s["1p_2w"],
        "scale_speedup_1p_2w": round(s["1p_1w"] / s["1p_2w"], 2),
        "scale_cost_per_cadre_us": per_cadre,
        "scale_cost_ratio_1w": round(per_cadre["1w"] / per_cadre["inprocess_1p"], 2),
        "scale_cost_ratio_1w_1p": round(per_cadre["1w"] / per_cadre["1p_1w"], 2),
        "scale_cost_ratio_inprocess": round(per_cadre["inprocess"] / per_cadre["inprocess_1p"], 2),
        "scale_loadavg": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in os.getloadavg()],
        },
        "scale_runs": {name: [round(v, 2) for v in values] for name, values in runs.items()},
    }
    if seeded:
        figures["scale_seed_s"] = seeded

    out = ROOT / "bench" / "results.json"
    results = json.loads(out.read_text()) if out.exists() else {}
    results.update(figures)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
