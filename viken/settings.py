"""Settings for Regionportalen, read from the environment (see .env.example).

Development defaults need nothing installed: SQLite and Celery's filesystem broker under var/,
e-mail written to files under var/mail/. DATABASE_URL, REDIS_URL and EMAIL_URL switch to
PostgreSQL, Redis and SMTP. Nothing here exists only in production.
"""

import re
import sys
import warnings
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _config_error(message):
    """Stop start-up with one clear line instead of a traceback."""
    raise SystemExit(f"Configuration error: {message}")


def _read_bool(name, default):
    try:
        return env.bool(name, default=default)
    except Exception:
        _config_error(f"{name} must be true or false.")


DEBUG = _read_bool("DEBUG", True)
VAR_DIR = Path(env.str("VAR_DIR", default="") or BASE_DIR / "var")

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        _config_error("SECRET_KEY must be set when DEBUG is off (it signs sessions and tokens).")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address in e-mails and calendar feeds. `make run` passes RUN_SITE_URL from its HOST and PORT to
# all three processes (honcho gives each process its own PORT, so the worker that writes the e-mails
# cannot use PORT); SITE_URL in the environment or .env wins over it.
SITE_URL = (env.str("SITE_URL", default="") or env.str("RUN_SITE_URL", default="") or "http://127.0.0.1:8000").rstrip(
    "/"
)

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
    "django_filters",
    "axes",
    # Two-factor sign-in: TOTP (authenticator apps) and static recovery codes (accounts.twofactor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "core",
    "notifications",
    "regions",
    "partnerships",
    "meetings",
    "cases",
    # The hand-off to the county's archive (Fiks Arkiv); above every app it archives.
    "archive",
    # People brought in by the coordination unit: invitations, deactivation (above regions: appointments).
    "people",
    # Partnership funds per region and year (above partnerships: the special part's priorities).
    "funds",
    # Input rounds to the state (above cases: contributions are anchored as cases are).
    "rounds",
    # Theme groups: cooperation on a theme across regions (above meetings: links cases and meetings).
    "themes",
    # The yearly report to the county council (above every app whose figures it reads).
    "reports",
    # The shell above every app: start page, navigation, /healthz, demo setup.
    "oparl",
    "publicsite",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Facts about the request's user that several parts of a page need are loaded once per request.
    "core.memo.RequestMemoMiddleware",
    # A request that may have written moves the data's generation on: no cached fragment outlives it.
    "core.fragments.GenerationMiddleware",
    # A logged-in person's own language (bokmål, nynorsk or English) wins over the footer's cookie.
    "accounts.middleware.UserLanguageMiddleware",
    # Deny by default: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # The second factor after the password (accounts.twofactor), Django admin included.
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A NUL character in the address or form data is a 400 (PostgreSQL cannot compare one: a 500).
    "core.middleware.RefuseNullCharacterMiddleware",
    # A kept page is answered after every check above (sign-in, second factor, messages).
    "core.kept_pages.KeptPageMiddleware",
    # Login throttling; must stay last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "viken.urls"
WSGI_APPLICATION = "viken.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_default_db_url = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
_database_url = env.str("DATABASE_URL", default="") or _default_db_url
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # our one-line message below says it better
        _db = environ.Env.db_url_config(_database_url)
except Exception:
    _db = {}
if not _db.get("ENGINE") or not _db.get("NAME"):
    _config_error("DATABASE_URL is not a valid database URL (e.g. postgres://user@host:5432/name).")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and a busy timeout let web, worker and beat share one file safely.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif _db["ENGINE"] in ("django.db.backends.postgresql",):
    _db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    _db["CONN_HEALTH_CHECKS"] = True
else:
    _config_error("DATABASE_URL must point to PostgreSQL or SQLite.")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis (broker and cache) -----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    _redis = urlsplit(REDIS_URL)
    try:
        _redis_port_ok = _redis.port is None or _redis.port > 0
    except ValueError:
        _redis_port_ok = False
    if _redis.scheme not in ("redis", "rediss") or not _redis.hostname or not _redis_port_ok:
        _config_error("REDIS_URL is not a valid Redis URL (e.g. redis://127.0.0.1:6379/0).")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Rendered fragments (core/fragments.py) are kept only in a cache every process shares (Redis); the
