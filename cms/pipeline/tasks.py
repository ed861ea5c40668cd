"""The pipeline's background work, as django-tasks tasks run by `manage.py db_worker`.

Tasks are idempotent: each renders sources from the database as it is and writes only what
changed, under the writers' lock, so a task run twice, or two workers running at once, write
each change once and never an older state over a newer one.
"""

from django_tasks import task


@task()
def propagate_changes(keys: list[str], reasons: dict[str, str] | None = None) -> int:
    """Render the sources the request left over (`reasons`), then everything embedding `keys`."""
    from .store import propagate, store_batch

    reasons = reasons or {}
    touched = store_batch(list(reasons), reasons) if reasons else []
    return len(touched) + len(propagate(keys))


@task()
def render_documents(keys: list[str]) -> int:
    """Re-render the given sources and their dependents (kept for tasks already queued)."""
    from .store import process

    return len(process(keys))


@task()
def deliver_webhooks() -> int:
    """Turn new change-log entries into webhook deliveries and send what is due."""
    from ..consumers.webhooks import deliver_due

    return deliver_due()


@task()
def purge_surrogate_keys(keys: list[str]) -> int:
    """Drop the cached responses tagged with `keys` from every configured cache."""
    from ..consumers.purge import purge

    purge(keys)
    return len(keys)
