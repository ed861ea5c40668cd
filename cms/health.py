"""`/healthz`: can this app server answer, and is the background work keeping up?

Three checks, each timed and reported with its status:

- `database` — one `SELECT 1` on every configured database connection: the API reads stored
  documents from it, so without it nothing can be served.
- `cache` — a set/get round trip with a key of its own: the shared cache (Redis in production)
  holds rendered lists. With django-redis set to ignore errors the site keeps answering,
  uncached, while Redis is away; this check is what tells the operator.
- `worker` — the age of the oldest django-tasks task that is due and not picked up yet (the
  workers render what embeds a published object, purge caches and deliver webhooks). Past
  `ASSISES["HEALTH_MAX_WORKER_LAG"]` seconds (120) the workers are down or overwhelmed:
  dependent documents are late (never wrong) and purges wait. It fails too when a task has been
  running past `HEALTH_MAX_TASK_RUNNING` (600 s), and at once when a running task's worker has
  stopped beating (abandoned: a live worker hands it back within the lease,
  `cms.pipeline.leases`; with none alive it would wait forever). The slowest webhook
  subscriber's distance to the change log's head is reported too, but never fails the check: a
  failing subscriber's deliveries are held back by design, for hours.

The answer is 200 when every check passes, 503 naming the failing ones otherwise, always JSON
and `Cache-Control: no-store`. `?check=database` (comma-separated names) runs only those: a
load balancer or Varnish probe must take an app server out of rotation only when *it* cannot
serve (its database), never because the shared worker is late, which would take every server
out at once. Error details (hosts, ports) go to the log, never to the body, which is public.
"""

import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime

import orjson
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connections
from django.db.models import Count, Min, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from .conf import assises_settings
from .inputs import error_response

logger = logging.getLogger(__name__)


class CheckFailed(Exception):
    """A check ran and found its part unhealthy; the message is safe to show."""


def check_database() -> dict:
    """`SELECT 1` on each database connection this process would use."""
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone() != (1,):
                raise CheckFailed(_("The database %(alias)s answered wrongly.") % {"alias": alias})
    return {"databases": list(connections)}


def check_cache() -> dict:
    """Write a fresh value and read it back: a cache that swallows errors returns nothing."""
    key = f"healthz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        read = cache.get(key)
    finally:
        # the round trip already tells what is wrong
        with contextlib.suppress(Exception):
            cache.delete(key)
    if read != value:
        raise CheckFailed(_("The cache did not return what was just written to it."))
    return {"backend": type(caches["default"]).__name__}


def _database_task_backends() -> list[str]:
    from django_tasks_db.backend import DatabaseBackend

    return [
        alias
        for alias, params in getattr(settings, "TASKS", {}).items()
        if issubclass(import_string(params["BACKEND"]), DatabaseBackend)
    ]


def worker_lag(now: datetime | None = None) -> tuple[float, int]:
    """Seconds since the oldest due, unclaimed task became due, and how many are due."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    never = get_date_max()  # django-tasks-db's "no run_after": due since it was enqueued
    due = DBTaskResult.objects.filter(
        status="READY", backend_name__in=_database_task_backends()
    ).filter(Q(run_after=never) | Q(run_after__lte=now))
    found = due.aggregate(
        queued=Min("enqueued_at", filter=Q(run_after=never)),
        scheduled=Min("run_after", filter=~Q(run_after=never)),
        count=Count("id"),
    )
    oldest = min((t for t in (found["queued"], found["scheduled"]) if t), default=None)
    lag = max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
    return lag, found["count"]


# Counting stops there: a health check must stay cheap however far behind a subscriber is.
MAX_COUNTED_BACKLOG = 100_000


def webhook_backlog() -> int:
    """Change-log entries the slowest active webhook subscriber has not been sent yet."""
    from .models import ChangeLogEntry, WebhookEndpoint

    slowest = WebhookEndpoint.objects.filter(active=True).aggregate(cursor=Min("cursor"))["cursor"]
    if slowest is None:
        return 0
    return ChangeLogEntry.objects.filter(seq__gt=slowest)[:MAX_COUNTED_BACKLOG].count()


def longest_running(now: datetime | None = None) -> tuple[float, int]:
    """Seconds the longest-running task has been running, and how many are running."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    found = DBTaskResult.objects.filter(
        status="RUNNING", backend_name__in=_database_task_backends()
    ).aggregate(oldest=Min("started_at"), count=Count("id"))
    oldest = found["oldest"]
    return (max((now - oldest).total_seconds(), 0.0) if oldest else 0.0), found["count"]


