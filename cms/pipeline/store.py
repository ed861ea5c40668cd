"""Rendering sources into stored documents, and finding what to re-render when something changes."""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from wagtail.models import Page

from ..models import StoredDocument
from ..visibility import Visibility
from . import changelog, writer
from .batch import batch
from .context import RenderContext
from .registry import DocumentRenderer, Rendered, renderer_for, renderers, source_key

logger = logging.getLogger(__name__)


def resolve(key: str):
    """The object a source key stands for, or None when it no longer exists."""
    label, _, pk = key.partition(":")
    if label == "page":
        page = Page.objects.filter(pk=pk).first()
        return page.specific if page is not None else None
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    return model._default_manager.filter(pk=pk).first()


def render(
    obj, visibility: Visibility | None = None
) -> tuple[list[Rendered], set[str], datetime | None]:
    """Fresh documents for `obj` (none when it is not public), what they depend on, and when
    the first thing they embed expires (they must be rendered again then)."""
    renderer = renderer_for(obj) if obj is not None else None
    if renderer is None:
        return [], set(), None
    ctx = RenderContext(visibility)
    if not renderer.is_public(obj, ctx):
        # what made it private may change (a contact gets used): keep watching it
        return [], set(), None
    with ctx.rendering():
        documents = renderer.render(obj, ctx)
    return documents, ctx.dependencies, ctx.refresh_at


_UNRESOLVED = object()

# Sources rendered per transaction by the worker and the rebuild: large enough to amortise the
# commit, small enough that a publishing request never waits long for the lock.
BATCH_SIZE = 50


def store_source(key: str, obj=_UNRESOLVED, reason: str = "render") -> list[str]:
    """Re-render one source and write its documents; returns the kinds:ids written or removed.

    Unchanged documents are left alone (same ETag, same Last-Modified, no log entry), so
    republishing a page without edits invalidates no client cache and wakes no consumer.
    """
    with transaction.atomic():
        changelog.lock()
        if obj is _UNRESOLVED:
            obj = resolve(key)
        return writer.write([render_source(key, obj, reason)], timezone.now())


def render_source(key: str, obj, reason: str, visibility: Visibility | None = None):
    documents, dependencies, refresh_at = render(obj, visibility)
    return writer.SourceRender(key, reason, documents, dependencies, refresh_at)


def store_batch(keys: list[str], reasons: dict[str, str] | None = None) -> list[str]:
    """Render `keys` in transactions of `BATCH_SIZE` sources, each holding the writers' lock."""
    reasons = reasons or {}
    touched: list[str] = []
    for start in range(0, len(keys), BATCH_SIZE):
        chunk = keys[start : start + BATCH_SIZE]
        with transaction.atomic():
            changelog.lock()
            with batch() as shared:  # after the lock: sees every commit before it
                renders = [
                    render_source(key, obj, reasons.get(key, "dependency"), shared.visibility)
                    for key, obj in resolve_many(chunk).items()
                ]
            touched.extend(writer.write(renders, timezone.now()))
    return touched


def resolve_many(keys: list[str]) -> dict[str, object]:
    """The objects of `keys` (None for the vanished), pages fetched as their specific types."""
    resolved: dict[str, object] = dict.fromkeys(keys)
    page_ids = [int(k.partition(":")[2]) for k in keys if k.startswith("page:")]
    pages = list(Page.objects.filter(pk__in=page_ids).specific())
    prefetch_related_objects(pages, "locale")
    for page in pages:
        resolved[source_key(page)] = page
    others: dict[str, list[str]] = {}
    for key in keys:
        if not key.startswith("page:"):
            label, _, pk = key.partition(":")
            others.setdefault(label, []).append(pk)
    for label, pks in others.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for obj in model._default_manager.filter(pk__in=pks):
            resolved[f"{label}:{obj.pk}"] = obj
    by_renderer: dict[DocumentRenderer, list] = {}
    for obj in resolved.values():
        renderer = renderer_for(obj) if obj is not None else None
        if renderer is not None:
            by_renderer.setdefault(renderer, []).append(obj)
    for renderer, objects in by_renderer.items():
        renderer.prefetch(objects)
    return resolved


