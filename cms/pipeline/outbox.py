"""The worker's tasks written in the transaction of the change that calls for them (an outbox).

A change commits, then `on_commit` hands the worker what follows from it: re-rendering the
documents that embed it, purging the caches that hold them. A process that dies between the
two (a deploy, the OOM killer, a gunicorn timeout) would lose that work, and hundreds of
documents would stay stale until someone ran `rebuild_api_documents`. With django-tasks'
database backend a task is a row like any other: written inside the change's transaction,
both commit or neither does. A crash then leaves either nothing (rolled back) or a task that a
worker runs, and since the row becomes visible to workers only at commit, a task never runs
before the change it follows from is there to read.

A change made outside any transaction is committed statement by statement: Wagtail's admin
publishes and unpublishes that way, and sends `page_published` only after the page's row is
saved. Before such a save, `guard` writes a task due `AUTOCOMMIT_GUARD_SECONDS` later that
re-renders the page and what embeds it; `record`, which writes the pipeline's own task, drops
the guard in the same statement batch. A process dying between the page's save and its signal
leaves the guard, which the worker runs; one dying before the save leaves a guard that renders
the page as it is, harmlessly.

Other backends (the immediate one of the tests, a broker beside the database) cannot join the
transaction: there the work is enqueued on commit, as before, and a crash in between loses it
(`check --deploy` warns, assises.W002). A change made outside any transaction (autocommit) is
committed before the pipeline hears of it: its task is written at once, before anything else.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, router, transaction

_state = threading.local()


def supported() -> bool:
    """Whether the pipeline's tasks are rows of the database the pipeline writes to."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from .tasks import propagate_changes

    return (
        isinstance(propagate_changes.get_backend(), DatabaseBackend)
        and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS
    )


def enqueue_with_change(task: Any, **kwargs: Any) -> None:
    """Enqueue `task` so that it commits with the current transaction, or else on commit.

    With a transactional backend the row is written now (visible at commit, gone with a
    rollback); otherwise, as before, when the transaction commits — an immediate backend must
    not run the task against a state that is not committed yet.
    """
    if supported():
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(**kwargs))


def record(reasons: dict[str, str]) -> None:
    """Write, in the current transaction, the worker's task to render `reasons` and everything
    that embeds them (`tasks.propagate_changes`).

    One task per transaction: the first call writes it, later calls in the same transaction add
    their keys to it (a page saved with its child rows calls several times). The task's row is
    ours until commit, so rewriting its arguments races with no worker. A savepoint rolled back
    takes with it the row or the keys it added, exactly as it takes the change that asked.
    """
    from django_tasks.utils import normalize_json
    from django_tasks_db.models import DBTaskResult

    from .tasks import propagate_changes

    connection = transaction.get_connection()
    marker = getattr(_state, "marker", None)
    same = marker is not None and any(
        callback is marker for _sids, callback, _robust in connection.run_on_commit
    )
    if same:
        # written even when no key is new: a savepoint rolled back since may have taken keys
        # out of the row that this call, retrying the change, puts back
        merged = merge_reasons(_state.reasons, reasons)
        kwargs = {"keys": list(merged), "reasons": merged}
        DBTaskResult.objects.filter(pk=_state.task_id).update(
            args_kwargs=normalize_json({"args": [], "kwargs": kwargs})
        )
        _state.reasons = merged
        _state.covered.update(merged)
        _drop_guards(merged)
        return
    merged = dict(reasons)
    result = propagate_changes.enqueue(keys=list(merged), reasons=merged)
    _drop_guards(merged)
    task_id, covered = result.id, set(merged)

    def committed() -> None:
        _state.committed = (task_id, covered)

    # the marker tells later calls whether they are in the same transaction: Django drops it
    # from `run_on_commit` at commit, at rollback, and with the savepoint that registered it
    _state.marker, _state.task_id, _state.reasons = committed, task_id, merged
    _state.covered = covered  # grows with later calls of this transaction
    transaction.on_commit(committed)


DELETED = "deleted"


def merge_reasons(earlier: dict[str, str], later: dict[str, str]) -> dict[str, str]:
    """The reasons of two calls in one transaction: the first one's, except that a deletion wins.

    Wagtail unpublishes a live page before deleting it (its `pre_delete` handler): the page
    is heard of as unpublished, then as deleted, and what happened to it is a deletion — what
    the change log, the change feed and webhooks must say (`<kind>.deleted`).
    """
    merged = dict(earlier)
    for key, reason in later.items():
        if key not in merged or reason == DELETED:
            merged[key] = reason
    return merged


def take_committed() -> tuple[str | None, set[str]]:
    """The task written with the transaction that just committed, and the keys it covers.

    Called by the pipeline's on-commit work, which then enqueues only what the task does not
    cover (keys left over from a rolled-back transaction, or a non-transactional backend).
    """
    task_id, covered = getattr(_state, "committed", None) or (None, set())
    _state.committed = None
    return task_id, set(covered)


def discard(task_id: str | None) -> None:
    """Drop a task whose work this process has done itself (a command rendering inline), as
    long as no worker has claimed it; one that a worker claimed meanwhile runs, harmlessly."""
    if task_id is None:
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.READY).delete()


def guard(key: str, reason: str) -> None:
    """Before a save outside any transaction: a task, due later, that renders `key` and what
    embeds it, in case this process dies between the save and the pipeline hearing of it."""
    from datetime import timedelta

    from django.utils import timezone

    from ..conf import assises_settings
    from .tasks import propagate_changes

    due = timezone.now() + timedelta(seconds=assises_settings.AUTOCOMMIT_GUARD_SECONDS)
    result = propagate_changes.using(run_after=due).enqueue(keys=[key], reasons={key: reason})
    guards = getattr(_state, "guards", None)
    if guards is None:
        guards = _state.guards = {}
    guards.setdefault(key, []).append(result.id)


def _drop_guards(keys: dict[str, str]) -> None:
    """The guards of `keys`, now covered by the task just written (with it, in its transaction)."""
    guards = getattr(_state, "guards", None)
    if not guards:
        return
    ids = [task_id for key in keys for task_id in guards.pop(key, [])]
    if ids:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.READY).delete()
