"""The Google News sitemap: communiqués of the last two days, for news aggregators.

See https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap — only
articles published in the last two days belong in it, with the publication's name and language.
Built from the stored communiqué documents, with the API's publication date.
"""

import datetime
import io

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator

from cms.documents import visible
from cms.exporters import Export, serve_cached
from cms.http import safe_methods_only

from .feeds import load

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
WINDOW = datetime.timedelta(days=2)


def news_sitemap_xml(now: datetime.datetime | None = None) -> bytes:
    """The news sitemap as of `now`: public communiqués whose publication is under two days old."""
    now = now or timezone.now()
    since = now - WINDOW
    # sort_date is the publication day at midnight in Paris: a day's margin, then exact times
    candidates = visible("communique").filter(sort_date__gte=since - datetime.timedelta(1))
    recent = []
    for doc in load(candidates.order_by("-sort_date", "-id")):
        published = datetime.datetime.fromisoformat(doc["published_at"])
        if since <= published <= now:
            recent.append((published, doc))
    recent.sort(key=lambda pair: pair[0], reverse=True)
    organisations = load(visible("organisation").order_by("object_id")[:1])
    name = organisations[0]["name"] if organisations else ""
    output = io.StringIO()
    xml = SimplerXMLGenerator(output, "utf-8")
    xml.startDocument()
    xml.startElement("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for published, doc in recent:
        xml.startElement("url", {})
        xml.addQuickElement("loc", doc["url"])
        xml.startElement("news:news", {})
        xml.startElement("news:publication", {})
        xml.addQuickElement("news:name", name)
        xml.addQuickElement("news:language", doc["locale"])
        xml.endElement("news:publication")
        xml.addQuickElement("news:publication_date", published.isoformat())
        xml.addQuickElement("news:title", doc["title"])
        xml.endElement("news:news")
        xml.endElement("url")
    xml.endElement("urlset")
    xml.endDocument()
    return output.getvalue().encode()


@safe_methods_only
def news_sitemap(request: HttpRequest) -> HttpResponse:
    # The window moves with time, not with publishing: the hour is part of the cache key.
    hour = timezone.now().strftime("%Y%m%d%H")
    return serve_cached(
        request,
        f"sitemap-news|{hour}",
        lambda: Export(news_sitemap_xml(), "application/xml; charset=utf-8"),
    )
