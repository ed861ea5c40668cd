"""What the public site shows of the press office: navigation, home page section, press room.

Read from stored documents (`cms.documents`): a communiqué under embargo, a draft or an expired
one has no visible document, so it is on no page either; press contacts are shown only through
documents, i.e. only those the press office made public (`press.renderers.ContactRenderer`).
"""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from cms import documents
from cms.pages import site_relative

LATEST_COMMUNIQUES = 3


def press_room_path(nav: Any) -> str | None:
    return nav.path_of_page_type("assises_press.pressindexpage")


def press_contacts_path(nav: Any) -> str | None:
    path = press_room_path(nav)
    return f"{path}#contacts" if path else None


def communique_items(path: str | None = None, locale: str | None = None, limit: int | None = None):
    """Visible communiqués (under `path` when given), newest first, as stored documents."""
    queryset = documents.visible("communique")
    if path:
        queryset = queryset.filter(path__startswith=path)
    if locale:
        queryset = queryset.filter(locale=locale)
    queryset = queryset.order_by("-sort_date", "-object_id")
    if limit:
        queryset = queryset[:limit]
    return [{**d.data, "path": site_relative(d.data["url"])} for d in documents.read(queryset)]


def default_contacts(request: Any) -> list[dict[str, Any]]:
    """The press office's default contacts, as their public documents (two queries)."""
    from .models import DefaultPressContact

    site = Site.find_for_request(request)
    ids = list(
        DefaultPressContact.objects.filter(settings__site=site)
        .order_by("sort_order", "pk")
        .values_list("contact_id", flat=True)
    )
    found = documents.documents("contact", ids)
    return [found[str(pk)].data for pk in ids if str(pk) in found]


def home_communiques(request: Any, page: Any) -> dict[str, Any] | None:
    items = communique_items(locale=get_language(), limit=LATEST_COMMUNIQUES)
    return {"communiques": items} if items else None


def register() -> None:
    from cms.registry import register_home_section, register_nav_item

    register_nav_item(50, "communiques", _("Communiqués"), press_room_path)
    register_nav_item(60, "press", _("Press contacts"), press_contacts_path)
    register_home_section(
        20, "communiques", "assises/press/home_communiques.html", home_communiques
    )