def dependents_of(keys: Iterable[str]) -> set[str]:
    """Sources of the documents that embed any of `keys`."""
    return set(
        StoredDocument.objects.filter(dependencies__target__in=list(keys))
        .values_list("source", flat=True)
        .distinct()
    )


def related_of(keys: Iterable[str]) -> list[str]:
    """Sources that `keys` ask to re-render with them (new participants, the parent series)."""
    related: list[str] = []
    for obj in resolve_many(list(keys)).values():
        renderer = renderer_for(obj) if obj is not None else None
        if renderer is not None:
            related.extend(renderer.related_sources(obj))
    return related


def propagate(keys: Iterable[str]) -> list[str]:
    """Re-render what depends on `keys` (already rendered themselves): the worker's part."""
    keys = list(dict.fromkeys(keys))
    seen = set(keys)
    order: list[str] = []
    for key in [*related_of(keys), *sorted(dependents_of(keys))]:
        if key not in seen:
            seen.add(key)
            order.append(key)
    return store_batch(order)


def process(keys: Iterable[str], reasons: dict[str, str] | None = None) -> list[str]:
    """Re-render `keys`, then every document that embeds them, then declared related sources.

    Everything in this process; `cms.pipeline.signals` splits the same work between the
    publishing request (the keys) and the worker (`propagate`).
    """
    keys = list(dict.fromkeys(keys))
    touched = store_batch(keys, reasons or dict.fromkeys(keys, "render"))
    touched.extend(propagate(keys))
    if touched:
        logger.info("pipeline: %d document(s) written or removed", len(touched))
    return touched


def all_sources() -> Iterator[str]:
    """The keys of every object that should have documents now."""
    for renderer in list(renderers.values()):
        for obj in renderer.get_queryset().iterator():
            yield source_key(obj)


def count_sources() -> int:
    return sum(renderer.get_queryset().count() for renderer in renderers.values())


def remove_orphans(valid: set[str]) -> int:
    """Delete documents whose source no longer has any (deleted or unpublished objects)."""
    with transaction.atomic():
        changelog.lock()
        stale = list(StoredDocument.objects.exclude(source__in=valid))
        writer.delete_documents(stale, "rebuild", timezone.now())
    return len(stale)


@dataclass
class Difference:
    document: str
    reason: str


def check_source(key: str) -> list[Difference]:
    """Compare the stored documents of `key` with a fresh rendering, without writing."""
    documents, _deps, _refresh = render(resolve(key))
    stored = {(d.kind, d.object_id): d for d in StoredDocument.objects.filter(source=key)}
    differences = []
    for document in documents:
        name = f"{document.kind}:{document.object_id}"
        current = stored.pop((document.kind, document.object_id), None)
        if current is None:
            differences.append(Difference(name, "missing"))
            continue
        body, item = writer.encode(document)
        if bytes(current.body) != body:
            differences.append(Difference(name, "body differs from a fresh render"))
        elif bytes(current.item) != item:
            differences.append(Difference(name, "list item differs from a fresh render"))
    for kind, object_id in stored:
        differences.append(Difference(f"{kind}:{object_id}", "stored but should not exist"))
    return differences


def due_sources(now: datetime | None = None) -> list[str]:
    """Sources whose document expired, or embeds something that expired, since it was rendered."""
    now = now or timezone.now()
    due = StoredDocument.objects.filter(Q(expires_at__lte=now) | Q(refresh_at__lte=now))
    return sorted(set(due.values_list("source", flat=True)))


def refresh_due(now: datetime | None = None) -> list[str]:
    """Render again what expiry changed: the expired documents go, with their tombstones, and
    the documents embedding them lose them."""
    keys = due_sources(now)
    if not keys:
        return []
    return store_batch(keys, dict.fromkeys(keys, "expired")) + propagate(keys)
