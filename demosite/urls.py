"""The demo site's URLs: admin, documents, Assises (one include), then the page tree (French at
the root, /en/ for English). A host's URLconf adds the same single `include("cms.urls")`."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

# JSON on machine paths, the site's page elsewhere: the demo's choice, not a requirement.
handler404 = "cms.inputs.page_not_found"

urlpatterns = [
    path("", include("cms.urls")),  # first: the hottest path resolves fastest
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # journalists' embargoed links: private human pages, outside the page tree and its caches
    path("embargo/", include("press.embargo.urls")),
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

urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
