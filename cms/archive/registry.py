"""What a plugin hands to the archive: an `Archiver` that selects, exports and imports its part.

`cms` knows no plugin. The bundle machinery asks every registered archiver, in `order`, what the
bundle holds (`select`, then `complete` once every archiver has selected), which data files,
exports and static pages it contributes, and, on import, to recreate its objects from the data.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
from django.db import models
from wagtail.models import Page

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .importer import ImportContext
    from .public import PublicReferences
    from .verify import Bundle


@dataclass
class Selection:
    """Everything one bundle holds, filled in by the archivers.

    `pages` are the specific pages whose data and documents go in; `snippets` maps a model
    label (`cms.topic`) to primary keys; `sources` are pipeline source keys whose stored
    documents are copied as they are.
    """

    options: dict[str, Any] = field(default_factory=dict)
    pages: dict[int, Page] = field(default_factory=dict)
    snippets: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    sources: set[str] = field(default_factory=set)
    images: set[int] = field(default_factory=set)
    documents: set[int] = field(default_factory=set)
    # model label -> ids referenced by the selected content (filled by the core archiver)
    references: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    counts: Counter = field(default_factory=Counter)
    # free room for an archiver to pass itself what it selected (e.g. the editions)
    extra: dict[str, Any] = field(default_factory=dict)

    def add_page(self, page: Page) -> None:
        page = page.specific
        self.pages[page.pk] = page
        self.sources.add(f"page:{page.pk}")

    def pages_of(self, model: type) -> list[Page]:
        """Selected pages of `model` (not subclasses), in tree order."""
        found = [page for page in self.pages.values() if type(page) is model]
        return sorted(found, key=lambda page: page.path)

    def entry(self, page: Page) -> dict[str, Any]:
        """The page's bundle entry, computed once per export."""
        from .pages import page_entry

        cache = self.extra.setdefault("page_entries", {})
        if page.pk not in cache:
            cache[page.pk] = page_entry(page, self.public_references())
        return cache[page.pk]

    def public_references(self) -> PublicReferences:
        """The export's memory of which pages are public (read once per page)."""
        from .public import PublicReferences

        return self.extra.setdefault("public_references", PublicReferences())

    def add_snippet(self, label: str, pk: Any) -> None:
        self.snippets[label].add(pk)
        self.sources.add(f"{label}:{pk}")


@dataclass
class SitePage:
    """One page of the static site: where it goes in the bundle, its template and context."""

    path: str
    template: str
    context: dict[str, Any]
    # the public URL this page stands for, so that links to it become relative links
    url: str = ""


@dataclass
class IndexSection:
    """A section of the static site's home page: a heading and (title, bundle path) links."""

    order: int
    heading: str
    links: list[tuple[str, str]]


class Archiver:
    """Base class: a plugin's part of the archive. Every method has a harmless default."""

    name: str = ""
    order: int = 100
    # page types whose entries this archiver writes and imports (the core takes the others)
    page_models: tuple[type[Page], ...] = ()
    # other models whose records it writes in `data/` (snippets, settings, states): with the
    # page types, what the test of archived fields walks, field by field
    record_models: tuple[type[models.Model], ...] = ()
    # fields written by and for editors (an import's review notes): never in a bundle
    editor_only: dict[type[models.Model], tuple[str, ...]] = {}

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Options of `export_archive` that choose what this plugin puts in the bundle."""

    def select(self, selection: Selection) -> None:
        """Add the objects chosen by `selection.options` (pages, snippets, sources)."""

    def complete(self, selection: Selection) -> None:
        """Add what the selected objects need (runs after every archiver's `select`)."""

    def data(self, selection: Selection) -> dict[str, Any]:
        """JSON-able data enabling re-import, written to `data/<name>.json`."""
        return {}

    def exports(self, selection: Selection) -> Iterable[tuple[str, str]]:
        """(bundle path, public URL path) pairs served by the site and copied byte for byte."""
        return ()

    def identifiers(self, selection: Selection) -> Iterable[tuple[str, str]]:
        """(public URL, title) of the works the bundle preserves, for `bag-info.txt`.

        A library catalogues a deposit by what it is about (here: editions of a congress), so
        each gets an External-Identifier: the URL under which the public knew it."""
        return ()

    def site_pages(self, selection: Selection, documents: DocumentReader) -> Iterable[SitePage]:
        """Pages of the static site, rendered from the stored documents."""
        return ()

    def index_sections(
        self, selection: Selection, documents: DocumentReader
    ) -> Iterable[IndexSection]:
        """Sections this plugin adds to the static site's home page."""
        return ()

    def import_data(self, bundle: Bundle, context: ImportContext) -> None:
        """Recreate this plugin's objects from `data/<name>.json` (inside the transaction)."""


class DocumentReader:
    """The stored API documents of the selection, read from the database when asked for."""

    def __init__(self, sources: set[str]) -> None:
        self.sources = sources

    def queryset(self) -> models.QuerySet:
        from ..models import StoredDocument

        return StoredDocument.objects.filter(source__in=sorted(self.sources))

    def get(self, kind: str, object_id: Any) -> dict[str, Any] | None:
        body = (
            self.queryset()
            .filter(kind=kind, object_id=str(object_id))
            .values_list("body", flat=True)
            .first()
        )
        return orjson.loads(bytes(body)) if body is not None else None

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        rows = self.queryset().filter(kind=kind).order_by("object_id")
        return [orjson.loads(bytes(body)) for body in rows.values_list("body", flat=True)]


archivers: list[Archiver] = []


def register_archiver(archiver: Archiver) -> Archiver:
    """Add a plugin's archiver (once per name), keeping the list in `order`."""
    if all(existing.name != archiver.name for existing in archivers):
        archivers.append(archiver)
        archivers.sort(key=lambda a: (a.order, a.name))
    return archiver
