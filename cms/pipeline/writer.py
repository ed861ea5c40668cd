"""Writing rendered documents: one set of bulk queries per batch, not a dozen per document.

Called inside the writers' lock (`changelog.lock()`), with what a batch rendered. A document is
written only when something about it changed; its Last-Modified moves only when its bytes
changed, and a change-log entry only when its bytes or its expiry (`expires_at`, `refresh_at`)
changed; a source's documents that were not rendered again are removed with a tombstone in the
log.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import orjson
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from ..conf import assises_settings
from ..http import strong_etag
from ..models import ChangeLogEntry, DocumentDependency, DocumentLink, StoredDocument
from .outbox import DELETED
from .registry import Rendered
from .scheduled import schedule_expiries

INDEX_COLUMNS = (
    "locale", "path", "title", "sort_title", "sort_date", "date_start", "date_end", "year",
    "number", "archived", "expires_at", "search_text",
)  # fmt: skip
UPDATE_FIELDS = (
    "source", "body", "item", "etag", "last_modified", "refresh_at", *INDEX_COLUMNS,
)  # fmt: skip


@dataclass
class SourceRender:
    """What rendering one source gave: its documents, what they embed, when to render again."""

    key: str
    reason: str
    documents: list[Rendered]
    dependencies: set[str] = field(default_factory=set)
    refresh_at: datetime | None = None


def sort_key(text: str) -> str:
    """Accent- and case-insensitive sort key: « Béchu » sorts between « Attal » and « Berger »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))[:255]


def encode(document: Rendered) -> tuple[bytes, bytes]:
    return orjson.dumps(document.body), orjson.dumps(document.item)


def columns_of(document: Rendered, refresh_at: datetime | None) -> dict:
    columns = {name: getattr(document, name) for name in INDEX_COLUMNS}
    columns["sort_title"] = sort_key(columns["sort_title"] or document.title)
    columns["title"] = document.title[:255]
    columns["refresh_at"] = refresh_at
    return columns


def _unchanged(stored: StoredDocument, key: str, etag: str, item: bytes, columns: dict) -> bool:
    return (
        stored.pk is not None
        and stored.etag == etag
        and stored.source == key
        and bytes(stored.item) == item
        and all(getattr(stored, name) == value for name, value in columns.items())
    )


def _log(document: StoredDocument, operation: str, reason: str, at: datetime) -> ChangeLogEntry:
    return ChangeLogEntry(
        kind=document.kind,
        object_id=document.object_id,
        locale=document.locale,
        operation=operation,
        etag=document.etag if operation == ChangeLogEntry.UPSERT else "",
        source=document.source,
        reason=reason[:30],
        created_at=at,
    )


