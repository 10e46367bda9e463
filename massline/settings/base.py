"""Settings, all from the environment. SQLite (WAL) by default; PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MASSLINE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


DEV_SECRET_KEY = "dev-only-not-secret-change-me"  # never accepted by the production settings


def _local_secret_key() -> str:
    """Without MASSLINE_SECRET_KEY (demo, laptop): a random key kept in the var folder, never a fixed one,
    so that nobody can forge sessions or password-reset links of a demo reachable from a network."""
    import secrets

    path = VAR_DIR / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip() or DEV_SECRET_KEY
    except FileNotFoundError:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
            path.chmod(0o600)
            return path.read_text(encoding="utf-8").strip()
        except OSError:  # a read-only checkout: this process alone gets a random key
            return secrets.token_urlsafe(50)


SECRET_KEY = os.environ.get("MASSLINE_SECRET_KEY") or _local_secret_key()
# DEBUG prints tracebacks and settings to anyone who meets an error: only on explicit request.
DEBUG = env_bool("MASSLINE_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("MASSLINE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "massline.accounts",
    "massline.workflow",
    "massline.intake",
    "massline.followup",
    "massline.rollups",
    "massline.portal",
    "massline.workbench",
    "massline.api",
    "massline.consult",
    "massline.console",
    "massline.notify",
    "massline.opendata",
    "massline.subscriptions",
    "massline.webhooks",
    "massline.open311out",
    "massline.hotline",
    "massline.monthly",
    "massline.learning",
    "massline.pagecache",  # whole anonymous pages and staff fragments from the cache
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "massline.security.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "massline.core.text.script.OriginalScriptMiddleware",  # ?script=original: content as it was written
    "massline.middleware.RefuseNulInAddress",  # before any view can pass a NUL to PostgreSQL
    "massline.middleware.ServiceUnavailableOnDatabaseOutage",  # 503 + Retry-After, not 500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "massline.urls"
WSGI_APPLICATION = "massline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "massline" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["massline.portal.templatetags.reader"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'massline.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=0)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so that two
    # concurrent writers fail fast instead of deadlocking on lock upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Behind PgBouncer in transaction pooling, server-side cursors (.iterator()) break: turn them off.
if env_bool("MASSLINE_DB_DISABLE_SERVER_SIDE_CURSORS", False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A streaming read replica (docs/operations.md, "Production"): the public read-only pages read from it.
if os.environ.get("MASSLINE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["MASSLINE_REPLICA_URL"], conn_max_age=0)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["massline.db_router.ReplicaRouter"]
    MIDDLEWARE.append("massline.db_router.ReplicaReadsMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS: list[dict] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("MASSLINE_PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Notifications (massline/notify): where e-mail and SMS go, and the address links in messages point to.
from massline.notify.config import email_settings  # noqa: E402 - settings read the environment here

globals().update(email_settings(os.environ.get("MASSLINE_EMAIL_URL", "console:")))
DEFAULT_FROM_EMAIL = os.environ.get("MASSLINE_EMAIL_FROM", "massline <no-reply@massline.local>")
MASSLINE_SMS_URL = os.environ.get("MASSLINE_SMS_URL", "console:")
MASSLINE_SITE_URL = os.environ.get("MASSLINE_SITE_URL", "http://127.0.0.1:8000")
MASSLINE_NOTIFY = os.environ.get("MASSLINE_NOTIFY", "1") not in ("0", "false", "no", "off")
MASSLINE_NOTIFY_DUE_SOON_MINUTES = int(os.environ.get("MASSLINE_NOTIFY_DUE_SOON_MINUTES", "120"))
MASSLINE_OPENDATA_DIR = Path(os.environ.get("MASSLINE_OPENDATA_DIR", VAR_DIR / "opendata"))

LOGIN_URL = "/staff/login/"
LOGIN_REDIRECT_URL = "/staff/"

LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "massline" / "locale"]
TIME_ZONE = os.environ.get("MASSLINE_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "massline" / "static"]
# Serve straight from the source folders until `collectstatic` has been run (demo, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# A shared cache (Redis) lets every web process reuse the portal's statistics and count the abuse
# throttles together; default: per process (local memory).
_cache_url = os.environ.get("REDIS_URL", "") or os.environ.get("MASSLINE_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work: Celery on Redis when a broker is configured (CELERY_BROKER_URL, else REDIS_URL), in
# every process: web processes then send tasks to the broker and `massline worker` runs them. Without a
# broker tasks run in-process (eagerly). Redis only as a cache: MASSLINE_CACHE_URL, not REDIS_URL.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or os.environ.get("REDIS_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE  # beat's crontab entries (the 08:00 digest, the 02:30 dump) in the city's time

# Routing: below this calibrated confidence a request waits for a human dispatcher.
MASSLINE_ROUTING_THRESHOLD = float(os.environ.get("MASSLINE_ROUTING_THRESHOLD", "0.6"))
# Routing that learns (docs/routing.md): the precision each level's auto-route threshold must reach on
# held-out examples, and the examples a sub-category needs before the router learns it.
MASSLINE_ROUTING_PRECISION = float(os.environ.get("MASSLINE_ROUTING_PRECISION", "0.97"))
MASSLINE_ROUTING_MIN_EXAMPLES = int(os.environ.get("MASSLINE_ROUTING_MIN_EXAMPLES", "20"))
MASSLINE_MODEL_PATH = Path(os.environ.get("MASSLINE_MODEL_PATH", VAR_DIR / "classifier.model"))
# Map tiles: many government networks are offline; pages still show markers without tiles.
MASSLINE_TILE_URL = os.environ.get("MASSLINE_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
if "MASSLINE_TILE_ATTRIBUTION" in os.environ:  # else: the OpenStreetMap credit for OSM tiles, none otherwise
    MASSLINE_TILE_ATTRIBUTION = os.environ["MASSLINE_TILE_ATTRIBUTION"]
# Public statistics older than this are refreshed in the background (large sites: e.g. 300).
MASSLINE_PORTAL_STATS_STALE_SECONDS = int(os.environ.get("MASSLINE_PORTAL_STATS_STALE_SECONDS", "0"))
# The 三率 ranking leaves out units with fewer hand-overs than this in the period (listed apart).
MASSLINE_RANKING_MIN_DISPATCHED = int(os.environ.get("MASSLINE_RANKING_MIN_DISPATCHED", "10"))
MASSLINE_MAP_CENTER = (28.2282, 112.9388)  # the demo city sits where the govmsg data suggests
MASSLINE_PHOTO_MAX_BYTES = int(os.environ.get("MASSLINE_PHOTO_MAX_BYTES", str(5 * 1024 * 1024)))

# Open311 GeoReport v2 and the REST API (see docs/api.md).
MASSLINE_OPEN311_JURISDICTION = os.environ.get("MASSLINE_OPEN311_JURISDICTION", "massline")
MASSLINE_API_RATE_LIMIT = int(os.environ.get("MASSLINE_API_RATE_LIMIT", "120"))  # per key per minute
MASSLINE_API_ANON_RATE_LIMIT = int(os.environ.get("MASSLINE_API_ANON_RATE_LIMIT", "60"))  # per address
MASSLINE_API_MAX_BODY_BYTES = int(os.environ.get("MASSLINE_API_MAX_BODY_BYTES", "262144"))  # fits MAX_TEXT

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MASSLINE_LOG_LEVEL", "WARNING")},
}

# -- abuse controls (docs/operations.md, "Abuse controls and safe defaults") -----------------------------
MASSLINE_THROTTLE_ENABLED = env_bool("MASSLINE_THROTTLE_ENABLED", True)
# Behind a reverse proxy: the header it sets with the client's address (e.g. X-Forwarded-For). Leave
# empty when the app is reached directly, or anyone could pick their own address.
MASSLINE_CLIENT_IP_HEADER = os.environ.get("MASSLINE_CLIENT_IP_HEADER", "")
# Rates are COUNT/SECONDS per client address; empty turns one off.
MASSLINE_SUBMIT_RATE = os.environ.get("MASSLINE_SUBMIT_RATE", "5/600")
MASSLINE_SEARCH_RATE = os.environ.get("MASSLINE_SEARCH_RATE", "60/60")
MASSLINE_LOGIN_RATE = os.environ.get("MASSLINE_LOGIN_RATE", "30/600")
MASSLINE_LOGIN_MAX_FAILURES = int(os.environ.get("MASSLINE_LOGIN_MAX_FAILURES", "5"))
MASSLINE_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("MASSLINE_LOGIN_LOCKOUT_SECONDS", "900"))
# Consultations: statements one participant may add per hour.
MASSLINE_CONSULT_STATEMENTS_PER_HOUR = int(os.environ.get("MASSLINE_CONSULT_STATEMENTS_PER_HOUR", "5"))

# -- safe defaults -------------------------------------------------------------------------------------
# Staff sessions end after this much inactivity (every request renews the cookie).
SESSION_COOKIE_AGE = int(float(os.environ.get("MASSLINE_SESSION_HOURS", "4")) * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (massline/security/csp.py): scripts only from our own static files.
MASSLINE_CSP_ENABLED = env_bool("MASSLINE_CSP_ENABLED", True)
# Sites allowed to frame the embeddable consultation pages (space-separated origins; * = any).
MASSLINE_EMBED_ORIGINS = os.environ.get("MASSLINE_EMBED_ORIGINS", "*")
