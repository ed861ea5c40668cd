"""Communiqué feeds for newsrooms and partner sites: JSON Feed 1.1, RSS 2.0 and Atom 1.0.

One selection (global, per topic, per congress edition, optionally per locale) is turned into
plain `FeedItem`s once; three small renderers write them out. RSS and Atom go through Django's
syndication framework, extended with the full HTML (`content:encoded`, Atom `content`).
"""

import datetime
import json
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid5

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.exporters import (
    Export,
    locale_parameter,
    page_url,
    reports_bad_parameters,
    serve_cached,
)
from cms.jsonld import organisation_settings
from cms.models import Topic
from cms.public import absolute_html, absolute_url, public_base_url
from cms.visibility import public_pages
from events.models import PARIS, CongressEditionPage

from .models import (
    CommuniqueEdition,
    CommuniquePage,
    CommuniqueTopic,
    PressIndexPage,
    PressSettings,
)
from .syndication import CommuniqueFeed

MAX_ITEMS = 50
CONTENT_TYPES = {
    "json": "application/feed+json",
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}


def publication_datetime(page: CommuniquePage) -> datetime.datetime:
    """The printed publication date, at the moment of first publication when that was the day."""
    first = page.first_published_at
    if first is not None and timezone.localtime(first, PARIS).date() == page.publication_date:
        return first
    return datetime.datetime.combine(page.publication_date, datetime.time.min, tzinfo=PARIS)


def modification_datetime(page: CommuniquePage) -> datetime.datetime:
    """The latest correction's date, else the last publication (never before publication)."""
    corrections = [correction.date for correction in page.corrections.all()]
    if corrections:
        modified = datetime.datetime.combine(max(corrections), datetime.time.min, tzinfo=PARIS)
    else:
        modified = page.last_published_at or publication_datetime(page)
    return max(modified, publication_datetime(page))


def stable_id(page: CommuniquePage) -> str:
    """A URN that survives slug changes and database dumps (one per translation)."""
    return f"urn:uuid:{uuid5(page.translation_key, page.locale.language_code)}"


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
    immutable: bool = False  # the feed of an archived edition never changes


def _file_size(file: Any, known: int | None) -> int:
    if known is not None:
        return known
    try:
        return file.size
    except OSError:
        return 0


def _image(image: Any) -> dict[str, Any] | None:
    if image is None:
        return None
    return {
        "url": absolute_url(image.file.url),
        "length": _file_size(image.file, image.file_size),
        "mime_type": f"image/{image.file.name.rsplit('.', 1)[-1].lower().replace('jpg', 'jpeg')}",
        "alt": image.default_alt_text,
    }


def _contact(contact: Any) -> dict[str, Any]:
    return {
        "name": contact.name,
        "role": contact.role,
        "email": contact.email,
        "phones": [{"number": phone.number, "kind": phone.kind} for phone in contact.phones.all()],
    }


def _item(
    page: CommuniquePage, editions: dict[int, CongressEditionPage], defaults: list
) -> FeedItem:
    contacts = [link.contact for link in page.contacts.all()] or defaults
    related = [
        editions[r.edition_id] for r in page.related_editions.all() if r.edition_id in editions
    ]
    return FeedItem(
        id=stable_id(page),
        url=page_url(page),
        title=page.title,
        summary=page.lead,
        content_html=absolute_html(str(page.body.render_as_block())) if len(page.body) else "",
        published=publication_datetime(page),
        modified=modification_datetime(page),
        language=page.locale.language_code,
        tags=[link.topic.name for link in page.topic_links.all()],
        image=_image(page.hero_image),
        attachments=[
            {
                "url": absolute_url(a.document.url),
                "mime_type": a.document.content_type,
                "title": a.title or a.document.title,
                "size_in_bytes": _file_size(a.document.file, a.document.file_size),
            }
            for a in page.attachments.all()
        ],
        extension={
            "dateline_place": page.dateline_place,
            "publication_date": page.publication_date.isoformat(),
            "contacts": [_contact(contact) for contact in contacts],
            "related_editions": [
                {"id": edition.pk, "title": edition.title, "url": page_url(edition)}
                for edition in related
            ],
            "corrections": [
                {"date": c.date.isoformat(), "note": c.note} for c in page.corrections.all()
            ],
        },
    )


