"""Import: verify the whole bundle, then recreate its content in one transaction.

Nothing is written before the bundle has passed every check (`verify.open_bundle`). Archivers
then import their data in `order` (the core first: images, documents, home page, topics; then
congresses; then the press office), mapping the bundle's keys to this site's objects. What
already exists — same translation or URL for pages, same file for images, same e-mail for
contacts, same slug for topics — is reused and left untouched, so importing twice changes
nothing. The pipeline renders the API documents when the transaction commits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from .pages import IdMap, reset_sequences
from .registry import archivers
from .verify import Bundle, open_bundle


@dataclass
class Report:
    """How many objects of each kind were created, and how many already existed."""

    created_counts: Counter = field(default_factory=Counter)
    kept_counts: Counter = field(default_factory=Counter)

    def created(self, label: str) -> None:
        self.created_counts[label] += 1

    def kept(self, label: str) -> None:
        self.kept_counts[label] += 1

    @property
    def changed(self) -> bool:
        return bool(sum(self.created_counts.values()))

    def lines(self) -> list[tuple[str, int, int]]:
        """(what, created, already there), named as editors know them, e.g. « images »."""
        found = []
        for label in sorted(set(self.created_counts) | set(self.kept_counts)):
            model = _model_for(label)
            name = str(model._meta.verbose_name_plural) if model is not None else label
            found.append((name, self.created_counts[label], self.kept_counts[label]))
        return found


@dataclass
class ImportContext:
    """What archivers share during one import: the key map, the report, known public URLs."""

    bundle: Bundle
    ids: IdMap = field(default_factory=IdMap)
    report: Report = field(default_factory=Report)
    # "page:<id>" -> public URL, for rich-text links to pages the bundle does not hold
    urls: dict[str, str] = field(default_factory=dict)
    # (storage, name) of the files saved so far: a failed import removes them again
    saved_files: list = field(default_factory=list)
    # model -> {file hash: pk} of the files this site stores without a recorded hash
    file_hashes: dict = field(default_factory=dict)


def _model_for(label: str) -> type | None:
    if label == "page":
        return Page
    if label == "image":
        return get_image_model()
    if label == "document":
        return get_document_model()
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def import_bundle(path: str | Path) -> Report:
    """Verify the bundle at `path`, then import it; BundleError (nothing written) if it is bad."""
    bundle = open_bundle(path)
    with bundle, translation.override(settings.LANGUAGE_CODE):
        context = ImportContext(bundle)
        try:
            with transaction.atomic():
                for archiver in archivers:
                    archiver.import_data(bundle, context)
                models = [_model_for(label) for label in context.ids.labels()]
                reset_sequences([model for model in models if model is not None])
        except BaseException:
            for storage, name in context.saved_files:
                storage.delete(name)
            raise
    return context.report
