"""The demo's URLconf as `make demo` and `make stack` build it: media served by the application."""

from demosite.urls import media_urlpatterns
from demosite.urls import urlpatterns as demo_urlpatterns

handler404 = "cms.inputs.page_not_found"
urlpatterns = [*media_urlpatterns(), *demo_urlpatterns]
