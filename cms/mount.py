"""Where `cms.urls` is mounted in the host's URLconf, and what its views get on the way.

Paths are read relative to the mount point, so that a host may serve Assises under any prefix;
the prefix is derived from the URLconf (`reverse`), never written down.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, get_script_prefix, reverse

from .conf import assises_settings

API_PREFIX = "api/v1/"


@functools.cache
def _mount(urlconf_marker: str) -> str:
    api = reverse("api-root")  # "/<script prefix><mount>api/v1/"
    path = "/" + api[len(get_script_prefix()) :]
    return path[: -len(API_PREFIX)]


def mount_point() -> str:
    """The path (after the script prefix) where `cms.urls` is mounted: "/" or "/assises/"."""
    from django.conf import settings
    from django.urls import get_urlconf

    return _mount(str(get_urlconf() or settings.ROOT_URLCONF))


def api_path(*parts: str) -> str:
    """The path of an API URL wherever the host mounted us: api_path("editions", "7") →
    "/api/v1/editions/7/" (or "/assises/api/v1/editions/7/")."""
    return mount_point() + API_PREFIX + "".join(f"{part}/" for part in parts)


def relative_path(request: HttpRequest) -> str:
    """The request's path as seen from the mount point: "/api/v1/editions/" whatever the prefix."""
    path = request.path_info
    mount = mount_point()
    if mount != "/" and path.startswith(mount):
        return path[len(mount) - 1 :]
    return path


def machine_endpoint(view: Callable) -> Callable:
    """What the host's middleware would do for a machine endpoint, around this view only."""
    from .api.throttling import throttled
    from .consumers.purge import keys_for_path, tag_error, tag_response
    from .inputs import error_response, query_errors

    def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.META.get("QUERY_STRING"):
            errors = query_errors(request)
            if errors:
                return error_response(errors)
        refusal = throttled(request)
        if refusal is not None:
            return refusal
        return view(request, *args, **kwargs)

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if getattr(request, "_assises_endpoint", False):  # a view handing on to another
            return view(request, *args, **kwargs)
        request._assises_endpoint = True
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            return _preflight(request)
        response = answer(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            if response.status_code in (200, 304):
                tag_response(response, keys_for_path(relative_path(request)))
            elif response.status_code >= 400:  # errors are cached too: purged like the rest
                tag_error(response, relative_path(request))
        return _cors(response)

    return wrapped


def _preflight(request: HttpRequest) -> HttpResponse:
    """A CORS preflight: reads only (conditional requests send If-None-Match, not safelisted)."""
    response = HttpResponse(status=200)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    requested = request.META.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
    if requested:
        response["Access-Control-Allow-Headers"] = requested
    response["Access-Control-Max-Age"] = "86400"
    return _cors(response)


def _cors(response: HttpResponse) -> HttpResponse:
    origin = assises_settings.CORS_ALLOW_ORIGIN
    if origin and not response.has_header("Access-Control-Allow-Origin"):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Link"
        if origin != "*":
            response["Vary"] = ", ".join(filter(None, [response.get("Vary"), "Origin"]))
    return response


def wrap_patterns(patterns: list) -> list:
    """Decorate every view of `patterns`, included URLconfs too, with `machine_endpoint`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            wrap_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and not getattr(pattern.callback, "_assises", False):
            pattern.callback = machine_endpoint(pattern.callback)
            pattern.callback._assises = True
    return patterns
