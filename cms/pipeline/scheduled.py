"""Scheduled changes on time: a go-live or an expiry runs when it is due, not at the next poll.

Wagtail publishes scheduled revisions and unpublishes expired objects only when its
`publish_scheduled` command runs, and the scheduler (`run_scheduler`) polls it every minute: a
communiqué under embargo reached the change feed up to a minute late. Here every due moment gets
a django-tasks task written when the moment becomes known, deferred to it (`run_after`), which
the pipeline's lane (`cms.pipeline.tasks`, polled every half-second, ahead of Wagtail's tasks)
runs on time:

- a revision approved to go live (`Revision.approved_go_live_at`, saved by Wagtail when an
  editor schedules a page or a snippet) gets `publish_scheduled_revision`;
- a stored document written with an expiry (`expires_at`, its page's `expire_at`) or a
  boundary (`refresh_at`, the earliest expiry of what it embeds) gets `settle_expiries`.

Each task does the scheduler's transition through Wagtail's own calls (`Revision.publish`,
`unpublish(set_expired=True)`, with the scheduler's log actions), so every receiver — the
pipeline, webhooks, the audit log — runs as for any publish, then `refresh_due` as the scheduler
does. Tasks re-check the state when they run and do nothing when it moved: a schedule cancelled,
moved or published meanwhile, an expiry pushed back or already acted on. A moved schedule or
expiry writes a task of its own for its new moment, so a task never needs to be found and
removed. The scheduler's poll stays as the safety net (a backend that cannot defer tasks, a
schedule written before this module existed).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, Revision

from .tasks import URGENT, pipeline_task

logger = logging.getLogger(__name__)


def can_defer() -> bool:
    """Whether tasks can wait for their moment (the database backend can, the immediate one
    of the tests cannot: there the scheduler's poll and the readers' `settle` remain)."""
    return publish_scheduled_revision.get_backend().supports_defer


def _enqueue_at(scheduled_task, moment: datetime, **kwargs) -> None:
    from .outbox import enqueue_with_change

    # with the change that made the moment known: a rollback takes the task with it
    enqueue_with_change(scheduled_task.using(run_after=moment), **kwargs)


def schedule_go_live(revision: Revision) -> None:
    """Publish `revision` at its approved go-live date (`publish_scheduled_revision`)."""
    if revision.approved_go_live_at is None or not can_defer():
        return
    _enqueue_at(publish_scheduled_revision, revision.approved_go_live_at, revision_id=revision.pk)


def schedule_expiries(moments: Iterable[datetime | None], now: datetime) -> None:
    """Settle expiries at each future moment of `moments` (one task per distinct moment)."""
    due = {moment for moment in moments if moment is not None and moment > now}
    if not due or not can_defer():
        return
    for moment in sorted(due - _already_due(due)):
        _enqueue_at(settle_expiries, moment)


def _already_due(moments: set[datetime]) -> set[datetime]:
    """The moments that already have a task waiting (a page and every document embedding it
    share one expiry, written in separate batches): one query, with a database queue."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .outbox import supported

    if not supported():
        return set()
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=settle_expiries.module_path,
        run_after__in=sorted(moments),
    )
    return set(waiting.values_list("run_after", flat=True))


@pipeline_task(priority=URGENT)
def publish_scheduled_revision(revision_id: int) -> bool:
    """Publish a revision whose go-live date has come, as Wagtail's `publish_scheduled` does.

    Under the revision's row lock (PostgreSQL), and only if it is still approved to go live by
    now: a cancelled schedule (Wagtail's unschedule, « Publier maintenant ») cleared the date,
    and a publication meanwhile cleared it too. Returns whether it published.
    """
    with transaction.atomic():
        revision = Revision.objects.select_for_update().filter(pk=revision_id).first()
        due = revision is not None and revision.approved_go_live_at is not None
        if not due or revision.approved_go_live_at > timezone.now():
            return False  # cancelled, done, or moved later (that moment has a task of its own)
        revision.publish(log_action="wagtail.publish.scheduled")
    logger.info("scheduled: revision %s published on time", revision_id)
    _send_webhooks()
    return True


def _expiring_models() -> list[type]:
    """The models Wagtail's `publish_scheduled` unpublishes: pages, and snippets with drafts."""
    return [Page] + [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]


def expire_due(now: datetime | None = None) -> int:
    """Unpublish the live objects whose expiry has passed, as Wagtail's `publish_scheduled`
    does, each in its own transaction under its row lock and re-checked there (the scheduler or
    another worker may have got to it first). Returns how many this call unpublished."""
    now = now or timezone.now()
    count = 0
    for model in _expiring_models():
        due = model.objects.filter(live=True, expire_at__lte=now)
        for pk in list(due.order_by("expire_at").values_list("pk", flat=True)):
            with transaction.atomic():
                obj = due.select_for_update().filter(pk=pk).first()
                if obj is not None:
                    obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
                    count += 1
    return count


@pipeline_task(priority=URGENT)
def settle_expiries() -> int:
    """What the scheduler does for expiry, now that a boundary has come: expired objects are
    unpublished (their documents go, with tombstones), then the documents that expired or embed
    something that expired are rendered again (`refresh_due`). Idempotent: a second run, or one
    whose expiry was pushed back, finds nothing due and writes nothing."""
    from .store import refresh_due

    now = timezone.now()
    expired = expire_due(now)
    touched = refresh_due(now)
    if expired or touched:
        _send_webhooks()
    return expired + len(touched)


def _send_webhooks() -> None:
    """Send the change's webhook events now, as the scheduler's tick does after its work.

    The change also queued `deliver_webhooks` like any publish, but behind whatever the worker
    has queued before it (a burst of edits leaves seconds of reference-index tasks): a scheduled
    change is promised on time, so its events do not wait for them. The queued task then finds
    nothing left to send.
    """
    from ..consumers.webhooks import deliver_due
    from ..models import WebhookEndpoint

    if WebhookEndpoint.objects.filter(active=True).exists():
        deliver_due()


def on_revision_saved(sender, instance: Revision, **kwargs) -> None:
    """Wagtail saves `approved_go_live_at` on the revision it schedules (and clears it when the
    schedule is cancelled, which needs nothing here: the task finds no date and stops)."""
    if instance.approved_go_live_at is not None:
        schedule_go_live(instance)


def connect() -> None:
    post_save.connect(
        on_revision_saved, sender=Revision, dispatch_uid="assises-scheduled-go-live", weak=False
    )
