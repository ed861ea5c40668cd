"""What the documents of one rendering batch share: visibility checks, sites and site settings.

Rendering 750 communiqués after a rename used to look up the same site, organisation settings
and press settings three times per document. A batch reads each once. Outside a batch (a page
served to a visitor, a management command) the helpers simply query.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from wagtail.models import Page, Site

from ..visibility import Visibility

T = TypeVar("T")


class Batch:
    def __init__(self) -> None:
        self.visibility = Visibility()
        self._memo: dict[Any, Any] = {}

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


current_batch: ContextVar[Batch | None] = ContextVar("assises_current_batch", default=None)


@contextmanager
def batch() -> Iterator[Batch]:
    """Share lookups between the documents rendered inside this block."""
    existing = current_batch.get()
    if existing is not None:
        yield existing
        return
    shared = Batch()
    token = current_batch.set(shared)
    try:
        yield shared
    finally:
        current_batch.reset(token)


def memo(key: Any, compute: Callable[[], T]) -> T:
    shared = current_batch.get()
    return shared.memo(key, compute) if shared is not None else compute()


def site_of(page: Page | None) -> Site | None:
    """The page's site (the default site for a page outside every site)."""
    if page is None:
        return memo(("default-site",), lambda: Site.objects.filter(is_default_site=True).first())
    roots = memo(
        ("site-roots",),
        lambda: sorted(Site.objects.values_list("root_page__path", "pk"), key=lambda r: -len(r[0])),
    )
    # the site whose root is the closest ancestor; Wagtail's routing for anything else
    site_id = next((pk for path, pk in roots if page.path.startswith(path)), None)
    if site_id is None:
        site_id = memo(("site-of", page.pk), lambda: (page.get_url_parts() or (None,))[0])
    if site_id is None:
        return memo(("default-site",), lambda: Site.objects.filter(is_default_site=True).first())
    return memo(("site", site_id), lambda: Site.objects.get(pk=site_id))


def site_setting(page: Page | None, model: type[T]) -> T | None:
    """A site setting (`BaseSiteSetting`) of the page's site."""
    site = site_of(page)
    if site is None:
        return None
    return memo(("setting", model, site.pk), lambda: model.for_site(site))


def public_only(pages: list[Any]) -> list[Any]:
    """The pages anyone may see, in order, checked with the batch's shared visibility."""
    shared = current_batch.get()
    visibility = shared.visibility if shared is not None else Visibility()
    return [page for page in pages if page is not None and visibility.is_public(page)]
