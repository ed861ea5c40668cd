"""Images and documents in a bundle: metadata in `data/`, files under `media/` as stored.

Files keep their storage names (`media/original_images/…`, `media/images/…` for renditions,
`media/documents/…`), so a URL of the site maps onto the bundle by its path. Only the renditions
that the stored documents reference go in; on import they are recreated with their files, so the
re-rendered documents point at the very same rendition URLs instead of generating new ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.core.files import File
from modelsearch.backends import get_search_backends
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, ReferenceIndex
from wagtail.utils.file import hash_filelike

from .bundle import BundleWriter, check_member_path

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .importer import ImportContext

SKIPPED = {"id", "file", "collection", "uploaded_by_user", "created_at", "file_hash", "file_size"}
# What only the admin's media library shows (who uploaded, when, into which collection, with
# which tags) stays out of bundles: an importing site files the media in its root collection.
MEDIA = "media/"
CHUNK = 200


def _own_fields(model) -> list[str]:
    """The model's own plain columns (no keys, no file, no bookkeeping) kept in a bundle."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.name not in SKIPPED and not field.is_relation
    ]


def _file_facts(storage, row: dict[str, Any]) -> tuple[str, int]:
    """SHA-1 (Wagtail's `file_hash`) and size, computed from the file when not recorded."""
    file_hash, size = row["file_hash"], row["file_size"]
    if not file_hash:
        with storage.open(row["file"]) as handle:
            file_hash = hash_filelike(handle)
    if size is None:
        size = storage.size(row["file"])
    return file_hash, size


def _entries(model, ids: Iterable[int]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(entry, database row) per object, read a chunk at a time as plain values.

    Plain rows rather than model instances: instances hold reference cycles (their files
    point back at them) that only a full garbage collection frees, and memory would grow
    with the number of images.
    """
    storage = model._meta.get_field("file").storage
    own = _own_fields(model)
    columns = ["pk", "file", "file_hash", "file_size", *own]
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        for row in model.objects.filter(pk__in=chunk).order_by("pk").values(*columns):
            file_hash, size = _file_facts(storage, row)
            entry = {
                "id": row["pk"],
                "file": row["file"],
                "file_hash": file_hash,
                "file_size": size,
                "fields": {name: row[name] for name in own},
            }
            yield entry, row


def image_entries(ids: Iterable[int], referenced: set[str]) -> list[dict[str, Any]]:
    """Images with the renditions that the bundle's documents reference."""
    model = get_image_model()
    renditions = model.get_rendition_model().objects.order_by("file")
    columns = ("image_id", "filter_spec", "focal_point_key", "file", "width", "height")
    entries = [entry for entry, _row in _entries(model, ids)]
    for start in range(0, len(entries), CHUNK):
        group = entries[start : start + CHUNK]
        found: dict[int, list] = defaultdict(list)
        for row in renditions.filter(image_id__in=[e["id"] for e in group]).values(*columns):
            if row["file"] in referenced:
                found[row.pop("image_id")].append(row)
        for entry in group:
            entry["renditions"] = found.get(entry["id"], [])
    return entries


def document_entries(ids: Iterable[int]) -> list[dict[str, Any]]:
    return [entry for entry, _row in _entries(get_document_model(), ids)]


def media_files(images: list[dict], documents: list[dict]) -> Iterator[str]:
    """Storage names of every file the bundle carries, in a stable order."""
    names = {entry["file"] for entry in images + documents}
    names |= {r["file"] for entry in images for r in entry["renditions"]}
    yield from sorted(names)


def write_media(writer: BundleWriter, names: Iterable[str], progress=None) -> None:
    """Copy files from storage into `media/`, streamed."""
    storage = get_image_model()._meta.get_field("file").storage
    for name in names:
        with storage.open(name) as handle:
            writer.write_file(MEDIA + name, handle, storage.size(name))
        if progress is not None:
            progress.update(1)


# -- import ---------------------------------------------------------------------------------


def _collection(name: str) -> Collection:
    root = Collection.get_first_root_node()
    if name == root.name:
        return root
    return Collection.objects.filter(name=name).first() or root


def _store(context, storage, name: str) -> str:
    """Save a bundle file into storage under its name (or a free variant of it)."""
    check_member_path(MEDIA + name)
    with context.bundle.open(MEDIA + name) as handle:
        saved = storage.save(name, File(handle, name=name.rsplit("/", 1)[-1]))
    context.saved_files.append((storage, saved))  # removed again if the import fails
    return saved


def _hash_of(obj: Any) -> str:
    try:
        with obj.file.storage.open(obj.file.name) as handle:
            return hash_filelike(handle)
    except OSError:
        return ""


def find_same_file(model: type, entry: dict[str, Any], context: ImportContext) -> Any:
    """The pk of the image or document of this site with the same file content, if any.

    Known hashes are read once per import. Wagtail fills `file_hash` lazily, so files
    without one are hashed here, once, without saving anything.
    """
    hashes = context.file_hashes.get(model)
    if hashes is None:
        hashes = context.file_hashes[model] = {}
        for obj in model.objects.filter(file_hash="").order_by("-pk").iterator():
            hashes[_hash_of(obj)] = obj.pk
        rows = model.objects.exclude(file_hash="").order_by("-pk").values_list("file_hash", "pk")
        hashes.update(rows)  # the oldest wins
    return hashes.get(entry["file_hash"])


BATCH_SIZE = 200


def _build(model, entry: dict[str, Any], context, taken: set) -> Any:
    """An unsaved image or document with its file already in storage."""
    storage = model._meta.get_field("file").storage
    values = {}
    for name, value in entry["fields"].items():
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a field this site does not have
            continue
        values[name] = field.to_python(value)
    collections = context.file_hashes.setdefault("collections", {})
    name = entry.get("collection")  # only in bundles written before it was left out
    if name not in collections:
        collections[name] = _collection(name)
    return model(
        pk=None if entry["id"] in taken else entry["id"],
        file=_store(context, storage, entry["file"]),
        file_hash=entry["file_hash"],
        file_size=entry["file_size"],
        collection=collections[name],
        **values,
    )


def _flush(model, pending: list[tuple[Any, dict]], context, label: str) -> None:
    """Insert a batch in one go, then do what saving each one would have done.

    `bulk_create` sends no signal: the search index and Wagtail's reference index are
    updated here; new files change no published document, so nothing is re-rendered.
    """
    if not pending:
        return
    objects = model.objects.bulk_create([obj for obj, _entry in pending])
    created_at = model._meta.get_field("created_at")
    dated = [(obj, entry) for obj, entry in pending if entry.get("created_at")]  # older bundles
    for obj, entry in dated:
        obj.created_at = created_at.to_python(entry["created_at"])
    model.objects.bulk_update([obj for obj, _entry in dated], ["created_at"])
    for obj, entry in pending:
        if entry.get("tags"):
            obj.tags.add(*entry["tags"])
        ReferenceIndex.create_or_update_for_object(obj)
        context.ids.set(label, entry["id"], obj.pk)
        context.report.created(label)
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, objects)
    if label == "image":
        _renditions(model, pending, context)
    pending.clear()


