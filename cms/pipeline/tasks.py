"""The pipeline's background work, as django-tasks tasks run by `manage.py run_worker`.

Tasks are idempotent: each renders sources from the database as it is and writes only what
changed, under the writers' lock, so a task run twice, or two workers running at once, write
each change once and never an older state over a newer one. That is also why a task whose worker
died is simply run again (`cms.pipeline.leases`).

They run in a lane of their own: every task defined here with `@pipeline_task` is enqueued on
`ASSISES["TASK_QUEUE"]` ("assises"), which a worker of its own serves (`run_worker`), so that
re-rendering, purges and webhooks never wait behind Wagtail's reference-index and search tasks
(ten or more per publish, on the default queue, served by another worker). A task backend whose
`QUEUES` leaves that queue out keeps the pipeline on the default queue, as one lane
(`check` warns, assises.W003).

Within the lane, purges and webhook dispatch come before re-rendering (`URGENT`, a higher
priority where the backend has priorities): they take milliseconds, and one publish's purge
must not wait behind a bulk publish re-rendering hundreds of documents. django-tasks-db runs the
highest priority first, then the earliest `run_after` (a task enqueued without one sorts after
every deferred task that is due).
"""

from collections.abc import Callable
from typing import Any

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import DEFAULT_TASK_QUEUE_NAME, Task, TaskResult


def pipeline_queue(backend: BaseTaskBackend | None = None) -> str:
    """The queue the pipeline's tasks go to: ours, unless the backend refuses it."""
    from ..conf import assises_settings

    backend = backend or task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    wanted = assises_settings.TASK_QUEUE
    return wanted if not backend.queues or wanted in backend.queues else DEFAULT_TASK_QUEUE_NAME


# Priority (django-tasks: -100 to 100, default 0) of the lane's quick tasks.
URGENT = 50

_priorities: dict[Callable, int] = {}


class PipelineTask(Task):
    """A task that is always enqueued in the pipeline's lane (`pipeline_queue`).

    The queue is chosen when enqueuing, not when defining: the setting and the backend's queues
    are read then, as everywhere else (`override_settings` applies).
    """

    def _on_lane(self) -> Task:
        backend = self.get_backend()
        priority = _priorities.get(self.func) if backend.supports_priority else None
        if priority and self.run_after is not None:
            # a repeat purge due now must not pass the first purges of changes just made:
            # django-tasks-db sorts a task with `run_after` ahead of every one without
            priority -= 1
        return self.using(queue_name=pipeline_queue(backend), priority=priority)

    def enqueue(self, *args: Any, **kwargs: Any) -> TaskResult:
        task = self._on_lane()
        return task.get_backend().enqueue(task, args, kwargs)

    async def aenqueue(self, *args: Any, **kwargs: Any) -> TaskResult:
        task = self._on_lane()
        return await task.get_backend().aenqueue(task, args, kwargs)


def pipeline_task(priority: int = 0) -> Callable[[Callable], PipelineTask]:
    """`@task()` for the pipeline: the task goes to the pipeline's lane, with `priority` where
    the backend supports priorities (set when enqueuing: a backend without them refuses any)."""

    def decorate(function: Callable) -> PipelineTask:
        _priorities[function] = priority
        return PipelineTask(func=function, backend=DEFAULT_TASK_BACKEND_ALIAS)

    return decorate


@pipeline_task()
def propagate_changes(keys: list[str], reasons: dict[str, str] | None = None) -> int:
    """Render the sources the request left over (`reasons`), then everything embedding `keys`."""
    from .store import propagate, store_batch

    reasons = reasons or {}
    touched = store_batch(list(reasons), reasons) if reasons else []
    return len(touched) + len(propagate(keys))


@pipeline_task()
def render_documents(keys: list[str]) -> int:
    """Re-render the given sources and their dependents (kept for tasks already queued)."""
    from .store import process

    return len(process(keys))


@pipeline_task(priority=URGENT)
def deliver_webhooks() -> int:
    """Turn new change-log entries into webhook deliveries and send what is due."""
    from ..consumers.webhooks import deliver_due

    return deliver_due()


@pipeline_task(priority=URGENT)
def purge_surrogate_keys(keys: list[str]) -> int:
    """Drop the cached responses tagged with `keys` from every configured cache."""
    from ..consumers.purge import purge

    purge(keys)
    return len(keys)
