"""Registries that plugins fill from `AppConfig.ready()`.

`cms` never imports `events` or `press`; instead each plugin hands its parts to these
registries, so that a new plugin (say, `motions`) plugs in without touching `cms`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(order=True)
class DemoStep:
    """One part of the demo site, built in `order` (lower first) by `load_demo`."""

    order: int
    name: str = field(compare=False)
    build: Callable[..., None] = field(compare=False)


demo_steps: list[DemoStep] = []

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


def register_urlpatterns(patterns: list) -> None:
    """Add public URL patterns; they are mounted before Wagtail's catch-all page route."""
    plugin_urlpatterns.extend(patterns)


def register_demo_step(order: int, name: str, build: Callable[..., None]) -> None:
    """Add a demo builder; `build(context)` gets a dict shared between steps."""
    if any(step.name == name for step in demo_steps):
        return
    demo_steps.append(DemoStep(order, name, build))
    demo_steps.sort()
