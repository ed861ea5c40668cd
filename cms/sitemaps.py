"""`/sitemap.xml`: every public page of the site, in every language, with its last publication.

Built on `wagtail.contrib.sitemaps`, with two changes: translations of the site's root are
included (Wagtail only walks the default-language tree), and expired pages are left out even
before `publish_scheduled` unpublishes them. Locations use the public base URL, like every feed
and export, rather than the Site record's hostname.
"""

from typing import Any
from urllib.parse import urlsplit

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Page

from .exporters import Export, serve_cached
from .public import absolute_url
from .visibility import public_pages


class PublicSitemap(Sitemap):
    def items(self) -> Any:
        condition = Q()
        for root in self.get_wagtail_site().root_page.get_translations(inclusive=True):
            condition |= Q(path__startswith=root.path)
        pages = public_pages(Page.objects.filter(condition))
        return pages.order_by("path").defer_streamfields().specific()

    def _urls(self, page: int, protocol: str, domain: str) -> list[dict[str, Any]]:
        urls = []
        for item in self.paginator.page(page).object_list:
            for url_info in item.get_sitemap_urls(self.request):
                parts = urlsplit(url_info["location"])
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                urls.append({**url_info, "location": absolute_url(path)})
        last_mods = [url.get("lastmod") for url in urls]
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def sitemap_view(request: HttpRequest) -> HttpResponse:
    """The sitemap, cached per content version (one site per host, one entry per `?p=`)."""

    def build() -> Export:
        response = sitemap(request, sitemaps={"pages": PublicSitemap})
        response.render()
        return Export(response.content, "application/xml; charset=utf-8")

    return serve_cached(request, f"sitemap|{request.get_host()}|{request.GET.get('p', '1')}", build)
