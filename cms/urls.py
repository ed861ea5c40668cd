"""Public URLs: admin, documents, then the page tree (French at the root, /en/ for English)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from .health import healthz
from .registry import plugin_urlpatterns
from .sitemaps import sitemap_view

handler404 = "cms.inputs.page_not_found"

urlpatterns = [
    path("api/v1/", include("cms.api.urls")),  # first: the hottest path resolves fastest
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    path("healthz", healthz, name="healthz"),
]

if settings.DEBUG or settings.ASSISES_SERVE_MEDIA:
    # `static()` serves nothing without DEBUG; `make stack` serves images behind Varnish.
    # Only image folders: documents go through Wagtail's view, which enforces their privacy.
    from django.views.static import serve

    _media = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(
            rf"^{_media}(?P<path>(original_images|images)/.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += plugin_urlpatterns
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
