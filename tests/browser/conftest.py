import io
import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# to set up data are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The live server speaks plain HTTP on loopback; its middleware reads these once at start,
# so they are set here, before the server thread is created (not per test).
settings.SECURE_SSL_REDIRECT = False
settings.SECURE_HSTS_SECONDS = 0
settings.SESSION_COOKIE_SECURE = False
settings.CSRF_COOKIE_SECURE = False
settings.AXES_ENABLED = False
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "Daihoi@2025"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def shot(page):
    """A screenshot of the page as it is, at 1366 px and at 390 px (then back to the
    viewport it had): `name-1366.png` and `name-390.png` under tests/browser/screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str) -> None:
        before = page.viewport_size
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"), full_page=True)
        page.set_viewport_size(before)

    return take


@pytest.fixture
def accessible(page):
    """axe-core on the current page: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(where: str = "") -> None:
        results = axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} chỗ, "
            f"ví dụ {v['nodes'][0]['target']}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, f"{where or page.url}: " + "; ".join(bad)

    return check


@pytest.fixture
def demo(db):
    """The tiny demo province, as `make run` seeds it (its users, lists, vetting cases)."""
    from django.core.management import call_command

    call_command("seed_demo", scale="tiny", stdout=io.StringIO())


@pytest.fixture
def login(page, live_server):
    def do(username: str, password: str = "mat-khau-thu-nghiem") -> None:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server.url}/")

    return do


@pytest.fixture(autouse=True)
def documents_in_a_thread(settings):
    """Documents render in a thread, as under `make run`: the job page shows its progress.
    (The live server reads the setting at each request.)"""
    settings.REPORT_JOBS_IN_THREAD = True


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    """The Content-Security-Policy forbids inline scripts and styles: a page that still has
    one logs a violation to the console, and the test fails."""
    messages = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield
    assert not messages, "\n".join(messages)
