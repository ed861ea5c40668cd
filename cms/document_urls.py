"""Wagtail's document URLs, downloads answered by `cms.files.serve_document`.

A host mounts them where it mounted Wagtail's: `path("documents/", include("cms.document_urls"))`.
The download keeps Wagtail's name (`wagtaildocs_serve`), so `document.url` is unchanged.
"""

from django.urls import re_path
from wagtail.documents import urls as wagtail_document_urls

from .files import serve_document

urlpatterns = [
    re_path(r"^(\d+)/(.*)$", serve_document, name="wagtaildocs_serve"),
    *(p for p in wagtail_document_urls.urlpatterns if p.name != "wagtaildocs_serve"),
]
