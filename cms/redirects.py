"""Wagtail's redirects, for pages only.

Editors create redirects for moved pages. A 404 under a machine path (the API, feeds,
calendars, schedules, sitemaps) is an answer, not a moved page; Wagtail's middleware would
still look up the site and the redirects table for each one (two queries), which made the
cheapest answer of the API, `editions/current/` between congresses, cost more than a list.
"""

from django.http import HttpRequest, HttpResponse
from wagtail.contrib.redirects.middleware import RedirectMiddleware as WagtailRedirectMiddleware

from .inputs import GUARDED_PATHS


class RedirectMiddleware(WagtailRedirectMiddleware):
    """Wagtail's `RedirectMiddleware`, skipped for machine paths."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if GUARDED_PATHS.match(request.path_info):
            return response
        return super().process_response(request, response)
