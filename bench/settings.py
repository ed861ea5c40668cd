"""Benchmark settings: the test settings on a throwaway SQLite file, plus Wagtail's API v2."""

import os
import tempfile

from cms.settings.test import *  # noqa: F403
from cms.settings.test import INSTALLED_APPS

BENCH_DIR = os.environ.get("ASSISES_BENCH_DIR") or tempfile.mkdtemp(prefix="assises-bench-")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(BENCH_DIR, "bench.sqlite3"),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),  # noqa: F405 (as in production)
    }
}
MEDIA_ROOT = os.path.join(BENCH_DIR, "media")
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2"]
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["*"]
# The pipeline benchmark records queued tasks instead of running them (bench.pipeline).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "ASSISES_BENCH_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
