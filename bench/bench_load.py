"""Deadline-day load (issue 13): 300 grassroots secretaries editing and submitting their
nominee lists and 20 board staff on dashboards and documents, for LOAD_SECONDS (default 300)
against gunicorn + PostgreSQL + Redis + a real Celery worker, with the fixed-string floor
(/suc-khoe/) asked in the same run. The users are bench/locustfile.py; this step seeds their
accounts on the province demo that `bench_seed` leaves, starts the stack, runs locust headless
and checks its figures against the database.

Writes `load` into the results: requests served, errors (goal 0), p95 per endpoint, the
floor's p95 and each endpoint's ratio to it (goal <= 3), and whether every submission the
users were told about was recorded once (one `list.submit` audit row each: none lost, none
twice), likewise the nominees added and removed; and the documents asked for.

Run after bench_seed: `LOAD_SECONDS=60 .venv/bin/python bench/run.py bench_load`.
LOAD_SECRETARIES and LOAD_BOARD scale the users down for a quick look; BENCH_REDIS_URL
points at a Redis to use instead of the one this step starts on port BENCH_LOAD_REDIS_PORT.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from server_env import plain_http_env

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8932"))
REDIS_PORT = int(os.environ.get("BENCH_LOAD_REDIS_PORT", "6391"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "300"))
SECRETARIES = int(os.environ.get("LOAD_SECRETARIES", "300"))
BOARD = int(os.environ.get("LOAD_BOARD", "20"))
FLOOR_USERS = 4
# Users start this many a second; they sign in two at a time (PBKDF2 on the server, most of
# a second of a core each), so the ramp lasts about users x login time / 2.
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "10"))
RAMP_LIMIT = 900
# Two cores: (2 x cores) + 1 sync workers, gunicorn's own rule; the Celery worker renders one
# document at a time so that the web keeps the cores it needs.
WEB_WORKERS = int(os.environ.get("LOAD_WEB_WORKERS", str(2 * (os.cpu_count() or 2) + 1)))
WORKER_CONCURRENCY = 1
PASSWORD = "Bench@2026-ngay-han-chot"
GOAL_VS_FLOOR = 3.0


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


# --- the users and their lists ---------------------------------------------------------------


def _prepare() -> dict:
    """Accounts for the secretaries of SECRETARIES grassroots units and for BOARD board staff,
    and those units' lists open for editing as on the morning of the deadline (lists a
    previous run submitted are returned, approved ones reopened, through the services)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from congress.models import ListState, NomineeList
    from congress.services.lists import nominee_list_reopen, nominee_list_return
    from personnel.models import PartyUnit
    from personnel.services.roles import role_grant

    lists = list(
        NomineeList.objects.live()
        .filter(body__congress__unit__level="grassroots", body__kind="executive")
        .exclude(state=ListState.LOCKED)
        .select_related("body__congress__unit")
        .order_by("pk")[:SECRETARIES]
    )
    if len(lists) < SECRETARIES:
        raise RuntimeError(
            f"{len(lists)} grassroots lists, {SECRETARIES} needed: run bench_seed first "
            "(province scale), or set LOAD_SECRETARIES lower"
        )
    province = (
        PartyUnit.objects.filter(level="province").order_by("pk").first()
    )  # the seeded one (bench_import adds its own)
    User = get_user_model()  # noqa: N806
    hashed = make_password(PASSWORD)  # once: PBKDF2 is slow on purpose

    def account(username: str, role: str, unit) -> str:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.password = hashed
            user.save(update_fields=["password"])
        role_grant(user=user, role=role, unit=unit)  # writes nothing when already granted
        return username

    board = [account(f"btc.tai{i:02d}", "board_staff", province) for i in range(1, BOARD + 1)]
    reviewer = User.objects.get(username=board[0])
    secretaries = []
    for nl in lists:
        unit = nl.body.congress.unit
        if nl.state == ListState.SUBMITTED:
            nominee_list_return(nominee_list=nl, user=reviewer, remark="Bổ sung trước hạn chót.")
        elif nl.state == ListState.APPROVED:
            nominee_list_reopen(nominee_list=nl, user=reviewer, remark="Lập lại trước hạn chót.")
        username = account(f"bithu.{unit.code.lower()}", "secretary", unit)
        secretaries.append({"username": username, "list": nl.pk, "unit": unit.code})
    communes = list(
        PartyUnit.objects.filter(level="commune", path__startswith=province.path)
        .order_by("pk")
        .values_list("code", flat=True)[:20]
    )
    documents = [["nominee-list", s["unit"]] for s in secretaries[:40]]
    documents += [["personnel-plan", s["unit"]] for s in secretaries[40:60]]
    documents += [["structure-summary", code] for code in communes]
    return {
        "password": PASSWORD,
        "secretaries": secretaries,
        "board": board,
        "documents": documents,
        "floor_users": FLOOR_USERS,
    }


