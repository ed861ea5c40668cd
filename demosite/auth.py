"""Logging in to the admin: django-axes' lockout, and who the client is behind a proxy.

Every login form (Wagtail's, Django admin's) passes the request to `authenticate`; a call
without one comes from our own code (a management command, the test client's `login`), where
there is no remote client to lock out. Axes' backend refuses such calls outright; ours lets them
through to the next backend.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check, for logins that come with a request."""

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
