"""`make chaos`: the product against a dying worker, a dying broker, a database that drops its
connections and a full disk, on this machine's PostgreSQL, a Redis of its own (port 6390),
a real Celery worker with beat, and gunicorn (DEBUG off).

Scenarios:
  a. a worker killed with SIGKILL mid-render, twice (the whole worker, then one pool child):
     the job completes after the worker restarts, or fails with a message, within its lease;
  b. Redis stopped while 20 users add nominees and request documents: no 5xx, every write
     committed, every job run once Redis is back (the sweeper re-sends them);
  c. every database connection terminated every second during 30 s of writes: no partial
     write, every committed change has its audit row;
  d. a full media disk: the document job fails with a message, and takes no document number.

The last line of output is one JSON object: jobs_stuck, jobs_lost, http_5xx, writes_lost,
audit_missing (all must be 0), and the details of each scenario.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from server_env import plain_http_env

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
DB_NAME = os.environ.get("CHAOS_DB", "congress_chaos")
PG = os.environ.get("CHAOS_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_PORT = int(os.environ.get("CHAOS_REDIS_PORT", "6390"))
HTTP_PORT = int(os.environ.get("CHAOS_HTTP_PORT", "8933"))
BASE = f"http://127.0.0.1:{HTTP_PORT}"
PASSWORD = "Chaos@2026-khong-doan-duoc"
LEASE = 20
USERS = 20


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


class Stack:
    """The services under test and their environment."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.media = tmp / "media"
        self.media.mkdir()
        self.mounted = False
        self.env = plain_http_env(
            DATABASE_URL=f"{PG}/{DB_NAME}",
            REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
            MEDIA_ROOT=str(self.media),
            SECRET_KEY="chaos-" + "k" * 50,
            AXES_ENABLED="0",
            SWEEP_SECONDS="2",
            JOB_LEASE_SECONDS=str(LEASE),
            LOG_LEVEL="WARNING",
        )
        self.worker: subprocess.Popen | None = None
        self.beat: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None

    # --- processes ----------------------------------------------------------------------

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
            capture_output=True, text=True,
        ).stdout  # fmt: skip

    def shell(self, code: str) -> str:
        # --no-imports: Django 5.2's shell otherwise prints "N objects imported automatically".
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def spawn(self, *cmd: str, log_name: str) -> subprocess.Popen:
        out = open(self.tmp / log_name, "ab")  # noqa: SIM115
        return subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
        )

    def redis_start(self) -> None:
        subprocess.run(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--daemonize",
             "yes", "--save", "", "--appendonly", "no", "--dir", str(self.tmp),
             "--logfile", str(self.tmp / "redis.log")],
            check=True,
        )  # fmt: skip
        for _ in range(50):
            if self.redis_up():
                return
            time.sleep(0.1)
        raise RuntimeError("redis did not start")

    def redis_up(self) -> bool:
        return (
            subprocess.run(
                ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
            ).stdout.strip()
            == "PONG"
        )

    def redis_stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"],
                       capture_output=True)  # fmt: skip
        for _ in range(50):
            if not self.redis_up():
                return
            time.sleep(0.1)

    def worker_start(self) -> None:
        self.worker = self.spawn(
            str(BIN / "celery"), "-A", "congress", "worker", "-l", "warning", "-c", "2",
            "--without-mingle", "--without-gossip", log_name="worker.log",
        )  # fmt: skip

    def worker_kill(self) -> None:
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def worker_children(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.worker.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def beat_start(self) -> None:
        self.beat = self.spawn(
            str(BIN / "celery"), "-A", "congress", "beat", "-l", "warning",
            "--schedule", str(self.tmp / "beat-schedule"), log_name="beat.log",
        )  # fmt: skip

    def web_start(self) -> None:
        self.web = self.spawn(
            str(BIN / "gunicorn"), "congress.wsgi", "-w", "4", "-b", f"127.0.0.1:{HTTP_PORT}",
            "--timeout", "60", log_name="web.log",
        )  # fmt: skip
        for _ in range(100):
            try:
                if requests.get(f"{BASE}/suc-khoe/", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop_all(self) -> None:
        for proc in (self.web, self.beat, self.worker):
            if proc and proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    os.killpg(proc.pid, signal.SIGKILL)
        self.redis_stop()
        if self.mounted:
            subprocess.run(["umount", str(self.media)], capture_output=True)

    # --- database -----------------------------------------------------------------------

    def psql(self, sql: str, db: str = DB_NAME) -> str:
        return subprocess.run(
            ["psql", f"{PG}/{db}", "-tAc", sql], capture_output=True, text=True, check=True
        ).stdout.strip()

    def fresh_database(self) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)', db="postgres")
        self.psql(f'CREATE DATABASE "{DB_NAME}"', db="postgres")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("seed_demo", "--scale", "district")
        self.shell(
            "from django.contrib.auth import get_user_model\n"
            "from personnel.models import PartyUnit\n"
            "from personnel.services.roles import role_grant\n"
            "U = get_user_model(); root = PartyUnit.objects.get(code='T01')\n"
            f"for i in range({USERS}):\n"
            f"    u = U.objects.create_user(f'chaos{{i:02d}}', password='{PASSWORD}')\n"
            "    role_grant(user=u, role='board_staff', unit=root)\n"
        )


class Client:
    """A signed-in user, as a browser: session cookie and CSRF token."""

    def __init__(self, username: str):
        self.s = requests.Session()
        page = self.s.get(f"{BASE}/dang-nhap/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        resp = self.s.post(
            f"{BASE}/dang-nhap/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{BASE}/dang-nhap/"},
            allow_redirects=False,
            timeout=30,
        )
        if resp.status_code != 302:
            raise RuntimeError(f"login of {username} failed: {resp.status_code}")

    def post(self, path: str, data: dict) -> requests.Response:
        data = {**data, "csrfmiddlewaretoken": self.s.cookies.get("csrftoken")}
        return self.s.post(
            BASE + path, data=data, headers={"Referer": BASE + path},
            allow_redirects=False, timeout=60,
        )  # fmt: skip