def write(renders: list[SourceRender], now: datetime) -> list[str]:
    """Write a batch of renders; returns the `kind:id` of every document written or removed."""
    keys = [render.key for render in renders]
    existing: dict[str, dict[tuple[str, str], StoredDocument]] = {key: {} for key in keys}
    for stored in StoredDocument.objects.filter(source__in=keys):
        existing[stored.source][(stored.kind, stored.object_id)] = stored
    # documents that move from another source (a session moved to another edition)
    wanted = {
        (d.kind, d.object_id)
        for render in renders
        for d in render.documents
        if (d.kind, d.object_id) not in existing[render.key]
    }
    elsewhere: dict[tuple[str, str], StoredDocument] = {}
    if wanted:
        condition = Q()
        for kind in {kind for kind, _id in wanted}:
            condition |= Q(kind=kind, object_id__in=[i for k, i in wanted if k == kind])
        for stored in StoredDocument.objects.filter(condition):
            elsewhere[(stored.kind, stored.object_id)] = stored

    created: list[StoredDocument] = []
    updated: list[StoredDocument] = []
    relations: list[tuple[StoredDocument, set, list[str]]] = []
    log: list[ChangeLogEntry] = []
    removed: list[StoredDocument] = []
    touched: list[str] = []
    unchanged: list[tuple[StoredDocument, list[str]]] = []
    boundaries: list[datetime | None] = []  # new expiries: settled on time (`scheduled`)
    for render in renders:
        mine = existing[render.key]
        for document in render.documents:
            identity = (document.kind, document.object_id)
            stored = mine.pop(identity, None) or elsewhere.get(identity)
            stored = stored or StoredDocument(kind=document.kind, object_id=document.object_id)
            body, item = encode(document)
            etag = strong_etag(body)
            columns = columns_of(document, render.refresh_at)
            targets = sorted(render.dependencies - {render.key})
            if _unchanged(stored, render.key, etag, item, columns):
                unchanged.append((stored, targets))
                continue
            content_changed = stored.pk is None or stored.etag != etag
            # a new expiry moves the version too: readers cache the next expiry per version
            expiry_changed = (stored.expires_at, stored.refresh_at) != (
                columns["expires_at"],
                columns["refresh_at"],
            )
            if content_changed:
                stored.last_modified = now
            stored.source = render.key
            stored.body, stored.item, stored.etag = body, item, etag
            for name, value in columns.items():
                setattr(stored, name, value)
            (updated if stored.pk else created).append(stored)
            relations.append((stored, set(document.links), targets))
            if content_changed or expiry_changed:
                log.append(_log(stored, ChangeLogEntry.UPSERT, render.reason, now))
            if expiry_changed:
                boundaries += [columns["expires_at"], columns["refresh_at"]]
            touched.append(f"{document.kind}:{document.object_id}")
        for stale in mine.values():
            removed.append(stale)
            log.append(_log(stale, ChangeLogEntry.DELETE, render.reason, now))
            touched.append(f"{stale.kind}:{stale.object_id}")
    for entry in _deleted_after_withdrawal(renders, now):
        log.append(entry)
        touched.append(f"{entry.kind}:{entry.object_id}")

    if removed:
        backend = get_search_backend()
        for stale in removed:
            backend.delete(stale)
        StoredDocument.objects.filter(pk__in=[d.pk for d in removed]).delete()
    if updated:
        ids = [d.pk for d in updated]
        DocumentLink.objects.filter(document_id__in=ids).delete()
        DocumentDependency.objects.filter(document_id__in=ids).delete()
        _update(updated)
    if created:
        StoredDocument.objects.bulk_create(created, batch_size=100)
    _insert(
        DocumentLink,
        ("document_id", "key", "value"),
        [(stored.pk, k, str(v)) for stored, links, _targets in relations for k, v in links],
    )
    _insert(
        DocumentDependency,
        ("document_id", "target"),
        [(stored.pk, target) for stored, _links, targets in relations for target in targets],
    )
    _keep_dependencies(unchanged)
    ChangeLogEntry.objects.bulk_create(log, batch_size=500)
    if log:
        _follow_up([(entry.kind, entry.object_id) for entry in log])
    if boundaries:
        schedule_expiries(boundaries, now)
    if created or updated:
        get_search_backend().add_bulk(StoredDocument, created + updated)
    return touched


def _deleted_after_withdrawal(renders: list[SourceRender], now: datetime) -> list[ChangeLogEntry]:
    """`deleted` tombstones for what deleted sources had published, then withdrawn.

    A page unpublished last week and deleted today has no document left to remove, yet a
    subscriber to `<kind>.deleted` must hear of it: each document whose latest entry is a
    tombstone of this source for another reason (unpublished, expired…) gets a second one
    saying `deleted`. A replica applies it as it applied the first: the document is gone.
    Documents still stored are removed by `write` itself (their latest entry is an upsert),
    and a second run finds the `deleted` tombstone already there. Tombstones compacted away
    (`cms.pipeline.compaction`) are past retention: nothing is said of those documents.
    """
    keys = [r.key for r in renders if r.reason == DELETED and not r.documents]
    if not keys:
        return []
    pairs = sorted(
        set(ChangeLogEntry.objects.filter(source__in=keys).values_list("kind", "object_id"))
    )
    if not pairs:
        return []
    condition = Q()
    for kind in sorted({kind for kind, _id in pairs}):
        condition |= Q(kind=kind, object_id__in=[i for k, i in pairs if k == kind])
    latest: dict[tuple[str, str], ChangeLogEntry] = {}
    for entry in ChangeLogEntry.objects.filter(condition).order_by("seq"):
        latest[(entry.kind, entry.object_id)] = entry
    return [
        ChangeLogEntry(
            kind=entry.kind,
            object_id=entry.object_id,
            locale=entry.locale,
            operation=ChangeLogEntry.DELETE,
            etag="",
            source=entry.source,
            reason=DELETED,
            created_at=now,
        )
        for entry in latest.values()
        if entry.source in keys
        and entry.operation == ChangeLogEntry.DELETE
        and entry.reason != DELETED
    ]


