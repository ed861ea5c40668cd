"""The test suite: fast hashing, memory cache, tasks run immediately, files under a temp dir."""

import atexit
import os
import shutil
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# One media folder per test process: runs side by side must not see each other's files.
MEDIA_ROOT = tempfile.mkdtemp(prefix="assises-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
STATIC_ROOT = os.path.join(tempfile.gettempdir(), "assises-test-static")
os.makedirs(STATIC_ROOT, exist_ok=True)
# Test receivers listen on loopback.
ASSISES = {**ASSISES, "WEBHOOKS_ALLOW_PRIVATE": True}  # noqa: F405
