"""Bounds on what a client may put in a query string or a path, checked before any database work.

The public machine endpoints (the API, feeds, calendars, schedules, sitemaps) take free text
from anyone. Databases disagree on what they accept: PostgreSQL refuses NUL bytes in text,
SQLite refuses integers of 2⁶³ and more, and both fail on dates Python can represent but
they cannot. Rather than let each reach the database and answer 500, every parameter is
checked here once: a bounded length, no control characters, a bounded count. Each refusal is
a 400 naming the parameter, in the API's error format.
"""

import re
import unicodedata
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.urls import register_converter
from django.utils.translation import gettext as _

from .conf import assises_settings

# The bounds (ASSISES["MAX_PARAMETER_LENGTH"], 500, and ["MAX_PARAMETERS"], 30): long enough for
# any real search or comma-separated list of slugs; short enough that a client cannot make us
# hash, cache-key or send megabytes to the database.
# The paths whose query strings are checked: what machines read, never the admin or pages.
GUARDED_PATHS = re.compile(r"^/(api|feeds|calendars|schedules)/|^/sitemap[^/]*\.xml$")
# Ids in URLs: at most 18 digits, so that every id fits a signed 64-bit integer column.
MAX_ID_DIGITS = 18
# Control characters (C0, DEL, C1) and the line and paragraph separators: never text a
# client means to search or filter by, and NUL is refused outright by PostgreSQL.
_FORBIDDEN_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}


def error_response(errors: list[dict[str, Any]], status: int = 400) -> HttpResponse:
    """The API's error body `{"errors": [{"parameter", "message"}]}` as a plain response."""
    return HttpResponse(
        orjson.dumps({"errors": errors}), status=status, content_type="application/json"
    )


def has_control_characters(value: str) -> bool:
    """Whether `value` holds a character no client means to send (NUL, escape, DEL…)."""
    return any(unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in value)


def query_errors(request: HttpRequest) -> list[dict[str, str]]:
    """What is wrong with the query string as a whole, parameter by parameter."""
    max_length = assises_settings.MAX_PARAMETER_LENGTH
    max_count = assises_settings.MAX_PARAMETERS
    errors: list[dict[str, str]] = []
    items = [(name, value) for name, values in request.GET.lists() for value in values]
    if len(items) > max_count:
        return [
            {
                "parameter": None,
                "message": _("Too many query parameters (at most %(max)d).") % {"max": max_count},
            }
        ]
    for name, value in items:
        if len(name) > max_length or has_control_characters(name):
            errors.append({"parameter": name[:100], "message": _("Invalid parameter name.")})
        elif len(value) > max_length:
            errors.append(
                {
                    "parameter": name,
                    "message": _("Value too long (at most %(max)d characters).")
                    % {"max": max_length},
                }
            )
        elif has_control_characters(value):
            errors.append({"parameter": name, "message": _("Control characters are not allowed.")})
    return errors


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The JSON 404 of machine endpoints (also the view behind unknown machine paths).

    Kept briefly by caches and purged like what it is about (`purge.tag_error`); a path
    that names nothing we log (an unknown route) gets `list:all`, which every change purges.
    """
    from .consumers.purge import ALL, keys_for_path, tag_error, tag_response
    from .mount import relative_path

    response = error_response([{"parameter": None, "message": _("Not found.")}], status=404)
    path = relative_path(request)
    if not keys_for_path(path):
        response["Cache-Control"] = assises_settings.NOT_FOUND_CACHE_CONTROL
        tag_response(response, [ALL])
    return tag_error(response, path)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 404: JSON on machine endpoints (a malformed id under /api/ included),
    rendered for free; the usual page everywhere else."""
    if GUARDED_PATHS.match(request.path_info):
        return not_found(request)
    from django.views.defaults import page_not_found as html_page_not_found

    from .pagecache import not_found_response

    return not_found_response(request, html_page_not_found(request, exception))


class BoundedIntConverter:
    """`<id:edition_id>`: a positive id that fits a 64-bit column; longer ones do not match.

    Django's `int` converter accepts any number of digits, and SQLite refuses to bind an
    integer of 2⁶³ or more: such a URL names nothing and must be a 404, not a 500.
    """

    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


# `<id:name>` in URL patterns of the plugins (feeds, calendars, schedules): imported from their
# urls modules, which only load after this module.
register_converter(BoundedIntConverter, "id")
