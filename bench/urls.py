"""The site's URLs plus the two baselines: Wagtail's API v2 and a view of precomputed bytes."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.urls import urlpatterns as site_urlpatterns

wagtail_api = WagtailAPIRouter("wagtailapi")
wagtail_api.register_endpoint("pages", PagesAPIViewSet)

PRECOMPUTED: dict[str, bytes] = {}


def precomputed_view(request: HttpRequest, name: str) -> HttpResponse:
    """The floor: the same bytes, already in memory, through the same middleware stack."""
    return HttpResponse(PRECOMPUTED[name], content_type="application/json")


urlpatterns = [
    path("api/v2/", wagtail_api.urls),
    path("precomputed/<str:name>/", precomputed_view),
    *site_urlpatterns,
]
