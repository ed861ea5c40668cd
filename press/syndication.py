"""RSS 2.0 and Atom 1.0 of the communiqués, through Django's syndication framework.

`press.feeds` builds the feed data once; this module only adapts it to the XML formats.
"""

from __future__ import annotations

import datetime
import html
from typing import TYPE_CHECKING, Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

if TYPE_CHECKING:  # feeds imports this module to render RSS and Atom
    from .feeds import FeedData, FeedItem


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with the full HTML in `content:encoded`, as most readers expect."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomWithContent(Atom1Feed):
    """Atom 1.0 with the full HTML as the entry's `content`."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class CommuniqueFeed(Feed):
    """Adapts `FeedData` to Django's syndication framework, for RSS or Atom."""

    item_guid_is_permalink = False

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.feed_type = RssWithContent if fmt == "rss" else AtomWithContent

    def title(self, obj: FeedData) -> str:
        return obj.title

    def link(self, obj: FeedData) -> str:
        return obj.home_page_url

    def feed_url(self, obj: FeedData) -> str:
        return obj.urls[self.fmt]

    def feed_guid(self, obj: FeedData) -> str:
        return obj.urls[self.fmt]

    def description(self, obj: FeedData) -> str:
        return obj.description

    def author_name(self, obj: FeedData) -> str:
        return obj.author_name

    def author_link(self, obj: FeedData) -> str:
        return obj.author_url

    def items(self, obj: FeedData) -> list[FeedItem]:
        return obj.items

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_description(self, item: FeedItem) -> str:
        return html.escape(item.summary, quote=False)  # RSS/Atom summaries are HTML

    def item_link(self, item: FeedItem) -> str:
        return item.url

    def item_guid(self, item: FeedItem) -> str:
        return item.id

    def item_pubdate(self, item: FeedItem) -> datetime.datetime:
        return item.published

    def item_updateddate(self, item: FeedItem) -> datetime.datetime:
        return item.modified

    def item_categories(self, item: FeedItem) -> list[str]:
        return item.tags

    def item_enclosures(self, item: FeedItem) -> list[Enclosure]:
        """The hero image; Atom also carries the attachments (RSS allows one enclosure)."""
        found = []
        if item.image:
            image = item.image
            found.append(Enclosure(image["url"], str(image["length"]), image["mime_type"]))
        if self.fmt == "atom":
            found += [
                Enclosure(a["url"], str(a["size_in_bytes"]), a["mime_type"])
                for a in item.attachments
            ]
        return found

    def item_extra_kwargs(self, item: FeedItem) -> dict[str, Any]:
        return {"content_html": item.content_html}

    def render(self, data: FeedData, request: HttpRequest) -> bytes:
        with translation.override(data.language):
            return self.get_feed(data, request).writeString("utf-8").encode()
