"""Conditional GET for bytes we already hold: strong ETags, Last-Modified, 304s, Cache-Control.

Everything public that Assises serves is either a stored document or a cached rendering, so we
always know the exact bytes (and thus a strong validator) before answering.
"""

import functools
import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .conf import DEFAULTS, assises_settings

DEFAULT_CACHE_CONTROL = DEFAULTS["CACHE_CONTROL"].default
# Archived content rarely changes but can (a person renamed, a page unpublished): long-lived,
# never `immutable`, so a cache revalidates it with its ETag once the day is over.
ARCHIVED_CACHE_CONTROL = DEFAULTS["ARCHIVED_CACHE_CONTROL"].default


def strong_etag(body: bytes) -> str:
    """A strong ETag for exact bytes (quoted, as HTTP wants it)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def cache_control(archived: bool = False) -> str:
    """The Cache-Control header for public content; archived content is kept longer."""
    if archived:
        return assises_settings.ARCHIVED_CACHE_CONTROL
    return assises_settings.CACHE_CONTROL


def not_modified(request: HttpRequest, etag: str, last_modified: datetime | None) -> bool:
    """True when the client's copy is current (If-None-Match wins over If-Modified-Since)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        # Weak comparison (RFC 9110): GZipMiddleware weakens the ETags it compresses.
        tags = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        return "*" in tags or etag.removeprefix("W/") in tags
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since and last_modified is not None:
        since = parse_http_date_safe(if_modified_since)
        return since is not None and int(last_modified.timestamp()) <= since
    return False


def set_validators(
    response: HttpResponse, etag: str, last_modified: datetime | None, immutable: bool = False
) -> HttpResponse:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = cache_control(immutable)
    return response


def conditional_response(
    request: HttpRequest,
    body: bytes,
    content_type: str,
    *,
    etag: str | None = None,
    last_modified: datetime | None = None,
    immutable: bool = False,
) -> HttpResponse:
    """Answer `body` with validators, or a bodiless 304 when the client already has it."""
    etag = etag or strong_etag(body)
    if not_modified(request, etag, last_modified):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type)
    return set_validators(response, etag, last_modified, immutable)


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def safe_methods_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Feeds, calendars, schedules, JSON-LD and sitemaps are read-only: 405 for the rest.

    Without it a DELETE or PUT met the CSRF check first (a 403 page about cookies) and TRACE
    reached the view (a 200). `OPTIONS` says what is allowed without rendering anything.
    The view is CSRF-exempt because it never changes anything: every unsafe method stops here.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if request.method == "OPTIONS":
            response = HttpResponse(status=200)
        else:
            response = HttpResponse(
                orjson.dumps(
                    {"errors": [{"parameter": None, "message": _("Method not allowed.")}]}
                ),
                status=405,
                content_type="application/json",
            )
        response["Allow"] = ", ".join(SAFE_METHODS)
        return response

    return csrf_exempt(wrapper)


def client_ip(request: HttpRequest) -> str:
    """The client's address: `REMOTE_ADDR`, or behind `ASSISES["PROXY_COUNT"]` proxies the address
    that many entries from the right of `X-Forwarded-For` (the one our first proxy saw).

    Entries further left are written by the client and cannot be trusted; with no proxy
    configured the header is ignored, since any client could forge it.
    """
    count = assises_settings.PROXY_COUNT
    if count > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
