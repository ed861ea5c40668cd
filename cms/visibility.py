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
"""

from datetime import datetime

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, PageViewRestriction


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
