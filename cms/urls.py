"""Everything Assises serves, for a host's URLconf: ``path("", include("cms.urls"))``.

It may be mounted under any prefix (``path("assises/", include("cms.urls"))``); code reverses
URLs by name and reads paths relative to the mount point (`cms.mount.relative_path`). Every view
here is a machine endpoint (JSON, XML, iCalendar) and gets, as a view decorator rather than a
middleware the host would have to add, what such endpoints need (`cms.mount.machine_endpoint`,
applied to every pattern by `wrap_patterns`): bounded query strings, the optional rate limit,
surrogate keys for purges, CORS and a JSON 404 for unknown paths under the machine prefixes.
The host's own pages and admin are left untouched.
"""

from django.urls import include, path, re_path

from .health import healthz
from .inputs import not_found
from .mount import wrap_patterns
from .registry import plugin_urlpatterns
from .sitemaps import sitemap_view

urlpatterns = wrap_patterns(
    [
        path("api/v1/", include("cms.api.urls")),  # first: the hottest path resolves fastest
        path("sitemap.xml", sitemap_view, name="sitemap"),
        path("healthz", healthz, name="healthz"),
        *plugin_urlpatterns,
        # a JSON 404 for any other path under the machine prefixes, whatever the host's 404
        re_path(r"^(?:api|feeds|calendars|schedules)/", not_found),
    ]
)
