"""`/sitemap.xml`: every public page of the site, in every language, from the stored documents.

Every document with an HTML page (editions, series, speakers, communiqués and the other pages,
see `cms.serializers.PageRenderer`) is listed with its document's Last-Modified, so the sitemap
agrees with the API on what is public and when it changed; expired documents are left out even
before the scheduler removes them. Locations use the public base URL, like every feed and
export. Large sites are split in pages of `PAGE_SIZE` URLs (`?p=2`), as the protocol requires.
"""

import io

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.xmlutils import SimplerXMLGenerator

from .exporters import Export, serve_cached
from .http import safe_methods_only
from .models import StoredDocument
from .public import absolute_url
from .visibility import visible_documents

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
PAGE_SIZE = 50_000  # the protocol's limit per file


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("p", "1")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        raise Http404("No such sitemap page.")
    return int(raw)


def sitemap_xml(page: int = 1) -> bytes:
    """One page of the sitemap; Http404 past the last page (the first always exists)."""
    rows = (
        visible_documents(StoredDocument.objects.exclude(path=""))
        .order_by("path", "locale")
        .values_list("path", "last_modified")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    )
    rows = list(rows)
    if not rows and page > 1:
        raise Http404("No such sitemap page.")
    output = io.StringIO()
    xml = SimplerXMLGenerator(output, "utf-8")
    xml.startDocument()
    xml.startElement("urlset", {"xmlns": SITEMAP_NS})
    for path, last_modified in rows:
        xml.startElement("url", {})
        xml.addQuickElement("loc", absolute_url(path))
        xml.addQuickElement("lastmod", last_modified.date().isoformat())
        xml.endElement("url")
    xml.endElement("urlset")
    xml.endDocument()
    return output.getvalue().encode()


@safe_methods_only
def sitemap_view(request: HttpRequest) -> HttpResponse:
    """The sitemap, cached per change-log head (one entry per `?p=`)."""
    page = _page_number(request)
    return serve_cached(
        request,
        f"sitemap|{page}",
        lambda: Export(sitemap_xml(page), "application/xml; charset=utf-8"),
    )
