"""Logging in to the admin: django-axes' lockout, and who the client is behind a proxy.

Every login form (Wagtail's, Django admin's) passes the request to `authenticate`; a call
without one comes from our own code (a management command, the test client's `login`), where
there is no remote client to lock out. Axes' backend refuses such calls outright; ours lets them
through to the next backend.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check, for logins that come with a request."""

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def client_ip(request: HttpRequest) -> str:
    """The client's address: `REMOTE_ADDR`, or behind `ASSISES_PROXY_COUNT` proxies the address
    that many entries from the right of `X-Forwarded-For` (the one our first proxy saw).

    Entries further left are written by the client and cannot be trusted; with no proxy
    configured the header is ignored, since any client could forge it.
    """
    count = getattr(settings, "ASSISES_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
