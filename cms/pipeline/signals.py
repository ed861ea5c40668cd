"""When to re-render: publish, unpublish, delete, move, view restrictions, watched models.

Keys are collected during a transaction and processed once it commits, so a page saved with its
child rows (contacts, phones, programme) is rendered complete, and a bulk operation (the demo,
an import) renders each document once.
"""

import threading

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .registry import keys_for, source_key

_pending = threading.local()


def schedule(keys: list[str]) -> None:
    """Queue keys for re-rendering when the current transaction commits.

    Every call registers a callback; the first to run takes the whole batch and the others
    find it empty. Keys of a rolled-back transaction stay queued and are rendered with the
    next batch, which is harmless: rendering always reflects the database as it is.
    """
    if not hasattr(_pending, "keys"):
        _pending.keys = {}
    _pending.keys.update(dict.fromkeys(keys))
    transaction.on_commit(_flush)


def _flush() -> None:
    keys = list(getattr(_pending, "keys", {}))
    _pending.keys = {}
    if not keys:
        return
    if getattr(settings, "ASSISES_PIPELINE_ASYNC", False):
        from .tasks import render_documents

        render_documents.enqueue(keys=keys)
    else:
        from .store import process

        process(keys)


def _subtree_keys(page: Page) -> list[str]:
    return [source_key(page)] + [
        f"page:{pk}" for pk in Page.objects.descendant_of(page).values_list("pk", flat=True)
    ]


def on_page_changed(sender, instance, **kwargs) -> None:
    schedule([source_key(instance)])


def on_page_moved(sender, instance, **kwargs) -> None:
    schedule(_subtree_keys(instance))


def on_page_deleted(sender, instance, **kwargs) -> None:
    schedule([f"page:{instance.pk}"])


def on_restriction_changed(sender, instance, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        schedule(_subtree_keys(page))


def on_model_changed(sender, instance, **kwargs) -> None:
    schedule(keys_for(instance))


def watch(model: type) -> None:
    for signal in (post_save, post_delete):
        signal.connect(
            on_model_changed,
            sender=model,
            dispatch_uid=f"assises-pipeline-{model._meta.label}-{id(signal)}",
            weak=False,
        )


def connect() -> None:
    page_published.connect(on_page_changed, dispatch_uid="assises-pipeline-publish", weak=False)
    page_unpublished.connect(on_page_changed, dispatch_uid="assises-pipeline-unpub", weak=False)
    post_page_move.connect(on_page_moved, dispatch_uid="assises-pipeline-move", weak=False)
    post_delete.connect(
        on_page_deleted, sender=Page, dispatch_uid="assises-pipeline-delete", weak=False
    )
    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"assises-pipeline-restriction-{id(signal)}",
            weak=False,
        )
