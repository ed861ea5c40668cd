"""Optional rate limiting of the machine endpoints per client, on the shared cache.

Off by default: behind a CDN or Varnish the origin sees the cache's addresses and little
traffic, and limits belong at the edge. When ``ASSISES["API_THROTTLE_RATE"]`` is set ("600/min",
DRF's syntax), every request to the API, feeds, calendars and schedules counts against its
client's address (`cms.http.client_ip`: behind ``ASSISES["PROXY_COUNT"]`` proxies) in the
default cache — Redis in production, shared by every worker. Over the rate, the answer is a 429
in the API's error format with ``Retry-After``. It runs around every view of
`cms.urls` (`cms.mount`) so that cached lists, answered before DRF's machinery, are counted too.
"""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle

from ..conf import assises_settings
from ..http import client_ip
from ..inputs import error_response


class ClientRateThrottle(SimpleRateThrottle):
    """DRF's rate throttle keyed by client address, its rate from the settings."""

    scope = "client"

    def get_rate(self) -> str | None:
        return assises_settings.API_THROTTLE_RATE or None

    def get_ident(self, request) -> str:
        return client_ip(request)  # DRF's would trust a client's X-Forwarded-For

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttled(request: HttpRequest) -> HttpResponse | None:
    """A 429 for a client over ``ASSISES["API_THROTTLE_RATE"]``; None when under it or unset."""
    if not assises_settings.API_THROTTLE_RATE:
        return None
    throttle = ClientRateThrottle()
    if throttle.allow_request(request, None):
        return None
    wait = math.ceil(throttle.wait() or 1)
    message = _("Too many requests; try again in %(seconds)d seconds.") % {"seconds": wait}
    response = error_response([{"parameter": None, "message": message}], status=429)
    response["Retry-After"] = str(wait)
    return response
