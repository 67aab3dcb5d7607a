"""Settings for NSP Planner. The environment is read here and nowhere else.

Embedded defaults (no variable set): a SQLite file and a filesystem task broker under ``var/``,
a generated secret key kept in ``var/secret_key``, demo mode on. Production sets ``DATABASE_URL``,
``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and leaves ``DEBUG`` and ``DEMO`` off.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


VAR_DIR = Path(os.environ.get("NSP_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
# Embedded mode: no external services configured; everything lives under var/.
EMBEDDED = not DATABASE_URL and not REDIS_URL
DEBUG = _env_bool("DEBUG", default=False)
DEMO = _env_bool("DEMO", default=EMBEDDED)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not EMBEDDED and not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DATABASE_URL or REDIS_URL is set.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "modeltranslation",  # before django.contrib.admin, so the admin gets translated fields
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "django_htmx",
    "axes",
    "csp",
    "django_celery_beat",
    "nsp",
    "clusters",
    "zones",
    "programmes",
    "reporting",
    "demo",  # seed_demo: the demonstration data set (top layer; imports every app)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "nsp.errors.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nsp.middleware.SessionTimeoutMiddleware",
    "nsp.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "nsp.middleware.LoginRequiredPagesMiddleware",
    # Last: turns a locked-out sign-in into nsp.accounts.lockout_response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nsp.urls"
WSGI_APPLICATION = "nsp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nsp.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'nsp.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")) if DATABASE_URL else 0,
        conn_health_checks=bool(DATABASE_URL),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes a report.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    # A file (not memory) so a real worker process can share it; one per process so runs never collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
    # PostgreSQL's JIT compiler costs seconds on the progress annotations and saves nothing on these
    # queries (docs/decisions.md, "JIT off"); DATABASE_JIT=1 turns it back on (to measure).
    if not _env_bool("DATABASE_JIT", default=False):
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out username and address never reach the password check.
    "nsp.accounts.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login throttling (django-axes, nsp/accounts.py): LOGIN_FAILURE_LIMIT failures of one username from one
# address within LOGIN_COOLOFF_MINUTES lock that pair out for LOGIN_COOLOFF_MINUTES (pages, admin, API token).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_USE_ATTEMPT_EXPIRATION = True  # failures older than the cool-off no longer count
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "nsp.accounts.lockout_response"
AXES_ENABLE_ADMIN = False  # lockouts are lifted from the users list (nsp/admin.py) or with axes_reset_username
AXES_DISABLE_ACCESS_LOG = True  # failures are what counts; successful sign-ins are not logged a second time
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = _env_bool("AXES_VERBOSE", default=False)  # failures are logged by django.security anyway
# Behind the TLS proxy the client's address comes from X-Forwarded-For (one proxy).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1" if _env_bool("HTTPS", default=False) else "0"))
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
# API tokens stop working this many days after they were issued (401, extra.code = "token_expired").
TOKEN_TTL_DAYS = int(os.environ.get("TOKEN_TTL_DAYS", "90"))
# POST /api/v1/auth/token/ also answers 429 past this rate per address (DRF throttling), lockout or not.
TOKEN_THROTTLE_RATE = os.environ.get("TOKEN_THROTTLE_RATE", "20/minute")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "nsp:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Guardian: direct foreign-key permission tables only; no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
GUARDIAN_MONKEY_PATCH_GROUP = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("nl", _("Dutch")), ("de", _("German"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["nsp.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # collectstatic fills it; WhiteNoise expects it to exist
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Source maps (the API docs' assets) are never served compressed; skipping them halves collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

# Caches: Redis when configured; otherwise files, shared by the web process and the worker.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Celery: Redis in production; kombu's filesystem transport in embedded mode, so reports still run
# in a worker process, off the web request.
CELERY_BROKER_DIR = VAR_DIR / "celery"
# A job is acknowledged only once it has ended (acks_late), and given back to the queue when the process running
# it dies (reject_on_worker_lost), so a killed worker loses no report. The soft limit stops a job with a reason
# (the run ends failed, saying so); the hard one kills the process. Both lie below the broker's visibility timeout:
# a job unacknowledged that long (its whole worker died) is delivered again, and must not be while it still runs.
# Report runs stuck in "running" past the hard limit are re-queued once, then failed (reporting.tasks.sweep_reports).
CELERY_TASK_TIME_LIMIT = int(os.environ.get("TASK_TIME_LIMIT", "600"))
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("TASK_SOFT_TIME_LIMIT", str(max(CELERY_TASK_TIME_LIMIT - 60, 1))))
BROKER_VISIBILITY_TIMEOUT = int(os.environ.get("BROKER_VISIBILITY_TIMEOUT", str(CELERY_TASK_TIME_LIMIT + 300)))
if not 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < BROKER_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "Celery time limits must satisfy 0 < TASK_SOFT_TIME_LIMIT < TASK_TIME_LIMIT < BROKER_VISIBILITY_TIMEOUT "
        f"(now {CELERY_TASK_SOFT_TIME_LIMIT} < {CELERY_TASK_TIME_LIMIT} < {BROKER_VISIBILITY_TIMEOUT})."
    )
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    for sub in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = None  # results live in ReportRun rows
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = None  # no results kept, so beat schedules no clean-up of them
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    # The dispatcher and the sweeper are quick; they must not wait behind long reports.
    "reporting.tasks.dispatch_reports": {"queue": "default"},
    "reporting.tasks.sweep_reports": {"queue": "default"},
    "reporting.tasks.*": {"queue": "reports"},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# The schedule lives in the database (django-celery-beat), editable in the admin under "Periodic tasks";
# ``manage.py setup_periodic_tasks`` (run by bin/release) creates the entries of nsp/schedule.py that are missing.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Mail goes out by SMTP only when a mail server is named: without ``EMAIL_HOST`` (in every mode, embedded or
# not, demo or not) mails are written to the process's standard output, so nothing fails for want of a server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
# A mail server that does not answer fails one recipient's mail after this long, not the whole task.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "nsp-planner@localhost")
# The data-collection cycle (nsp/collection.py): a period's measurements are due this many days after it ends;
# a reminder goes out this many days before the deadline, and another the day after it.
DATA_DEADLINE_DAYS = int(os.environ.get("DATA_DEADLINE_DAYS", "30"))
DATA_REMINDER_DAYS_BEFORE = int(os.environ.get("DATA_REMINDER_DAYS_BEFORE", "7"))
# Where the application is reached, for the links in e-mails (a subscribed report's link).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WORKER_HEARTBEAT_SECONDS = 15
# A worker asked to stop (SIGTERM, Ctrl-C) finishes its running jobs for at most this long, then exits anyway:
# a job it drops goes back to the queue (Redis, acks_late) or to the sweeper (runs stuck in "running").
WORKER_SHUTDOWN_TIMEOUT = int(os.environ.get("WORKER_SHUTDOWN_TIMEOUT", "30"))
# A deleted objective, indicator, measurement, action, expectation or matrix candidate (with everything under
# it) waits this many days in its plan's "Deleted items" to be restored; then the beat task purges it.
DELETED_RETENTION_DAYS = int(os.environ.get("DELETED_RETENTION_DAYS", "90"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request answers 401 with "WWW-Authenticate: Token".
        "nsp.accounts.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "nsp.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    # One FilterSet per model filters, searches and orders (<app>/filtersets.py), as on the list pages.
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "nsp.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "nsp.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON in; file uploads declare their own parsers.
    "DEFAULT_PARSER_CLASSES": ["nsp.api.parsers.BoundedJSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NSP Planner API",
    "DESCRIPTION": (
        "The National Security Plan, the zonal security plans and their progress. "
        "Authenticate with `Authorization: Token <key>` (POST /api/v1/auth/token/) or a browser session (with CSRF). "
        "Lists answer `{count, next, previous, results}`. Errors answer `{message, extra}`. "
        "Details carry an `ETag`; send it back as `If-Match` on PUT, PATCH and DELETE: a stale tag answers 412 "
        "and nothing is written. Without `If-Match` a write is accepted (last write wins, serialised by a row lock) "
        "and answers the new `ETag`. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "nsp.models.PlanStatus",
        "ActionStatusEnum": "nsp.models.Action.Status",
        "EditionStatusEnum": "nsp.models.NationalSecurityPlan.Status",
        "ReportStatusEnum": "reporting.models.ReportRun.Status",
        "ZoneStatusEnum": "zones.models.PoliceZone.Status",
        "ProgressStatusEnum": "nsp.progress.ProgressStatus",
        "StakeholderSourceEnum": "zones.models.StakeholderSource",
        "IndicatorSourceEnum": "nsp.models.Indicator.Source",
        "RegionEnum": "zones.models.Region",
        "ObjectiveKindEnum": "nsp.models.Objective.Kind",
        "ReportKindEnum": "reporting.models.ReportRun.Kind",
    },
}

# --- security (docs/operations.md lists every setting with its default) -----------------------------
# HTTPS=1: the application runs behind a TLS-terminating proxy that sets X-Forwarded-Proto. It then redirects
# plain HTTP to HTTPS, sends HSTS and marks its cookies Secure, so `manage.py check --deploy` is clean.
HTTPS = _env_bool("HTTPS", default=False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=True)
    # One year; browsers then refuse plain HTTP for the host (and its subdomains) for that long.
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = _env_bool("HSTS_PRELOAD", default=True)
    # The health check answers the proxy's plain-HTTP probe without a redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sessions: signed out after SESSION_IDLE_MINUTES without a request (sliding), and SESSION_MAX_HOURS after
# signing in whatever happens (nsp.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
# Content-Security-Policy (django-csp): every script and style comes from our own static files; no inline
# script, no inline style element, no eval. Style *attributes* are refused too ("style-src-attr 'none'"): set
# a class instead, or draw SVG with presentation attributes (fill="...", width="..."), which CSP allows.
# The API docs page (Swagger UI) loads its configuration as a file of its own (SpectacularSwaggerSplitView).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],  # the nonce only where a page uses one: the API docs' few rules
        "style-src-attr": ["'none'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Request bodies: a larger declared body answers 413 before it is read; JSON deeper than this answers 400.
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", str(12 * 1024 * 1024)))
JSON_MAX_DEPTH = int(os.environ.get("JSON_MAX_DEPTH", "32"))

# Upper bound of every free-text field (descriptions, notes, comments...), in characters: forms, the API and
# the services refuse more with the same message.
TEXT_MAX_LENGTH = int(os.environ.get("TEXT_MAX_LENGTH", "50000"))

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
