"""Production: everything from the environment, DEBUG off, secure cookies."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["MASSLINE_SECRET_KEY"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
