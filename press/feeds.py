"""Communiqué feeds for newsrooms and partner sites: JSON Feed 1.1, RSS 2.0 and Atom 1.0.

Every feed is derived from the stored communiqué documents the pipeline wrote at publish time,
never from pages: items carry exactly the API's data, dates and visibility. One selection
(global, per topic, per congress edition, optionally per locale) is turned into plain
`FeedItem`s once; three small renderers write them out. RSS and Atom go through Django's
syndication framework, extended with the full HTML (`content:encoded`, Atom `content`).
"""

import datetime
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cms.documents import linked, read, visible
from cms.exporters import Export, locale_parameter, reports_bad_parameters, serve_cached
from cms.http import safe_methods_only
from cms.public import absolute_url, public_base_url

from .syndication import CommuniqueFeed

MAX_ITEMS = 50
CONTENT_TYPES = {
    "json": "application/feed+json",
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}
PRESS_ROOM_TYPE = "assises_press.pressindexpage"


def stable_id(document: dict[str, Any]) -> str:
    """A URN that survives slug changes and database dumps (one per translation)."""
    key = uuid.UUID(document["translation_key"])
    return f"urn:uuid:{uuid.uuid5(key, document['locale'])}"


@dataclass
class FeedItem:
    id: str
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime.datetime
    modified: datetime.datetime
    language: str
    tags: list[str]
    image: dict[str, Any] | None
    attachments: list[dict[str, Any]]
    extension: dict[str, Any]


@dataclass
class FeedData:
    title: str
    description: str
    home_page_url: str
    language: str
    urls: dict[str, str]
    author_name: str = ""
    author_url: str = ""
    items: list[FeedItem] = field(default_factory=list)
    archived: bool = False  # an archived edition's feed rarely changes: cached longer


def load(queryset: QuerySet) -> list[dict[str, Any]]:
    """The JSON of the stored documents of `queryset`."""
    return [document.data for document in read(queryset)]


def item_from_document(doc: dict[str, Any]) -> FeedItem:
    """One feed entry from a stored communiqué document."""
    image = doc["hero_image"]
    return FeedItem(
        id=stable_id(doc),
        url=doc["url"],
        title=doc["title"],
        summary=doc["lead"],
        content_html=doc["body"]["html"],
        published=datetime.datetime.fromisoformat(doc["published_at"]),
        modified=datetime.datetime.fromisoformat(doc["date_modified"]),
        language=doc["locale"],
        tags=[topic["name"] for topic in doc["topics"]],
        image={"url": image["url"], "length": image["size"] or 0, "mime_type": image["mime_type"]}
        if image
        else None,
        attachments=[
            {
                "url": a["url"],
                "mime_type": a["mime_type"],
                "title": a["title"],
                "size_in_bytes": a["size"] or 0,
            }
            for a in doc["attachments"]
        ],
        extension={
            "dateline_place": doc["dateline_place"],
            "publication_date": doc["publication_date"],
            "contacts": [
                {
                    "name": c["name"],
                    "role": c["role"],
                    "email": c["email"],
                    "phones": [{"number": p["number"], "kind": p["kind"]} for p in c["phones"]],
                }
                for c in doc["contacts"]
            ],
            "related_editions": [
                {"id": e["id"], "title": e["title"], "url": e["url"]}
                for e in doc["related_editions"]
            ],
            "corrections": doc["corrections"],
        },
    )


def _press_room(language: str) -> dict[str, Any] | None:
    """The press room's page document, in `language` when it exists."""
    rooms = [doc for doc in load(visible("page")) if doc["page_type"] == PRESS_ROOM_TYPE]
    rooms.sort(key=lambda doc: (doc["locale"] != language, doc["id"]))
    return rooms[0] if rooms else None


