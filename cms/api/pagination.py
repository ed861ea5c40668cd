"""Limit/offset pagination with counts and absolute next/previous links.

DRF's LimitOffsetPagination is used for the OpenAPI description only; lists are paginated here
because they read stored bytes rather than serializing objects.
"""

import re

from django.utils.translation import gettext as _
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .errors import ParameterError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Far beyond any list we hold, far below what a database integer takes (2⁶³ overflows SQLite).
MAX_OFFSET = 1_000_000_000
_WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")


class DocumentPagination(LimitOffsetPagination):
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def get_schema_operation_parameters(self, view) -> list[dict]:
        """`limit` and `offset` with the bounds the API enforces, so clients see them."""
        return [
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": "Number of results to return per page.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_LIMIT,
                    "default": DEFAULT_LIMIT,
                },
            },
            {
                "name": "offset",
                "required": False,
                "in": "query",
                "description": "The initial index from which to return the results.",
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
            },
        ]

    def get_paginated_response_schema(self, schema: dict) -> dict:
        """The envelope, typed for OpenAPI 3.1 (`null` as a type, not `nullable`)."""
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "count_exact", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": (
                        "Number of matches, exact up to a limit (1,000 by default); "
                        "beyond it, a lower bound."
                    ),
                },
                "count_exact": {
                    "type": "boolean",
                    "description": "False when `count` is a lower bound (more matches exist).",
                },
                "next": link,
                "previous": link,
                "results": schema,
            },
        }


def _non_negative_int(request: Request, name: str, default: int, maximum: int) -> int:
    """A whole number in 0..maximum written in ASCII digits; absent means `default`.

    `int()` alone accepts `+5`, `1_000`, other scripts' digits and numbers no database
    column holds; an empty value is a client's mistake, not a request for the default.
    """
    raw = request.query_params.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    if raw.startswith("-") and _WHOLE_NUMBER.fullmatch(raw[1:]):
        raise ParameterError.single(name, _("Expected a number greater than or equal to 0."))
    if not _WHOLE_NUMBER.fullmatch(raw) or int(raw) > maximum:
        raise ParameterError.single(
            name, _("Expected a whole number between 0 and %(max)d.") % {"max": maximum}
        )
    return int(raw)


def parse_page(request: Request) -> tuple[int, int]:
    """(limit, offset) from the query, with a clear 400 for anything else."""
    limit = _non_negative_int(request, "limit", DEFAULT_LIMIT, MAX_OFFSET)
    if not 1 <= limit <= MAX_LIMIT:
        raise ParameterError.single(
            "limit", _("Expected a number between 1 and %(max)d.") % {"max": MAX_LIMIT}
        )
    return limit, _non_negative_int(request, "offset", 0, MAX_OFFSET)


def page_links(request: Request, count: int, limit: int, offset: int) -> tuple[str | None, ...]:
    url = request.build_absolute_uri()
    next_url = None
    if offset + limit < count:
        next_url = replace_query_param(url, "offset", offset + limit)
    previous_url = None
    if offset > 0:
        previous_offset = max(0, offset - limit)
        previous_url = (
            remove_query_param(url, "offset")
            if previous_offset == 0
            else replace_query_param(url, "offset", previous_offset)
        )
    return next_url, previous_url
