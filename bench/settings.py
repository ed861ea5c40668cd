"""Benchmark settings: the test settings on a throwaway SQLite file (or the PostgreSQL database
of `ASSISES_BENCH_DATABASE_URL`), plus Wagtail's API v2 and the precomputed floor."""

import os
import tempfile

import dj_database_url

from demosite.settings.test import *  # noqa: F403
from demosite.settings.test import INSTALLED_APPS

BENCH_DIR = os.environ.get("ASSISES_BENCH_DIR") or tempfile.mkdtemp(prefix="assises-bench-")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(BENCH_DIR, "bench.sqlite3"),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),  # noqa: F405 (as in production)
    }
}
if os.environ.get("ASSISES_BENCH_DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["ASSISES_BENCH_DATABASE_URL"], conn_max_age=600, conn_health_checks=True
        )
    }
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french"  # noqa: F405 (as in base)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 600  # as in production
# The shared cache of an HTTP run (`bench.http`): Redis, as in production, when given.
if os.environ.get("ASSISES_BENCH_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["ASSISES_BENCH_REDIS_URL"],
            "KEY_PREFIX": "assises-bench",
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
