"""Finding and rewriting the references held by a page's or snippet's field values.

A bundle stores content with the primary keys of the site it came from: a hero image id, the
speakers chosen in a programme's StreamField, a page linked from rich text, a contact chosen in
a communiqué. The same walk serves twice: on export it collects what the content needs (so the
images and topics go in the bundle), on import it maps each key to the object it became.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.db import models
from modelcluster.models import get_all_child_relations
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page

# visit(label, value) -> the value to keep, or None to drop the reference
Visit = Callable[[str, Any], Any]

# A struct whose required chooser lost its object (a participant whose speaker is not in the
# bundle, or not in this site): the list or stream holding it leaves it out, like a child row.
DROPPED = object()

_TAG = re.compile(r"<(a|embed)\b([^>]*?)(/?)>")
_ID = re.compile(r'\bid="([^"]*)"')
_TYPE = re.compile(r'\b(?:linktype|embedtype)="([^"]*)"')
_RICH_TEXT_LABELS = {"page": "page", "document": "document", "image": "image"}


def label_of(model: type[models.Model]) -> str:
    """How references to `model` are named in a bundle: `page`, `image`, `document` or a label."""
    if issubclass(model, Page):
        return "page"
    if issubclass(model, get_image_model()):
        return "image"
    if issubclass(model, get_document_model()):
        return "document"
    return model._meta.label_lower


def walk_rich_text(html: str, visit: Visit, urls: dict[str, str] | None = None) -> str:
    """Map the page, document and image ids of Wagtail's stored rich text.

    A link whose target is gone becomes a link to `urls[id]` (the page's public URL, kept by
    the bundle) or a plain `<a>`; an image that is gone is dropped.
    """

    def replace(match: re.Match) -> str:
        tag, attributes = match.group(1), match.group(2)
        kind, ident = _TYPE.search(attributes), _ID.search(attributes)
        if kind is None or ident is None or kind.group(1) not in _RICH_TEXT_LABELS:
            return match.group(0)
        label = _RICH_TEXT_LABELS[kind.group(1)]
        target = visit(label, _int(ident.group(1)))
        if target is not None:
            new = _ID.sub(f'id="{target}"', attributes, count=1)
            return f"<{tag}{new}{match.group(3)}>"
        if tag == "embed":
            return ""
        url = (urls or {}).get(f"{label}:{ident.group(1)}")
        return f'<a href="{url}">' if url else "<a>"

    return _TAG.sub(replace, html or "")


def _int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def walk_block(block: blocks.Block, value: Any, visit: Visit, urls: dict | None = None) -> Any:
    """Map the references inside a StreamField block's raw (JSON) value."""
    if value is None:
        return None
    if isinstance(block, blocks.StreamBlock):
        kept = []
        for child in value:
            child_block = block.child_blocks.get(child.get("type"))
            if child_block is not None:
                child["value"] = walk_block(child_block, child.get("value"), visit, urls)
                if child["value"] is DROPPED:
                    continue
            kept.append(child)
        return kept
    if isinstance(block, blocks.ListBlock):
        items = []
        for item in value:
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                item["value"] = walk_block(block.child_block, item["value"], visit, urls)
                if item["value"] is DROPPED:
                    continue
            else:
                item = walk_block(block.child_block, item, visit, urls)
                if item is DROPPED:
                    continue
            items.append(item)
        return items
    if isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            if name in value:
                value[name] = walk_block(child_block, value[name], visit, urls)
                if value[name] is DROPPED or _empty_required(child_block, value[name]):
                    return DROPPED
        return value
    if isinstance(block, blocks.ChooserBlock):
        return visit(label_of(block.model_class), value)
    if isinstance(block, blocks.RichTextBlock):
        return walk_rich_text(value, visit, urls)
    return value


def _empty_required(block: blocks.Block, value: Any) -> bool:
    """A required chooser left empty: dropped here, or already empty when read (its object was
    deleted, and Wagtail's stream gives None for it). Published content passed validation, so
    an empty required chooser always means the object is gone."""
    return isinstance(block, blocks.ChooserBlock) and block.required and value in (None, "")


def walk_fields(
    model: type[models.Model], data: dict[str, Any], visit: Visit, urls: dict | None = None
) -> None:
    """Map the references of one object's serialised fields, in place, child rows included.

    Foreign keys of the page's own model are mapped (Wagtail's bookkeeping keys are not part of
    a bundle); child rows whose required reference is gone are dropped.
    """
    for name in list(data):
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - child relations are not fields of the model
            continue
        value = data[name]
        if isinstance(field, models.ForeignKey) and not field.remote_field.parent_link:
            if value is not None:
                data[name] = visit(label_of(field.related_model), value)
        elif isinstance(field, RichTextField):
            data[name] = walk_rich_text(value, visit, urls)
        elif isinstance(field, StreamField):
            data[name] = walk_block(field.stream_block, value, visit, urls)
    for relation in get_all_child_relations(model):
        name = relation.get_accessor_name()
        if not isinstance(data.get(name), list):
            continue
        child_model = relation.related_model
        rows = []
        for row in data[name]:
            walk_fields(child_model, row, visit, urls)
            required = [
                f.name
                for f in child_model._meta.concrete_fields
                if isinstance(f, models.ForeignKey) and not f.null and f.name in row
            ]
            if all(row[f] is not None for f in required):
                rows.append(row)
        data[name] = rows


def collector(found: dict[str, set[Any]]) -> Visit:
    """A visit that records every reference and keeps it."""

    def visit(label: str, value: Any) -> Any:
        if value not in (None, ""):
            found[label].add(value)
        return value

    return visit


def streams_to_json(model: type[models.Model], data: dict[str, Any]) -> None:
    """StreamField values as JSON text again, as model fields take them."""
    for name, value in list(data.items()):
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001
            continue
        if isinstance(field, StreamField) and not isinstance(value, str):
            data[name] = json.dumps(value)
