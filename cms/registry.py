"""Registries that plugins fill from `AppConfig.ready()`.

`cms` never imports `events` or `press`; instead each plugin hands its parts to these
registries, so that a new plugin (say, `motions`) plugs in without touching `cms`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(order=True)
class DemoStep:
    """One part of the demo site, built in `order` (lower first) by `load_demo`."""

    order: int
    name: str = field(compare=False)
    build: Callable[..., None] = field(compare=False)


demo_steps: list[DemoStep] = []

# Non-page models whose changes are public (snippets, settings, images): saving or deleting
# one bumps the content version (`cms.cache`) and re-renders what depends on it.
watched_models: list[type] = []

# URL patterns that plugins add to the public site (feeds, calendars, exports).
plugin_urlpatterns: list = []


def register_watched_model(model: type) -> None:
    """Watch a non-page model; `cms.signals.watch` connects its save and delete signals."""
    from .signals import watch

    if model not in watched_models:
        watched_models.append(model)
        watch(model)


def register_urlpatterns(patterns: list) -> None:
    """Add public URL patterns; they are mounted before Wagtail's catch-all page route."""
    plugin_urlpatterns.extend(patterns)


def register_demo_step(order: int, name: str, build: Callable[..., None]) -> None:
    """Add a demo builder; `build(context)` gets a dict shared between steps."""
    if any(step.name == name for step in demo_steps):
        return
    demo_steps.append(DemoStep(order, name, build))
    demo_steps.sort()
