"""What the public HTML pages read: their stored document, the organisation's, the navigation.

The site's pages are one more channel of the publish pipeline: their meta description, Open
Graph and Twitter tags, a speaker's participations or a communiqué's topics, people and press
contacts come from the document stored when the page was published, so the HTML says exactly
what the API says, with the same visibility rule (`cms.visibility`). A page reads its document
and its organisation's in one query; the header navigation costs one more.

Two cases have no stored document and are rendered on the spot by the page's renderer, as
publishing would render them: Wagtail's preview (a draft) and a page behind a view restriction
(served only to whom passed it). An expired page that Wagtail has not unpublished yet is a 404,
as it is in the API.
"""

import re
from collections.abc import Callable
from typing import Any

import orjson
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language
from wagtail.models import Page, Site

from . import pagecache
from .public import public_base_url
from .registry import home_sections, nav_items, navigation_kinds, open_graph_types
from .visibility import visible_documents

DESCRIPTION_LENGTH = 200


def site_relative(url: str) -> str:
    """A document's absolute URL on the public host made site-relative (other URLs unchanged).

    Documents carry absolute URLs for other sites; our own pages link relatively so that they
    work on whatever host serves them (a test server, a staging copy).
    """
    base = public_base_url()
    if url and url.startswith(base + "/"):
        return url[len(base) :]
    return url


def relative_html(html: str) -> str:
    """Rich text from a document with links and images on the public host made site-relative."""
    base = re.escape(public_base_url())
    return re.sub(rf'\b(href|src|srcset)="{base}(/[^"]*)"', r'\1="\2"', html or "")


def document_kind(page: Page) -> str:
    from .pipeline.registry import renderer_for

    renderer = renderer_for(page)
    return renderer.kind if renderer is not None else "page"


