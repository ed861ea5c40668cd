"""Pages and snippets in a bundle: their own field values out, the same objects back in.

A page's entry holds its live field values (what its stored documents were rendered from),
without Wagtail's bookkeeping (tree path, revisions, locks, owner, content type id), plus what
places it: type, parent, slug, URL path, locale and translation key. On import a page keeps its
primary key when that key is free (so API URLs, which carry it, stay the same in a new site),
its translation key, slug and publication dates.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _
from modelcluster.models import (
    get_all_child_relations,
    get_serializable_data_for_fields,
    model_from_serializable_data,
)
from wagtail.fields import StreamField
from wagtail.models import Locale, Page

from .bundle import BundleError
from .public import PublicReferences
from .references import streams_to_json, walk_fields

# Wagtail's bookkeeping: meaningful in one database only, or derived from the tree.
PAGE_PLUMBING = {
    "pk", "id", "path", "depth", "numchild", "content_type", "owner", "locked", "locked_at",
    "locked_by", "live_revision", "latest_revision", "latest_revision_created_at", "draft_title",
    "alias_of", "has_unpublished_changes", "live", "expired", "locale", "translation_key",
    "url_path", "first_published_at", "last_published_at", "wagtail_admin_comments",
}  # fmt: skip

# The same for snippets with drafts and revisions (press contacts): only published snippets are
# archived, and they are published again where the bundle is imported.
SNIPPET_PLUMBING = {
    "live", "has_unpublished_changes", "first_published_at", "last_published_at", "live_revision",
    "latest_revision", "go_live_at", "expire_at", "expired", "locked", "locked_at", "locked_by",
}  # fmt: skip


class IdMap:
    """Source primary key → primary key in this database, per bundle label."""

    def __init__(self) -> None:
        self._ids: dict[str, dict[str, Any]] = defaultdict(dict)

    def set(self, label: str, source: Any, target: Any) -> None:
        self._ids[label][str(source)] = target

    def get(self, label: str, source: Any) -> Any:
        return self._ids[label].get(str(source))

    def labels(self) -> list[str]:
        return sorted(self._ids)

    def visit(self, label: str, value: Any) -> Any:
        """For `walk_fields`: the mapped key, or None when the object is not in this site."""
        return self.get(label, value)


def _plain(model: type[models.Model], data: dict[str, Any]) -> dict[str, Any]:
    """Serialised values with StreamFields as JSON structures rather than JSON text."""
    import json

    for name, value in list(data.items()):
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - child relations are not fields
            continue
        if isinstance(field, StreamField) and isinstance(value, str):
            data[name] = json.loads(value) if value else []
    return data


def _child_rows(model: type[models.Model], data: dict[str, Any]) -> None:
    for relation in get_all_child_relations(model):
        name = relation.get_accessor_name()
        if isinstance(data.get(name), list):
            parent_key = relation.field.name
            rows = []
            for row in data[name]:
                row = {k: v for k, v in row.items() if k not in ("pk", "id", parent_key)}
                _child_rows(relation.related_model, row)
                rows.append(_plain(relation.related_model, row))
            data[name] = rows


def page_entry(page: Page, references: PublicReferences | None = None) -> dict[str, Any]:
    """A live page as a bundle entry: its own public values, no database bookkeeping, no
    editor-only field, no reference to a page that is not public (`cms.archive.public`)."""
    page = page.specific
    fields = {k: v for k, v in page.serializable_data().items() if k not in PAGE_PLUMBING}
    _child_rows(type(page), fields)
    fields = (references or PublicReferences()).strip(type(page), _plain(type(page), fields))
    return {
        "id": page.pk,
        "type": page.specific_class._meta.label_lower,
        "parent": page.get_parent().pk,
        "slug": page.slug,
        "url_path": page.url_path,
        "locale": page.locale.language_code,
        "translation_key": str(page.translation_key),
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "fields": fields,
    }


def snippet_entry(obj: models.Model, references: PublicReferences | None = None) -> dict[str, Any]:
    """A snippet (topic, contact…) as a bundle entry, child rows included, with only what
    the public may see (as for pages)."""
    model = type(obj)
    if hasattr(obj, "serializable_data"):
        fields = obj.serializable_data()
    else:
        fields = get_serializable_data_for_fields(obj)
    fields.pop("pk", None)
    fields.pop(model._meta.pk.name, None)
    for name in SNIPPET_PLUMBING:
        fields.pop(name, None)
    _child_rows(model, fields)
    fields = (references or PublicReferences()).strip(model, _plain(model, fields))
    return {"id": obj.pk, "fields": fields}


def free_pk(model: type[models.Model], pk: Any) -> Any:
    """`pk` when no row of `model` (pages: no page at all) has it yet, else None."""
    base = Page if issubclass(model, Page) else model
    if pk is None or base._default_manager.filter(pk=pk).exists():
        return None
    return pk


def instance_from_entry(
    model: type[models.Model], entry: dict[str, Any], ids: IdMap, urls: dict | None = None
) -> models.Model:
    """An unsaved instance of `model` from an entry, its references mapped to this site."""
    data = copy.deepcopy(entry["fields"])
    walk_fields(model, data, ids.visit, urls)
    streams_to_json(model, data)
    for relation in get_all_child_relations(model):
        for row in data.get(relation.get_accessor_name()) or []:
            row["pk"] = None
            streams_to_json(relation.related_model, row)
    # Pages get their key as they are inserted (see `explicit_page_pk`).
    data["pk"] = None if issubclass(model, Page) else free_pk(model, entry.get("id"))
    if hasattr(model, "from_serializable_data"):
        return model.from_serializable_data(data, check_fks=False)
    return model_from_serializable_data(model, data, check_fks=False)


def locale_for(code: str) -> Locale:
    locale, _created = Locale.objects.get_or_create(language_code=code)
    return locale


# App labels before they were prefixed: bundles written then name their pages' types so.
LEGACY_APP_LABELS = {"cms": "assises_cms", "events": "assises_events", "press": "assises_press"}


def installed_page_model(label: str) -> type[Page] | None:
    """The page model a bundle's `type` names in this site, None if it has no such type.

    Bundles keep the labels of the day they were written: `events.speakerpage` (before the
    apps' labels were prefixed) is `assises_events.speakerpage` today.
    """
    app_label, _dot, model_name = label.partition(".")
    for candidate in (label, f"{LEGACY_APP_LABELS.get(app_label, app_label)}.{model_name}"):
        try:
            return apps.get_model(candidate)
        except (LookupError, ValueError):
            continue
    return None


def page_model(entry: dict[str, Any]) -> type[Page]:
    """The entry's page model, or a BundleError naming the type this site lacks."""
    model = installed_page_model(entry["type"])
    if model is None:
        raise BundleError(
            _("Page type %(type)s of « %(title)s » is not installed in this site.")
            % {"type": entry["type"], "title": entry.get("title", "")}
        )
    return model


def find_page(entry: dict[str, Any], parent: Page | None) -> Page | None:
    """The page of this site that is the entry's page: same translation, else same URL.

    A type this site lacks finds nothing here: the caller's `match` may still stand a page in
    for it (a home page), or creating it says which type is missing."""
    model = installed_page_model(entry["type"])
    if model is None:
        return None
    found = (
        Page.objects.filter(
            translation_key=entry["translation_key"], locale__language_code=entry["locale"]
        )
        .specific()
        .first()
    )
    if found is None and parent is not None:
        found = Page.objects.child_of(parent).filter(slug=entry["slug"]).specific().first()
    if found is not None and not isinstance(found, model):
        raise BundleError(
            _("The address %(url)s is already taken by a page of another type.")
            % {"url": found.url_path}
        )
    return found


@contextmanager
def explicit_page_pk(page: Page, pk: Any) -> Iterator[None]:
    """Insert `page` with primary key `pk` (None: the database's next one).

    Wagtail's `Page.save` takes a page with an id for an existing one, so the id is given at
    the last moment, in `pre_save`, after Wagtail has treated the page as new.
    """
    if pk is None:
        yield
        return

    def give_pk(sender, instance, **kwargs) -> None:
        if instance is page and page.id is None:
            page.id = pk

    uid = f"assises-archive-pk-{id(page)}"
    pre_save.connect(give_pk, sender=type(page), weak=False, dispatch_uid=uid)
    try:
        yield
    finally:
        pre_save.disconnect(sender=type(page), dispatch_uid=uid)


def create_page(entry: dict[str, Any], parent: Page, ids: IdMap, urls: dict | None = None) -> Page:
    """Add and publish the entry's page under `parent`, with its slug, keys and dates."""
    model = page_model(entry)
    page = instance_from_entry(model, entry, ids, urls)
    page.slug = entry["slug"]
    page.locale = locale_for(entry["locale"])
    page.translation_key = entry["translation_key"]
    page.live = True
    page.content_type = ContentType.objects.get_for_model(model)
    page._state.adding = True  # built like a revision's copy, but new to this database
    with explicit_page_pk(page, free_pk(model, entry["id"])):
        parent.add_child(instance=page)
    revision = page.save_revision(clean=False)
    revision.publish()
    # publish() stamps the present; documents and feeds show when it was really published.
    # The revision itself keeps the import's date: the history tells what happened here.
    Page.objects.filter(pk=page.pk).update(
        first_published_at=entry["first_published_at"] or page.first_published_at,
        last_published_at=entry["last_published_at"] or page.last_published_at,
    )
    return model.objects.get(pk=page.pk)


def import_page(
    entry: dict[str, Any],
    ids: IdMap,
    report: Any,
    match: Callable[[dict[str, Any], Page], Page | None] | None = None,
    urls: dict | None = None,
) -> Page:
    """The entry's page in this site: found (left untouched) or created; its id is mapped."""
    parent = Page.objects.filter(pk=ids.get("page", entry["parent"])).first()
    if parent is None:
        raise BundleError(
            _("The parent of %(url)s is neither in the archive nor in this site.")
            % {"url": entry["url_path"]}
        )
    page = find_page(entry, parent)
    if page is None and match is not None:
        page = match(entry, parent)
    if page is None:
        page = create_page(entry, parent, ids, urls)
        report.created(entry["type"])
    else:
        report.kept(entry["type"])
    ids.set("page", entry["id"], page.pk)
    return page


def reset_sequences(models_: list[type[models.Model]]) -> None:
    """After inserting explicit primary keys, PostgreSQL's sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
