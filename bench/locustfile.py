"""Deadline day (issue 13): grassroots secretaries editing and submitting their nominee lists,
board staff on dashboards and documents, and a fixed-string floor, in one locust run.

Run by bench/bench_load.py, which seeds the users and writes the plan this file reads
(LOAD_PLAN: usernames, their lists, the documents to ask for); by hand::

    LOAD_PLAN=/tmp/plan.json LOAD_OUT=/tmp/out.json LOAD_SECONDS=60 \\
        .venv/bin/locust -f bench/locustfile.py --headless -u 325 -r 4 --host http://127.0.0.1:8932

Every user signs in through the login form as their own user. Signing in is slow on purpose
(PBKDF2) and on deadline day happens over the morning, not in the same minute, so the measured
window starts only once every user is in: the statistics are reset then, and the run stops
itself LOAD_SECONDS later (logins are reported apart, in `login`). At the end this file writes
LOAD_OUT: each endpoint's count, failures and percentiles, and what the users were told was
saved (submissions, nominees added and removed, documents), for the bench to check against
the database.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import Counter
from pathlib import Path

import gevent
from gevent.event import Event
from gevent.lock import Semaphore
from locust import FastHttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
SECONDS = float(os.environ.get("LOAD_SECONDS", "300"))
OUT = Path(os.environ.get("LOAD_OUT", "load-out.json"))
FLOOR_USERS = int(PLAN.get("floor_users", 4))
# Ramp-up limit: the window starts then even if some logins never came back.
RAMP_LIMIT = float(os.environ.get("LOAD_RAMP_LIMIT", "900"))

HX = {"HX-Request": "true"}
NAME_FRAGMENTS = ["nguyen", "tran", "thi", "van", "le", "pham", "hoang", "minh", "thu", "anh"]
REVISION = re.compile(r'name="revision" value="(\d+)"')
NOMINEE = re.compile(r"/dai-hoi/nguoi/(\d+)/bo/")
CANDIDATE = re.compile(r'name="one" value="(\d+)"')
JOB = re.compile(r"/van-ban/yeu-cau/(\d+)/")

EXPECTED = len(PLAN["secretaries"]) + len(PLAN["board"]) + FLOOR_USERS
# Signing in costs the server a PBKDF2 hash (most of a second of a core): a few at a time, as
# people arriving over a morning would, not 300 in the same minute queueing past every timeout.
login_gate = Semaphore(int(os.environ.get("LOAD_LOGIN_CONCURRENCY", "2")))
window = Event()  # set when every user has signed in: the measured window is open
closing = Event()  # set when the window ends: no new writes start
arrived = itertools.count(1)
secretary_seq = itertools.count()
board_seq = itertools.count()
state: dict = {"opened": None, "closed": None, "in_flight": 0}
login_ms: list[float] = []
login_failures: list[str] = []
told = {  # what the server told the users it saved
    "submitted": Counter(),  # list id -> submissions answered "Đã trình"
    "added": Counter(),  # list id -> nominees answered "Đã thêm"
    "removed": Counter(),  # list id -> nominees answered "Đã bỏ"
    "double_clicks": 0,
    "double_clicks_both_accepted": 0,
    "submissions_tried": 0,
    "documents": {"requested": [], "done": 0, "failed": 0, "not_finished": 0},
}
env_ref: dict = {}


@events.init.add_listener
def _init(environment, **_kw) -> None:
    env_ref["env"] = environment
    gevent.spawn_later(RAMP_LIMIT, _open_window)


@events.request.add_listener
def _on_request(name, response_time, exception, **_kw) -> None:
    if name == "login":
        (login_failures.append(str(exception)) if exception else login_ms.append(response_time))


def _arrive() -> None:
    """One more user is ready; the last one opens the window."""
    if next(arrived) >= EXPECTED:
        _open_window()


def _open_window() -> None:
    if window.is_set():
        return
    env = env_ref["env"]
    env.runner.stats.reset_all()  # the ramp-up (mostly logins) is not deadline-day load
    state["opened"] = time.monotonic()
    window.set()
    gevent.spawn_later(SECONDS, _close_window)


def _close_window() -> None:
    state["closed"] = time.monotonic()
    closing.set()
    # Let writes already sent come back, so that what a user was told is known for each one.
    deadline = time.monotonic() + 60
    while state["in_flight"] and time.monotonic() < deadline:
        gevent.sleep(0.2)
    env_ref["env"].runner.quit()


def _percentile(entry, q: float) -> float | None:
    return entry.get_response_time_percentile(q) if entry.num_requests else None


@events.quitting.add_listener
def _write_out(environment, **_kw) -> None:
    stats = environment.runner.stats
    endpoints = {}
    for (name, method), entry in sorted(stats.entries.items()):
        if not entry.num_requests:  # asked only before the window (the logins)
            continue
        endpoints[name] = {
            "method": method,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": _percentile(entry, 0.5),
            "p95_ms": _percentile(entry, 0.95),
            "max_ms": round(entry.max_response_time or 0, 1),
        }
    errors = [
        f"{e.method} {e.name}: {e.error} (×{e.occurrences})"
        for e in sorted(stats.errors.values(), key=lambda e: -e.occurrences)
    ]
    login_ms.sort()
    opened, closed = state["opened"], state["closed"] or time.monotonic()
    out = {
        "window_s": round(closed - opened, 1) if opened else 0,
        "users_expected": EXPECTED,
        "users_arrived": next(arrived) - 1,
        "login": {
            "count": len(login_ms),
            "failures": len(login_failures),
            "failure_samples": sorted(set(login_failures))[:5],
            "p95_ms": round(login_ms[int(len(login_ms) * 0.95) - 1], 1) if login_ms else None,
        },
        "endpoints": endpoints,
        "errors": errors[:30],
        "told": {
            **told,
            "submitted": dict(told["submitted"]),
            "added": dict(told["added"]),
            "removed": dict(told["removed"]),
        },
    }
    OUT.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    # Failures are figures for the bench to report, not a reason for locust to exit 1.
    environment.process_exit_code = 0


class Browser(FastHttpUser):
    """A signed-in user's browser: a session cookie and the CSRF token Django sets."""

    abstract = True
    wait_time = between(5, 15)  # people read, think and type between two clicks

    def csrf(self) -> str:
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")

    def sign_in(self, username: str) -> bool:
        with login_gate:
            return self._sign_in(username)

    def _sign_in(self, username: str) -> bool:
        self.client.get("/dang-nhap/", name="login page")
        with self.client.post(
            "/dang-nhap/",
            data={
                "username": username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": self.csrf(),
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            if resp.status_code != 302:
                resp.failure(f"login of {username}: {resp.status_code}")
                return False
        return True

    def page(self, path: str, name: str, **kw) -> str:
        """GET a page that must answer 200; returns its text."""
        with self.client.get(path, name=name, catch_response=True, **kw) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code}")
                return ""
            return resp.text or ""

    def write(self, path: str, name: str, data: dict, expect: str, refusal: str | None = None):
        """An htmx POST of the editor. Answers (status, text): 200 with the `expect` flash is
        success; a 422 carrying `refusal` is the right answer to a repeated click."""
        state["in_flight"] += 1
        try:
            with self.client.post(
                path,
                data={**data, "csrfmiddlewaretoken": self.csrf()},
                headers=HX,
                name=name,
                catch_response=True,
            ) as resp:
                text = resp.text or ""
                if resp.status_code == 200 and expect in text:
                    resp.success()
                elif refusal and resp.status_code == 422 and refusal in text:
                    resp.success()
                else:
                    resp.failure(f"{resp.status_code}: {_flash(text)}")
                return resp.status_code, text
        finally:
            state["in_flight"] -= 1


def _flash(text: str) -> str:
    m = re.search(r'class="(?:flash|refusal)"[^>]*>(?:<p>)?([^<]{0,160})', text) or re.search(
        r"<h1[^>]*>([^<]{0,160})", text
    )
    return m.group(1).strip() if m else text[:120].replace("\n", " ")


class Secretary(Browser):
    """A grassroots secretary on deadline day: opens their unit's list, looks people up and
    adds them, takes some back out, and submits the list at a moment of their own; after
    that they only look. One in ten double-clicks «Trình»."""

    fixed_count = len(PLAN["secretaries"])

    def on_start(self) -> None:
        me = PLAN["secretaries"][next(secretary_seq)]
        self.list_id = me["list"]
        self.url = f"/dai-hoi/danh-sach/{self.list_id}/"
        self.mine: list[str] = []  # nominees this user added (and may take out again)
        self.submitted = False
        self.double_click = random.random() < 0.1
        self.signed_in = self.sign_in(me["username"])
        if self.signed_in:  # the morning: home, then the list (before the window opens)
            self.page("/", "home")
            self.open_list()
        _arrive()
        window.wait()
        self.submit_at = state["opened"] + random.uniform(0.15, 0.85) * SECONDS
        gevent.sleep(random.uniform(0, 10))  # not everyone clicks in the same second

    def open_list(self) -> None:
        self.see(self.page(self.url, "list detail"))

    def see(self, html: str) -> None:
        m = REVISION.search(html)
        if m:
            self.revision = m.group(1)
        # Each row names its nominee twice (the form's action and hx-post): once is enough.
        self.nominees = list(dict.fromkeys(NOMINEE.findall(html)))

    @task
    def work(self) -> None:
        if not self.signed_in or closing.is_set():
            return
        if not self.submitted and time.monotonic() >= self.submit_at:
            self.submit()
        elif self.submitted:
            random.choice([self.open_list, self.history, self.home])()
        else:
            roll = random.random()
            if roll < 0.5 and len(self.mine) < 4:
                self.add()
            elif roll < 0.75 and self.mine:
                self.remove()
            else:
                random.choice([self.open_list, self.findings, self.history])()

    def home(self) -> None:
        self.page("/", "home")

    def history(self) -> None:
        self.page(self.url + "lich-su/", "list history")

    def findings(self) -> None:
        self.page(self.url + "phat-hien/", "list findings", headers=HX)

    def add(self) -> None:
        q = random.choice(NAME_FRAGMENTS)
        found = CANDIDATE.findall(
            self.page(f"{self.url}tim-can-bo/?q={q}", "cadre search", headers=HX)
        )
        if not found:
            return
        gevent.sleep(random.uniform(2, 5))  # reading the results, choosing a post
        if closing.is_set():
            return
        cadre = random.choice(found)
        before = set(self.nominees)
        status, html = self.write(
            self.url + "them-nhieu/",
            "nominee add",
            {"one": cadre, f"post_{cadre}": "member", "revision": self.revision},
            expect="Đã thêm",
        )
        if status == 200 and "Đã thêm" in html:
            told["added"][self.list_id] += 1
            self.see(html)
            self.mine.extend(n for n in self.nominees if n not in before)

    def remove(self) -> None:
        nominee = self.mine.pop(random.randrange(len(self.mine)))
        status, html = self.write(
            f"/dai-hoi/nguoi/{nominee}/bo/",
            "nominee remove",
            {"revision": self.revision},
            expect="Đã bỏ",
        )
        if status == 200 and "Đã bỏ" in html:
            told["removed"][self.list_id] += 1
            self.see(html)

    def submit(self) -> None:
        self.submitted = True
        url = self.url + "chuyen/trinh/"
        clicks = 2 if self.double_click else 1
        told["submissions_tried"] += clicks
        args = (url, "list submit", {}, "Đã trình danh sách")
        # A double click: two requests in flight at once; exactly one may be accepted.
        answers = [
            g.value
            for g in gevent.joinall(
                [gevent.spawn(self.write, *args, refusal="Không thể chuyển") for _ in range(clicks)]
            )
        ]
        accepted = sum(1 for status, html in answers if status == 200 and "Đã trình" in html)
        told["submitted"][self.list_id] += accepted
        if clicks == 2:
            told["double_clicks"] += 1
            told["double_clicks_both_accepted"] += accepted == 2


class BoardStaff(Browser):
    """The province's organisation board: the dashboard, the lists coming in, and documents
    (asked for, watched while the page polls each second as the browser does, downloaded)."""

    fixed_count = len(PLAN["board"])

    def on_start(self) -> None:
        self.signed_in = self.sign_in(PLAN["board"][next(board_seq)])
        if self.signed_in:
            self.page("/bang-theo-doi/", "dashboard")
        _arrive()
        window.wait()
        gevent.sleep(random.uniform(0, 10))

    @task(4)
    def dashboard(self) -> None:
        if self.signed_in and not closing.is_set():
            self.page("/bang-theo-doi/", "dashboard")

    @task(2)
    def home(self) -> None:
        if self.signed_in and not closing.is_set():
            self.page("/", "home (board)")

    @task(2)
    def lists(self) -> None:
        if self.signed_in and not closing.is_set():
            self.page(f"/dai-hoi/?page={random.randint(1, 5)}", "lists index")

    @task(3)
    def a_list(self) -> None:
        if self.signed_in and not closing.is_set():
            entry = random.choice(PLAN["secretaries"])
            self.page(f"/dai-hoi/danh-sach/{entry['list']}/", "list detail (board)")

    @task(1)
    def document(self) -> None:
        if not self.signed_in or closing.is_set():
            return
        self.page("/van-ban/", "documents home")
        gevent.sleep(random.uniform(3, 8))  # filling in the form
        kind, unit = random.choice(PLAN["documents"])
        with self.client.post(
            "/van-ban/tao/",
            data={"kind": kind, "unit": unit, "term": "", "csrfmiddlewaretoken": self.csrf()},
            name="document request",
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            match = JOB.search(resp.headers.get("Location", "") or "")
            if resp.status_code != 302 or not match:
                resp.failure(f"{resp.status_code}: {_flash(resp.text or '')}")
                return
        job = match.group(1)
        told["documents"]["requested"].append(int(job))
        self.page(f"/van-ban/yeu-cau/{job}/", "document job")
        for _ in range(120):  # the page polls every second until the job is finished
            gevent.sleep(1)
            html = self.page(f"/van-ban/yeu-cau/{job}/trang-thai/", "document status", headers=HX)
            if "/tai-ve/" in html:
                told["documents"]["done"] += 1
                with self.client.get(
                    f"/van-ban/yeu-cau/{job}/tai-ve/", name="document download", catch_response=True
                ) as resp:
                    if resp.status_code != 200 or not (resp.content or b"").startswith(b"%PDF"):
                        resp.failure(f"{resp.status_code}: not a PDF")
                return
            if "Không tạo được văn bản" in html:
                told["documents"]["failed"] += 1
                return
            if closing.is_set():
                break
        told["documents"]["not_finished"] += 1


class Floor(FastHttpUser):
    """The fixed-string view (/suc-khoe/), asked throughout the same run: what the server
    answers when our code does nothing, under the same load."""

    fixed_count = FLOOR_USERS
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        _arrive()
        window.wait()

    @task
    def floor(self) -> None:
        if not closing.is_set():
            self.client.get("/suc-khoe/", name="floor")