def _keep_dependencies(unchanged: list[tuple[StoredDocument, list[str]]]) -> None:
    """Record what unchanged documents now depend on: a programme naming a speaker who is not
    public yet renders the same bytes, but must be rendered again when the speaker is published.
    One query reads the recorded targets; only documents whose targets moved are rewritten."""
    if not unchanged:
        return
    recorded: dict[int, set[str]] = {}
    for document_id, target in DocumentDependency.objects.filter(
        document_id__in=[stored.pk for stored, _targets in unchanged]
    ).values_list("document_id", "target"):
        recorded.setdefault(document_id, set()).add(target)
    moved = [(s, t) for s, t in unchanged if set(t) != recorded.get(s.pk, set())]
    if not moved:
        return
    DocumentDependency.objects.filter(document_id__in=[s.pk for s, _t in moved]).delete()
    _insert(
        DocumentDependency,
        ("document_id", "target"),
        [(stored.pk, target) for stored, targets in moved for target in targets],
    )


def _follow_up(changed: list[tuple[str, str]]) -> None:
    """Hand the worker what follows from the entries being written: purging the caches that
    hold the changed documents, and pushing the events to webhook subscribers.

    Both are written with the entries (`outbox`) when the task queue is in the database: a
    purge lost to a crash would leave a cache serving an unpublished communiqué until it
    expires, and nothing else would send it again. Webhook delivery would be caught up by the
    scheduler's next `deliver_due` (it follows the change log from each endpoint's cursor), but
    costs one row to make as sure, so it goes the same way.
    """
    from ..consumers.purge import backends, purge_keys_for
    from ..models import WebhookEndpoint
    from .outbox import enqueue_with_change
    from .tasks import deliver_webhooks, purge_surrogate_keys

    if backends():
        keys = purge_keys_for(changed)
        enqueue_with_change(purge_surrogate_keys, keys=keys)
        # Once more a little later: a response read from the database before this commit but
        # stored by the cache after the first purge would otherwise be served stale — or
        # unpublished content be served — until it expires. Seen through Varnish under load.
        repeat = assises_settings.PURGE_REPEAT_SECONDS
        if repeat > 0 and purge_surrogate_keys.get_backend().supports_defer:
            later = timezone.now() + timedelta(seconds=repeat)
            enqueue_with_change(purge_surrogate_keys.using(run_after=later), keys=keys)
    if WebhookEndpoint.objects.filter(active=True).exists():
        enqueue_with_change(deliver_webhooks)


def _insert(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain `executemany` for the narrow relation rows: a batch writes some twenty per document,
    and building each through `bulk_create` cost more than rendering the document."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(model._meta.get_field(c).column) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _update(documents: list[StoredDocument]) -> None:
    """One `executemany` UPDATE by primary key: `bulk_update` builds a CASE expression per
    column and row, which cost more than rendering the 750 documents of a rename."""
    fields = [StoredDocument._meta.get_field(name) for name in UPDATE_FIELDS]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(StoredDocument._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(StoredDocument._meta.pk.column),
    )
    rows = [
        [f.get_db_prep_save(getattr(d, f.attname), connection) for f in fields] + [d.pk]
        for d in documents
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def delete_documents(documents: list[StoredDocument], reason: str, now: datetime) -> None:
    """Remove documents, leaving their tombstones in the change log (inside the lock)."""
    ChangeLogEntry.objects.bulk_create(
        [_log(d, ChangeLogEntry.DELETE, reason, now) for d in documents], batch_size=500
    )
    if documents:
        _follow_up([(d.kind, d.object_id) for d in documents])
    backend = get_search_backend()
    for document in documents:
        backend.delete(document)
    StoredDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
