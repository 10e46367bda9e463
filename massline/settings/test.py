"""Test settings: the same as base, with fast hashing. DATABASE_URL still chooses the database."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One test database per test process, so that several runs on one machine never share one.
_suffix = os.environ.get("PYTEST_XDIST_WORKER", "") + str(os.getpid())
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that threads in the concurrency tests share one real database.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{_suffix}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_massline_{_suffix}"}
MEDIA_ROOT = BASE_DIR / "var" / f"test-media-{_suffix}"
# The abuse throttles count per address, and every test client is 127.0.0.1: they are off here by
# default and switched on by the tests that check them (massline/security/tests), with a cleared cache.
MASSLINE_THROTTLE_ENABLED = False
# Tasks run in-process in tests even when CI exports REDIS_URL; the worker test starts its own worker.
CELERY_TASK_ALWAYS_EAGER = True
# The cache is this process's memory even when CI exports REDIS_URL: tests clear it between them, which
# must never flush a shared Redis (the Redis throttle test points at Redis itself and deletes only its keys).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"massline-{_suffix}"}
}
# The routing model a developer's `make demo` trained (var/classifier.model) must not change what the
# tests see: tests start with no model, and those that train one write it here, per process.
MASSLINE_MODEL_PATH = BASE_DIR / "var" / f"test-model-{_suffix}" / "classifier.model"
