"""/api/v1/: the router's endpoints, the root, lookups, JSON-LD, schema and docs."""

import re

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from ..consumers.changes import ChangesView
from ..consumers.preview import preview_response
from . import hot
from .root import FindView, RootView, jsonld_view
from .router import router
from .schema import SPECTACULAR_SETTINGS, RedocView, SwaggerView

# Plugins have registered their endpoints (AppConfig.ready) before any URLconf is imported.
_endpoints = "|".join(re.escape(prefix) for prefix, _viewset, _basename in router.registry)
_endpoints = _endpoints or "(?!)"  # no plugin: the hot patterns match nothing

urlpatterns = [
    # The hot list and detail of every registered endpoint first (`cms.api.hot`), then the
    # rest; the router's patterns stay for its other routes, `reverse()` and the schema.
    re_path(rf"^(?P<endpoint>{_endpoints})/$", hot.list_view, name="api-hot-list"),
    re_path(
        rf"^(?P<endpoint>{_endpoints})/(?P<object_id>[^/]+)/$",
        hot.detail_view,
        name="api-hot-detail",
    ),
    path("", RootView.as_view(), name="api-root"),
    path("find/", FindView.as_view(), name="api-find"),
    path("changes/", ChangesView.as_view(), name="api-changes"),
    path("preview/", preview_response, name="api-preview"),
    path(
        "schema/",
        SpectacularAPIView.as_view(custom_settings=SPECTACULAR_SETTINGS),
        name="api-schema",
    ),
    path(
        "docs/",
        SwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path(
        "docs/redoc/",
        RedocView.as_view(url_name="api-schema", template_name="assises/api/redoc.html"),
        name="api-redoc",
    ),
    re_path(
        r"^(?P<endpoint>[a-z-]+)/(?P<object_id>[0-9a-f-]{1,36})\.jsonld$",
        jsonld_view,
        name="api-jsonld",
    ),
    path("", include(router.urls)),
]