# embedded default's cache lives in one process, so there every fragment is built for each page.
FRAGMENT_CACHE = env.bool("FRAGMENT_CACHE", default=bool(REDIS_URL))
FRAGMENT_TIMEOUT = env.int("FRAGMENT_TIMEOUT", default=300)
# A change of any model of the project's own apps moves the fragments' generation on (core/fragments.py);
# these apps' models are not the portal's data (sign-in attempts, second-factor counters, admin's log).
FRAGMENT_QUIET_APPS = frozenset({"admin", "axes", "contenttypes", "sessions", "otp_totp", "otp_static"})
# Whole pages kept per person and session under the same generation (core/kept_pages.py), for at most
# KEPT_PAGE_TIMEOUT seconds; only with FRAGMENT_CACHE (a cache every process shares).
KEPT_PAGES = env.bool("KEPT_PAGES", default=True)
KEPT_PAGE_TIMEOUT = env.int("KEPT_PAGE_TIMEOUT", default=60)
KEPT_PAGES_EXCLUDED = ("/admin/", "/static/", "/media/")

# A list counts at most this many rows (core/pagination.py): past it, "more than 1 000" and the filters
# (a person pages through 20 pages of 50, then narrows the list; counting further reads every row).
LIST_COUNT_CAP = env.int("LIST_COUNT_CAP", default=1_000)

# --- Celery ----------------------------------------------------------------------------------
CELERY_QUEUE_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
else:
    # Embedded broker: kombu's filesystem transport, nothing to install.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up quickly: the outbox row is already saved and the sweep sends it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Oslo"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Proves to /healthz that beat is alive; the health check reads the last heartbeat's time.
    "core-heartbeat": {"task": "core.heartbeat_record_task", "schedule": 15.0},
    # The outbox sweep: sends every due notification and reminder, and re-queues stuck ones, so a
    # broker outage or a killed worker only delays delivery.
    "notifications-sweep": {"task": "notifications.message_sweep_task", "schedule": 60.0},
    # Meeting series: keep 12 months of fixed meeting times generated ahead (idempotent; every 6 hours).
    "meetings-series-generate": {"task": "meetings.series_generate_task", "schedule": 6 * 3600.0},
    # The coordination unit's daily digest of new, waiting and overdue cases (one per adviser and day).
    "cases-digest": {"task": "cases.digest_send_task", "schedule": crontab(hour=7, minute=0)},
    # Case exports whose build task was lost while the broker was down (built a few minutes late).
    "cases-export-sweep": {"task": "cases.case_export_sweep_task", "schedule": 60.0},
    # The anchoring strength tracking groups is kept by the services; a nightly recount catches what
    # changed outside them (a bulk load, a correction in SQL).
    "cases-anchoring-recount": {"task": "cases.anchoring_recount_task", "schedule": crontab(hour=2, minute=30)},
    # The archive queue: delivers every due arkivmelding (in order, with backoff) and re-queues what a
    # killed worker left, so a broker outage only delays the archive.
    "archive-sweep": {"task": "archive.archive_sweep_task", "schedule": 60.0},
}
HEARTBEAT_STALE_AFTER = timedelta(minutes=3)
# How many worker processes sweep a backlog of due messages at once (notifications.tasks).
OUTBOX_SWEEP_PROCESSES = env.int("OUTBOX_SWEEP_PROCESSES", default=2)

# --- Archive (Fiks Arkiv arkivmelding) -----------------------------------------------------------
# Where the archive packages go: an HTTP endpoint that takes a POSTed ZIP when ARCHIVE_URL is set,
# else a folder (one sub-folder per message) that the archive system picks up.
ARCHIVE_URL = env.str("ARCHIVE_URL", default="").strip()
if ARCHIVE_URL and not re.fullmatch(r"https?://\S+", ARCHIVE_URL):
    _config_error("ARCHIVE_URL must be an http:// or https:// address, e.g. https://arkiv.example.no/mottak.")
ARCHIVE_DIR = Path(env.str("ARCHIVE_DIR", default="") or VAR_DIR / "archive")
ARCHIVE_HTTP_TIMEOUT = env.int("ARCHIVE_HTTP_TIMEOUT", default=30)

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
MAIL_DIR = VAR_DIR / "mail"
if EMAIL_URL:
    try:
        globals().update(environ.Env.email_url_config(EMAIL_URL))
    except Exception:
        _config_error("EMAIL_URL is not a valid e-mail URL (e.g. smtp+tls://user:pass@host:587).")
else:
    # Development: each message becomes a file under var/mail/ that you can open.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(MAIL_DIR)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="") or "Regionportalen <noreply@regionportalen.local>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The coordination unit's mailbox: Reply-To of the portal's e-mails and the organiser of a meeting
