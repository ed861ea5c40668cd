"""Rendering sources into stored documents, and finding what to re-render when something changes."""

import logging
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from ..http import strong_etag
from ..models import DocumentDependency, DocumentLink, StoredDocument
from .context import RenderContext
from .registry import Rendered, renderer_for, renderers, source_key

logger = logging.getLogger(__name__)

INDEX_COLUMNS = (
    "locale", "path", "title", "sort_title", "sort_date", "date_start", "date_end", "year",
    "number", "archived", "expires_at", "search_text",
)  # fmt: skip


def sort_key(text: str) -> str:
    """Accent- and case-insensitive sort key: « Béchu » sorts between « Attal » and « Berger »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))[:255]


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


def render(obj) -> tuple[list[Rendered], set[str]]:
    """Fresh documents for `obj` (none when it is not public) and what they depend on."""
    renderer = renderer_for(obj) if obj is not None else None
    if renderer is None or not renderer.is_public(obj):
        return [], set()
    ctx = RenderContext()
    documents = renderer.render(obj, ctx)
    return documents, ctx.dependencies


def encode(document: Rendered) -> tuple[bytes, bytes]:
    return orjson.dumps(document.body), orjson.dumps(document.item)


_UNRESOLVED = object()


@transaction.atomic
def store_source(key: str, obj=_UNRESOLVED) -> list[str]:
    """Re-render one source and write its documents; returns the kinds:ids written or removed.

    Unchanged documents are left alone (same ETag, same Last-Modified), so republishing a page
    without edits does not invalidate any client cache.
    """
    if obj is _UNRESOLVED:
        obj = resolve(key)
    documents, dependencies = render(obj)
    existing = {(d.kind, d.object_id): d for d in StoredDocument.objects.filter(source=key)}
    touched = []
    now = timezone.now()
    for document in documents:
        body, item = encode(document)
        etag = strong_etag(body)
        stored = existing.pop((document.kind, document.object_id), None)
        if stored is None:
            stored = StoredDocument.objects.filter(
                kind=document.kind, object_id=document.object_id
            ).first() or StoredDocument(kind=document.kind, object_id=document.object_id)
        columns = {name: getattr(document, name) for name in INDEX_COLUMNS}
        columns["sort_title"] = sort_key(columns["sort_title"] or document.title)
        columns["title"] = document.title[:255]
        unchanged = (
            stored.pk is not None
            and stored.etag == etag
            and stored.source == key
            and bytes(stored.item) == item
            and all(getattr(stored, name) == value for name, value in columns.items())
        )
        if unchanged:
            continue
        if stored.etag != etag or stored.pk is None:
            stored.last_modified = now
        stored.source = key
        stored.body, stored.item, stored.etag = body, item, etag
        for name, value in columns.items():
            setattr(stored, name, value)
        stored.save()
        stored.links.all().delete()
        DocumentLink.objects.bulk_create(
            DocumentLink(document=stored, key=k, value=str(v)) for k, v in set(document.links)
        )
        stored.dependencies.all().delete()
        DocumentDependency.objects.bulk_create(
            DocumentDependency(document=stored, target=t) for t in sorted(dependencies - {key})
        )
        touched.append(f"{document.kind}:{document.object_id}")
    for stale in existing.values():
        touched.append(f"{stale.kind}:{stale.object_id}")
        stale.delete()
    return touched


def dependents_of(keys: Iterable[str]) -> set[str]:
    """Sources of the documents that embed any of `keys`."""
    return set(
        StoredDocument.objects.filter(dependencies__target__in=list(keys))
        .values_list("source", flat=True)
        .distinct()
    )


def process(keys: Iterable[str]) -> list[str]:
    """Re-render `keys`, then every document that embeds them, then declared related sources."""
    keys = list(dict.fromkeys(keys))
    order = list(keys)
    seen = set(order)
    touched: list[str] = []
    resolved = {}
    for key in keys:
        obj = resolved[key] = resolve(key)
        renderer = renderer_for(obj) if obj is not None else None
        if renderer is not None:
            for related in renderer.related_sources(obj):
                if related not in seen:
                    seen.add(related)
                    order.append(related)
    for dependent in sorted(dependents_of(keys)):
        if dependent not in seen:
            seen.add(dependent)
            order.append(dependent)
    for key in order:
        touched.extend(store_source(key, resolved.get(key, _UNRESOLVED)))
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
    stale = StoredDocument.objects.exclude(source__in=valid)
    count = stale.count()
    for document in stale:
        document.delete()
    return count


@dataclass
class Difference:
    document: str
    reason: str


def check_source(key: str) -> list[Difference]:
    """Compare the stored documents of `key` with a fresh rendering, without writing."""
    documents, _deps = render(resolve(key))
    stored = {(d.kind, d.object_id): d for d in StoredDocument.objects.filter(source=key)}
    differences = []
    for document in documents:
        name = f"{document.kind}:{document.object_id}"
        current = stored.pop((document.kind, document.object_id), None)
        if current is None:
            differences.append(Difference(name, "missing"))
            continue
        body, item = encode(document)
        if bytes(current.body) != body:
            differences.append(Difference(name, "body differs from a fresh render"))
        elif bytes(current.item) != item:
            differences.append(Difference(name, "list item differs from a fresh render"))
    for kind, object_id in stored:
        differences.append(Difference(f"{kind}:{object_id}", "stored but should not exist"))
    return differences
