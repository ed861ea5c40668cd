"""/api/v1/: the router's endpoints, the root, lookups, JSON-LD, schema and docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from ..preview import preview_response
from .changes import ChangesView
from .root import FindView, RootView, jsonld_view
from .router import router

urlpatterns = [
    path("", RootView.as_view(), name="api-root"),
    path("find/", FindView.as_view(), name="api-find"),
    path("changes/", ChangesView.as_view(), name="api-changes"),
    path("preview/", preview_response, name="api-preview"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    re_path(
        r"^(?P<endpoint>[a-z-]+)/(?P<object_id>[0-9a-f-]{1,36})\.jsonld$",
        jsonld_view,
        name="api-jsonld",
    ),
    path("", include(router.urls)),
]
