"""OpenAPI generation hooks: document our public API, not Wagtail's internal admin API, and
document the errors every operation may answer, so that clients (and contract fuzzers) know
that a 400, 404 or 406 is part of the contract and what its body looks like."""

from typing import Any

ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error of the API: what was wrong, and with which parameter.",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["parameter", "message"],
                "properties": {
                    "parameter": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
            },
        }
    },
}
ERROR_RESPONSES = {
    "400": "A query parameter is unknown, empty, too long, malformed or out of range.",
    "404": "No public document here (unknown, expired or unpublished).",
    "406": "The Accept header or `format` asks for something other than JSON.",
}


def only_public_api(endpoints: list, **kwargs: Any) -> list:
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def add_error_responses(result: dict, **kwargs: Any) -> dict:
    """Declare the JSON error responses on every operation, with one shared schema."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                # An operation may word its own description (`editions/current/`'s 404).
                response = responses.setdefault(status, {"description": description})
                response.setdefault("content", {"application/json": {"schema": reference}})
    return result
