"""The demo site's URLs: admin, documents, Assises (one include), then the page tree (French at
the root, /en/ for English). A host's URLconf adds the same single `include("cms.urls")`."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

# JSON on machine paths, the site's page elsewhere: the demo's choice, not a requirement.
handler404 = "cms.inputs.page_not_found"

urlpatterns = [
    path("", include("cms.urls")),  # first: the hottest path resolves fastest
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document URLs; downloads only while a public page shows them (cms/files.py)
    path("documents/", include("cms.document_urls")),
    # journalists' embargoed links: private human pages, outside the page tree and its caches
    path("embargo/", include("press.embargo.urls")),
]


def media_urlpatterns() -> list:
    """Media served by the application (`make demo`, `make stack` behind Varnish).

    Renditions (random names, what pages use) as files; an original only while a public page
    shows it (`cms.files`); documents never as files: Wagtail's view, where `cms.files` checks
    them. Without DEBUG, `static()` would serve nothing."""
    from django.views.static import serve

    from cms.files import serve_original_image

    media = settings.MEDIA_URL.lstrip("/")
    return [
        re_path(rf"^{media}original_images/(?P<path>.+)$", serve_original_image),
        re_path(rf"^{media}(?P<path>images/.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]


if settings.DEBUG or settings.ASSISES_SERVE_MEDIA:
    urlpatterns += media_urlpatterns()

urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