def _json(stack: Stack, code: str):
    return json.loads(stack.shell(code))


def _report_jobs(stack: Stack) -> dict:
    """{id: [status, error, attempts]} of every document job, read straight from PostgreSQL
    (fast enough to poll while a render runs)."""
    raw = stack.psql(
        "SELECT coalesce(json_object_agg(id, json_build_array(status, error, attempts)), '{}')"
        " FROM congress_reportjob"
    )
    return json.loads(raw)


def _wait_jobs(stack: Stack, ids: set[int], timeout: float) -> dict:
    deadline = time.time() + timeout
    while True:
        jobs = {int(k): v for k, v in _report_jobs(stack).items() if int(k) in ids}
        if all(v[0] in ("done", "failed") for v in jobs.values()) or time.time() > deadline:
            return jobs
        time.sleep(1)


def _request_report(client: Client, kind: str = "structure-summary") -> int | None:
    resp = client.post("/van-ban/tao/", {"unit": "T01", "kind": kind, "term": ""})
    match = re.search(r"/van-ban/yeu-cau/(\d+)/", resp.headers.get("Location", ""))
    return int(match.group(1)) if match else None


# --- a. a worker killed mid-render --------------------------------------------------------


def scenario_worker_killed(stack: Stack, client: Client) -> dict:
    out = {}
    for how in ("worker", "pool_child"):
        job = _request_report(client)
        # Wait until a worker has taken it, then kill.
        for _ in range(300):
            status = _report_jobs(stack).get(str(job), ["?"])[0]
            if status == "running":
                break
            time.sleep(0.1)
        if how == "worker":
            stack.worker_kill()
            stack.worker_start()
        else:
            children = stack.worker_children()
            for pid in children:
                os.kill(pid, signal.SIGKILL)
        jobs = _wait_jobs(stack, {job}, timeout=LEASE * 4 + 60)
        out[how] = {"job": job, "status": jobs.get(job, ["lost"])[0], "error": jobs[job][1]}
    return out