def page_documents(
    page: Page, request: HttpRequest
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(the page's document, its site's organisation document), read in one query."""
    from .models import StoredDocument  # the models use this module's mixin

    site = Site.find_for_request(request)
    kind = document_kind(page)
    preview = getattr(request, "is_preview", False)
    wanted = Q(kind="organisation", object_id=str(site.pk if site else ""))
    if not preview:
        wanted |= Q(kind=kind, object_id=str(page.pk))
    rows = visible_documents(StoredDocument.objects.filter(wanted)).values_list("kind", "body")
    found = {k: orjson.loads(bytes(body)) for k, body in rows}
    document = found.get(kind) if kind != "organisation" else None
    pagecache.note(f"{kind}:{page.pk}", f"organisation:{site.pk if site else ''}")
    if document is None:
        pagecache.note_private()  # not in the store: a draft, or behind a view restriction
        document = _render_now(page)
    return document, found.get("organisation")


def _render_now(page: Page) -> dict[str, Any] | None:
    """The page's document as publishing would render it (drafts, restricted pages)."""
    from .consumers.preview import PreviewError, render_preview

    try:
        return orjson.loads(orjson.dumps(render_preview(page)))  # the stored JSON's types
    except PreviewError:
        return None


def _image(document: dict[str, Any] | None, *names: str) -> dict[str, Any] | None:
    for name in names:
        image = (document or {}).get(name)
        if image:
            return image
    return None


def _og_source(image: dict[str, Any]) -> dict[str, Any]:
    """The rendition social networks show best: original format, about 1,200 px wide."""
    sources = [s for s in image.get("srcset") or [] if s["format"] != "webp"]
    wide = [s for s in sources if s["width"] <= 1600]
    return max(wide, key=lambda s: s["width"]) if wide else image


def _description(page: Page, document: dict[str, Any] | None, organisation: dict | None) -> str:
    """The editor's search description, else what the document says first about itself."""
    doc = document or {}
    candidates = [
        getattr(page, "search_description", ""),
        doc.get("lead"),
        doc.get("summary"),
        doc.get("theme"),
        " — ".join(x for x in (doc.get("current_function"), doc.get("organisation")) if x),
        (doc.get("description") or {}).get("text")
        if isinstance(doc.get("description"), dict)
        else "",
        (organisation or {}).get("tagline"),
    ]
    text = next((" ".join(c.split()) for c in candidates if c and c.strip()), "")
    return Truncator(text).chars(DESCRIPTION_LENGTH)


def build_meta(
    page: Page, document: dict[str, Any] | None, organisation: dict[str, Any] | None
) -> dict[str, Any]:
    """Title, description, canonical URL, image and Open Graph type for the page's <head>."""
    doc = document or {}
    image = _image(doc, "hero_image", "photo") or _image(organisation, "logo")
    og_image = None
    if image:
        source = _og_source(image)
        og_image = {
            "url": source["url"],
            "width": source.get("width"),
            "height": source.get("height"),
            "alt": image.get("alt") or "",
            "type": image.get("mime_type") if source.get("format") != "webp" else "image/webp",
        }
    kind = doc.get("type", "page")
    og_type = open_graph_types.get(kind, "website")  # plugins name theirs (cms.registry)
    return {
        "title": doc.get("title") or doc.get("name") or page.title,
        "description": _description(page, document, organisation),
        "canonical": doc.get("url") or "",
        "type": og_type,
        "image": og_image,
        "site_name": (organisation or {}).get("name") or "",
        "published_time": doc.get("published_at") if og_type == "article" else None,
        "modified_time": doc.get("date_modified") if og_type == "article" else None,
        "locale": {"fr": "fr_FR", "en": "en_GB"}.get(doc.get("locale") or get_language(), "fr_FR"),
    }


class Navigation:
    """The header's entries for one request; plugins resolve their paths through it.

    Section paths come from the stored documents of index pages and series (one query, shared
    by every entry); a plugin needing more memoises it here (`memo`).
    """

    def __init__(self, request: HttpRequest, locale: str) -> None:
        self.request = request
        self.locale = locale
        self._rows: list[tuple[str, str, dict]] | None = None
        self._memo: dict[Any, Any] = {}

    def _documents(self) -> list[tuple[str, str, dict]]:
        if self._rows is None:
            from .models import StoredDocument

            pagecache.note(*(f"list:{kind}" for kind in ("page", *navigation_kinds)))
            rows = (
                visible_documents(
                    StoredDocument.objects.filter(
                        kind__in=("page", *navigation_kinds), locale=self.locale
                    )
                )
                .order_by("kind", "path")
                .values_list("kind", "path", "body")
            )
            self._rows = [(kind, path, orjson.loads(bytes(body))) for kind, path, body in rows]
        return self._rows

    def path_of_kind(self, kind: str) -> str | None:
        """The path of the first public document of `kind` (a series, say)."""
        return next((path for k, path, _body in self._documents() if k == kind and path), None)

    def path_of_page_type(self, page_type: str) -> str | None:
        """The path of the first public page of `page_type` ("assises_press.pressindexpage")."""
        return next(
            (
                path
                for kind, path, body in self._documents()
                if kind == "page" and body.get("page_type") == page_type and path
            ),
            None,
        )

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def items(self) -> list[dict[str, Any]]:
        """Label, path and whether it is the current section, in the registered order."""
        entries = []
        for item in nav_items:
            path = item.resolve(self)
            if path:
                entries.append({"name": item.name, "label": item.label, "url": path})
        current = self.request.path
        best = max(
            (e for e in entries if _within(current, e["url"])),
            key=lambda e: len(e["url"].split("#")[0]),
            default=None,
        )
        for entry in entries:
            entry["current"] = entry is best
        return entries


def _within(path: str, url: str) -> bool:
    base = url.split("#")[0]
    return path == base if base in ("", "/") else path.startswith(base)


class PublicPageMixin:
    """For page models served as HTML: document, organisation, meta tags and navigation."""

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any):
        expire_at = getattr(self, "expire_at", None)
        if expire_at is not None and expire_at <= timezone.now():
            raise Http404  # expired, not yet unpublished by the scheduler: hidden everywhere
        # Cache-Control and surrogate keys from what the page read (`cms.pagecache`)
        return pagecache.serve_page(self, request, super().serve, *args, **kwargs)  # type: ignore[misc]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)  # type: ignore[misc]
        document, organisation = page_documents(self, request)  # type: ignore[arg-type]
        locale = (document or {}).get("locale") or get_language()
        context.update(
            document=document,
            organisation=organisation,
            meta=build_meta(self, document, organisation),  # type: ignore[arg-type]
            navigation=Navigation(request, locale).items(),
        )
        return context


def home_page_sections(request: HttpRequest, page: Page) -> list[dict[str, Any]]:
    """The plugins' home page sections that have something to show, in order."""
    sections = []
    for section in home_sections:
        context = section.context(request, page)
        if context is not None:
            sections.append({"name": section.name, "template": section.template, **context})
    return sections


def home_path(nav: Navigation) -> str:
    """The site's root in the navigation's language."""
    return "/" if nav.locale == "fr" else f"/{nav.locale}/"


def public_context(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the organisation and the navigation for public templates that are
    not pages (the 404 page). Lazy, so that templates that do not use them (the admin) pay
    nothing; a page's own context (`PublicPageMixin`) takes precedence."""
    from django.utils.functional import SimpleLazyObject

    def organisation() -> dict[str, Any] | None:
        from .models import StoredDocument

        site = Site.find_for_request(request)
        pagecache.note(f"organisation:{site.pk if site else ''}")
        rows = visible_documents(
            StoredDocument.objects.filter(
                kind="organisation", object_id=str(site.pk if site else "")
            )
        ).values_list("body", flat=True)
        return next((orjson.loads(bytes(body)) for body in rows), None)

    return {
        "organisation": SimpleLazyObject(organisation),
        "navigation": SimpleLazyObject(lambda: Navigation(request, get_language()).items()),
    }
