"""The one rule for what the public may see, used by the renderers and every channel.

A page is public when it is live, not past its expiry date and not behind a view restriction
(on itself or an ancestor). Expiry is checked here, not left to Wagtail's `publish_scheduled`,
which only unpublishes expired pages when it runs. Stored documents carry the expiry of their
page (`expires_at`), so readers of documents apply the same rule with `visible_documents`.

Files (a communiqué's attachment, a speaker's photo) have no state of their own: a file is public
exactly when a visible stored document shows it (`showing_documents`, `file_is_public`). The
pipeline records every image and document a renderer embeds as a dependency of the document it
writes, and writes documents only for public pages, so drafts, embargoed, private, expired and
unpublished pages, and the later drafts of live pages (kept in revisions, never rendered), show
no file to anyone.

Snippets with drafts (Wagtail's `DraftStateMixin`: press contacts) follow the same rule without
the tree: live and not expired (`snippet_is_public`, `public_snippets`). The database row of a live
snippet holds its published version; a draft lives in its revisions until it is published.

Expiry is exact on every road, whatever the scheduler's delay. Expiry is the one change that
happens without a write, and most readers key their caches by the change log's version, so a
reader must not serve a version whose *boundary* has passed: the earliest `expires_at` (the
document's page) or `refresh_at` (the first public page it embeds) among the documents it reads.
`settle` checks it, from a value cached per version (a version names one state of the store, so
its boundary never changes), and when it has passed does the scheduler's work for it at once
(`refresh_due`) and hands back the new version. The write moves the log, so no cache key needs
to count boundaries, and the change feed and webhooks carry the same tombstones as the API.
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Min, Model, Q, QuerySet
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, PageViewRestriction

from .api.localcache import local_cache

if TYPE_CHECKING:
    from .pipeline.changelog import Head


def page_is_public(page: Page, now: datetime | None = None) -> bool:
    """Live, not expired, not behind a view restriction (on itself or an ancestor)."""
    if not page.live:
        return False
    now = now or timezone.now()
    if page.expire_at is not None and page.expire_at <= now:
        return False
    return not page.get_view_restrictions().exists()


def public_pages(queryset: QuerySet) -> QuerySet:
    """The pages of `queryset` that anyone may see (the queryset form of `page_is_public`)."""
    now = timezone.now()
    return queryset.live().public().filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))


def snippet_is_public(obj: object, now: datetime | None = None) -> bool:
    """A non-page object: public unless it has drafts and is unpublished or expired.

    Objects without draft state (topics, images) are public as soon as saved, as before.
    """
    if not isinstance(obj, DraftStateMixin):
        return True
    if not obj.live:
        return False
    return obj.expire_at is None or obj.expire_at > (now or timezone.now())


def public_snippets(queryset: QuerySet) -> QuerySet:
    """The objects of `queryset` that anyone may see (the queryset form of `snippet_is_public`)."""
    if not issubclass(queryset.model, DraftStateMixin):
        return queryset
    now = timezone.now()
    return queryset.filter(live=True).filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))


def visible_documents(queryset: QuerySet) -> QuerySet:
    """Stored documents whose page has not expired, even before it is unpublished."""
    return queryset.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


def document_is_visible(expires_at: datetime | None, now: datetime | None = None) -> bool:
    """`visible_documents` for one document already in memory (a cached detail or rendering)."""
    return expires_at is None or expires_at > (now or timezone.now())


def showing_documents(obj: Model) -> QuerySet:
    """The visible stored documents that show `obj` (an image, a document): its public uses."""
    from .models import StoredDocument
    from .pipeline.registry import source_key  # the pipeline imports this module

    return visible_documents(StoredDocument.objects.filter(dependencies__target=source_key(obj)))


def file_is_public(obj: Model) -> bool:
    """Whether anyone may download the file of `obj`: a public page shows it right now."""
    return showing_documents(obj).exists()


class Visibility:
    """`page_is_public` for many pages at once: one query for every view restriction.

    A rendering batch shares one instance, so that checking the hundred speakers of a
    programme costs no query per speaker.
    """

    def __init__(self) -> None:
        self.now = timezone.now()
        self._restricted: tuple[str, ...] | None = None
        self._cache: dict[int, bool] = {}

    def restricted_paths(self) -> tuple[str, ...]:
        if self._restricted is None:
            self._restricted = tuple(
                PageViewRestriction.objects.values_list("page__path", flat=True).distinct()
            )
        return self._restricted

    def is_public(self, page: Page | DraftStateMixin) -> bool:
        """`page_is_public` for a page, `snippet_is_public` for anything else."""
        if not isinstance(page, Page):
            return snippet_is_public(page, self.now)
        if page.pk not in self._cache:
            self._cache[page.pk] = (
                page.live
                and (page.expire_at is None or page.expire_at > self.now)
                and not any(page.path.startswith(p) for p in self.restricted_paths())
            )
        return self._cache[page.pk]


# -- expiry boundaries --------------------------------------------------------------------------

# Boundaries are cached per change-log version: a version names one state of the store, whose
# earliest expiry never changes, so the value may be kept as long as the version lives.
BOUNDARY_CACHE_SECONDS = 24 * 3600
_NO_BOUNDARY = "none"
_NONE = object()  # "no boundary" in this process's memory, where None means "not cached"
_boundaries = local_cache(1024)


def _boundary_key(kinds: Iterable[str] | None, version: str) -> str:
    scope = "*" if kinds is None else ",".join(sorted(set(kinds)))
    digest = hashlib.sha256(f"{scope}|{version}".encode()).hexdigest()
    return f"assises:boundary:{digest}"


def next_boundary(kinds: Iterable[str] | None, after: datetime | None = None) -> datetime | None:
    """The earliest `expires_at` or `refresh_at` among the stored documents of `kinds` (all
    kinds for None), later than `after` when given: the next moment their readings go stale."""
    from .models import StoredDocument

    queryset = StoredDocument.objects.all()
    if kinds is not None:
        queryset = queryset.filter(kind__in=sorted(set(kinds)))
    expires, refresh = Q(expires_at__isnull=False), Q(refresh_at__isnull=False)
    if after is not None:
        expires &= Q(expires_at__gt=after)
        refresh &= Q(refresh_at__gt=after)
    totals = queryset.aggregate(
        expires=Min("expires_at", filter=expires), refresh=Min("refresh_at", filter=refresh)
    )
    moments = [moment for moment in totals.values() if moment is not None]
    return min(moments, default=None)


def _remember(key: str, boundary: datetime | None) -> None:
    value = boundary.isoformat() if boundary is not None else _NO_BOUNDARY
    cache.set(key, value, BOUNDARY_CACHE_SECONDS)
    _boundaries.set(key, boundary if boundary is not None else _NONE, BOUNDARY_CACHE_SECONDS)


def _cached_boundary(kinds: Iterable[str] | None, version: str) -> datetime | None:
    key = _boundary_key(kinds, version)
    boundary = _boundaries.get(key)
    if boundary is not None:
        return boundary if boundary is not _NONE else None
    value = cache.get(key)
    if value is None:
        found = next_boundary(kinds)
        _remember(key, found)
        return found
    found = None if value == _NO_BOUNDARY else datetime.fromisoformat(value)
    _boundaries.set(key, found if found is not None else _NONE, BOUNDARY_CACHE_SECONDS)
    return found


def settle(kinds: Iterable[str] | None, head: "Head") -> "Head":
    """The change-log head to key readings of `kinds` by, once expiry has been acted upon.

    `head` is what the reader already read (the version of `kinds`, or of the whole log for
    None). When a boundary of that version has passed — a document expired, or embeds a page
    that expired — this reader does the scheduler's work now (`refresh_due`: tombstones for the
    expired, dependents rendered again without them) and returns the head that work wrote, so
    every cache keyed by it misses. Normally nothing is due: the boundary comes from the shared
    cache (one lookup, and this process's memory in front of it), keyed by the version.
    """
    kinds = None if kinds is None else sorted(set(kinds))
    now = timezone.now()
    boundary = _cached_boundary(kinds, head.version)
    if boundary is None or boundary > now:
        return head
    from .pipeline import changelog
    from .pipeline.store import refresh_due

    refresh_due(now)  # the writers' lock and unchanged-content check make it idempotent
    head = changelog.head() if kinds is None else changelog.kinds_head(kinds)
    _remember(_boundary_key(kinds, head.version), next_boundary(kinds, after=now))
    return head
