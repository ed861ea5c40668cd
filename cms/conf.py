"""One settings object for every Assises app, with a default for everything.

A host sets only what it wants to change, in one dict (the usual Wagtail-package way)::

    ASSISES = {"PUBLIC_URL": "https://www.example.org", "LIST_CACHE_SECONDS": 30}

and code reads ``assises_settings.LIST_CACHE_SECONDS``. Values are read from Django's settings
on every access (a dict lookup), so that ``override_settings`` and the test ``settings`` fixture
apply at once; nothing is cached per process. Environment variables are never read here: a
host's settings module decides where its values come from (the demo site reads the environment).

This module imports nothing from Django at import time, so that the documentation build can
read ``DEFAULTS`` to generate the configuration reference without a configured project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MIB = 1024 * 1024
GIB = 1024 * MIB


@dataclass(frozen=True)
class Setting:
    """A setting's default and what it is for (the configuration reference prints both)."""

    default: Any
    help: str


DEFAULTS: dict[str, Setting] = {
    # Public addresses
    "PUBLIC_URL": Setting(
        None,
        "Scheme and host that documents' absolute URLs use (https://www.example.org). "
        "None: Wagtail's WAGTAILADMIN_BASE_URL.",
    ),
    # Reading
    "CACHE_CONTROL": Setting(
        "public, max-age=60, stale-while-revalidate=600",
        "Cache-Control of public API responses, feeds, calendars and schedules.",
    ),
    "ARCHIVED_CACHE_CONTROL": Setting(
        "public, max-age=86400, stale-while-revalidate=604800",
        "Cache-Control of archived editions' documents: kept longer, never `immutable`, so "
        "that a cache revalidates them once the day is over.",
    ),
    "FILE_MAX_AGE": Setting(
        300,
        "max-age (seconds) of a public page's attachment or original image; a change to the "
        "page purges it by surrogate key, and it is never cached past the page's expiry.",
    ),
    "OPEN_DOCUMENT_COLLECTIONS": Setting(
        [],
        "Names of collections whose documents keep Wagtail's own rule (served unless the "
        "collection is private) when no public page of Assises shows them: the host's own "
        "documents. Every other document is served only while a public page shows it. Never "
        "put press attachments there.",
    ),
    "PAGE_CACHE_CONTROL": Setting(
        "public, max-age=60, stale-while-revalidate=600",
        "Cache-Control of public HTML pages seen anonymously (a page with an expiry date is "
        "kept no longer than that date; editors' pages are private, no-store).",
    ),
    "NOT_FOUND_CACHE_CONTROL": Setting(
        "public, max-age=10",
        "Cache-Control of the public 404 page (tagged `list:all`, purged after every change, so "
        "a page published at that path replaces it at once) and of the errors of the API, "
        "feeds and calendars (tagged with what they are about, see cms.consumers.purge).",
    ),
    "LIST_CACHE_SECONDS": Setting(
        60, "Rendered list responses are cached (per query and content version) this long."
    ),
    "LIST_COUNT_LIMIT": Setting(
        1000,
        "Lists count their matches exactly up to this many; beyond, `count` is a lower bound "
        "and `count_exact` is false.",
    ),
    "MAX_PARAMETER_LENGTH": Setting(
        500, "Longest query string accepted by the API, feeds and calendars (characters)."
    ),
    "MAX_PARAMETERS": Setting(30, "Most query parameters accepted in one request."),
    "API_THROTTLE_RATE": Setting(
        "",
        "Rate limit of the API, feeds and calendars per client, in DRF's syntax (`600/min`), "
        "counted in the default cache. Empty: off (behind a CDN, limit at the CDN).",
    ),
    "PROXY_COUNT": Setting(
        0,
        "Trusted reverse proxies in front of the site: the client's address is read from "
        "X-Forwarded-For that many hops back (login lockout, throttling).",
    ),
    "CORS_ALLOW_ORIGIN": Setting(
        "*",
        "Access-Control-Allow-Origin of the public API, feeds, calendars and schedules "
        "(read-only public data). An origin such as https://partner.example restricts it; "
        "empty: no CORS header.",
    ),
    "EXPORT_CACHE_SECONDS": Setting(24 * 3600, "How long generated exports stay cached."),
    # Writing, the worker, caches in front
    "PURGE_BACKENDS": Setting(
        {},
        "Caches in front of the site purged by surrogate key after each change: "
        '{"varnish": {"BACKEND": "cms.consumers.purge.VarnishXkeyBackend", '
        '"LOCATION": "http://127.0.0.1:6081"}} (or CloudflareCacheTagBackend with ZONE_ID '
        "and API_TOKEN).",
    ),
    "PURGE_REPEAT_SECONDS": Setting(
        10,
        "Every purge is sent again this many seconds later (0: never), for responses read "
        "before a change committed but stored by the cache after its first purge.",
    ),
    "WEBHOOKS_ALLOW_PRIVATE": Setting(
        False,
        "Allow webhook targets on loopback, private or link-local addresses (tests, an "
        "internal consumer). Off: such targets are refused.",
    ),
    "PREVIEW_TOKEN_SECONDS": Setting(3600, "Lifetime of a headless preview token."),
    "AUTOCOMMIT_GUARD_SECONDS": Setting(
        60,
        "A page saved outside any transaction (Wagtail's admin publishes in autocommit) first "
        "writes a guard task due this many seconds later, dropped as soon as the pipeline's own "
        "task is written: a process dying in between leaves the guard, which re-renders the page "
        "and what embeds it.",
    ),
    "TREE_LOCK_WAIT_SECONDS": Setting(
        20,
        "On PostgreSQL, how long a change of the page tree (creating, moving, copying or "
        "deleting a page) waits for another editor's to finish before answering 503, try "
        "again; keep it below the web server's worker timeout.",
    ),
    "TASK_QUEUE": Setting(
        "assises",
        "django-tasks queue of the pipeline's own tasks (re-rendering, purges, webhooks), "
        "served by a worker of its own (`run_worker`) ahead of Wagtail's tasks on the default "
        "queue. The task backend's QUEUES must list it (or be empty); otherwise the pipeline "
        "shares the default queue (`check` warns, assises.W003).",
    ),
    "WORKER_HEARTBEAT_SECONDS": Setting(
        5, "A task worker (`run_worker`) writes its heartbeat this often (seconds)."
    ),
    "WORKER_LEASE_SECONDS": Setting(
        30,
        "A running task whose worker has not beaten for this long (killed, its machine gone) "
        "is handed back to be run again, by any other worker (seconds).",
    ),
    "HEALTH_MAX_WORKER_LAG": Setting(
        120, "/healthz fails when the oldest due task has waited longer than this (seconds)."
    ),
    "HEALTH_MAX_TASK_RUNNING": Setting(
        600,
        "/healthz fails when a task has been running longer than this (seconds), or as soon "
        "as a running task's worker has stopped beating (abandoned, not handed back yet).",
    ),
    # Where editors may create pages
    "SERIES_PARENT_PAGE_TYPES": Setting(
        None,
        "Page types under which a congress series may be created "
        '(["home.HomePage"]). None: any page that accepts it.',
    ),
    "SPEAKER_INDEX_PARENT_PAGE_TYPES": Setting(
        None, "Page types under which the speakers' index may be created. None: any."
    ),
    "PRESS_INDEX_PARENT_PAGE_TYPES": Setting(
        None, "Page types under which a press room may be created. None: any."
    ),
    "EMBARGO_FROM_EMAIL": Setting(
        None,
        "Sender of the journalists' embargoed links (« Presse <presse@example.org> »). "
        "None: Django's DEFAULT_FROM_EMAIL.",
    ),
    # Admin-wide changes, off unless the host asks for them
    "ADMIN_EDITOR_FIXES": Setting(
        False,
        "Stop Wagtail's autosave once an editor form is submitted, on every page type "
        "(otherwise only on Assises's own), and load the admin layout fixes everywhere.",
    ),
    # Imports
    "IMPORT_MAX_FILE_BYTES": Setting(5 * MIB, "Largest file an importer accepts, as uploaded."),
    "IMPORT_MAX_UNZIPPED_BYTES": Setting(
        50 * MIB, "Largest total size of a .docx's members once decompressed."
    ),
    "IMPORT_MAX_RATIO": Setting(
        100, "Largest decompressed/compressed ratio of a .docx member over 64 KiB."
    ),
    "IMPORT_MAX_MEMBERS": Setting(1000, "Most members a .docx may have."),
    # Archive bundles
    "ARCHIVE_MAX_MEMBERS": Setting(200_000, "Most members an archive bundle may have."),
    "ARCHIVE_MAX_MANIFEST_BYTES": Setting(64 * MIB, "Largest manifest of an archive bundle."),
    "ARCHIVE_MAX_DATA_BYTES": Setting(
        256 * MIB, "Largest JSON data file of an archive bundle (read whole)."
    ),
    "ARCHIVE_MAX_MEMBER_BYTES": Setting(4 * GIB, "Largest single member of an archive bundle."),
    "ARCHIVE_MAX_TOTAL_BYTES": Setting(
        32 * GIB, "Largest total size of an archive bundle once unpacked."
    ),
    "ARCHIVE_MAX_RATIO": Setting(
        200, "Largest decompressed/compressed ratio of an archive member over 1 MiB."
    ),
}


class AssisesSettings:
    """`assises_settings.NAME`: the host's `ASSISES["NAME"]`, else the default."""

    def __getattr__(self, name: str) -> Any:
        try:
            setting = DEFAULTS[name]
        except KeyError:
            raise AttributeError(f"Assises has no setting {name!r}") from None
        from django.conf import settings

        return getattr(settings, "ASSISES", {}).get(name, setting.default)


assises_settings = AssisesSettings()


def check_settings() -> list[str]:
    """Names in the host's ASSISES that Assises does not know (a typo is otherwise silent)."""
    from django.conf import settings

    return sorted(set(getattr(settings, "ASSISES", {})) - set(DEFAULTS))