def _renditions(model, pending: list[tuple[Any, dict]], context) -> None:
    rendition_model = model.get_rendition_model()
    storage = model._meta.get_field("file").storage
    rendition_model.objects.bulk_create(
        rendition_model(
            image=image,
            filter_spec=r["filter_spec"],
            focal_point_key=r["focal_point_key"],
            file=_store(context, storage, r["file"]),
            width=r["width"],
            height=r["height"],
        )
        for image, entry in pending
        for r in entry["renditions"]
    )


def _import_files(model, entries: list[dict[str, Any]], context, label: str) -> None:
    """Images or documents of the bundle: the same file already here is reused."""
    pending: list[tuple[Any, dict]] = []
    twins: dict[str, list[Any]] = {}  # a file listed twice in the bundle is created once
    first: dict[str, Any] = {}
    wanted = [entry["id"] for entry in entries]
    taken = set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    for entry in entries:
        if entry["file_hash"] in first:
            twins.setdefault(entry["file_hash"], []).append(entry["id"])
            continue
        existing = find_same_file(model, entry, context)
        if existing is not None:
            context.ids.set(label, entry["id"], existing)
            context.report.kept(label)
            continue
        first[entry["file_hash"]] = entry["id"]
        pending.append((_build(model, entry, context, taken), entry))
        if len(pending) >= BATCH_SIZE:
            _flush(model, pending, context, label)
    _flush(model, pending, context, label)
    for file_hash, sources in twins.items():
        for source in sources:
            context.ids.set(label, source, context.ids.get(label, first[file_hash]))


def import_images(entries: list[dict[str, Any]], context: ImportContext) -> None:
    _import_files(get_image_model(), entries, context, "image")


def import_documents(entries: list[dict[str, Any]], context: ImportContext) -> None:
    _import_files(get_document_model(), entries, context, "document")
