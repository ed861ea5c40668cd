"""The site's URLs plus the two baselines: Wagtail's API v2 and a view of precomputed bytes."""

import os
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from demosite.urls import urlpatterns as site_urlpatterns

wagtail_api = WagtailAPIRouter("wagtailapi")
wagtail_api.register_endpoint("pages", PagesAPIViewSet)

PRECOMPUTED: dict[str, bytes] = {}


def precomputed_view(request: HttpRequest, name: str) -> HttpResponse:
    """The floor: the same bytes, already in memory, through the same middleware stack.

    `bench.api` fills `PRECOMPUTED` in its own process; gunicorn workers of `bench.http` read
    the bytes once from `ASSISES_BENCH_FLOOR_DIR/<name>` (written by the benchmark beforehand).
    """
    body = PRECOMPUTED.get(name)
    if body is None:
        folder = os.environ.get("ASSISES_BENCH_FLOOR_DIR")
        if not folder or not name.isidentifier() or not (Path(folder) / name).is_file():
            return HttpResponse(status=404)
        body = PRECOMPUTED[name] = (Path(folder) / name).read_bytes()
        content_type = (Path(folder) / f"{name}.type").read_text()
        PRECOMPUTED[name + ".type"] = content_type.encode()
    content_type = PRECOMPUTED.get(name + ".type", b"application/json").decode()
    return HttpResponse(body, content_type=content_type)


urlpatterns = [
    path("api/v2/", wagtail_api.urls),
    path("precomputed/<str:name>/", precomputed_view),
    *site_urlpatterns,
]
