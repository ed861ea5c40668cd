"""The stored documents that channels (feeds, sitemaps, calendars, schedules) are built from.

Channels never read pages at request time: they reformat the documents the publish pipeline
wrote, through the same visibility rule as the API (`visible_documents`), so a feed, an
iCalendar file or a frab schedule carries exactly the data, dates and visibility of the JSON
API. A source that is a draft, private, expired or unpublished has no visible document, hence a
404 here too.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from django.db.models import QuerySet
from django.http import Http404

from . import pagecache
from .models import DocumentLink, StoredDocument
from .rows import rows
from .visibility import visible_documents


@dataclass(frozen=True)
class Document:
    """A stored document as channels need it: its JSON and when its content last changed."""

    kind: str
    object_id: str
    data: dict[str, Any]
    last_modified: datetime.datetime


def visible(kind: str) -> QuerySet:
    """The visible stored documents of one kind, as the API would list them.

    A public page reading them is stale whenever one of the kind changes (`cms.pagecache`)."""
    pagecache.note(f"list:{kind}")
    return visible_documents(StoredDocument.objects.filter(kind=kind))


def linked(queryset: QuerySet, key: str, values: Iterable[Any]) -> QuerySet:
    """The documents of `queryset` linked to any of `values` under `key`, as the API filters."""
    ids = DocumentLink.objects.filter(key=key, value__in=[str(v) for v in values])
    return queryset.filter(id__in=ids.values("document_id"))


def read(queryset: QuerySet) -> list[Document]:
    """The documents of `queryset`, their JSON parsed, in the queryset's order."""
    found = rows(queryset.values_list("kind", "object_id", "body", "last_modified"))
    return [
        Document(kind, object_id, orjson.loads(bytes(body)), last_modified)
        for kind, object_id, body, last_modified in found
    ]


def document_or_404(kind: str, object_id: Any) -> Document:
    """The visible document `kind:object_id`, or Http404 as the API would answer."""
    found = read(visible(kind).filter(object_id=str(object_id)))
    if not found:
        raise Http404(f"No public {kind} {object_id}.")
    return found[0]


def documents(kind: str, object_ids: Iterable[Any]) -> dict[str, Document]:
    """The visible documents of `kind` among `object_ids`, by object id (in one query)."""
    ids = sorted({str(object_id) for object_id in object_ids})
    if not ids:
        return {}
    return {d.object_id: d for d in read(visible(kind).filter(object_id__in=ids))}


def linked_documents(kind: str, key: str, values: Iterable[Any]) -> list[Document]:
    """Visible documents of `kind` linked to any of `values` under `key`, by date then id.

    The relation the API filters on (`/sessions/?edition=5`, `/editions/?series=2`), so a
    channel lists exactly what the API lists for the same question.
    """
    values = sorted({str(value) for value in values})
    if not values:
        return []
    return read(linked(visible(kind), key, values).order_by("sort_date", "object_id"))
