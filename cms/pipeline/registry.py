"""What a plugin hands to the pipeline: one renderer per source model.

A renderer turns one published object (a page, a snippet, a setting) into one or more API
documents. It records, through the `RenderContext`, every other object whose data it embeds, so
that editing that object later re-renders this document too.
"""

import abc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from wagtail.models import Page

from ..visibility import (
    page_is_public,  # noqa: F401  (re-exported for plugins)
    public_snippets,
)


@dataclass
class Rendered:
    """One document produced by a renderer, with the columns lists filter and sort on."""

    kind: str
    object_id: str
    body: dict[str, Any]
    item_fields: tuple[str, ...]
    title: str
    locale: str = "fr"
    path: str = ""
    sort_title: str = ""
    sort_date: datetime | None = None
    date_start: datetime | None = None
    date_end: datetime | None = None
    year: int | None = None
    number: int | None = None
    archived: bool = False
    expires_at: datetime | None = None
    search_text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def item(self) -> dict[str, Any]:
        return {name: self.body[name] for name in self.item_fields if name in self.body}


class DocumentRenderer(abc.ABC):
    """Base class: `kind`, `model`, and `render()`; pages get sensible visibility rules."""

    kind: str = ""
    model: type[models.Model]

    def get_queryset(self) -> models.QuerySet:
        """Every object that should have documents (used by the full rebuild)."""
        queryset = self.model._default_manager.all()
        if issubclass(self.model, Page):
            return queryset.live()
        return public_snippets(queryset)

    def is_public(self, obj: models.Model, ctx: Any) -> bool:
        """Whether `obj` may be shown to anyone: the visibility rule for pages and for snippets
        with drafts; a renderer may narrow it (recording through `ctx` what would change its
        answer)."""
        return ctx.visibility.is_public(obj)

    @abc.abstractmethod
    def render(self, obj: models.Model, ctx: Any) -> list[Rendered]:
        """The documents of `obj`; record what they embed through `ctx`."""

    def prefetch(self, objects: list[models.Model]) -> None:
        """Load in bulk what `render` will read of these objects (a batch renders many)."""
        return None

    def related_sources(self, obj: models.Model) -> Iterable[str]:
        """Other sources to re-render after this one (e.g. speakers newly added to a programme)."""
        return ()


renderers: dict[type[models.Model], DocumentRenderer] = {}
# model -> function giving the source keys an instance stands for (child rows → their parent)
key_functions: dict[type[models.Model], Callable[[models.Model], list[str]]] = {}


def register_renderer(renderer: DocumentRenderer) -> DocumentRenderer:
    renderers[renderer.model] = renderer
    return renderer


def renderer_for(obj_or_model: models.Model | type[models.Model]) -> DocumentRenderer | None:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in model.__mro__:
        if klass in renderers:
            return renderers[klass]
    return None


def source_key(obj: models.Model) -> str:
    """`page:12` for every page (whatever its type), `app_label.model:pk` otherwise."""
    if isinstance(obj, Page):
        return f"page:{obj.pk}"
    return f"{obj._meta.label_lower}:{obj.pk}"


def keys_for(instance: models.Model) -> list[str]:
    function = key_functions.get(type(instance))
    return function(instance) if function else [source_key(instance)]