def _items(pages: Any, press_room: PressIndexPage | None) -> list[FeedItem]:
    pages = list(
        pages.select_related("locale", "hero_image")
        .prefetch_related(
            "topic_links__topic",
            "attachments__document",
            "corrections",
            "related_editions",
            "contacts__contact__phones",
        )
        .order_by("-publication_date", "-first_published_at")[:MAX_ITEMS]
    )
    edition_ids = {link.edition_id for page in pages for link in page.related_editions.all()}
    editions = public_pages(CongressEditionPage.objects.filter(pk__in=edition_ids)).in_bulk()
    site = press_room.get_site() if press_room is not None else None
    rows = PressSettings.for_site(site).default_contacts if site else None
    defaults = [row.contact for row in rows.prefetch_related("contact__phones")] if rows else []
    return [_item(page, editions, defaults) for page in pages]


def feed_data(scope: str, locale: str | None, **kwargs: Any) -> FeedData:
    """The communiqués of `scope` ("all", "topic" by `slug`, "edition" by `edition_id`)."""
    language = locale or settings.LANGUAGE_CODE
    pages = public_pages(CommuniquePage.objects.all())
    if locale:
        pages = pages.filter(locale__language_code=locale)
    rooms = public_pages(PressIndexPage.objects.filter(locale__language_code=language))
    press_room = rooms.first() or public_pages(PressIndexPage.objects.all()).first()
    org = organisation_settings(press_room)
    name = (org.name if org else "") or settings.WAGTAIL_SITE_NAME
    home = page_url(press_room) if press_room else public_base_url() + "/"
    immutable = False
    with translation.override(language):
        if scope == "topic":
            topic = Topic.objects.filter(slug=kwargs["slug"]).first()
            if topic is None:
                raise Http404("No such topic.")
            pages = pages.filter(
                pk__in=CommuniqueTopic.objects.filter(topic=topic).values("page_id")
            )
            title = _("%(organisation)s: press releases on %(topic)s") % {
                "organisation": name,
                "topic": topic.name,
            }
        elif scope == "edition":
            edition = public_pages(
                CongressEditionPage.objects.filter(pk=kwargs["edition_id"])
            ).first()
            if edition is None:
                raise Http404("No such edition.")
            pages = pages.filter(
                pk__in=CommuniqueEdition.objects.filter(edition=edition).values("page_id")
            )
            title = _("%(organisation)s: press releases about %(edition)s") % {
                "organisation": name,
                "edition": edition.title,
            }
            home = page_url(edition)
            immutable = edition.archived
        else:
            title = _("%(organisation)s: press releases") % {"organisation": name}
        description = _("The latest press releases of %(organisation)s.") % {"organisation": name}
    prefix = "communiques_feed" if scope == "all" else f"communiques_{scope}_feed"
    query = f"?locale={locale}" if locale else ""
    urls = {
        fmt: absolute_url(reverse(f"{prefix}_{fmt}", kwargs=kwargs)) + query
        for fmt in CONTENT_TYPES
    }
    return FeedData(
        title=title,
        description=description,
        home_page_url=home,
        language=language,
        urls=urls,
        author_name=name,
        author_url=(org.website if org else "") or public_base_url() + "/",
        items=_items(pages, press_room),
        immutable=immutable,
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

    @reports_bad_parameters
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        locale = locale_parameter(request)
        key = f"communiques|{scope}|{fmt}|{sorted(kwargs.items())}|{locale}"

        def build() -> Export:
            data = feed_data(scope, locale, **kwargs)
            body = render_feed(fmt, data, request)
            return Export(body, CONTENT_TYPES[fmt], immutable=data.immutable)

        return serve_cached(request, key, build)

    view.__name__ = f"communiques_{scope}_feed_{fmt}"
    return view
