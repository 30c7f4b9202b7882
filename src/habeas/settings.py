"""Django settings of habeas.

Embedded default: SQLite in the data folder (see :mod:`habeas.paths`). A team install points
``HABEAS_DATABASE_URL`` at PostgreSQL (``postgres://user@host:5432/habeas``).
Environment: ``HABEAS_HOME``, ``HABEAS_DATABASE_URL``, ``HABEAS_SECRET_KEY``, ``HABEAS_DEBUG``,
``HABEAS_ALLOWED_HOSTS`` (comma-separated).
"""

import os
from pathlib import Path

import dj_database_url

from habeas import paths

BASE_DIR = Path(__file__).resolve().parent
HOME = paths.home()

SECRET_KEY = paths.secret_key()
DEBUG = os.environ.get("HABEAS_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("HABEAS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "habeas.cases",
    "habeas.documents",
    "habeas.jobs",
    "habeas.dnaweb",
    "habeas.deadlines",
    "habeas.petitions",
    "habeas.reference",
    "habeas.web",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "habeas.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "habeas.urls"
WSGI_APPLICATION = "habeas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="HABEAS_DATABASE_URL",
        default=f"sqlite:///{HOME / 'habeas.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers go on while a writer commits; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Results that take seconds (mixture analyses, plots) are kept on disk across restarts.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": str(HOME / "cache")}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("HABEAS_TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on a missing root; files come from the finders
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step
MEDIA_ROOT = HOME / "files"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "case-list"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Documents and background jobs (habeas.documents, habeas.jobs) -----------------------------
DOCUMENTS_MAX_UPLOAD_BYTES = int(os.environ.get("HABEAS_DOCUMENTS_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))
DOCUMENTS_MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024  # a DOCX (zip) that inflates past this is refused
DOCUMENTS_MAX_COMPRESSION_RATIO = 200  # … or whose members inflate more than this many times
DOCUMENTS_OCR_DPI = 300
DOCUMENTS_OCR_LANGUAGE = os.environ.get("HABEAS_OCR_LANGUAGE", "eng")
DOCUMENTS_OCR_TIMEOUT = 300  # seconds per page
DATA_UPLOAD_MAX_NUMBER_FILES = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads spool to a temp file
DOCUMENTS_SEARCH_RANK_LIMIT = 5000  # hits are ranked among the first N matching pages
JOBS_POLL_SECONDS = 2.0
JOBS_STALE_AFTER = 15 * 60  # a 'running' job without progress for this long is re-queued
# Job queue on Redis (optional; habeas.jobs.redisqueue, docs/deployment.md). Unset: idle workers poll
# the jobs table. Set HABEAS_REDIS_URL (redis://127.0.0.1:6379/0) and enqueue also pushes each job id
# onto the Redis list JOBS_REDIS_KEY after its transaction commits; workers block on it (BRPOP) and
# sweep the table after each JOBS_REDIS_BLOCK_SECONDS without a job. The database stays the record of
# every job; `habeas worker --redis URL` overrides the variable. Needs pip install 'habeas[redis]'.
JOBS_REDIS_URL = os.environ.get("HABEAS_REDIS_URL", "").strip() or None
JOBS_REDIS_KEY = "habeas:jobs"
JOBS_REDIS_BLOCK_SECONDS = 10.0

# --- REST API (habeas.api): DRF, django-filter, drf-spectacular -------------------------------------
# Token (``Authorization: Token <key>``) and session auth; every endpoint needs a signed-in user,
# and each is scoped to the cases the user may see (habeas.web.access.visible_cases).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",  # first: 401 + WWW-Authenticate when absent
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "habeas.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
    "EXCEPTION_HANDLER": "habeas.api.errors.exception_handler",  # numbers out of range: 400, not 500
}
SPECTACULAR_SETTINGS = {
    "TITLE": "habeas API",
    "DESCRIPTION": "Cases, people, convictions, evidence, chain of custody, lab work, DNA comparisons, "
                   "documents and deadlines of post-conviction innocence work. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/",
    # Swagger UI and Redoc assets come from drf-spectacular-sidecar (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "habeas.cases.partial_dates.PRECISION_CHOICES",
        "ConfidenceEnum": "habeas.cases.models.CONFIDENCE_CHOICES",
    },
}

# --- Security and reliability (habeas.audit; issue 9; documented in docs/security.md) -----------
# Audit log, Argon2 passwords, login throttling (django-axes), optional TOTP (django-otp),
# production hardening with HABEAS_PRODUCTION=1. Environment: HABEAS_PRODUCTION,
# HABEAS_AXES_ENABLED (default 1), HABEAS_BEHIND_PROXY, HABEAS_AUDIT_TRUST_X_FORWARDED_FOR.
from datetime import timedelta  # noqa: E402

INSTALLED_APPS += ["habeas.audit", "axes", "django_otp", "django_otp.plugins.otp_totp"]
_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE[_auth + 1:_auth + 1] = [
    "django_otp.middleware.OTPMiddleware",          # request.user.is_verified()
    "habeas.audit.middleware.AuditMiddleware",      # who read / wrote which case data, from where
    "habeas.audit.otp.OTPRequiredMiddleware",       # users with a TOTP device must enter a code
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # django-axes wants to be last

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",   # new and changed passwords
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",   # older hashes still verify, upgraded at login
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # django-axes' AxesStandaloneBackend, refusing a locked-out username/address before the password is
    # checked; authenticate() without a request (command line) is passed on (habeas/audit/backends.py)
    "habeas.audit.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = os.environ.get("HABEAS_AXES_ENABLED", "1") != "0"
AXES_FAILURE_LIMIT = 5                         # failed logins …
AXES_COOLOFF_TIME = timedelta(minutes=30)      # … lock that username from that address this long
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password"]

OTP_TOTP_ISSUER = "habeas"
OTP_REQUIRED_FOR_ENROLLED = True

AUDIT_TRUST_X_FORWARDED_FOR = os.environ.get("HABEAS_AUDIT_TRUST_X_FORWARDED_FOR", "") == "1"

SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

PRODUCTION = os.environ.get("HABEAS_PRODUCTION", "") == "1"
if PRODUCTION:  # served over HTTPS to a team: `habeas check` must pass with these
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_AGE = 60 * 60 * 8
    if os.environ.get("HABEAS_BEHIND_PROXY", "") == "1":  # TLS ends at a reverse proxy you control
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
