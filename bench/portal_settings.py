"""Settings for the portal benchmark's server only: the normal settings plus what a production deployment
on PostgreSQL would configure. Used by bench_portal.py as DJANGO_SETTINGS_MODULE=portal_settings with
bench/ on the Python path; nothing else reads this file.

- Persistent database connections (CONN_MAX_AGE): without them every request opens a new PostgreSQL
  connection (a fork on the server), which costs more than a whole cached page.
- A shared Redis cache (MASSLINE_BENCH_CACHE_URL), so that the statistics are computed once for all
  gunicorn workers instead of once per worker. Without the variable the per-process LocMem default stays.
"""

import os

from massline.settings.base import *  # noqa: F403
from massline.settings.base import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("MASSLINE_BENCH_CONN_MAX_AGE", "600"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

_cache_url = os.environ.get("MASSLINE_BENCH_CACHE_URL", "")
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": os.environ.get("MASSLINE_BENCH_CACHE_PREFIX", "massline_bench"),
        }
    }