def feed_data(scope: str, locale: str | None, **kwargs: Any) -> FeedData:
    """The communiqués of `scope` ("all", "topic" by `slug`, "edition" by `edition_id`)."""
    language = locale or settings.LANGUAGE_CODE
    selection = visible("communique")
    if locale:
        selection = selection.filter(locale=locale)
    organisations = load(visible("organisation").order_by("object_id")[:1])
    org = organisations[0] if organisations else {}
    name = org.get("name") or getattr(settings, "WAGTAIL_SITE_NAME", "")
    press_room = _press_room(language)
    home = press_room["url"] if press_room else public_base_url() + "/"
    archived = False
    with translation.override(language):
        if scope == "topic":
            topic = load(visible("topic").filter(object_id=kwargs["slug"]))
            if not topic:
                raise Http404("No such topic.")
            selection = linked(selection, "topic", [kwargs["slug"]])
            title = _("%(organisation)s: press releases on %(topic)s") % {
                "organisation": name,
                "topic": topic[0]["name"],
            }
        elif scope == "edition":
            edition = load(visible("edition").filter(object_id=str(kwargs["edition_id"])))
            if not edition:
                raise Http404("No such edition.")
            selection = linked(selection, "edition", [kwargs["edition_id"]])
            title = _("%(organisation)s: press releases about %(edition)s") % {
                "organisation": name,
                "edition": edition[0]["title"],
            }
            home = edition[0]["url"]
            archived = edition[0]["archived"]
        else:
            title = _("%(organisation)s: press releases") % {"organisation": name}
        description = _("The latest press releases of %(organisation)s.") % {"organisation": name}
    prefix = "communiques_feed" if scope == "all" else f"communiques_{scope}_feed"
    query = f"?locale={locale}" if locale else ""
    urls = {
        fmt: absolute_url(reverse(f"{prefix}_{fmt}", kwargs=kwargs)) + query
        for fmt in CONTENT_TYPES
    }
    newest = selection.order_by("-sort_date", "-id")[:MAX_ITEMS]
    items = sorted(
        (item_from_document(doc) for doc in load(newest)),
        key=lambda item: item.published,
        reverse=True,
    )
    return FeedData(
        title=title,
        description=description,
        home_page_url=home,
        language=language,
        urls=urls,
        author_name=name,
        author_url=org.get("website") or public_base_url() + "/",
        items=items,
        archived=archived,
    )


def render_json_feed(data: FeedData, request: HttpRequest | None = None) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1); our own data lives under `_assises`."""
    items = []
    for item in data.items:
        entry: dict[str, Any] = {
            "id": item.id,
            "url": item.url,
            "title": item.title,
            "content_html": item.content_html,
            "summary": item.summary,
            "date_published": item.published.isoformat(),
            "date_modified": item.modified.isoformat(),
            "language": item.language,
            "tags": item.tags,
            "attachments": item.attachments,
            "_assises": item.extension,
        }
        if item.image:
            entry["image"] = item.image["url"]
        items.append({key: value for key, value in entry.items() if value not in ("", [])})
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": data.title,
        "home_page_url": data.home_page_url,
        "feed_url": data.urls["json"],
        "description": data.description,
        "language": data.language,
        "authors": [{"name": data.author_name, "url": data.author_url}],
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode()


def render_feed(fmt: str, data: FeedData, request: HttpRequest) -> bytes:
    if fmt == "json":
        return render_json_feed(data, request)
    return CommuniqueFeed(fmt).render(data, request)


def feed_view(scope: str, fmt: str) -> Any:
    """The view of one feed: cached per content version, conditional, 404 for unknown scopes."""

    @safe_methods_only
    @reports_bad_parameters
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        locale = locale_parameter(request)
        key = f"communiques|{scope}|{fmt}|{sorted(kwargs.items())}|{locale}"

        def build() -> Export:
            data = feed_data(scope, locale, **kwargs)
            body = render_feed(fmt, data, request)
            return Export(body, CONTENT_TYPES[fmt], immutable=data.archived)

        return serve_cached(request, key, build)

    view.__name__ = f"communiques_{scope}_feed_{fmt}"
    return view
