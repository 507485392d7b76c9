"""Settings for the congress personnel product, read from the environment.

One settings module; everything that differs between a laptop and production comes from
environment variables (see README.md, "Configuration").
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="dev-insecure-only-for-local-use-" + "x" * 32)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "axes",
    "django_htmx",
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # The apps, lowest layer first (docs/architecture.md): each imports only those above it
    # in this list, never those below.
    "personnel",
    "vetting",
    "planning",
    "congress",
]

MIDDLEWARE = [
    # Outermost: a request whose database connection was cut is served again (congress/middleware.py).
    "congress.middleware.RetryLostConnectionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Each request's id, path and client address, for the audit trail and the access logs.
    "personnel.middleware.OriginMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "personnel.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # A NUL character in a query or form value: 422 (PostgreSQL would fail on it).
    "personnel.middleware.NulCharacterMiddleware",
]

ROOT_URLCONF = "congress.urls"
WSGI_APPLICATION = "congress.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "personnel.context_processors.roles",
                "personnel.context_processors.menu",
                "personnel.context_processors.second_factor",
            ],
        },
    },
]

# The embedded default is SQLite so `make run` needs nothing installed; CI and production
# set DATABASE_URL to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A few seconds of patience when a background task and a request write at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out username+IP pairs and leaves the rest to ModelBackend
    # (it also resolves session users, so force_login in tests keeps working).
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# The client's address is REMOTE_ADDR, unless the request came through one of these proxies
# (addresses or networks, e.g. "10.0.0.5,10.1.0.0/16"): then the right-most address of
# X-Forwarded-For that is not one of them (personnel/origin.py: client_ip).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Two factors (password + TOTP, django-otp) for vetting officers, board staff and
# superusers; on by default outside DEBUG. The demo users of `make run` (DEBUG=1) are exempt
# and the login page says so.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=not DEBUG)
OTP_EXEMPT_DEMO_USERS = env.bool("OTP_EXEMPT_DEMO_USERS", default=DEBUG)
OTP_TOTP_ISSUER = "Nhân sự đại hội"

# Session timeout: idle sessions end after SESSION_IDLE_MINUTES (refreshed on every request).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# HTTPS hardening, on by default outside DEBUG; each can be turned off behind a proxy that
# terminates TLS differently.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# SecurityMiddleware's own headers, stated here so that nobody turns them off by accident
# (tests/test_security_headers.py reads them).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "congress.views.errors.csrf_failure"

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site
# only. No inline script or style anywhere: behaviour comes from static/js/app.js through
# data-* attributes, htmx's configuration from a <meta> tag, and charts are SVG drawn with
# presentation attributes (not style). "data:" images: the PDF preview's QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates are shown and parsed as dd/mm/yyyy (congress/formats/vi/formats.py).
FORMAT_MODULE_PATH = ["congress.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# Request bodies: forms (everything but uploaded files) up to 2.5 MB; an uploaded file goes
# to a temporary file on disk beyond 2.5 MB, never whole into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)

# Spreadsheet imports (personnel/imports/). A larger upload is refused from its
# Content-Length before its body is read; a sheet is checked for its size before it is
# parsed; a file above IMPORT_BACKGROUND_BYTES is checked and imported by a worker.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=64)
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_BYTES", default=1024 * 1024)

# Documents printed with MẬT under their number (DOCUMENTS.md §2): by default the personnel
# plan and the trích ngang, which carry vetting outcomes. A request may still choose.
DOCUMENTS_CONFIDENTIAL = env.list(
    "DOCUMENTS_CONFIDENTIAL", default=["personnel-plan", "nominee-list"]
)

# Celery: with REDIS_URL unset tasks run in-process and eagerly, so the app works with
# nothing else installed; with it set, a real worker consumes them from Redis.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# No result backend: every job's state lives in its own row (personnel/jobs.py), and a Redis
# result backend would make each send wait through 20 reconnect attempts while Redis is down.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A worker process killed mid-task (OOM, kill -9) puts its message back instead of acking it;
# the job rows' leases (personnel/jobs.py) make the redelivery safe.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# The sweeper re-sends jobs the broker never got and takes back dead workers' leases.
CELERY_BEAT_SCHEDULE = {
    "sweep-jobs": {"task": "personnel.sweep_jobs", "schedule": env.float("SWEEP_SECONDS", 30)},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# 0: each job kind's own lease (personnel/jobs.py); set lower to take dead workers' jobs back sooner.
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=0)
# Sending to a broker that is down must fail fast (the request answers, the sweeper re-sends)
# instead of retrying for seconds inside the request.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes every database connection before and after each task unless
# this is set: a new PostgreSQL backend for every task, with cold caches (a part of a province
# recompute paid about 7 ms to connect and a third more on its reads). The worker keeps its
# connection and checks it between tasks as Django does between requests (CONN_MAX_AGE,
# CONN_HEALTH_CHECKS; `congress/celery.py`); the fixup still recycles it every 1,000 tasks.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Without a worker under `make run` (DEBUG, no Redis), a document renders in a thread of
# the web process so that the page shows its progress instead of hanging on the request.
REPORT_JOBS_IN_THREAD = env.bool("REPORT_JOBS_IN_THREAD", default=DEBUG and not REDIS_URL)

# A recompute of a subtree larger than RECOMPUTE_FANOUT_UNITS units runs as about
# RECOMPUTE_PARTS jobs (runs of its child subtrees), side by side on the workers
# (congress.services.structure.enqueue_recompute). One part per worker process by default
# (`make worker` starts WORKER_CONCURRENCY of them): each part pays a fixed cost (its job,
# its reads), and more parts than processes only add that cost (measured in
# docs/scaling.md: 8 parts a province cost 1.55x the in-process time per cadre at one
# process, 2 parts 1.21x, with the same speedup on two).
RECOMPUTE_FANOUT_UNITS = env.int("RECOMPUTE_FANOUT_UNITS", default=300)
RECOMPUTE_PARTS = env.int("RECOMPUTE_PARTS", default=env.int("WORKER_CONCURRENCY", default=2))

# Shared cache through Redis when there is one (several web machines), per process otherwise.
# Cached pages embed the version of the data they show in their key, so a stale entry is
# never served after a change, whichever process made it.
if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to no cache while Redis is down (congress/cache.py).
            "BACKEND": "congress.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
            "KEY_PREFIX": "congress",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The renderer's shortcuts through WeasyPrint internals (congress/reports/accel.py): same PDF,
# faster. Off here, or with another WeasyPrint than the checked one, documents render with plain
# WeasyPrint (system check congress.W001 says when the version differs).
PDF_ACCEL = env.bool("PDF_ACCEL", default=True)
# Rendered parts of long documents, by content hash (congress/reports/partcache.py): a list
# rendered again after one row changed renders only the changed part. Not served to anyone;
# shared storage lets every worker reuse the others' parts. 0 MB: no cache.
PDF_PART_CACHE_DIR = env.path("PDF_PART_CACHE_DIR", default=Path(str(MEDIA_ROOT)) / "pdf-parts")
PDF_PART_CACHE_MAX_MB = env.int("PDF_PART_CACHE_MAX_MB", default=500)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="nhansu-daihoi@localhost")

# Tests marked as needing PostgreSQL, Redis or a browser fail instead of skipping when set.
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "congress": {"level": env.str("LOG_LEVEL", default="INFO")},
        "vetting.access": {"level": "INFO"},
    },
}
