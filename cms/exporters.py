"""Exporters: one published object in, the bytes of a standard format out.

Modelled on pretalx's `common/exporter.py`: a tiny base class and a plain dict filled by a
decorator, so that a plugin adds a format (iCalendar, frab schedule…) with one small class.
`cms` knows no plugin; plugins import their exporters from `AppConfig.ready()`.

The module also holds what every export and feed view shares, so that they agree on it:
absolute public URLs, which pages may be shown at all, the `?locale=` parameter, and the
content-versioned cache in front of conditional GET.
"""

import abc
import datetime
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.coreutils import get_content_languages

from .api.localcache import local_cache
from .conf import assises_settings
from .consumers.purge import kinds_for_path
from .http import conditional_response, safe_methods_only, strong_etag
from .models import StoredDocument
from .mount import relative_path
from .pipeline import changelog
from .public import page_url  # noqa: F401  (the plugins' exports import it from here)
from .visibility import settle

# ASSISES["EXPORT_CACHE_SECONDS"] is an upper bound: the content version already makes entries
# stale on every publish.
# Hot renderings kept per process (feeds, calendars, schedules, sitemaps): a few hundred.
MAX_LOCAL_EXPORTS = 256
_local = local_cache(MAX_LOCAL_EXPORTS)


class BaseExporter(abc.ABC):
    """Turns one object into bytes. Subclasses set the attributes and write `get_data`."""

    identifier: str = ""
    extension: str = ""
    content_type: str = "application/octet-stream"

    @abc.abstractmethod
    def get_data(self, obj: Any, request: HttpRequest | None = None) -> bytes:
        """The exported bytes of `obj`."""

    def is_immutable(self, obj: Any) -> bool:
        """Whether `obj` is archived content, served long-lived but revalidated.

        The name is historical: archived content rarely changes but still can (a speaker
        renamed, a page unpublished), so it is never sent as `immutable`
        (see `cms.http.ARCHIVED_CACHE_CONTROL`).
        """
        return False


exporters: dict[str, type[BaseExporter]] = {}


def register_exporter(exporter: type[BaseExporter]) -> type[BaseExporter]:
    """Class decorator: make `exporter` available under its identifier."""
    registered = exporters.get(exporter.identifier)
    if registered is not None and registered.__qualname__ != exporter.__qualname__:
        raise ValueError(f"Two exporters are called {exporter.identifier!r}.")
    exporters[exporter.identifier] = exporter
    return exporter


# -- query parameters -------------------------------------------------------------------------


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def locale_parameter(request: HttpRequest) -> str | None:
    """`?locale=fr|en`: one of the content languages, or None when absent."""
    if "locale" not in request.GET:
        return None
    value = request.GET["locale"]
    codes = list(get_content_languages())
    if value not in codes:
        raise BadParameter(
            "locale",
            _("Unknown locale %(value)r; use one of: %(codes)s.")
            % {"value": value, "codes": ", ".join(codes)},
        )
    return value


def reports_bad_parameters(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer a malformed query parameter with a 400 and a JSON body machines can read."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadParameter as error:
            return JsonResponse(
                {"errors": [{"parameter": error.parameter, "message": error.message}]}, status=400
            )

    return wrapper


# -- cached, conditional responses ------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """Rendered bytes as they are cached: with their media type and modification time."""

    body: bytes
    content_type: str
    last_modified: datetime.datetime | None = None
    # archived: a long max-age with revalidation, never `immutable` (cms.http)
    immutable: bool = False
    etag: str | None = None  # computed once when cached, not per request


def cache_timeout() -> int:
    """Seconds a rendering may be kept: never past the moment the next stored document expires.

    Expiry is the one change that happens without a write (until the scheduler removes the
    document), so it bounds the cache; every other change moves the change log's head.
    """
    timeout = assises_settings.EXPORT_CACHE_SECONDS
    now = timezone.now()
    next_expiry = StoredDocument.objects.filter(expires_at__gt=now).aggregate(
        next=Min("expires_at")
    )["next"]
    if next_expiry is not None:
        timeout = min(timeout, max(1, int((next_expiry - now).total_seconds())))
    return timeout


def serve_cached(request: HttpRequest, key: str, build: Callable[[], Export]) -> HttpResponse:
    """Serve `build()`'s rendering through the cache and conditional GET.

    The key includes the change log's head for the kinds the rendering is built from (those of
    its surrogate keys, `cms.consumers.purge.kinds_for_path`; the whole log for sitemaps), read
    from the database in one query, so every process serves the new rendering the moment a
    change commits. The rendering is kept in two levels, as lists are: this process's memory,
    then the shared cache. Last-Modified is the head's time unless the rendering names its own:
    the same in every process, moving only when something it shows changed. `build` may raise
    Http404, which is never cached.
    """
    kinds = kinds_for_path(relative_path(request))
    head = changelog.head() if kinds is None else changelog.kinds_head(kinds)
    head = settle(kinds, head)  # nothing expired lingers under this version
    digest = hashlib.sha256(f"{head.version}|{key}".encode()).hexdigest()
    cache_key = f"assises:export:{digest}"
    export = _local.get(cache_key)
    if export is None:
        export = cache.get(cache_key)
        timeout = None
        if export is None:
            export = build()
            if export.last_modified is None:
                at = (head.at or timezone.now()).replace(microsecond=0)
                export = Export(export.body, export.content_type, at, export.immutable)
            timeout = cache_timeout()
            cache.set(cache_key, export, timeout)
        if export.etag is None:
            export = Export(
                export.body,
                export.content_type,
                export.last_modified,
                export.immutable,
                strong_etag(export.body),
            )
        # no longer than the shared level: never past the next expiry of a stored document
        _local.set(cache_key, export, timeout or min(cache_timeout(), 60))
    return conditional_response(
        request,
        export.body,
        export.content_type,
        etag=export.etag,
        last_modified=export.last_modified,
        immutable=export.immutable,
    )


def export_view(identifier: str, load: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """A view serving exporter `identifier` for `load(**url_kwargs)` (which raises Http404)."""

    @safe_methods_only
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        exporter = exporters[identifier]()
        key = identifier + "|" + "|".join(f"{k}={v}" for k, v in sorted(kwargs.items()))

        def build() -> Export:
            obj = load(**kwargs)
            return Export(
                exporter.get_data(obj, request),
                exporter.content_type,
                immutable=exporter.is_immutable(obj),
            )

        return serve_cached(request, key, build)

    view.__name__ = f"export_{identifier.replace('.', '_').replace('-', '_')}"
    return view