# --- the stack --------------------------------------------------------------------------------


class Stack:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: list[subprocess.Popen] = []
        self.own_redis = not os.environ.get("BENCH_REDIS_URL")
        redis_url = os.environ.get("BENCH_REDIS_URL") or f"redis://127.0.0.1:{REDIS_PORT}/0"
        (tmp / "media").mkdir()
        # Board staff need a TOTP code outside DEBUG; a load generator has no authenticator
        # app, so the second factor is off for this run (and only for it).
        self.env = plain_http_env(REDIS_URL=redis_url, MEDIA_ROOT=str(tmp / "media"))

    def spawn(self, *cmd: str, log: str) -> subprocess.Popen:
        out = open(self.tmp / log, "ab")  # noqa: SIM115
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
        )
        self.procs.append(proc)
        return proc

    def start(self) -> None:
        if not _free(PORT):
            raise RuntimeError(f"port {PORT} busy")
        if self.own_redis:
            if not _free(REDIS_PORT):
                raise RuntimeError(f"port {REDIS_PORT} busy")
            subprocess.run(
                ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
                 "--daemonize", "yes", "--save", "", "--appendonly", "no",
                 "--dir", str(self.tmp), "--logfile", str(self.tmp / "redis.log")],
                check=True,
            )  # fmt: skip
        self.spawn(
            sys.executable, "-m", "celery", "-A", "congress", "worker", "-l", "warning",
            "-c", str(WORKER_CONCURRENCY), "--without-mingle", "--without-gossip",
            log="worker.log",
        )  # fmt: skip
        web = self.spawn(
            sys.executable, "-m", "gunicorn", "congress.wsgi", "-b", f"127.0.0.1:{PORT}",
            "-w", str(WEB_WORKERS), "--timeout", "60", "--log-level", "error",
            log="web.log",
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while _free(PORT):
            if time.monotonic() > deadline or web.poll() is not None:
                raise RuntimeError("gunicorn did not start: " + self.tail("web.log"))
            time.sleep(0.2)

    def tail(self, log: str) -> str:
        path = self.tmp / log
        return path.read_text(errors="replace")[-1500:] if path.exists() else ""

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=30)
                except ProcessLookupError:
                    pass
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        if self.own_redis:
            subprocess.run(
                ["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], capture_output=True
            )


def _idle_floor(n: int = 200) -> float:
    """The floor's p95 with nothing else running: under load, a floor far above it means
    the server is saturated (every request waits in the same queue) and the ratios say
    little; the absolute p95s are then the figures to read."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        conn.request("GET", "/suc-khoe/")
        conn.getresponse().read()
        timings.append((time.perf_counter() - started) * 1000)
    conn.close()
    return round(statistics.quantiles(timings, n=20)[18], 1)


def _locust(stack: Stack, plan_path: Path, out_path: Path) -> dict:
    users = len(json.loads(plan_path.read_text())["secretaries"]) + BOARD + FLOOR_USERS
    env = {
        **stack.env,
        "LOAD_PLAN": str(plan_path),
        "LOAD_OUT": str(out_path),
        "LOAD_SECONDS": str(SECONDS),
        "LOAD_RAMP_LIMIT": str(RAMP_LIMIT),
    }
    # One locust process (no --processes): a few hundred mostly-waiting users need a small
    # part of one core, and the two cores are the server's. Its own timer is only a backstop:
    # the locustfile stops the run LOAD_SECONDS after the last user has signed in.
    proc = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
         "--headless", "-u", str(users), "-r", str(SPAWN_RATE),
         "-t", f"{RAMP_LIMIT + SECONDS + 180}s", "--stop-timeout", "30",
         "--host", f"http://127.0.0.1:{PORT}", "--only-summary", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    (stack.tmp / "locust.log").write_text(proc.stdout + proc.stderr)
    if not out_path.exists():
        raise RuntimeError(
            f"locust wrote no figures (exit {proc.returncode}): {proc.stderr[-1500:]}"
        )
    return json.loads(out_path.read_text())


# --- the figures ------------------------------------------------------------------------------


def _wait_documents(job_ids: list[int], timeout: float = 180) -> dict:
    from congress.models.reports import ReportJob

    deadline = time.monotonic() + timeout
    while True:
        statuses = list(ReportJob.objects.filter(pk__in=job_ids).values_list("status", flat=True))
        pending = sum(s in ("queued", "running") for s in statuses)
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(2)
    return {
        "requested": len(job_ids),
        "done": statuses.count("done"),
        "failed": statuses.count("failed"),
        "unfinished": pending,
        "without_row": len(job_ids) - len(statuses),
    }


def _recorded(plan: dict, audit_from: int) -> dict[str, dict[str, int]]:
    """{action: {list id: audit rows}} written during the run for the secretaries' lists."""
    from django.db.models import Count

    from personnel.models import AuditLog

    ids = [str(s["list"]) for s in plan["secretaries"]]
    out: dict[str, dict[str, int]] = {}
    rows = (
        AuditLog.objects.filter(
            pk__gt=audit_from,
            object_type="congress.nomineelist",
            object_id__in=ids,
            action__in=["list.submit", "nominee.add", "nominee.remove"],
        )
        .order_by()
        .values("action", "object_id")
        .annotate(n=Count("id"))
        .values_list("action", "object_id", "n")
    )
    for action, object_id, n in rows:
        out.setdefault(action, {})[object_id] = n
    return out


def _compare(told: dict[str, int], recorded: dict[str, int]) -> dict:
    """What users were told was saved against the audit rows, list by list."""
    keys = set(told) | set(recorded)
    return {
        "told": sum(told.values()),
        "recorded": sum(recorded.values()),
        "lists_recorded_more_than_told": sum(recorded.get(k, 0) > told.get(k, 0) for k in keys),
        "lists_told_more_than_recorded": sum(told.get(k, 0) > recorded.get(k, 0) for k in keys),
    }


def run(results: dict) -> None:
    from congress.models import ListState, NomineeList
    from personnel.models import AuditLog

    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    from django.test.utils import override_settings

    # Returning and reopening lists notifies their editors: by mail, which here would print.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        plan = _prepare()
    plan_path, out_path = tmp / "plan.json", tmp / "out.json"
    plan_path.write_text(json.dumps(plan))
    audit_from = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    stack = Stack(tmp)
    try:
        stack.start()
        idle_floor = _idle_floor()
        out = _locust(stack, plan_path, out_path)
        documents = _wait_documents(out["told"]["documents"]["requested"])
    finally:
        stack.stop()
    endpoints = out["endpoints"]
    floor = endpoints.get("floor", {}).get("p95_ms")
    if not floor:
        raise RuntimeError(f"no floor figures; locust log: {stack.tail('locust.log')}")
    served = sum(e["requests"] for e in endpoints.values())
    p95 = {n: e["p95_ms"] for n, e in endpoints.items() if n != "floor"}
    vs_floor = {n: round(v / floor, 2) for n, v in p95.items() if v is not None}

    told, recorded = out["told"], _recorded(plan, audit_from)
    submissions = _compare(told["submitted"], recorded.get("list.submit", {}))
    submitted_ids = [int(k) for k, n in told["submitted"].items() if n]
    submissions.update(
        {
            "tried": told["submissions_tried"],
            "double_clicks": told["double_clicks"],
            "double_clicks_both_accepted": told["double_clicks_both_accepted"],
            "lists_told_submitted_not_in_state_submitted": NomineeList.objects.filter(
                pk__in=submitted_ids
            )
            .exclude(state=ListState.SUBMITTED)
            .count(),
        }
    )
    submissions["recorded_once"] = (
        submissions["told"] > 0
        and submissions["told"] == submissions["recorded"]
        and not submissions["lists_recorded_more_than_told"]
        and not submissions["lists_told_more_than_recorded"]
        and not submissions["double_clicks_both_accepted"]
        and not submissions["lists_told_submitted_not_in_state_submitted"]
    )
    results["load"] = {
        "seconds": out["window_s"],
        "users": {
            "secretaries": len(plan["secretaries"]),
            "board_staff": BOARD,
            "floor": FLOOR_USERS,
            "signed_in": out["login"]["count"],
        },  # fmt: skip
        "web_workers": WEB_WORKERS,
        "celery_concurrency": WORKER_CONCURRENCY,
        "requests": served,
        "requests_per_s": round(served / out["window_s"], 1) if out["window_s"] else None,
        "errors": sum(e["failures"] for e in endpoints.values()),
        "error_samples": out["errors"][:10],
        "floor_p95_ms": floor,
        "floor_idle_p95_ms": idle_floor,
        # Far above 1: the server is saturated and every request, the floor's too, waits in
        # the same queue; the ratios to the floor then hide it, the p95s do not.
        "floor_vs_idle": round(floor / idle_floor, 1),
        "p95_ms": p95,
        "vs_floor": vs_floor,
        "worst_vs_floor": max(vs_floor.values(), default=None),
        "over_goal": sorted(n for n, r in vs_floor.items() if r > GOAL_VS_FLOOR),
        "requests_by_endpoint": {n: e["requests"] for n, e in endpoints.items()},
        "login": out["login"],
        "submissions": submissions,
        "nominees_added": _compare(told["added"], recorded.get("nominee.add", {})),
        "nominees_removed": _compare(told["removed"], recorded.get("nominee.remove", {})),
        "documents": documents,
    }
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    django.setup()
    measured: dict = {}
    run(measured)
    print(json.dumps(measured, indent=2, ensure_ascii=False))