def check_worker() -> dict:
    """Fails when due tasks wait too long (the workers are down, stuck or outpaced), when a
    task runs too long (stuck, or claimed by a worker without a lease that died), or when a
    running task's worker has stopped beating (`cms.pipeline.leases`: abandoned, until a live
    worker hands it back)."""
    from .pipeline.leases import abandoned

    if not _database_task_backends():
        return {"detail": "tasks run in process, no worker to wait for"}
    limit = assises_settings.HEALTH_MAX_WORKER_LAG
    running_limit = assises_settings.HEALTH_MAX_TASK_RUNNING
    lag, due = worker_lag()
    running, count = longest_running()
    lost = abandoned()
    details = {
        "lag_seconds": round(lag, 1),
        "due_tasks": due,
        "max_lag_seconds": limit,
        "running_tasks": count,
        "longest_running_seconds": round(running, 1),
        "max_running_seconds": running_limit,
        "abandoned_tasks": len(lost),
    }
    details["webhook_backlog"] = webhook_backlog()
    if lost:
        raise CheckFailed(
            ngettext(
                "%(count)d running task abandoned by a worker that stopped beating.",
                "%(count)d running tasks abandoned by a worker that stopped beating.",
                len(lost),
            )
            % {"count": len(lost)},
            details,
        )
    if running > running_limit:
        raise CheckFailed(
            _("A task has been running for %(running)d s (more than %(limit)d s).")
            % {"running": running, "limit": running_limit},
            details,
        )
    if lag > limit:
        raise CheckFailed(
            _("The oldest due task has waited %(lag)d s (more than %(limit)d s).")
            % {"lag": lag, "limit": limit},
            details,
        )
    return details


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "cache": check_cache,
    "worker": check_worker,
}


def run_checks(names: list[str]) -> dict[str, dict]:
    """Run each named check, timing it; an exception fails that check only."""
    results = {}
    for name in names:
        started = time.perf_counter()
        try:
            result = {"status": "ok", **CHECKS[name]()}
        except CheckFailed as failure:
            result = {"status": "error", "error": str(failure.args[0])}
            if len(failure.args) > 1:
                result.update(failure.args[1])
        except Exception as error:  # noqa: BLE001 — a health check reports every failure
            logger.exception("health check %s failed", name)
            result = {"status": "error", "error": type(error).__name__}
        result["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
        results[name] = result
    return results


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 if every requested check passes, else 503 listing the failing parts; never cached."""
    names = list(CHECKS)
    if "check" in request.GET:
        names = [n.strip() for n in request.GET["check"].split(",") if n.strip()]
        unknown = [n for n in names if n not in CHECKS]
        if unknown or not names:
            message = _("Unknown check %(names)s; choose among %(known)s.") % {
                "names": ", ".join(unknown) or '""',
                "known": ", ".join(CHECKS),
            }
            response = error_response([{"parameter": "check", "message": message}])
            response["Cache-Control"] = "no-store"
            return response
    results = run_checks(names)
    failing = [name for name, result in results.items() if result["status"] != "ok"]
    body = {
        "status": "error" if failing else "ok",
        "failing": failing,
        "checks": results,
        "time": timezone.now().isoformat(),
    }
    response = HttpResponse(
        orjson.dumps(body), status=503 if failing else 200, content_type="application/json"
    )
    response["Cache-Control"] = "no-store"
    return response
