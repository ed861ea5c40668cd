"""What every Assises API view uses, set on the views rather than in the host's REST_FRAMEWORK.

A host's own DRF settings (authentication, renderers, an exception handler) stay its own: the
public API answers JSON in its own error format, reads without authentication and describes
itself with drf-spectacular whatever the host configured globally.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

from .errors import exception_handler
from .renderers import JSONNegotiation, ORJSONRenderer


class APIDefaults:
    """Mixed into every public API view (before DRF's view class)."""

    renderer_classes = [ORJSONRenderer]
    content_negotiation_class = JSONNegotiation
    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = AutoSchema()

    def get_exception_handler(self) -> Any:
        return exception_handler
