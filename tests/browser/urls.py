"""The project's URLs plus uploaded media, which production serves from its web server."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from demosite.urls import handler404
from demosite.urls import urlpatterns as project_urlpatterns

__all__ = ["handler404", "urlpatterns"]

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *project_urlpatterns,
]