# --- b. Redis down while users write ------------------------------------------------------


def _editable_lists(stack: Stack) -> list[list[int]]:
    """(list id, a cadre of its unit not on it) for the lists still being drafted."""
    return _json(
        stack,
        "import json\nfrom congress.models import NomineeList, Nominee\n"
        "from personnel.models import Cadre\nout = []\n"
        "for nl in NomineeList.objects.filter(state__in=['draft', 'returned'])"
        ".select_related('body__congress__unit'):\n"
        "    on = Nominee.objects.filter(nominee_list=nl).values('cadre_id')\n"
        "    ids = list(Cadre.objects.filter(unit=nl.body.congress.unit).exclude(pk__in=on)"
        ".values_list('pk', flat=True)[:200])\n"
        "    out.append([nl.pk, ids])\n"
        "print(json.dumps(out))",
    )


def scenario_redis_down(stack: Stack, clients: list[Client]) -> dict:
    targets = _editable_lists(stack)
    stack.redis_stop()
    statuses: list[int] = []
    added: list[tuple[int, int]] = []
    jobs: list[int | None] = []
    lock = threading.Lock()

    def user(i: int) -> None:
        list_id, cadres = targets[i % len(targets)]
        cadre = cadres[i // len(targets)]
        resp = clients[i].post(f"/dai-hoi/danh-sach/{list_id}/them/", {"cadre": cadre})
        job = _request_report(clients[i], "nominee-list" if i % 2 else "structure-summary")
        with lock:
            statuses.append(resp.status_code)
            if resp.status_code in (200, 302):
                added.append((list_id, cadre))
            jobs.append(job)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(len(clients))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    waiting = _report_jobs(stack)
    stack.redis_start()
    ids = {j for j in jobs if j}
    finished = _wait_jobs(stack, ids, timeout=120)
    committed = _json(
        stack,
        "import json\nfrom congress.models import Nominee\n"
        f"pairs = {added!r}\n"
        "print(json.dumps(sum(Nominee.objects.filter(nominee_list_id=l, cadre_id=c).exists() "
        "for l, c in pairs)))",
    )
    return {
        "http_5xx": sum(s >= 500 for s in statuses),
        "writes": len(added),
        "writes_committed": committed,
        "jobs_requested": len(jobs),
        "jobs_without_row": sum(1 for j in jobs if not j),
        "jobs_waiting_while_down": sum(1 for j in ids if waiting.get(str(j), ["?"])[0] == "queued"),
        "jobs_unfinished": sum(1 for v in finished.values() if v[0] not in ("done", "failed")),
        "jobs_failed": sum(1 for v in finished.values() if v[0] == "failed"),
    }


# --- c. database connections terminated every second --------------------------------------


def scenario_db_cut(stack: Stack, clients: list[Client], seconds: int = 30) -> dict:
    targets = _editable_lists(stack)
    stop = threading.Event()
    statuses: list[int] = []
    ok_adds: list[tuple[int, int]] = []
    lock = threading.Lock()
    first_id = int(stack.psql("SELECT coalesce(max(id), 0) FROM congress_nominee"))

    def killer() -> None:
        while not stop.is_set():
            stack.psql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                f"WHERE datname = '{DB_NAME}' AND pid <> pg_backend_pid()"
            )
            stop.wait(1)

    def user(i: int) -> None:
        list_id, cadres = targets[i % len(targets)]
        n = 0
        while not stop.is_set():
            cadre = cadres[(50 + i // len(targets) + n * 7) % len(cadres)]
            n += 1
            try:
                resp = clients[i].post(f"/dai-hoi/danh-sach/{list_id}/them/", {"cadre": cadre})
            except requests.RequestException:
                continue
            with lock:
                statuses.append(resp.status_code)
                if resp.status_code in (200, 302) and "Đã thêm" in _flash(clients[i], resp):
                    ok_adds.append((list_id, cadre))

    threads = [threading.Thread(target=killer)] + [
        threading.Thread(target=user, args=(i,)) for i in range(len(clients))
    ]
    for th in threads:
        th.start()
    time.sleep(seconds)
    stop.set()
    for th in threads:
        th.join()
    check = _json(
        stack,
        "import json\nfrom personnel.models import AuditLog\nfrom congress.models import Nominee\n"
        f"pairs = {ok_adds!r}\n"
        "lost = sum(not Nominee.objects.filter(nominee_list_id=l, cadre_id=c).exists() "
        "for l, c in pairs)\n"
        "missing = 0\n"
        f"for n in Nominee.objects.filter(id__gt={first_id}):\n"
        "    if not AuditLog.objects.filter(action='nominee.add', object_id=str(n.nominee_list_id),"
        " after__cadre=n.cadre_id).exists(): missing += 1\n"
        "print(json.dumps([lost, missing, len(pairs)]))",
    )
    return {
        "http_5xx": sum(s >= 500 for s in statuses),
        "requests": len(statuses),
        "writes": check[2],
        "writes_lost": check[0],
        "audit_missing": check[1],
    }


def _flash(client: Client, resp: requests.Response) -> str:
    """The message the page shows after a redirect (the write's outcome)."""
    if resp.status_code == 302:
        try:
            return client.s.get(BASE + resp.headers["Location"], timeout=60).text
        except requests.RequestException:
            return ""
    return resp.text


# --- d. a full disk ------------------------------------------------------------------------


def scenario_disk_full(stack: Stack, client: Client) -> dict:
    before = int(stack.shell("from congress.models import IssuedDocument; "
                             "print(IssuedDocument.objects.count())"))  # fmt: skip
    filler = stack.media / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * (1 << 20))
                f.flush()
        except OSError:
            pass
    job = _request_report(client, "nominee-list")
    jobs = _wait_jobs(stack, {job}, timeout=120)
    after = int(stack.shell("from congress.models import IssuedDocument; "
                            "print(IssuedDocument.objects.count())"))  # fmt: skip
    filler.unlink()
    status, error = jobs.get(job, ["lost", ""])[:2]
    return {
        "job_status": status,
        "error": error,
        "error_shows_a_path": "/" in (error or ""),
        "numbers_taken": after - before,
    }


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="chaos-"))
    stack = Stack(tmp)
    result: dict = {}
    try:
        mount = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(stack.media)],
            capture_output=True,
        )
        stack.mounted = mount.returncode == 0
        log("== database and demo data")
        stack.fresh_database()
        log("== services")
        stack.redis_start()
        stack.worker_start()
        stack.beat_start()
        stack.web_start()
        clients = [Client(f"chaos{i:02d}") for i in range(USERS)]
        log("== a. worker killed mid-render")
        result["a_worker_killed"] = scenario_worker_killed(stack, clients[0])
        log("== b. Redis down while users write")
        result["b_redis_down"] = scenario_redis_down(stack, clients)
        log("== c. database connections cut every second")
        result["c_db_cut"] = scenario_db_cut(stack, clients)
        if stack.mounted:
            log("== d. full media disk")
            result["d_disk_full"] = scenario_disk_full(stack, clients[0])
        else:
            result["d_disk_full"] = {"skipped": "tmpfs could not be mounted (needs root)"}
    finally:
        stack.stop_all()
    a, b, c, d = (result.get(k, {}) for k in ("a_worker_killed", "b_redis_down", "c_db_cut",
                                              "d_disk_full"))  # fmt: skip
    summary = {
        "jobs_stuck": sum(v.get("status") not in ("done", "failed") for v in a.values())
        + b.get("jobs_unfinished", 0)
        + (d.get("job_status") not in ("done", "failed") if "job_status" in d else 0),
        "jobs_lost": b.get("jobs_without_row", 0)
        + sum(v.get("status") == "lost" for v in a.values())
        + (d.get("numbers_taken", 0) if d.get("job_status") == "failed" else 0),
        "http_5xx": b.get("http_5xx", 0) + c.get("http_5xx", 0),
        "writes_lost": (b.get("writes", 0) - b.get("writes_committed", 0))
        + c.get("writes_lost", 0),
        "audit_missing": c.get("audit_missing", 0),
        **result,
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
