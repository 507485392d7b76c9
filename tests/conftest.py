import os
import socket

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

from tests.factories import CadreFactory, UnitFactory, UserFactory, grant

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# Property tests judge results, not speed: on a loaded 2-core CI machine the default 200 ms
# deadline per example would fail good code at random.
hypothesis_settings.register_profile("project", deadline=None, print_blob=True)
hypothesis_settings.load_profile("project")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


_REASONS: dict[str, str | None] | None = None


def _service_reasons() -> dict[str, str | None]:
    global _REASONS
    if _REASONS is None:
        is_pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
        redis_ok = bool(os.environ.get("REDIS_URL")) and _reachable("127.0.0.1", 6379)
        _REASONS = {
            "postgres": None if is_pg else "cần PostgreSQL (DATABASE_URL=postgres://…)",
            "redis": None if redis_ok else "cần Redis (REDIS_URL) và một worker Celery thật",
            "browser": None
            if os.path.exists("/usr/bin/chromium")
            else "cần Chromium (/usr/bin/chromium)",
        }
    return _REASONS


def pytest_runtest_setup(item):
    """Service-dependent tests skip on a laptop without the service, and fail at once in CI
    (REQUIRE_SERVICES=1) so a missing service can never pass as green."""
    for marker, reason in _service_reasons().items():
        if reason and item.get_closest_marker(marker):
            if REQUIRE_SERVICES:
                pytest.fail(f"Dịch vụ bắt buộc không sẵn sàng (REQUIRE_SERVICES=1): {reason}")
            pytest.skip(reason)


@pytest.fixture
def province(db):
    return UnitFactory(code="T01", name="Đảng bộ tỉnh Thử Nghiệm", level="province")


@pytest.fixture
def commune(province):
    return UnitFactory(code="X01", name="Đảng bộ xã An Bình", level="commune", parent=province)


@pytest.fixture
def other_commune(province):
    return UnitFactory(code="X02", name="Đảng bộ xã Bình Minh", level="commune", parent=province)


@pytest.fixture
def grassroots(commune):
    return UnitFactory(code="CS01", name="Chi bộ thôn Đông", level="grassroots", parent=commune)


@pytest.fixture
def make_user(db):
    def make(role=None, unit=None, **kwargs):
        user = UserFactory(**kwargs)
        if role:
            grant(user, role, unit)
        return user

    return make


@pytest.fixture
def cadre_factory(db):
    return CadreFactory


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """The test client speaks plain HTTP; production redirects to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.AXES_ENABLED = False
    # Hashing demo passwords at full strength costs ~0.5 s a user; tests need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests sign users in with force_login; the second factor has its own tests
    # (tests/personnel/test_second_factor.py), which turn it back on.
    settings.OTP_REQUIRED = False


@pytest.fixture(autouse=True)
def _eager_tasks(request):
    """Tasks run in-process in tests, except in the real-worker tests marked `redis`."""
    from congress.celery import app

    eager = request.node.get_closest_marker("redis") is None
    old = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = old


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages never cross from one test into another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _pdf_part_cache(settings, tmp_path):
    """Each test renders long documents into a part cache of its own: a part rendered by one
    test is never what another test's render finds."""
    settings.PDF_PART_CACHE_DIR = tmp_path / "pdf-parts"
