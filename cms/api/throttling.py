"""Optional rate limiting of the machine endpoints per client, on the shared cache.

Off by default: behind a CDN or Varnish the origin sees the cache's addresses and little
traffic, and limits belong at the edge. When ``ASSISES_API_THROTTLE_RATE`` is set ("600/min",
DRF's syntax), every request to the API, feeds, calendars and schedules counts against its
client's address (`cms.auth.client_ip`: behind ``ASSISES_PROXY_COUNT`` proxies) in the
default cache — Redis in production, shared by every worker. Over the rate, the answer is a 429
in the API's error format with ``Retry-After``. It runs as a middleware so that cached lists,
answered before DRF's machinery, are counted too.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle

from ..auth import client_ip
from ..inputs import GUARDED_PATHS, error_response


class ClientRateThrottle(SimpleRateThrottle):
    """DRF's rate throttle keyed by client address, its rate from the settings."""

    scope = "client"

    def get_rate(self) -> str | None:
        return getattr(settings, "ASSISES_API_THROTTLE_RATE", "") or None

    def get_ident(self, request) -> str:
        return client_ip(request)  # DRF's would trust a client's X-Forwarded-For

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ThrottleMiddleware:
    """429 for a client over ``ASSISES_API_THROTTLE_RATE`` on machine paths; no-op when unset."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "ASSISES_API_THROTTLE_RATE", "") and GUARDED_PATHS.match(
            request.path_info
        ):
            throttle = ClientRateThrottle()
            if not throttle.allow_request(request, None):
                wait = math.ceil(throttle.wait() or 1)
                message = _("Too many requests; try again in %(seconds)d seconds.") % {
                    "seconds": wait
                }
                response = error_response([{"parameter": None, "message": message}], status=429)
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)
