"""The Google News sitemap: communiqués of the last two days, for news aggregators.

See https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap — only
articles published in the last two days belong in it, with the publication's name and language.
"""

import datetime
import io

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator

from cms.exporters import Export, page_url, serve_cached
from cms.jsonld import organisation_settings
from cms.visibility import public_pages

from .feeds import publication_datetime
from .models import CommuniquePage

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
WINDOW = datetime.timedelta(days=2)


def news_sitemap_xml(now: datetime.datetime | None = None) -> bytes:
    """The news sitemap as of `now`: public communiqués whose publication is under two days old."""
    now = now or timezone.now()
    since = now - WINDOW
    candidates = public_pages(
        CommuniquePage.objects.filter(publication_date__gte=since.date() - datetime.timedelta(1))
    ).select_related("locale")
    pages = [
        page
        for page in candidates.order_by("-publication_date", "-first_published_at")
        if since <= publication_datetime(page) <= now
    ]
    org = organisation_settings(pages[0] if pages else None)
    name = org.name if org else ""
    output = io.StringIO()
    xml = SimplerXMLGenerator(output, "utf-8")
    xml.startDocument()
    xml.startElement("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for page in pages:
        xml.startElement("url", {})
        xml.addQuickElement("loc", page_url(page))
        xml.startElement("news:news", {})
        xml.startElement("news:publication", {})
        xml.addQuickElement("news:name", name)
        xml.addQuickElement("news:language", page.locale.language_code)
        xml.endElement("news:publication")
        xml.addQuickElement("news:publication_date", publication_datetime(page).isoformat())
        xml.addQuickElement("news:title", page.title)
        xml.endElement("news:news")
        xml.endElement("url")
    xml.endElement("urlset")
    xml.endDocument()
    return output.getvalue().encode()


def news_sitemap(request: HttpRequest) -> HttpResponse:
    # The window moves with time, not with publishing: the hour is part of the cache key.
    hour = timezone.now().strftime("%Y%m%d%H")
    return serve_cached(
        request,
        f"sitemap-news|{hour}",
        lambda: Export(news_sitemap_xml(), "application/xml; charset=utf-8"),
    )
