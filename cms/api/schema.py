"""OpenAPI generation hooks: document our public API, not Wagtail's internal admin API, and
document the errors every operation may answer, so that clients (and contract fuzzers) know
that a 400, 404 or 406 is part of the contract and what its body looks like."""

from typing import Any

from drf_spectacular.settings import patched_settings
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from ..registry import schema_enums, schema_links

# drf-spectacular's settings for our schema views only (`custom_settings`): a host's own
# SPECTACULAR_SETTINGS, if it has any, describe its own API.
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Assises API",
    "DESCRIPTION": (
        "Congresses, programmes, speakers and communiqués, rendered once on publish and "
        'served as stored documents. Errors are JSON: {"errors": [{"parameter", "message"}]}.'
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Self-hosted and offline: no validator badge from validator.swagger.io, system fonts in
    # Redoc (its page template drops Google Fonts: cms/templates/assises/api/redoc.html).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, sans-serif",
                "headings": {"fontFamily": "system-ui, sans-serif"},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/(?:[^/]+/)*?api/v1",  # wherever the host mounts cms.urls
    "PREPROCESSING_HOOKS": ["cms.api.schema.only_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cms.api.schema.add_error_responses",
        "cms.api.schema.add_links",
    ],
    # plugins name their enums (`cms.registry.register_schema_enum`)
    "ENUM_NAME_OVERRIDES": schema_enums,
}


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

URI_TOO_LONG = (
    "The request line is longer than the web server accepts (gunicorn: 4,094 bytes), "
    "answered by the server itself, before the API."
)


def only_public_api(endpoints: list, **kwargs: Any) -> list:
    from ..mount import API_PREFIX, mount_point

    prefix = mount_point() + API_PREFIX
    return [
        (path, regex, method, view)
        for path, regex, method, view in endpoints
        if path.startswith(prefix) and not issubclass(getattr(view, "cls", object), SCHEMA_VIEWS)
    ]


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
            # answered by the web server before the application, in its own format
            responses.setdefault("414", {"description": URI_TOO_LONG})
    return result


def add_links(result: dict, **kwargs: Any) -> dict:
    """OpenAPI links from each list to its detail, and from an edition to its sessions.

    A client (and schemathesis' stateful phase) learns from them that the `id` of an item in
    `results` opens that item: `GET /api/v1/editions/` → `GET /api/v1/editions/{id}/`. Derived
    from the paths, so that a plugin's endpoint gets its links without naming itself here.
    """
    paths = result.get("paths", {})
    ids = {
        path: op.get("operationId") for path, ops in paths.items() for op in [ops.get("get", {})]
    }
    for path, operations in paths.items():
        operation = operations.get("get")
        detail = ids.get(f"{path}{{id}}/")
        if not operation or not detail or not operation.get("operationId", "").endswith("_list"):
            continue
        links = operation["responses"]["200"].setdefault("links", {})
        links["first-item"] = {
            "operationId": detail,
            "parameters": {"id": "$response.body#/results/0/id"},
            "description": "The first item of the page, whole.",
        }
    prefix = next((path for path in paths if path.endswith("/api/v1/")), "/api/v1/")
    for add_plugin_links in schema_links:  # links between a plugin's own endpoints
        add_plugin_links(paths, ids, prefix)
    return result


class SwaggerView(SpectacularSwaggerView):
    """Swagger UI with our settings (self-hosted assets, no validator badge)."""

    def get(self, request, *args, **kwargs):
        with patched_settings(SPECTACULAR_SETTINGS):
            return super().get(request, *args, **kwargs)


class RedocView(SpectacularRedocView):
    """Redoc with our settings (self-hosted, system fonts)."""

    def get(self, request, *args, **kwargs):
        with patched_settings(SPECTACULAR_SETTINGS):
            return super().get(request, *args, **kwargs)


# The schema and its documentation pages are not part of the API they describe.
SCHEMA_VIEWS = (SpectacularAPIView, SwaggerView, RedocView)
