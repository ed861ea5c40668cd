"""URL patterns for the hot GETs, resolved ahead of the router's.

Profiled under gunicorn, a served detail spent more time being routed — matching the router's
patterns one by one, then DRF's `as_view` and `csrf_exempt` wrappers building a view set — than
reading its document. These two patterns match any endpoint's list and detail at once and let
the view set answer from memory (`DocumentViewSet.hot_response`). Anything else — another
method, parameters, a miss, an extra route such as `editions/current/`, an unknown endpoint or a
malformed id — is resolved by the router's own patterns and answered exactly as before.
"""

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver
from django.urls.resolvers import RegexPattern

from .router import router


class _Route:
    """One endpoint: its view set, the router's views, the ids its detail route takes."""

    def __init__(self, viewset: Any, list_view: Callable, detail_view: Callable) -> None:
        self.viewset = viewset
        self.list_view = list_view
        self.detail_view = detail_view
        self.lookup = re.compile(viewset.lookup_value_regex)
        # list-level extra routes (`current`) come before the detail route in the router
        self.reserved = {
            action.url_path for action in viewset.get_extra_actions() if not action.detail
        }
        self.hot = hasattr(viewset, "hot_response")


_routes: dict[str, _Route] = {}
_resolver: list[URLResolver] = []


def _route(endpoint: str) -> _Route | None:
    if not _routes:  # built whole, then published: a concurrent thread never sees half of it
        views = {pattern.name: pattern.callback for pattern in router.urls}
        routes = {
            prefix: _Route(viewset, views[f"{basename}-list"], views[f"{basename}-detail"])
            for prefix, viewset, basename in router.registry
        }
        _resolver.append(URLResolver(RegexPattern(r"^"), router.urls))
        _routes.update(routes)
    return _routes.get(endpoint)


def _by_router(request: HttpRequest, path: str) -> HttpResponse:
    """What the router's patterns answer for `path` (a Resolver404 is the API's 404)."""
    match = _resolver[0].resolve(path)
    return match.func(request, *match.args, **match.kwargs)


def list_view(request: HttpRequest, endpoint: str) -> HttpResponse:
    route = _route(endpoint)
    if route is None or not route.hot:
        return _by_router(request, f"{endpoint}/")
    response = route.viewset().hot_response(request, "list", {})
    if response is not None:
        return response
    request._assises_hot_tried = True  # type: ignore[attr-defined]
    return route.list_view(request)


def detail_view(request: HttpRequest, endpoint: str, object_id: str) -> HttpResponse:
    route = _route(endpoint)
    if (
        route is None
        or not route.hot
        or object_id in route.reserved
        or not route.lookup.fullmatch(object_id)
    ):
        return _by_router(request, f"{endpoint}/{object_id}/")
    kwargs = {route.viewset.lookup_url_kwarg: object_id}
    response = route.viewset().hot_response(request, "retrieve", kwargs)
    if response is not None:
        return response
    request._assises_hot_tried = True  # type: ignore[attr-defined]
    return route.detail_view(request, **kwargs)


# As DRF marks its views: it checks CSRF itself, for the authenticated methods only.
list_view.csrf_exempt = True  # type: ignore[attr-defined]
detail_view.csrf_exempt = True  # type: ignore[attr-defined]
