"""Cache purge by surrogate keys: CDNs and Varnish drop exactly what a change made stale.

Every public GET response names what it contains (`tag_response`, applied around every view of
`cms.urls` by `cms.mount.machine_endpoint`): a document's own key (`communique:17`) for a detail
or its JSON-LD, its collection's key (`list:communique`) for a list, the collections a feed,
calendar or schedule is built from, and `list:all` for the sitemaps and path lookups. When the
pipeline writes change-log entries, the worker purges, for each, the document's key, its
collection's key and `list:all` (`purge_keys_for`), through the backends of
`ASSISES["PURGE_BACKENDS"]` — small classes in the spirit of `wagtail.contrib.frontend_cache`:

    ASSISES["PURGE_BACKENDS"] = {
        "varnish": {"BACKEND": "cms.consumers.purge.VarnishXkeyBackend",
                    "LOCATION": "http://127.0.0.1:6081"},
        "cloudflare": {"BACKEND": "cms.consumers.purge.CloudflareCacheTagBackend",
                       "ZONE_ID": "…", "API_TOKEN": "…"},
    }

Lists are tagged with their collection only: adding, removing or reordering a document changes
the list anyway, and a document that embeds another (a speaker in a programme) is re-rendered,
hence logged, hence purged, when that other changes.
"""

import abc
import functools
import json
import logging
import re
import urllib.request
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.module_loading import import_string

from ..api.router import endpoints, router
from ..conf import assises_settings
from ..mount import API_PREFIX
from ..registry import path_kinds

logger = logging.getLogger(__name__)

ALL = "list:all"


SAFE_ID = re.compile(r"[A-Za-z0-9_.-]{1,100}")


def keys_for_path(path: str) -> list[str]:
    """The surrogate keys of a public URL's response (`path` relative to the mount point)."""
    api = "/" + API_PREFIX  # the API's path below the mount point
    if path.startswith(api):
        parts = path[len(api) :].strip("/").split("/")
        kind = endpoints.get(parts[0])
        if kind is None:
            return [ALL] if parts[0] == "find" else []
        if len(parts) == 1 or parts[1] in _list_routes(parts[0]):
            return [f"list:{kind}"]  # `editions/current/` is read from the collection
        object_id = parts[1].removesuffix(".jsonld")
        if not SAFE_ID.fullmatch(object_id):
            # no document has that id (ids are numbers, UUIDs, ASCII slugs), and a header
            # carries no space nor non-Latin-1 character: the collection's key, which every
            # create of the kind purges, stands for it
            return [f"list:{kind}"]
        return [f"{kind}:{object_id}"]
    kinds = kinds_for_path(path)
    if kinds is not None:
        return [f"list:{kind}" for kind in kinds]
    if path.startswith("/sitemap"):
        return [ALL]
    return []


def kinds_for_path(path: str) -> list[str] | None:
    """The kinds of document a feed, calendar or schedule at `path` shows, or None for
    everything (sitemaps and anything else): what a change must touch to make it stale.
    Plugins declare them for their URL prefixes (`cms.registry.register_path_kinds`)."""
    for prefix, kinds in path_kinds.items():
        if path.startswith(prefix):
            return kinds
    return None


@functools.cache
def _list_routes(prefix: str) -> frozenset[str]:
    """The extra list-level routes of an endpoint (`current` for editions): not document ids."""
    for registered, viewset, _basename in router.registry:
        if registered == prefix:
            extra = viewset.get_extra_actions() if hasattr(viewset, "get_extra_actions") else []
            return frozenset(action.url_path for action in extra if not action.detail)
    return frozenset()


def tag_error(response: HttpResponse, path: str) -> HttpResponse:
    """Cache-Control and surrogate keys of an error answered to a GET (404, 410, 400, 406…).

    Caches keep errors too — Varnish a 404 without Cache-Control for its default 120 s, which
    no purge reached: a communiqué published after its URL was asked for answered 404 through
    the cache while the origin answered 200. So an error is kept briefly
    (`ASSISES["NOT_FOUND_CACHE_CONTROL"]`) and names what it is about, like the answer it
    stands for: the document's key for a missing detail (the first publish of that document
    logs, hence purges, that very key: the id in the URL is the document's `object_id`), the
    collection's for a list, feed or calendar (every create of the kind purges it). An error
    about nothing the change log purges (the change feed, a refused or throttled client, a
    failing server) is `no-store`; an error a view already headed is left as it is, only
    tagged when shared caches may keep it.
    """
    keys = keys_for_path(path)
    if response.has_header("Cache-Control"):
        if keys and not _unshared(response["Cache-Control"]) and not response.has_header("xkey"):
            tag_response(response, keys)
        return response
    if response.status_code >= 500 or response.status_code == 429 or not keys:
        response["Cache-Control"] = "no-store"
        return response
    response["Cache-Control"] = assises_settings.NOT_FOUND_CACHE_CONTROL
    return tag_response(response, keys)


def _unshared(cache_control: str) -> bool:
    value = cache_control.lower()
    return any(word in value for word in ("private", "no-store", "no-cache"))


def tag_response(response: HttpResponse, keys: Iterable[str]) -> HttpResponse:
    keys = list(dict.fromkeys(keys))
    if keys:
        response["xkey"] = " ".join(keys)
        response["Surrogate-Key"] = " ".join(keys)
        response["Cache-Tag"] = ",".join(keys)
    return response


def purge_keys_for(entries: Iterable[tuple[str, str]]) -> list[str]:
    """The keys a set of changed documents (kind, object id) makes stale."""
    keys: dict[str, None] = {}
    for kind, object_id in entries:
        keys[f"{kind}:{object_id}"] = None
        keys[f"list:{kind}"] = None
    if keys:
        keys[ALL] = None
    return list(keys)


class PurgeBackend(abc.ABC):
    """One cache in front of us; `params` is its entry in ASSISES["PURGE_BACKENDS"]."""

    def __init__(self, params: dict) -> None:
        self.params = params

    @abc.abstractmethod
    def purge(self, keys: list[str]) -> None:
        """Drop every cached response tagged with any of `keys`."""


class VarnishXkeyBackend(PurgeBackend):
    """`PURGE` with an `xkey-purge` header, as deploy/varnish/default.vcl expects."""

    def purge(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 100):  # keep the header a reasonable size
            request = urllib.request.Request(
                self.params["LOCATION"].rstrip("/") + "/",
                method="PURGE",
                headers={"xkey-purge": " ".join(keys[start : start + 100])},
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()


class CloudflareCacheTagBackend(PurgeBackend):
    """Cloudflare's purge by cache tags (Enterprise plans), 30 tags per call."""

    API = "https://api.cloudflare.com/client/v4/zones/{zone}/purge_cache"

    def purge(self, keys: list[str]) -> None:
        url = self.params.get("API_URL") or self.API.format(zone=self.params["ZONE_ID"])
        for start in range(0, len(keys), 30):
            request = urllib.request.Request(
                url,
                data=json.dumps({"tags": keys[start : start + 30]}).encode(),
                method="POST",
                headers={
                    "Authorization": f"Bearer {self.params['API_TOKEN']}",
                    "Content-Type": "application/json",
                },
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()


def backends() -> list[PurgeBackend]:
    configured = assises_settings.PURGE_BACKENDS or {}
    return [import_string(p["BACKEND"])(p) for p in configured.values()]


def purge(keys: list[str]) -> None:
    """Purge `keys` everywhere; a failing backend is logged and does not stop the others."""
    for backend in backends():
        try:
            backend.purge(keys)
        except OSError:
            logger.exception("purge of %d key(s) failed on %s", len(keys), type(backend).__name__)
