"""System checks of the Assises apps.

drf-spectacular's own deployment check generates the schema of *every* DRF view of the site with
the site's global settings. Assises configures its schema views alone (`cms.api.schema`), so in
a host that never set DRF's DEFAULT_SCHEMA_CLASS to drf-spectacular's, that check fails on views
that are not ours (Wagtail's admin API) merely because Assises brought drf-spectacular in. Where
the host has not adopted drf-spectacular itself, our check replaces it and generates our schema,
with our settings, so that a broken schema still fails `check --deploy`.
"""

from typing import Any

from django.conf import settings
from django.core import checks


def host_uses_spectacular() -> bool:
    schema_class = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_SCHEMA_CLASS", "")
    return str(schema_class).startswith("drf_spectacular.")


def unknown_settings(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """A name in ASSISES that no setting has is a typo that would otherwise be silent."""
    from .conf import check_settings

    return [
        checks.Warning(
            f"ASSISES[{name!r}] is not an Assises setting; it is ignored.",
            hint="docs/operating/configuration.md lists them.",
            id="assises.W001",
        )
        for name in check_settings()
    ]


def api_schema(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Our OpenAPI schema generates without error (in place of drf-spectacular's check)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.settings import patched_settings

    from .api.schema import SPECTACULAR_SETTINGS

    try:
        with patched_settings(SPECTACULAR_SETTINGS):
            SchemaGenerator().get_schema(request=None, public=True)
    except Exception as exc:  # reported, as drf-spectacular's check does
        return [checks.Error(f"API schema generation failed: {exc}", id="assises.E001")]
    return []


def tasks_commit_with_changes(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """The pipeline's tasks can be written in the transaction of the change (`cms.pipeline.
    outbox`) only with django-tasks' database backend on the default database; with any other,
    a process that dies between a commit and its on-commit work loses the re-rendering of the
    documents that embed the change, and the cache purges that follow it."""
    from .pipeline.outbox import supported

    if supported():
        return []
    return [
        checks.Warning(
            "The pipeline's tasks are not stored in the default database: a crash right after "
            "a publish can leave dependent documents stale and caches unpurged.",
            hint="Use TASKS = {'default': {'BACKEND': 'django_tasks_db.DatabaseBackend'}} "
            "(docs/operating/reliability.md, « Crashes lose no work »), or run "
            "rebuild_api_documents after a crash.",
            id="assises.W002",
        )
    ]


def pipeline_queue_accepted(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """The pipeline's tasks have a lane of their own only if the task backend accepts its queue
    (`cms.pipeline.tasks`); otherwise they share the default queue with Wagtail's, first in
    first out, and a publish's purges wait behind a bulk operation's reference-index updates."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks.backends.immediate import ImmediateBackend

    from .conf import assises_settings
    from .pipeline.tasks import pipeline_queue

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    wanted = assises_settings.TASK_QUEUE
    if isinstance(backend, ImmediateBackend) or pipeline_queue(backend) == wanted:
        return []  # run in process, no queue to wait in; or the lane is there
    return [
        checks.Warning(
            f"The task backend's QUEUES leave out the pipeline's queue {wanted!r}: re-rendering, "
            "purges and webhooks share the default queue and wait behind Wagtail's tasks.",
            hint=f"Add {wanted!r} to TASKS['default']['QUEUES'] and run a worker for it "
            "(`manage.py run_worker`; docs/install.md).",
            id="assises.W003",
        )
    ]


def document_serve_method(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Documents must reach readers through Wagtail's view, where `cms.files` checks them.

    `direct` links to the storage URL and skips the view; `redirect` checks, then hands out the
    storage URL, which stays valid once the page is unpublished (unless the storage signs and
    expires its URLs)."""
    method = getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None)
    if method == "direct":
        return [
            checks.Error(
                "WAGTAILDOCS_SERVE_METHOD = 'direct' serves documents without the check "
                "that keeps the attachments of unpublished pages private.",
                hint="Use 'serve_view' (docs/operating/files.md).",
                id="assises.E020",
            )
        ]
    if method == "redirect":
        return [
            checks.Warning(
                "WAGTAILDOCS_SERVE_METHOD = 'redirect' hands out the storage's URL of a "
                "document, which outlives the page that made it public.",
                hint="Use 'serve_view', or a storage whose URLs are signed and expire "
                "(docs/operating/files.md).",
                id="assises.W020",
            )
        ]
    return []


def document_view(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Downloads must reach `cms.files.serve_document`: Wagtail's own view applies the refusals
    but gives a public document no surrogate key, so a cache would keep it past unpublishing."""
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    from .files import serve_document

    try:
        found = resolve(reverse("wagtaildocs_serve", args=(1, "a.pdf"))).func
    except (NoReverseMatch, Resolver404):
        return []  # documents are not served at all
    if found is serve_document:
        return []
    return [
        checks.Warning(
            "Documents are served by Wagtail's view, without the cache headers and surrogate "
            "keys that let a purge drop an unpublished page's attachment from caches.",
            hint='Mount path("documents/", include("cms.document_urls")) in place of '
            "Wagtail's document URLs (docs/operating/files.md).",
            id="assises.W021",
        )
    ]


def tree_busy_middleware(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Page-tree changes wait for each other (`cms.treelock`) and give up after a bound; without
    the middleware that wait's end is a server error instead of a 503 asking to try again."""
    from django.conf import settings

    if "cms.treelock.TreeBusyMiddleware" in getattr(settings, "MIDDLEWARE", []):
        return []
    return [
        checks.Warning(
            "cms.treelock.TreeBusyMiddleware is not in MIDDLEWARE: an editor whose page-tree "
            "change waited too long for another one gets a server error.",
            hint="Add 'cms.treelock.TreeBusyMiddleware' to MIDDLEWARE (docs/install.md).",
            id="assises.W022",
        )
    ]


def register() -> None:
    checks.register(tree_busy_middleware)
    checks.register(unknown_settings)
    checks.register(tasks_commit_with_changes, deploy=True)
    checks.register(pipeline_queue_accepted)
    checks.register(document_serve_method)
    checks.register(document_view, checks.Tags.urls)
    if not host_uses_spectacular():
        from drf_spectacular.checks import schema_check

        checks.registry.registry.registered_checks.discard(schema_check)
        checks.registry.registry.deployment_checks.discard(schema_check)
        checks.register(api_schema, deploy=True)
