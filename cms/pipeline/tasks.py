"""The pipeline as a django-tasks task, for sites rendering in a worker (ASSISES_PIPELINE_ASYNC)."""

from django_tasks import task


@task()
def render_documents(keys: list[str]) -> int:
    """Re-render the given sources and their dependents; returns the number of documents touched."""
    from .store import process

    return len(process(keys))
