"""JSON through orjson, with stored documents embedded as pre-encoded fragments (no re-parse)."""

from typing import Any

import orjson
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

from .errors import ParameterError


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data: Any, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


class FormatNotAvailable(ParameterError):
    """`?format=xml`: a 406 naming the parameter, not DRF's bare 404."""

    status_code = 406
    default_code = "not_acceptable"


class JSONNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with a message that says which formats exist."""

    def filter_renderers(self, renderers: list, format: str) -> list:
        found = [renderer for renderer in renderers if renderer.format == format]
        if not found:
            available = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise FormatNotAvailable.single(
                "format",
                _("Unknown format %(format)r; available: %(available)s.")
                % {"format": format, "available": available},
            )
        return found


def accepts_json(request: HttpRequest) -> bool:
    """Whether the client takes JSON: what DRF's negotiation would answer, in a few
    microseconds, for the cached fast path that answers before DRF runs."""
    if request.GET.get("format", "json") != "json":
        return False
    accept = request.headers.get("Accept")
    return not accept or request.accepts("application/json")
