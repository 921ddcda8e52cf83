"""Settings for Rakortek, read from the environment.

Every variable is listed in `.env.example`. Development (DEBUG=1) works with no
variables at all on SQLite; production refuses to start without a SECRET_KEY.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from rakortek.core.storage_url import storage_from_url

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(a long random string) or run with DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    # Before django_tasks_db: its `db_worker` command is replaced by rakortek's own
    # (the same worker, with a heartbeat and recovery of tasks a dead worker held).
    "rakortek",
    "django_tasks",
    "django_tasks_db",
    "rakortek.accounts",
    "rakortek.documents",
    "meetings",
    "issues",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files are precompressed) and above everything that writes
    # a response body, so compression comes last.
    "rakortek.core.middleware.CompressedPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rakortek.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rakortek.core.logs.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rakortek.core.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it reads the outcome of the login views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rakortek.urls"

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
                "django.template.context_processors.i18n",
                "rakortek.home.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "rakortek.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Rate limits (self check-in) count in the cache: with several app processes set a shared
# one, Redis (CACHE_URL=redis://127.0.0.1:6379/1) or the database
# (CACHE_URL=dbcache://rakortek_cache, then `manage.py createcachetable`).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # The user model has one full_name instead of Django's first/last name.
        "OPTIONS": {"user_attributes": ["username", "full_name", "email"]},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
# The Kemendagri code of the province whose RAKORTEK this is (19: Kepulauan Bangka Belitung).
# Its regions are the ones offered in forms; `manage.py load_areas` loads its kecamatan and desa.
RAKORTEK_PROVINCE_CODE = env.str("RAKORTEK_PROVINCE_CODE", default="19")
# The box an issue's coordinates must fall in: south, north, west, east in decimal degrees
# (the default holds the islands of province 19 with their waters).
RAKORTEK_PROVINCE_BOUNDS = tuple(
    env.list("RAKORTEK_PROVINCE_BOUNDS", default=["-3.5", "-1.4", "105.0", "109.0"])
)

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# Failed logins: after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked out for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Failed logins are counted in the database by default (shared by every app server, and
# listed in the admin); AXES_HANDLER=cache counts them in CACHE_URL (e.g. Redis) instead.
AXES_HANDLERS = {
    "database": "axes.handlers.database.AxesDatabaseHandler",
    "cache": "axes.handlers.cache.AxesCacheHandler",
}
if env.str("AXES_HANDLER", default="database") not in AXES_HANDLERS:
    raise ImproperlyConfigured("AXES_HANDLER must be 'database' or 'cache'.")
AXES_HANDLER = AXES_HANDLERS[env.str("AXES_HANDLER", default="database")]
AXES_VERBOSE = False
# Behind a reverse proxy, set AXES_IPWARE_META_PRECEDENCE_ORDER via the proxy header.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    # Uploads and final documents: MEDIA_ROOT on local disk, or S3-compatible object
    # storage when STORAGE_URL is set (rakortek/core/storage_url.py).
    "default": storage_from_url(env.str("STORAGE_URL", default="")),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Protected files (final documents, attachments, evidence, scans, signatures) are sent
# by nginx after the app's access check when this prefix is set and media is on local
# disk: nginx maps it to MEDIA_ROOT in an `internal` location (deploy/nginx/rakortek.conf).
PROTECTED_FILES_ACCEL_PREFIX = env.str("PROTECTED_FILES_ACCEL_PREFIX", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Rakortek <rakortek@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address printed in QR codes and links: required on a server
# (rakortek.checks fails `check --deploy` without it).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")

# Background tasks (large official documents): the database backend, run by
# `python manage.py db_worker` (`make run` starts one next to the web server).
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
# The task worker records that it is alive every WORKER_HEARTBEAT_SECONDS; a worker
# not seen for WORKER_STALE_SECONDS is dead, and the tasks it was running are
# queued again (once) or failed with a message.
WORKER_HEARTBEAT_SECONDS = env.float("WORKER_HEARTBEAT_SECONDS", default=5)
WORKER_STALE_SECONDS = env.float("WORKER_STALE_SECONDS", default=30)
# A final document with more rows than this renders in the worker, not in the request.
DOCUMENTS_BACKGROUND_ROWS = env.int("DOCUMENTS_BACKGROUND_ROWS", default=200)

# Self check-in (/hadir/<code>/) is open on the meeting's days, from midnight WIB of its
# first day until midnight after its last; these widen that window by whole days.
CHECKIN_OPENS_DAYS_BEFORE = env.int("CHECKIN_OPENS_DAYS_BEFORE", default=0)
CHECKIN_CLOSES_DAYS_AFTER = env.int("CHECKIN_CLOSES_DAYS_AFTER", default=0)
# Final PDFs are signed electronically (PAdES) with this PKCS#12 certificate when it is
# set (e.g. the office's BSrE certificate); without it they are produced unsigned.
DOCUMENT_SIGNING_P12 = env.str("DOCUMENT_SIGNING_P12", default="")
DOCUMENT_SIGNING_PASSPHRASE = env.str("DOCUMENT_SIGNING_PASSPHRASE", default="")
# The signer's name in the signature; by default the certificate's common name.
DOCUMENT_SIGNING_NAME = env.str("DOCUMENT_SIGNING_NAME", default="")
# PEM or DER root certificates the verification page trusts (comma-separated paths).
DOCUMENT_SIGNING_TRUST_ROOTS = [
    name for name in env.list("DOCUMENT_SIGNING_TRUST_ROOTS", default=[]) if name
]
# The minutes page's "fill in automatically": the meetings app's text plus issue counts
# and decisions, which only the documents layer may read.
MINUTES_PREFILL = "rakortek.documents.minutes.prefill_minutes"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Probes on the machine itself ask over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain to HTTPS in every browser; that is the
        # domain owner's decision, not the app's, so its absence is not a warning here.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Every asset is served by the app itself, so the policy can be strict.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)

# Logs go to stdout (journald under systemd) with the request and user ids; secrets,
# secret links and phone numbers are removed from every line (rakortek/core/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "rakortek.core.logs.RequestContextFilter"},
        "redact": {"()": "rakortek.core.logs.RedactingFilter"},
    },
    "formatters": {
        "line": {
            "format": "%(levelname)s %(name)s req=%(request_id)s user=%(user_id)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["context", "redact"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # pyHanko logs a traceback for every signature whose certificate is not trusted
        # (each public verification of a document signed by an untrusted certificate).
        "pyhanko.sign.validation": {"level": "ERROR"},
    },
}

# Error reports to Sentry (or a compatible server) when SENTRY_DSN is set; without
# personal data, and with the same redaction as the logs.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    from rakortek.core.logs import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        before_send=sentry_before_send,
    )
