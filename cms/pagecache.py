"""Public HTML pages through caches: how long a page may be kept, and the keys that purge it.

A page's HTML is built from stored documents (`cms.pages`), so it goes stale exactly when one of
the documents it read changes — and every such change is logged and purged by surrogate key
(`cms.consumers.purge`). Rather than have each page type declare what it shows (and drift from
what its template reads), the keys are noted where documents are read, while the page is served
and rendered: its own document (`communique:17`), its site's organisation, and the collection
of any kind it lists (`list:communique`), which the navigation and home page sections read too.
A change to a speaker re-renders the communiqués naming them, so the communiqué page's own key
covers what it embeds.

What is never kept by a shared cache (`PRIVATE`): a page seen by a logged-in editor (Wagtail's
user bar, and whatever an editor may see), and a page whose document could not come from the
store — one behind a view restriction, served to whom passed it. A page with an expiry date is
kept, stale copies included, no longer than that date, so that it disappears from caches when
it expires even before the scheduler unpublishes it and purges.

A public 404 (a page not yet published, or just unpublished or expired) is kept briefly
(`ASSISES["NOT_FOUND_CACHE_CONTROL"]`) and tagged `list:all`, which every logged change purges:
when a page appears at that path, its publication purges the 404 that stood there.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

from .conf import assises_settings

PRIVATE = "private, no-store"
NOT_FOUND_KEYS = ["list:all"]  # cms.consumers.purge.ALL: purged after every change


class PageReads:
    """What one page response read: surrogate keys, and whether anything was not public."""

    def __init__(self) -> None:
        self.keys: dict[str, None] = {}
        self.private = False


_reads: contextvars.ContextVar[PageReads | None] = contextvars.ContextVar(
    "assises_page_reads", default=None
)


@contextmanager
def collecting() -> Iterator[PageReads]:
    """Note the documents read inside the block (nested blocks share the outer one's notes)."""
    current = _reads.get()
    if current is not None:
        yield current
        return
    reads = PageReads()
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


def note(*keys: str) -> None:
    """The page being served shows these documents or collections (no-op outside a page)."""
    reads = _reads.get()
    if reads is not None:
        for key in keys:
            reads.keys[key] = None


def note_private() -> None:
    """The page being served shows something not public: no shared cache may keep it."""
    reads = _reads.get()
    if reads is not None:
        reads.private = True


def _directives(value: str) -> list[tuple[str, str | None]]:
    parsed = []
    for part in value.split(","):
        name, sep, argument = part.strip().partition("=")
        if name:
            parsed.append((name.lower(), argument if sep else None))
    return parsed


def cache_control_until(value: str, expires_at: datetime | None, now: datetime) -> str:
    """`value` shortened so that neither a fresh nor a stale copy outlives `expires_at`.

    Caches serve a copy for max-age, then stale for stale-while-revalidate (Varnish's grace):
    an expiring page's max-age is cut to what is left, and its stale time to the rest.
    """
    if expires_at is None:
        return value
    left = int((expires_at - now).total_seconds())
    if left <= 0:
        return PRIVATE
    directives = _directives(value)
    max_age = next((int(a) for n, a in directives if n == "max-age" and a is not None), None)
    kept = min(max_age, left) if max_age is not None else left
    parts = []
    for name, argument in directives:
        if name == "max-age":
            argument = str(kept)
        elif name in ("s-maxage", "stale-while-revalidate", "stale-if-error") and argument:
            limit = left if name == "s-maxage" else left - kept
            argument = str(max(0, min(int(argument), limit)))
        parts.append(f"{name}={argument}" if argument is not None else name)
    if max_age is None:
        parts.append(f"max-age={kept}")  # else a cache's default lifetime could outlive it
    return ", ".join(parts)


def is_editor(request: HttpRequest) -> bool:
    """A logged-in user: what they see (the user bar, at least) is theirs alone."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _tag(response: HttpResponse, keys: list[str]) -> None:
    from .consumers.purge import tag_response  # the API's headers: xkey, Surrogate-Key, Cache-Tag

    tag_response(response, keys)


def page_response(
    request: HttpRequest,
    response: HttpResponse,
    reads: PageReads,
    expires_at: datetime | None,
    now: datetime,
) -> HttpResponse:
    """Cache-Control and surrogate keys of a page's HTML response, once it is rendered."""
    if response.status_code != 200 or response.has_header("Cache-Control"):
        return response  # a redirect or an answer of the page's own: left as it is
    if reads.private or is_editor(request):
        response["Cache-Control"] = PRIVATE
        return response
    value = cache_control_until(assises_settings.PAGE_CACHE_CONTROL, expires_at, now)
    response["Cache-Control"] = value
    if value != PRIVATE:
        _tag(response, list(reads.keys))
    return response


def not_found_response(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A public 404 page: briefly kept, purged by the next change (a page appearing there)."""
    if is_editor(request):
        response["Cache-Control"] = PRIVATE
        return response
    response["Cache-Control"] = assises_settings.NOT_FOUND_CACHE_CONTROL
    _tag(response, NOT_FOUND_KEYS)
    return response


def serve_page(page: Any, request: HttpRequest, serve: Any, *args: Any, **kwargs: Any):
    """Serve `page` with `serve`, rendered while its reads are noted, then headed for caches."""
    from django.utils import timezone

    from .pipeline import changelog
    from .visibility import settle

    settle(None, changelog.head())  # the documents it reads hold nothing expired
    now = timezone.now()
    with collecting() as reads:
        response = serve(request, *args, **kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()  # reads made while rendering count too
    return page_response(request, response, reads, getattr(page, "expire_at", None), now)
