"""Nothing abandoned: a task whose worker died is handed back and run again.

django-tasks-db (0.12) marks a task RUNNING when a worker claims it (`started_at`, the worker's
id appended to `worker_ids`) and looks at it no more: a worker killed mid-task (`kill -9`, the
OOM killer, a machine lost) leaves it RUNNING forever, and the documents it was re-rendering
stale. So each of our workers (`run_worker`) holds a lease: a thread beside the task loop
writes its heartbeat (`WorkerHeartbeat`) every `WORKER_HEARTBEAT_SECONDS`, and on every beat
hands back to READY the running tasks whose worker has not beaten for `WORKER_LEASE_SECONDS`.
Any live worker does it, whatever its queue, and a worker starting does it first: nobody has
to type a command.

Running a task again is safe because the pipeline's tasks are idempotent (`tasks`), and so are
Wagtail's (reference index, search index). A worker that was only paused past its lease (a
stopped process, a database locked for that long) finishes its task while another runs it
again: the writers' lock makes that harmless.

A task claimed by a plain `db_worker` has no lease: it is never handed back, and only
`/healthz` tells (a task RUNNING longer than `HEALTH_MAX_TASK_RUNNING`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.db import close_old_connections, connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from ..conf import assises_settings

logger = logging.getLogger(__name__)


def beat(worker_id: str, queues: list[str], started_at: datetime | None = None) -> None:
    """Renew `worker_id`'s lease (created on the first beat, or again after being reaped)."""
    from ..models import WorkerHeartbeat

    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            queues=",".join(queues)[:255],
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=started_at or now,
            beat_at=now,
        )


def forget(worker_id: str) -> None:
    """A worker leaving gives up its lease, and hands back any task it leaves running."""
    from ..models import WorkerHeartbeat

    with transaction.atomic():
        _hand_back(_running_of({worker_id}))
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _running_of(workers: set[str]) -> list[tuple[str, datetime]]:
    from django_tasks_db.models import DBTaskResult

    return [
        (str(pk), started_at)
        for pk, started_at, worker_ids in DBTaskResult.objects.running().values_list(
            "id", "started_at", "worker_ids"
        )
        if worker_ids and worker_ids[-1] in workers
    ]


def _hand_back(tasks: list[tuple[str, datetime]]) -> int:
    """Back to READY, each only if it is still the same claim (status and `started_at`
    unchanged): a task another worker has claimed since is left alone."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    handed = 0
    for pk, started_at in tasks:
        if DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        ).update(status=TaskResultStatus.READY, started_at=None):
            handed += 1
            logger.warning("Task %s abandoned by its worker: handed back to run again", pk)
    return handed


def expired_workers(now: datetime | None = None) -> set[str]:
    """Ids of the workers whose lease has run out."""
    from ..models import WorkerHeartbeat

    horizon = _horizon(now or timezone.now())
    return set(
        WorkerHeartbeat.objects.filter(beat_at__lt=horizon).values_list("worker_id", flat=True)
    )


def _horizon(now: datetime) -> datetime:
    return now - timedelta(seconds=assises_settings.WORKER_LEASE_SECONDS)


def abandoned(now: datetime | None = None) -> list[tuple[str, datetime]]:
    """Running tasks (id, started_at) whose worker's lease has run out."""
    expired = expired_workers(now)
    return _running_of(expired) if expired else []


def reap(now: datetime | None = None) -> int:
    """Hand the running tasks of expired workers back to READY, then drop those leases."""
    from ..models import WorkerHeartbeat

    now = now or timezone.now()
    expired = expired_workers(now)
    if not expired:
        return 0
    with transaction.atomic():
        handed = _hand_back(_running_of(expired))
        # a worker that beat meanwhile (it was only slow) keeps its lease
        WorkerHeartbeat.objects.filter(worker_id__in=expired, beat_at__lt=_horizon(now)).delete()
    return handed


class Heartbeat(threading.Thread):
    """Beats for one worker and reaps for everyone, beside the worker's task loop.

    A thread, so that a long task does not stop the beating. Database errors (SQLite locked
    by another writer, a PostgreSQL restart) skip a beat, never the worker: the lease is
    several beats long.
    """

    def __init__(self, worker_id: str, queues: list[str]) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.queues = worker_id, queues
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def tick(self) -> None:
        try:
            beat(self.worker_id, self.queues, self.started_at)
            reap()
        except DatabaseError:
            logger.warning("Worker %s: heartbeat skipped", self.worker_id, exc_info=True)
        finally:
            close_old_connections()

    def run(self) -> None:
        try:
            while not self.stopping.wait(assises_settings.WORKER_HEARTBEAT_SECONDS):
                self.tick()
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)
        try:
            forget(self.worker_id)
        except DatabaseError:
            logger.warning("Worker %s: lease not released", self.worker_id, exc_info=True)
