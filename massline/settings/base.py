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


SECRET_KEY = os.environ.get("MASSLINE_SECRET_KEY", "dev-only-not-secret-change-me")
DEBUG = env_bool("MASSLINE_DEBUG", True)
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
    "massline.portal",
    "massline.workbench",
    "massline.api",
    "massline.consult",
    "massline.console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS: list[dict] = []
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

# A shared cache (Redis) lets every web process reuse the portal's statistics; default: per process.
_cache_url = os.environ.get("MASSLINE_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work: Celery on Redis when a broker is configured, otherwise in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL

# Routing: below this calibrated confidence a request waits for a human dispatcher.
MASSLINE_ROUTING_THRESHOLD = float(os.environ.get("MASSLINE_ROUTING_THRESHOLD", "0.6"))
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
