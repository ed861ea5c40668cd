"""A host that mounts Assises under a prefix (tests/cms/test_mount.py)."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("assises/", include("cms.urls")),
    path("", include(wagtail_urls)),
]
