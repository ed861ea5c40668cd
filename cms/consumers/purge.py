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
import json
import logging
import urllib.request
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.module_loading import import_string

from ..api.router import endpoints
from ..conf import assises_settings
from ..mount import API_PREFIX
from ..registry import path_kinds

logger = logging.getLogger(__name__)

ALL = "list:all"


def keys_for_path(path: str) -> list[str]:
    """The surrogate keys of a public URL's response (`path` relative to the mount point)."""
    api = "/" + API_PREFIX  # the API's path below the mount point
    if path.startswith(api):
        parts = path[len(api) :].strip("/").split("/")
        kind = endpoints.get(parts[0])
        if kind is None:
            return [ALL] if parts[0] == "find" else []
        if len(parts) == 1:
            return [f"list:{kind}"]
        return [f"{kind}:{parts[1].removesuffix('.jsonld')}"]
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
