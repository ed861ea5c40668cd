"""Archive bundles over a limit, or with media that are not what they claim, are refused fast,
from the zip's directory, with little memory, and nothing is written."""

from __future__ import annotations

import io
import json
import os
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.models import Page

from demosite.models import CreditedImage
from press.models import CommuniquePage
from tests.archive_helpers import export, payload_prefix, rewrite

MIB = 1024 * 1024
GIB = 1024 * MIB


@pytest.fixture
def without_communique(communique):
    """No communiqué at all (the demo has a published, a scheduled and a draft one): an import
    refused must leave none behind."""
    for page in CommuniquePage.objects.all():
        page.delete()
    return communique


def state() -> tuple[int, ...]:
    media = sum(len(files) for _root, _dirs, files in os.walk(settings.MEDIA_ROOT))
    return Page.objects.count(), CreditedImage.objects.count(), media


def refused(path, pattern: str, seconds: float = 1) -> None:
    before = state()
    started = time.process_time()  # CPU time: other processes do not count
    with pytest.raises(CommandError, match=pattern):
        call_command("import_archive", str(path), stdout=io.StringIO())
    assert time.process_time() - started < seconds
    assert state() == before
    assert not CommuniquePage.objects.exists()


def padded(size: int, byte: bytes = b" ") -> bytes:
    """``size`` copies of ``byte``, deflated, built from one compressed MiB repeated.

    A full flush after each MiB resets the compressor, so every MiB compresses to the same
    bytes: a gigabyte of padding costs a megabyte of disk and no time to build.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(byte * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * (size // MIB) + compressor.flush()


def with_member(source, target, path: str, payload: bytes, size: int):
    """``source`` with the payload member ``path`` replaced by raw deflated ``payload`` that
    declares ``size`` bytes, listed so in manifest.json (the checksum is left wrong: the limits
    must refuse it before any checksum is computed)."""
    prefix = payload_prefix(source)
    with zipfile.ZipFile(source) as archive:
        everything = {n: archive.read(n) for n in archive.namelist() if n != prefix + path}
    manifest_name = prefix + "manifest.json"
    manifest = json.loads(everything[manifest_name])
    manifest["files"] = [e for e in manifest["files"] if e["path"] != path]
    manifest["files"].append({"path": path, "sha256": "0" * 64, "size": size})
    everything[manifest_name] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in everything.items():
            archive.writestr(name, data)
    body = out.getvalue()
    end = body.rfind(b"PK\x05\x06")
    count, directory_size, offset = struct.unpack_from("<HII", body, end + 10)
    directory = body[offset : offset + directory_size]
    name = (prefix + path).encode()
    sizes = (0, len(payload), size, len(name))  # CRC left at 0: never read
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, *sizes, 0)
    entry = struct.pack(
        "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0,
        0o644 << 16, offset,
    )  # fmt: skip
    new_directory = directory + entry + name
    new_offset = offset + len(local) + len(name) + len(payload)
    record = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, count + 1, count + 1, len(new_directory), new_offset, 0
    )
    target.write_bytes(body[:offset] + local + name + payload + new_directory + record)
    return target


def test_bundle_padded_to_a_gigabyte_is_refused_fast_with_little_memory(
    bundle, without_communique, tmp_path
):
    path = with_member(bundle, tmp_path / "padded.zip", "data/press.json", padded(GIB), GIB)
    assert path.stat().st_size < 5 * MIB
    tracemalloc.start()
    try:
        refused(path, "ARCHIVE_MAX_DATA_BYTES")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * MIB


def test_verify_archive_refuses_the_padded_bundle_before_extracting(bundle, tmp_path):
    path = with_member(bundle, tmp_path / "padded.zip", "data/press.json", padded(GIB), GIB)
    started = time.process_time()
    with pytest.raises(CommandError, match="ARCHIVE_MAX_DATA_BYTES"):
        call_command("verify_archive", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert time.process_time() - started < 1


def test_highly_compressed_member_is_refused(bundle, without_communique, tmp_path):
    payload = padded(100 * MIB, b"\0")
    path = with_member(
        bundle, tmp_path / "bomb.zip", "media/original_images/x.png", payload, 100 * MIB
    )
    refused(path, "ARCHIVE_MAX_RATIO")


def test_member_over_its_size_limit_is_refused(bundle, without_communique, tmp_path, settings):
    settings.ASSISES = {**settings.ASSISES, "ARCHIVE_MAX_MEMBER_BYTES": 10 * MIB}
    path = with_member(
        bundle, tmp_path / "big.zip", "media/documents/x.pdf", padded(20 * MIB), 20 * MIB
    )
    refused(path, "ARCHIVE_MAX_MEMBER_BYTES")


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("ARCHIVE_MAX_MEMBERS", 10),
        ("ARCHIVE_MAX_MANIFEST_BYTES", 100),
        ("ARCHIVE_MAX_TOTAL_BYTES", 1000),
    ],
)
def test_bundle_over_a_configured_limit_is_refused(
    bundle, without_communique, settings, setting, value
):
    settings.ASSISES = {**settings.ASSISES, setting: value}
    refused(bundle, setting)


def test_image_that_is_not_an_image_is_refused(bundle, members, without_communique, tmp_path):
    image = next(name for name in members if name.startswith("media/original_images/"))
    damaged = rewrite(bundle, tmp_path / "fake.zip", {image: b"%PDF-1.4 not an image"})
    refused(damaged, image)


def test_document_that_is_not_what_its_name_says_is_refused(bundle, without_communique, tmp_path):
    fake = {"media/documents/programme.pdf": b"<html><script>alert(1)</script></html>"}
    refused(rewrite(bundle, tmp_path / "fake.zip", {}, extra=fake), "programme.pdf")


def test_document_of_a_refused_type_is_refused(bundle, without_communique, tmp_path):
    page = {"media/documents/page.html": b"<html><script>alert(1)</script></html>"}
    refused(rewrite(bundle, tmp_path / "html.zip", {}, extra=page), "page.html")


def test_export_archive_writes_a_shareable_file(db, amboise, tmp_path):
    previous = os.umask(0o022)
    try:
        path = export(tmp_path / "amboise.zip", "--edition", "amboise-2024")
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644
