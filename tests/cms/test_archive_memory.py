"""A thousand images go through a bundle without being held in memory together."""

import gc
import hashlib
import io
import os
import tracemalloc

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from cms.archive.exporter import write_bundle
from cms.archive.importer import import_bundle
from cms.archive.registry import Selection
from cms.archive.verify import open_bundle
from demosite.models import CreditedImage

COUNT = 1000
SIDE = 96  # random pixels do not compress: about 27 KB of PNG each


def _noise_png(seed: int) -> bytes:
    pixels = hashlib.shake_256(seed.to_bytes(4, "big")).digest(SIDE * SIDE * 3)
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (SIDE, SIDE), pixels).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _images() -> tuple[list[int], int]:
    """Tiny noise PNGs stored straight into storage (what an upload leaves behind)."""
    rows, total = [], 0
    for n in range(COUNT):
        data = _noise_png(n)
        total += len(data)
        name = default_storage.save(f"original_images/bruit-{n}.png", ContentFile(data))
        rows.append(
            CreditedImage(
                title=f"Bruit {n}",
                file=name,
                width=SIDE,
                height=SIDE,
                file_size=len(data),
                file_hash=hashlib.sha1(data).hexdigest(),
                credit="Tests",
                description=f"Bruit numéro {n}",
            )
        )
    created = CreditedImage.objects.bulk_create(rows)
    return [image.pk for image in created], total


def _peak(function, *args) -> int:
    gc.collect()  # from a collected heap: garbage left by earlier tests is not ours to count
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_thousand_images_export_and_import_with_bounded_memory(tmp_path, db):
    ids, total = _images()
    bundle = tmp_path / "images.zip"
    selection = Selection(images=set(ids))

    export_peak = _peak(write_bundle, bundle, selection)
    with open_bundle(bundle) as opened:
        assert opened.manifest["counts"]["images"] == COUNT
        stored = [e for e in opened.manifest["files"] if e["path"].startswith("media/")]
        assert sum(entry["size"] for entry in stored) == total

    before = CreditedImage.objects.count()
    CreditedImage.objects.filter(pk__in=ids).delete()
    import_peak = _peak(import_bundle, bundle)
    assert CreditedImage.objects.count() == before
    restored = CreditedImage.objects.get(title="Bruit 999")
    assert (restored.credit, restored.description) == ("Tests", "Bruit numéro 999")
    with restored.file.open() as handle:
        assert handle.read() == _noise_png(999)

    assert total > 25 * 2**20
    # Python's allocations (about 5 MB each way when measured) stay far below the images'
    # total size: files are streamed, metadata is read a chunk at a time.
    assert export_peak < 10 * 2**20 < total / 2.5, export_peak
    assert import_peak < 10 * 2**20, import_peak
    for image in CreditedImage.objects.filter(title__startswith="Bruit "):
        os.remove(image.file.path)
