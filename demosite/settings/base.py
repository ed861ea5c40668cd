"""The demo site's settings, shared by every environment (one host of the Assises apps).

Everything that differs between machines comes from environment variables
(docs/operating/configuration.md), so the same code runs on a laptop with SQLite and in
production on PostgreSQL and Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "demosite"
VAR_DIR = Path(os.environ.get("ASSISES_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "demosite",
    "cms",
    "events",
    "press",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",  # last, as its documentation asks: brute-force protection of the admin login
]

MIDDLEWARE = [
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.redirects.RedirectMiddleware",  # Wagtail's, for pages only
    "cms.treelock.TreeBusyMiddleware",  # a page-tree change that waited too long: 503
    "axes.middleware.AxesMiddleware",  # last: answers the lockout page
]

ROOT_URLCONF = "demosite.urls"
WSGI_APPLICATION = "demosite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.pages.public_context",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL=postgres://… switches to PostgreSQL (psycopg 3).
# Persistent connections (checked before reuse): a connection per request cost a detail
# request more than the rest of its work.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes share the file (web workers, the task worker, commands): WAL lets
    # readers go on while one writes, IMMEDIATE transactions take the write lock up front so
    # that two writers queue (up to `timeout` seconds) instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL's search vectors there; Django 6.1 checks the app.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Brute-force protection of the admin login (django-axes): after ASSISES_LOGIN_FAILURE_LIMIT
# failures for one user name from one address, that pair is locked out for
# ASSISES_LOGIN_COOLOFF_MINUTES (each new failure meanwhile restarts the wait). Attempts are
# kept in the database (Django admin → Axes). Behind a proxy, set ASSISES_PROXY_COUNT so that
# the client's address is read from X-Forwarded-For instead of the proxy's (cms.http.client_ip).
AUTHENTICATION_BACKENDS = [
    "demosite.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("ASSISES_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ASSISES_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "assises/cms/lockout.html"
AXES_CLIENT_IP_CALLABLE = "cms.http.client_ip"
AXES_COOLOFF_MESSAGE = _("Account locked: too many failed login attempts. Try again later.")
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first: the association, its editors and its public speak French.
LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# One French catalogue, shipped inside the `cms` app (found there by any host); named here so
# that `make messages` gathers the strings of every app of the repository into it.
LOCALE_PATHS = [BASE_DIR / "cms" / "locale"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Assises"
WAGTAILADMIN_BASE_URL = os.environ.get("ASSISES_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "demosite.CreditedImage"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # French stemming and stop words for the API's `search` and the admin's search.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Every download goes through Wagtail's view, where cms.files refuses the attachments of pages
# that are not public; "direct" or "redirect" would hand out the storage's URL (assises.E020).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The cache: Redis when REDIS_URL is set (production, the demo when Redis runs), memory otherwise.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # several sites (or test runs, or Django versions) may share one Redis
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "assises"),
            # The cache only spares work: with Redis away the site answers uncached rather than
            # failing, and /healthz reports the cache as failing. Short timeouts keep a hung
            # Redis from holding every request.
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (the documents that embed a published object, reference index) goes through
# django-tasks, stored in the database and run by `manage.py run_worker` (started by `make demo`):
# one worker for the pipeline's queue ("assises": re-rendering, purges, webhooks), one for the
# default queue (Wagtail's reference index and search). With the workers down, dependent
# documents are late, never wrong (see cms.pipeline.signals).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ASSISES_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "assises"],
    }
}

# The Assises apps' settings (cms.conf lists them all, with their defaults). The demo reads
# them from the environment; a host may write them down.
_purge_backends = {}
if os.environ.get("ASSISES_VARNISH_URL"):
    _purge_backends["varnish"] = {
        "BACKEND": "cms.consumers.purge.VarnishXkeyBackend",
        "LOCATION": os.environ["ASSISES_VARNISH_URL"],
    }
# Cloudflare cache tags (Enterprise): the zone and an API token allowed to purge it.
if os.environ.get("ASSISES_CLOUDFLARE_ZONE_ID"):
    _purge_backends["cloudflare"] = {
        "BACKEND": "cms.consumers.purge.CloudflareCacheTagBackend",
        "ZONE_ID": os.environ["ASSISES_CLOUDFLARE_ZONE_ID"],
        "API_TOKEN": os.environ.get("ASSISES_CLOUDFLARE_API_TOKEN", ""),
    }
ASSISES = {
    # Documents' absolute URLs.
    "PUBLIC_URL": os.environ.get("ASSISES_PUBLIC_URL", WAGTAILADMIN_BASE_URL),
    # Optional rate limit per client, e.g. "600/min" (off: behind a CDN, limit at the CDN).
    "API_THROTTLE_RATE": os.environ.get("ASSISES_API_THROTTLE_RATE", ""),
    "PROXY_COUNT": int(os.environ.get("ASSISES_PROXY_COUNT", "0")),
    # The public API is readable from any origin; ASSISES_CORS_ALLOW_ORIGIN restricts it.
    "CORS_ALLOW_ORIGIN": os.environ.get("ASSISES_CORS_ALLOW_ORIGIN", "*"),
    "PURGE_BACKENDS": _purge_backends,
    "PURGE_REPEAT_SECONDS": int(os.environ.get("ASSISES_PURGE_REPEAT_SECONDS", "10")),
    "WEBHOOKS_ALLOW_PRIVATE": os.environ.get("ASSISES_WEBHOOKS_ALLOW_PRIVATE", "") == "1",
    "LIST_CACHE_SECONDS": int(os.environ.get("ASSISES_LIST_CACHE_SECONDS", "60")),
    "LIST_COUNT_LIMIT": int(os.environ.get("ASSISES_LIST_COUNT_LIMIT", "1000")),
    "CACHE_CONTROL": os.environ.get(
        "ASSISES_CACHE_CONTROL", "public, max-age=60, stale-while-revalidate=600"
    ),
    "HEALTH_MAX_WORKER_LAG": int(os.environ.get("ASSISES_HEALTH_MAX_WORKER_LAG", "120")),
    "HEALTH_MAX_TASK_RUNNING": int(os.environ.get("ASSISES_HEALTH_MAX_TASK_RUNNING", "600")),
    # A running task whose worker stopped beating this long ago is run again by another.
    "WORKER_HEARTBEAT_SECONDS": float(os.environ.get("ASSISES_WORKER_HEARTBEAT_SECONDS", "5")),
    "WORKER_LEASE_SECONDS": float(os.environ.get("ASSISES_WORKER_LEASE_SECONDS", "30")),
    # The demo's home page is where its sections live.
    "SERIES_PARENT_PAGE_TYPES": ["demosite.HomePage"],
    "SPEAKER_INDEX_PARENT_PAGE_TYPES": ["demosite.HomePage"],
    "PRESS_INDEX_PARENT_PAGE_TYPES": ["demosite.HomePage"],
    # The demo opts in to the admin-wide fixes (autosave stopped on submit, layout).
    "ADMIN_EDITOR_FIXES": True,
}
# Media (images, documents) are served by Django itself only when asked: `make stack` does,
# behind Varnish which caches them; elsewhere a web server, object storage or a CDN serves them.
ASSISES_SERVE_MEDIA = os.environ.get("ASSISES_SERVE_MEDIA", "") == "1"
# Content-Security-Policy of public pages (django-csp): our pages use their own stylesheet and
# no script, so everything comes from this origin. The Wagtail admin and the API's
# documentation pages (Swagger UI, Redoc) use inline scripts and styles of their own: they are
# left out rather than given a policy that would allow inline code everywhere. Machine paths
# (JSON, XML, iCalendar; never rendered as pages, nosniff) are left out too: building the header
# cost the hot path a quarter of a millisecond for nothing.
# ASSISES_CSP_EXTRA_SOURCES adds origins (a CDN for media, say) to every fetch directive.
_csp_extra = [o.strip() for o in os.environ.get("ASSISES_CSP_EXTRA_SOURCES", "").split(",") if o]
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [
        "/admin/",
        "/django-admin/",
        "/api/",
        "/feeds/",
        "/calendars/",
        "/schedules/",
    ],
    "DIRECTIVES": {
        "default-src": [SELF, *_csp_extra],
        "img-src": [SELF, "data:", *_csp_extra],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
if os.environ.get("ASSISES_CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = os.environ["ASSISES_CSP_REPORT_URI"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # ASCII URLs survive e-mail clients and old archives

# The admin makes no request outside the site: no update check, no Gravatar (offline-safe,
# and the editors' e-mail hashes are not sent to a third party).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
