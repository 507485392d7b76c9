"""The environment of a server the benchmarks and `make chaos` start: production settings
(DEBUG off) served over plain HTTP on 127.0.0.1, with the second factor off (a script has no
authenticator app) and REQUIRE_SERVICES left to the test suite."""

from __future__ import annotations

import os


def plain_http_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "OTP_REQUIRED": "0",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "congress.settings",
        **extra,
    }
    env.pop("REQUIRE_SERVICES", None)
    return env
