"""`http_dashboard_p95_ms` against `http_floor_p95_ms`: the board's dashboard of the seeded
province and a view returning a fixed string, same gunicorn, same load (20 concurrent
clients on loopback), same run. Also `dashboard_queries`: SQL queries for one page."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from server_env import plain_http_env

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 20
REQUESTS_PER_CLIENT = 40
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8931"))


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _login(username: str, password: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    conn.request("GET", "/dang-nhap/")
    resp = conn.getresponse()
    body = resp.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", resp.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    conn.request(
        "POST",
        "/dang-nhap/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
        },
    )
    resp = conn.getresponse()
    resp.read()
    session = re.search(r"sessionid=([^;]+)", resp.getheader("Set-Cookie") or "")
    if resp.status != 302 or not session:
        raise RuntimeError(f"login failed: {resp.status}")
    return f"sessionid={session.group(1)}; csrftoken={csrf_cookie}"


def _load(path: str, cookie: str) -> list[float]:
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        for _ in range(REQUESTS_PER_CLIENT):
            t = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            resp = conn.getresponse()
            resp.read()
            elapsed = (time.perf_counter() - t) * 1000
            with lock:
                if resp.status != 200:
                    errors.append(f"{path}: {resp.status}")
                timings.append(elapsed)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return timings


def _p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=20)[18], 1)


def _count_queries(results: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    user = get_user_model().objects.get(username="bantochuc")
    # OTP off as for the server below: board staff would otherwise be sent to the TOTP page.
    with override_settings(
        SECURE_SSL_REDIRECT=False, ALLOWED_HOSTS=["testserver"], OTP_REQUIRED=False
    ):
        client = Client()
        client.force_login(user)
        client.get("/bang-theo-doi/")
        with CaptureQueriesContext(connection) as ctx:
            resp = client.get("/bang-theo-doi/")
    assert resp.status_code == 200
    results["dashboard_queries"] = len(ctx.captured_queries)


def run(results: dict) -> None:
    from personnel.demo import DEMO_PASSWORD

    _count_queries(results)
    if not _free(PORT):
        raise RuntimeError(f"port {PORT} busy")
    # bantochuc is board staff, who need a TOTP code outside DEBUG; the benchmark has no
    # authenticator app, so the second factor is off for this run only.
    env = plain_http_env(AXES_ENABLED="0")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "congress.wsgi", "-b", f"127.0.0.1:{PORT}",
         "-w", "4", "--log-level", "error"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while _free(PORT):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        cookie = _login("bantochuc", DEMO_PASSWORD)
        _load("/suc-khoe/", cookie)  # warm every worker
        _load("/bang-theo-doi/", cookie)
        floor = _load("/suc-khoe/", cookie)
        dash = _load("/bang-theo-doi/", cookie)
        results["http_floor_p95_ms"] = _p95(floor)
        results["http_dashboard_p95_ms"] = _p95(dash)
        results["http_dashboard_vs_floor"] = round(
            results["http_dashboard_p95_ms"] / results["http_floor_p95_ms"], 2
        )
        results["http_clients"] = CLIENTS
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