# without an organising adviser. Empty: the e-mails say they cannot be answered.
REPLY_TO_EMAIL = env.str("REPLY_TO_EMAIL", default="").strip()
if REPLY_TO_EMAIL and not re.fullmatch(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+", REPLY_TO_EMAIL):
    _config_error("REPLY_TO_EMAIL must be one e-mail address, e.g. postmottak@fylke.no.")
# "Name <address>, Name <address>": Django 5.2 wants (name, address) pairs.
ADMINS = [parseaddr(entry) for entry in env.list("ADMINS", default=[]) if entry.strip()]

# --- Accounts ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"
# The name authenticator apps show beside the six digits.
OTP_TOTP_ISSUER = "Regionportalen"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# With Redis, sessions are read from the shared cache (written through to the database): no session row
# read per request. Without Redis the cache is per process, so sessions stay in the database alone.
if REDIS_URL:
    SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): five failures lock that username from that address for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Single sign-on (OpenID Connect; accounts/oidc.py) ----------------------------------------------
# OIDC_PROVIDERS lists short names (e.g. "entra,idporten"); each name N reads OIDC_N_DISCOVERY_URL (or
# OIDC_N_ISSUER, whose /.well-known/openid-configuration is used), OIDC_N_CLIENT_ID, OIDC_N_CLIENT_SECRET,
# OIDC_N_SCOPES, OIDC_N_MATCH_CLAIM ("email", or a national identifier claim such as "pid"), OIDC_N_NAME
# (the button reads "Logg inn med <name>"), OIDC_N_MFA_ACR_VALUES (acr values that count as two factors)
# and OIDC_N_TOKEN_AUTH_METHOD (client_secret_basic, the default, or client_secret_post).
OIDC_PROVIDERS = []
for _slug in env.list("OIDC_PROVIDERS", default=[]):
    _slug = _slug.strip().lower()
    if not re.fullmatch(r"[a-z0-9]{1,30}", _slug):
        _config_error("OIDC_PROVIDERS must be short names of letters and digits, e.g. entra,idporten.")
    _prefix = f"OIDC_{_slug.upper()}_"
    _issuer = env.str(_prefix + "ISSUER", default="").rstrip("/")
    _discovery = env.str(_prefix + "DISCOVERY_URL", default="") or (
        f"{_issuer}/.well-known/openid-configuration" if _issuer else ""
    )
    _client_id = env.str(_prefix + "CLIENT_ID", default="")
    if not _discovery.startswith(("https://", "http://")) or not _client_id:
        _config_error(f"{_prefix}DISCOVERY_URL (or {_prefix}ISSUER) and {_prefix}CLIENT_ID must be set.")
    if env.str(_prefix + "TOKEN_AUTH_METHOD", default="client_secret_basic") not in (
        "client_secret_basic",
        "client_secret_post",
    ):
        _config_error(f"{_prefix}TOKEN_AUTH_METHOD must be client_secret_basic or client_secret_post.")
    OIDC_PROVIDERS.append(
        {
            "slug": _slug,
            "name": env.str(_prefix + "NAME", default=_slug),
            "discovery_url": _discovery,
            "client_id": _client_id,
            "client_secret": env.str(_prefix + "CLIENT_SECRET", default=""),
            "scopes": env.str(_prefix + "SCOPES", default="openid email profile"),
            "match_claim": env.str(_prefix + "MATCH_CLAIM", default="email"),
            "mfa_acr_values": env.list(_prefix + "MFA_ACR_VALUES", default=[]),
            "token_auth_method": env.str(_prefix + "TOKEN_AUTH_METHOD", default="client_secret_basic"),
        }
    )

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "nb"
# Nynorsk is an official written standard: every page, e-mail and PDF also exists in it.
LANGUAGES = [("nb", _("Norwegian bokmål")), ("nn", _("Norwegian nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default="") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default="") or VAR_DIR / "uploads")
# Never served as static files: attachments go out only through permission-checked views.
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# An Excel export of more cases than this is built by a Celery job that notifies the user with a link
# (a CSV always streams during the request).
CASE_EXPORT_SYNC_LIMIT = env.int("CASE_EXPORT_SYNC_LIMIT", default=20_000)
# No more than UPLOAD_MAX_BYTES + 1 bytes of a request's files reach memory or a temporary file.
FILE_UPLOAD_HANDLERS = [
    "core.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# The empty choice of every list filter reads "Alle" (django-filter's default is "---------").
FILTERS_EMPTY_CHOICE_LABEL = _("All")

# --- Security --------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _read_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _read_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
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
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The filesystem broker has no host name; kombu warns about it on every connection.
        "kombu.connection": {"level": "ERROR"},
    },
}

TESTING = "pytest" in sys.modules
