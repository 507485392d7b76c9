"""`make bench-scale`: the province recompute fanned out over real Celery workers.

On the bench database (seeded by `make bench`'s bench_seed, or here with SCALE_SEED=1), every
snapshot of the province is deleted, then the province is recomputed as one recompute job per
subtree under it (each commune with everything below it) through Redis and a real Celery worker
started with 1, then 2 processes (`enqueue_recompute` cuts a subtree above
RECOMPUTE_FANOUT_UNITS into parts); when the parts are done, the province's own job recomputes
its unit and rebuilds the roll-ups from every stored snapshot. The same recompute in
one process, without Celery, is the reference for the cost per cadre.

Writes into bench/results.json: `scale_recompute_1w_s`, `scale_recompute_2w_s`,
`scale_speedup_2w` (goal >= 1.6 on 2 cores), `scale_inprocess_s`, `scale_cadres`, `scale_jobs`,
`scale_cost_per_cadre_us` per run and `scale_cost_ratio_1w` (1 worker against in-process).

Only one province is seeded (the demo generator names one province); docs/scaling.md projects
the country from these per-cadre figures and says what was not measured.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/congress_bench")
REDIS_URL = os.environ.get("SCALE_REDIS_URL", "redis://127.0.0.1:6379/11")
QUEUE = "bench-scale"
LOG = Path(os.environ.get("SCALE_LOG_DIR", "/tmp")) / "bench-scale-worker.log"


def _worker(processes: int) -> subprocess.Popen:
    LOG.write_text("")
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "congress", "worker", "-P", "prefork",
         "-c", str(processes), "-Q", QUEUE, "--without-heartbeat", "--without-mingle",
         "--without-gossip", "-l", "info"],
        cwd=ROOT, env=dict(os.environ), stdout=LOG.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if " ready." in LOG.read_text(errors="replace"):
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the Celery worker did not start: " + LOG.read_text()[-2000:])


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
        time.sleep(0.05)
    raise RuntimeError("recompute jobs did not finish in time")


def _clear(province) -> None:
    from congress.models import StructureSnapshot

    StructureSnapshot.objects.filter(unit__path__startswith=province.path).delete()


def _fanned_out(province) -> tuple[float, int]:
    """The production path: `enqueue_recompute` cuts the province into one job per child
    subtree and runs the province's own job when the last one has ended."""
    from congress.services.structure import enqueue_recompute

    _clear(province)
    started = time.perf_counter()
    job = enqueue_recompute(root=province)
    _wait([job.pk])
    return time.perf_counter() - started, job.parts.count() + 1


def main() -> int:
    os.environ["DATABASE_URL"] = DB_URL
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ["CELERY_QUEUE"] = QUEUE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from congress.services.structure import recompute_structure
    from personnel.models import Cadre, PartyUnit

    call_command("migrate", verbosity=0)
    province = PartyUnit.objects.filter(parent__isnull=True, level="province").first()
    if province is None or os.environ.get("SCALE_SEED") == "1":
        call_command("seed_demo", scale="province", flush=True)
        province = PartyUnit.objects.get(parent__isnull=True, level="province")
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "congress", "purge", "-f", "-Q", QUEUE],
        cwd=ROOT, env=dict(os.environ), capture_output=True,
    )  # fmt: skip
    cadres = Cadre.objects.filter(unit__path__startswith=province.path).count()

    _clear(province)
    started = time.perf_counter()
    recompute_structure(root=province)
    inprocess = time.perf_counter() - started

    figures: dict = {"scale_cadres": cadres, "scale_inprocess_s": round(inprocess, 2)}
    for processes in (1, 2):
        worker = _worker(processes)
        try:
            elapsed, jobs = _fanned_out(province)
        finally:
            _stop(worker)
        figures[f"scale_recompute_{processes}w_s"] = round(elapsed, 2)
        figures["scale_jobs"] = jobs
        figures.setdefault("scale_cost_per_cadre_us", {})[f"{processes}w"] = round(
            elapsed / cadres * 1e6, 1
        )
    figures["scale_cost_per_cadre_us"]["inprocess"] = round(inprocess / cadres * 1e6, 1)
    figures["scale_speedup_2w"] = round(
        figures["scale_recompute_1w_s"] / figures["scale_recompute_2w_s"], 2
    )
    figures["scale_cost_ratio_1w"] = round(figures["scale_recompute_1w_s"] / inprocess, 2)

    out = ROOT / "bench" / "results.json"
    results = json.loads(out.read_text()) if out.exists() else {}
    results.update(figures)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
