"""A host that kept Wagtail's own document URLs (tests/cms/test_files.py)."""

from django.urls import include, path
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [path("documents/", include(wagtaildocs_urls))]
