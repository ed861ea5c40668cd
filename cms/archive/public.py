"""What of the selected content a bundle may carry: only what the public already sees.

A bundle leaves the site for good (a library, another host, a USB key), so nothing in it may
be something an editor keeps to themselves. Two things are taken out of every page and snippet
entry before anything else reads it (the collection of images and topics included):

- the fields the archivers declare editor-only (`Archiver.editor_only`: an import's review
  notes…); Wagtail's own bookkeeping (owner, locks, revisions, comments) never goes in either;
- references to pages that are not public (`cms.visibility.public_pages`): a draft speaker in
  a published programme or communiqué, a rich-text link to an unpublished page. A child row
  or a list item that needs the page (a participant, a mentioned person) goes with it, its
  other values (the function held) too; a link keeps its text and loses its target.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any

from django.db import models
from wagtail.models import Page

from ..visibility import public_pages
from .references import collector, walk_fields
from .registry import archivers


def editor_only_fields(model: type[models.Model]) -> frozenset[str]:
    """Names of the fields of `model` (or of a model it inherits from) no bundle carries."""
    lineage = set(model.__mro__)
    return frozenset(
        name
        for archiver in archivers
        for owner, names in archiver.editor_only.items()
        if owner in lineage
        for name in names
    )


class PublicReferences:
    """Keeps the references of an entry's values that point at public pages, drops the others.

    One instance serves a whole export: each page's state is read once, in one query per
    entry for the pages not seen yet (`public_pages`, the site's one rule).
    """

    def __init__(self) -> None:
        self._public: dict[int, bool] = {}

    def learn(self, page_ids: set[Any]) -> None:
        """Read, in one query, whether the pages not seen yet are public."""
        unknown = {pk for pk in page_ids if isinstance(pk, int) and pk not in self._public}
        if not unknown:
            return
        public = set(public_pages(Page.objects.filter(pk__in=unknown)).values_list("pk", flat=True))
        self._public.update({pk: pk in public for pk in unknown})

    def keep(self, label: str, value: Any) -> Any:
        """For `walk_fields`: the reference if it may be in a bundle, else None."""
        if label != "page" or value in (None, ""):
            return value
        self.learn({value})
        return value if self._public.get(value, False) else None

    def strip(self, model: type[models.Model], fields: dict[str, Any]) -> dict[str, Any]:
        """`fields` (an entry's values) without editor-only fields nor non-public pages."""
        for name in editor_only_fields(model):
            fields.pop(name, None)
        found: dict[str, set[Any]] = defaultdict(set)
        walk_fields(model, copy.deepcopy(fields), collector(found))
        self.learn(found["page"])
        walk_fields(model, fields, self.keep)
        return fields
