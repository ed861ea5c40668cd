"""Registries that plugins fill from `AppConfig.ready()`.

`cms` never imports `events` or `press`; instead each plugin hands its parts to these
registries, so that a new plugin (say, `motions`) plugs in without touching `cms`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Non-page models whose changes are public (snippets, settings, images, documents): saving or
# deleting one re-renders what depends on it.
watched_models: list[type] = []


@dataclass
class FeedLink:
    """A feed announced by the API root (autodiscovery) — `url_name` takes no arguments."""

    title: Any
    url_name: str
    media_type: str


feed_links: list[FeedLink] = []


def register_feed_link(title: Any, url_name: str, media_type: str) -> None:
    if all(link.url_name != url_name for link in feed_links):
        feed_links.append(FeedLink(title, url_name, media_type))


# URL patterns that plugins add to the public site (feeds, calendars, exports).
plugin_urlpatterns: list = []


def register_watched_model(model: type, keys: Callable[[Any], list[str]] | None = None) -> None:
    """Watch a non-page model: its changes re-render the documents that show it.

    `keys` maps an instance to the source keys it stands for; child rows (a contact's phone
    numbers) give their parent's key so that the parent's documents are re-rendered.
    """
    from .pipeline import registry
    from .pipeline import signals as pipeline_signals

    if model in watched_models:
        return
    watched_models.append(model)
    if keys is not None:
        registry.key_functions[model] = keys
    pipeline_signals.watch(model)


# OpenAPI enum names for plugins' choices: {"SessionKindEnum": "events.blocks.SESSION_KIND_VALUES"}
schema_enums: dict[str, str] = {}


def register_schema_enum(name: str, choices_path: str) -> None:
    """Name an enum of the OpenAPI schema (drf-spectacular's ENUM_NAME_OVERRIDES)."""
    schema_enums[name] = choices_path


# Functions adding OpenAPI links between a plugin's endpoints: f(paths, operation_ids, prefix),
# where `prefix` is the API's path in the schema ("/api/v1/").
schema_links: list[Callable[[dict, dict, str], None]] = []


# Open Graph type of a kind's public page ("article" also gets published and modified times).
open_graph_types: dict[str, str] = {}
# Kinds (besides "page") whose documents are sections of the public navigation ("series").
navigation_kinds: list[str] = []


# Public path prefixes (relative to where `cms.urls` is mounted) and the kinds of document their
# responses show: their surrogate keys, and the change-log kinds that version their caches.
path_kinds: dict[str, list[str]] = {}


def register_path_kinds(prefix: str, kinds: list[str]) -> None:
    """Declare that responses under `prefix` ("/feeds/") are built from documents of `kinds`."""
    path_kinds[prefix] = list(dict.fromkeys([*path_kinds.get(prefix, []), *kinds]))


def register_urlpatterns(patterns: list) -> None:
    """Add public URL patterns; they are mounted before Wagtail's catch-all page route."""
    plugin_urlpatterns.extend(patterns)


@dataclass(order=True)
class NavItem:
    """An entry of the public site's header navigation, in `order` (lower first).

    `resolve(nav)` gets the `cms.pages.Navigation` of the request and returns the entry's path,
    or None to leave the entry out (no such section published yet).
    """

    order: int
    name: str = field(compare=False)
    label: Any = field(compare=False)
    resolve: Callable[[Any], str | None] = field(compare=False)


nav_items: list[NavItem] = []


def register_nav_item(
    order: int, name: str, label: Any, resolve: Callable[[Any], str | None]
) -> None:
    """Add an entry to the public header navigation (one per `name`)."""
    if any(item.name == name for item in nav_items):
        return
    nav_items.append(NavItem(order, name, label, resolve))
    nav_items.sort()


@dataclass(order=True)
class HomeSection:
    """A block of the public home page: `template` rendered with `context(request, page)`.

    `context` returns None when the section has nothing to show.
    """

    order: int
    name: str = field(compare=False)
    template: str = field(compare=False)
    context: Callable[[Any, Any], dict | None] = field(compare=False)


home_sections: list[HomeSection] = []


def register_home_section(
    order: int, name: str, template: str, context: Callable[[Any, Any], dict | None]
) -> None:
    """Add a section to the public home page (one per `name`)."""
    if any(section.name == name for section in home_sections):
        return
    home_sections.append(HomeSection(order, name, template, context))
    home_sections.sort()
