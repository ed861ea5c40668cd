"""Every API error is JSON naming what was wrong: `{"errors": [{"parameter", "message"}]}`."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ParameterError(exceptions.APIException):
    """A 400 for one or several bad query parameters."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_parameter"

    def __init__(self, errors: list[dict[str, Any]]):
        self.errors = errors
        super().__init__(detail=errors)

    @classmethod
    def single(cls, parameter: str, message: str) -> "ParameterError":
        return cls([{"parameter": parameter, "message": str(message)}])

    @classmethod
    def from_form_errors(cls, form_errors: dict[str, list]) -> "ParameterError":
        return cls(
            [
                {"parameter": name, "message": str(message)}
                for name, messages in form_errors.items()
                for message in messages
            ]
        )


def error_body(message: str, parameter: str | None = None) -> dict[str, Any]:
    return {"errors": [{"parameter": parameter, "message": str(message)}]}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, reshaped so that every error body has the same form."""
    if isinstance(exc, ParameterError):
        return Response({"errors": exc.errors}, status=exc.status_code)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = getattr(exc, "detail", None)
    if isinstance(exc, exceptions.NotFound):
        message = _("Not found.")
    elif isinstance(detail, str):
        message = detail
    else:
        message = str(detail or exc)
    response.data = error_body(message)
    return response
