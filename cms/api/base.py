"""What every Assises API view uses, set on the views rather than in the host's REST_FRAMEWORK.

A host's own DRF settings (authentication, renderers, an exception handler) stay its own: the
public API answers JSON in its own error format, reads without authentication and describes
itself with drf-spectacular whatever the host configured globally.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema as spectacular_extend_schema
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


def extend_schema(schema_class: type = AutoSchema, **kwargs: Any) -> Any:
    """drf-spectacular's `extend_schema` for our views' methods, whatever the host's settings.

    On a method, drf-spectacular builds on DRF's DEFAULT_SCHEMA_CLASS, which a host need not
    have pointed at drf-spectacular; giving the method our schema class first keeps the
    annotation on drf-spectacular's AutoSchema (or on `schema_class`, the view's own schema
    class where it has one).
    """

    def decorator(method: Any) -> Any:
        kwargs_of_method = dict(getattr(method, "kwargs", {}))  # never mutate a shared dict
        existing = kwargs_of_method.get("schema")
        if existing is None:
            kwargs_of_method["schema"] = schema_class
        elif isinstance(existing, type) and not issubclass(existing, schema_class):
            # an inherited annotation on another base: keep both, in one hierarchy
            kwargs_of_method["schema"] = type("Schema", (existing, schema_class), {})
        method.kwargs = kwargs_of_method
        return spectacular_extend_schema(**kwargs)(method)

    return decorator
