"""A publish that takes its time, for the browser suite's autosave test.

Publishing an edition with its whole programme can take seconds. The browser test sets the
`assises-slow-publish` cookie to that many seconds, and this middleware holds every admin
submit carrying `action-publish` that long before the view runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

COOKIE = "assises-slow-publish"


class SlowPublishMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        delay = request.COOKIES.get(COOKIE)
        if delay and request.method == "POST" and "action-publish" in request.POST:
            time.sleep(min(float(delay), 10.0))
        return self.get_response(request)
