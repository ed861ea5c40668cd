"""When to re-render: publish, unpublish, delete, move, view restrictions, watched models.

Keys are collected during a transaction and processed once it commits, so a page saved with its
child rows (contacts, phones, programme) is rendered complete, and a bulk operation (the demo,
an import) renders each document once. The committing process renders the changed sources
themselves (the editor and the API see them at once); everything that embeds them is handed to
the django-tasks worker (`tasks.propagate_changes`), so a rename shown in 750 documents never
holds up the publishing request. When the worker is down, those documents are late, never wrong:
each is re-rendered from the database as it is when the worker gets to it.

The worker's task is written in the change's own transaction when the task queue lives in the
database (`cms.pipeline.outbox`): a process that dies right after its commit leaves that task
behind, and the worker renders what the dying process never got to.
"""

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import outbox
from .registry import keys_for, source_key

_pending = threading.local()

# At most this many changed sources are rendered inside the committing request (a move of a
# whole section renders the rest in the worker).
INLINE_LIMIT = 25


def schedule(keys: list[str], reason: str) -> None:
    """Queue keys for re-rendering when the current transaction commits.

    Every call registers a callback; the first to run takes the whole batch and the others
    find it empty. Keys of a rolled-back transaction stay queued and are rendered with the
    next batch, which is harmless: rendering always reflects the database as it is. With a
    database task queue, the worker's share is also written now, in this transaction.
    """
    # the first reason stands, but a deletion wins (`outbox.merge_reasons`)
    _pending.keys = outbox.merge_reasons(getattr(_pending, "keys", {}), dict.fromkeys(keys, reason))
    if keys and outbox.supported():
        outbox.record(dict.fromkeys(keys, reason))
    transaction.on_commit(_flush)


@contextmanager
def rendering_inline() -> Iterator[None]:
    """Within it, a commit renders the changed sources and everything embedding them here.

    For management commands (imports, the demo): nobody waits on them the way an editor waits
    on a request, and an archivist expects an import to be complete when the command returns,
    whether or not a task worker runs.
    """
    previous = getattr(_pending, "inline", False)
    _pending.inline = True
    try:
        yield
    finally:
        _pending.inline = previous


@contextmanager
def discarding_scheduled_renders(active: bool = True) -> Iterator[None]:
    """Forget the renders scheduled inside the block (a dry run that is rolled back).

    Rolling back already drops the on-commit callbacks; this also drops the queued keys, so the
    next real commit does not render sources that never existed.
    """
    saved = dict(getattr(_pending, "keys", {}))
    try:
        yield
    finally:
        if active:
            _pending.keys = saved


def renders_inline(handle: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator for a command's `handle`: see `rendering_inline`."""

    @functools.wraps(handle)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with rendering_inline():
            return handle(*args, **kwargs)

    return wrapper


def _flush() -> None:
    reasons: dict[str, str] = getattr(_pending, "keys", {})
    _pending.keys = {}
    task_id, covered = outbox.take_committed()
    if not reasons:
        return
    from .store import process, store_batch
    from .tasks import propagate_changes

    if getattr(_pending, "inline", False):
        process(list(reasons), reasons)
        outbox.discard(task_id)  # done here: the worker need not do it again
        return
    keys = list(reasons)
    inline, later = keys[:INLINE_LIMIT], keys[INLINE_LIMIT:]
    store_batch(inline, reasons)
    # what the committed transaction's task does not cover (no database queue, or keys left
    # over from a rolled-back transaction) is enqueued now, as it always was
    uncovered = [key for key in keys if key not in covered]
    if uncovered:
        propagate_changes.enqueue(
            keys=uncovered, reasons={k: reasons[k] for k in later if k not in covered}
        )


def _subtree_keys(page: Page) -> list[str]:
    return [source_key(page)] + [
        f"page:{pk}" for pk in Page.objects.descendant_of(page).values_list("pk", flat=True)
    ]


def on_page_pre_save(sender, instance, **kwargs) -> None:
    """A page about to be saved outside any transaction: a guard task first (`outbox.guard`)."""
    if not isinstance(instance, Page) or instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS:
        return  # a draft revision saved: nothing public changes
    # `Page.save` opens its own atomic block and commits at its end, before Wagtail sends
    # `page_published`: only an outer block makes the pipeline's task commit with the change
    # (`outbox.record`). Django keeps the open blocks in `atomic_blocks`.
    if len(transaction.get_connection().atomic_blocks) > 1 or not outbox.supported():
        return
    outbox.guard(source_key(instance), "published" if instance.live else "unpublished")


def on_page_published(sender, instance, **kwargs) -> None:
    schedule([source_key(instance)], "published")


def on_page_unpublished(sender, instance, **kwargs) -> None:
    schedule([source_key(instance)], "unpublished")


def on_page_moved(sender, instance, **kwargs) -> None:
    schedule(_subtree_keys(instance), "moved")


def on_page_deleted(sender, instance, **kwargs) -> None:
    """A deleted page's documents go with a `deleted` tombstone, even when it was live: Wagtail
    unpublished it just before (`page_unpublished`), and the deletion wins over that."""
    schedule([f"page:{instance.pk}"], outbox.DELETED)


def on_restriction_changed(sender, instance, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        schedule(_subtree_keys(page), "restriction")


# Saves that only move Wagtail's bookkeeping: a draft revision saved beside a live snippet (the
# row keeps its published version until the revision is published), a lock taken or released.
BOOKKEEPING_FIELDS = frozenset(
    {"latest_revision", "has_unpublished_changes", "locked", "locked_at", "locked_by"}
)


# What Wagtail saves with a page's draft revision (`Page.save_revision`) or a lock.
PAGE_BOOKKEEPING_FIELDS = BOOKKEEPING_FIELDS | {
    "latest_revision_created_at",
    "draft_title",
    "wagtail_admin_comments",
}


def on_model_changed(sender, instance, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= BOOKKEEPING_FIELDS:
        return  # nothing public changed: the draft goes out when it is published
    deleted = kwargs.get("signal") is post_delete
    schedule(keys_for(instance), "deleted" if deleted else "updated")


def watch(model: type) -> None:
    for signal in (post_save, post_delete):
        signal.connect(
            on_model_changed,
            sender=model,
            dispatch_uid=f"assises-pipeline-{model._meta.label}-{id(signal)}",
            weak=False,
        )


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="assises-pipeline-publish", weak=False)
    page_unpublished.connect(on_page_unpublished, dispatch_uid="assises-pipeline-unpub", weak=False)
    post_page_move.connect(on_page_moved, dispatch_uid="assises-pipeline-move", weak=False)
    post_delete.connect(
        on_page_deleted, sender=Page, dispatch_uid="assises-pipeline-delete", weak=False
    )
    # no sender: a specific page type's save sends its own class, not Page
    pre_save.connect(on_page_pre_save, dispatch_uid="assises-pipeline-guard", weak=False)
    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"assises-pipeline-restriction-{id(signal)}",
            weak=False,
        )
