"""The bundle as standard preservation tools see it: a BagIt bag that the Library of Congress'
`bagit` validates, holding a WARC capture that `warcio` reads and indexes; `verify_archive`."""

import io
import json
import zipfile
from urllib.parse import unquote

import bagit
import pytest
from django.core.management import CommandError, call_command
from warcio.archiveiterator import ArchiveIterator

from cms.archive.bundle import FORMAT
from cms.public import page_url, public_base_url
from tests.archive_helpers import members, message, prefix, rewrite


@pytest.fixture(scope="module")
def payload(bundle):
    return members(bundle)


def _extract(path, target):
    with zipfile.ZipFile(path) as archive:
        archive.extractall(target)
    return target / "amboise"


def _records(payload):
    """Every WARC record read by warcio: (type, URL, status, headers, body)."""
    found = []
    for record in ArchiveIterator(io.BytesIO(payload["site.warc.gz"]), check_digests=True):
        body = record.content_stream().read()
        assert record.digest_checker.passed is not False, record.digest_checker.problems
        status = record.http_headers.get_statuscode() if record.http_headers else None
        url = record.rec_headers.get_header("WARC-Target-URI")
        found.append((record.rec_type, url, status, record.http_headers, body))
    return found


def test_bagit_validates_the_exported_bag(bundle, tmp_path):
    bag = bagit.Bag(str(_extract(bundle, tmp_path)))
    bag.validate()  # raises BagValidationError when anything is wrong
    assert bag.version_info == (1, 0)
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert "data/manifest.json" in bag.payload_entries()
    assert "data/site.warc.gz" in bag.payload_entries()


def test_bag_info_describes_the_deposit(bundle, tmp_path, amboise):
    info = bagit.Bag(str(_extract(bundle, tmp_path))).info
    assert info["Source-Organization"] == "Association des petites villes de France"
    assert info["Contact-Email"]
    assert "Amboise" in info["External-Description"]
    assert info["External-Identifier"] == page_url(amboise)
    assert info["External-Identifier"].startswith(public_base_url())
    assert len(info["Bagging-Date"]) == 10
    octets, count = info["Payload-Oxum"].split(".")
    assert int(count) == len(list((tmp_path / "amboise" / "data").rglob("*.*")))
    assert info["Bag-Software-Agent"] == "Assises 0.1.0"


def test_bagit_refuses_a_bag_with_a_changed_payload_byte(bundle, tmp_path):
    root = _extract(bundle, tmp_path)
    target = root / "data" / "data" / "press.json"
    data = bytearray(target.read_bytes())
    data[10] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(root)).validate()


def test_warcio_reads_every_record_warcinfo_first(payload):
    records = _records(payload)
    assert records[0][0] == "warcinfo"
    assert b"Assises 0.1.0" in records[0][4] and b"isPartOf: amboise" in records[0][4]
    kinds = {kind for kind, *_rest in records[1:]}
    assert kinds == {"request", "response"}
    responses = [r for r in records if r[0] == "response"]
    assert all(url.startswith(public_base_url() + "/") for _k, url, *_r in responses)
    assert all(headers.get_header("Content-Type") for *_r, headers, _b in responses)


def _responses(payload):
    return {url: rest for kind, url, *rest in _records(payload) if kind == "response"}


def test_every_page_and_api_document_of_the_edition_is_captured_with_status_200(
    payload, amboise, communique
):
    responses = _responses(payload)
    base = public_base_url()
    documents = [json.loads(data) for name, data in payload.items() if name.startswith("api/")]
    pages = {
        doc["url"].split("#")[0] for doc in documents if str(doc.get("url")).startswith(base + "/")
    }
    assert {page_url(amboise), page_url(communique)} <= pages
    for url in pages:
        status, headers, _body = responses[url]
        assert status == "200", url
        assert headers.get_header("Content-Type").startswith("text/html"), url
    assert amboise.title.encode() in responses[page_url(amboise)][2]
    # The API serves each stored document of the bundle, byte for byte.
    for name, data in payload.items():
        if name.startswith("api/"):
            status, _headers, body = responses[json.loads(data)["api_url"]]
            assert (status, body) == ("200", data), name


def test_exports_and_media_are_captured_as_served(payload):
    responses = _responses(payload)
    bodies = {body for _status, _headers, body in responses.values()}
    for path in ("calendar/amboise-2024.ics", "feeds/amboise-2024.rss", "feeds/amboise-2024.atom"):
        assert payload[path] in bodies, path
    media = public_base_url() + "/media/"
    captured = {
        unquote(url[len(media) :]): v for url, v in responses.items() if url.startswith(media)
    }
    for name, data in payload.items():
        if name.startswith("media/"):
            status, headers, body = captured[name[len("media/") :]]
            assert (status, body) == ("200", data), name
            assert headers.get_header("Content-Length") == str(len(data))
    images = [v for name, v in captured.items() if name.endswith((".jpg", ".png", ".webp"))]
    assert images and all(h.get_header("Content-Type").startswith("image/") for _s, h, _b in images)


def test_speaker_pages_are_captured_with_status_200(payload):
    responses = _responses(payload)
    speakers = [u for u in responses if "/intervenants/" in u and not u.endswith("/intervenants/")]
    assert len(speakers) == 8
    assert all(responses[url][0] == "200" for url in speakers)


def test_a_cdx_index_of_the_capture_finds_the_edition_page(payload, amboise):
    """What a replay tool does: index (URL, date, offset) of each response, then look up."""
    index = {}
    stream = io.BytesIO(payload["site.warc.gz"])
    iterator = ArchiveIterator(stream)
    for record in iterator:
        if record.rec_type == "response":
            url = record.rec_headers.get_header("WARC-Target-URI")
            index[url] = (record.rec_headers.get_header("WARC-Date"), iterator.get_record_offset())
    date, offset = index[page_url(amboise)]
    assert date
    stream.seek(offset)
    record = next(iter(ArchiveIterator(stream)))
    assert record.rec_headers.get_header("WARC-Target-URI") == page_url(amboise)
    assert record.http_headers.get_statuscode() == "200"
    assert amboise.title.encode() in record.content_stream().read()


def test_verify_archive_accepts_a_good_bundle(bundle):
    out = io.StringIO()
    call_command("verify_archive", str(bundle), "--no-progress", stdout=out)
    report = out.getvalue()
    assert "bagit" in report and "warcio" in report
    assert "External-Identifier" in report
    assert report.strip().splitlines()[-1] in ("The archive is valid.", "L'archive est valide.")


def test_verify_archive_refuses_a_changed_payload_byte(bundle, payload, tmp_path):
    changed = bytearray(payload["data/press.json"])
    changed[10] ^= 0x01
    damaged = rewrite(bundle, tmp_path / "x.zip", {"data/press.json": bytes(changed)}, fix=False)
    with pytest.raises(CommandError, match=prefix("BagIt validation failed: %(reason)s")):
        call_command("verify_archive", str(damaged), "--no-progress", stdout=io.StringIO())


def test_verify_archive_refuses_a_changed_warc(bundle, payload, tmp_path):
    warc = bytearray(payload["site.warc.gz"])
    warc[len(warc) // 2] ^= 0x01
    damaged = rewrite(bundle, tmp_path / "w.zip", {"site.warc.gz": bytes(warc)}, fix=False)
    with pytest.raises(CommandError, match=prefix("The archive is not valid: %(reason)s")):
        call_command("verify_archive", str(damaged), "--no-progress", stdout=io.StringIO())


def test_verify_archive_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=message("No such file: %(path)s.", path="nowhere.zip")):
        call_command("verify_archive", "nowhere.zip", "--no-progress", stdout=io.StringIO())


def test_pre_bagit_bundles_still_import_and_verify(bundle, tmp_path, db, committed):
    legacy = rewrite(bundle, tmp_path / "legacy.zip", {}, legacy=True)
    with zipfile.ZipFile(legacy) as archive:
        assert "manifest.json" in archive.namelist()
        assert not any(name.startswith("amboise/") for name in archive.namelist())
    out = io.StringIO()
    call_command("verify_archive", str(legacy), "--no-progress", stdout=out)
    assert "BagIt" in out.getvalue()
    assert json.loads(members(legacy)["manifest.json"])["format"] == FORMAT
    out = io.StringIO()
    with committed():
        call_command("import_archive", str(legacy), stdout=out)  # a refusal would raise
    assert "already" in out.getvalue() or "déjà" in out.getvalue()


def test_a_flipped_byte_in_a_deflated_member_is_refused(bundle, tmp_path, db):
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo("amboise/data/data/press.json")
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 20
    data[offset] ^= 0xFF
    damaged = tmp_path / "flipped.zip"
    damaged.write_bytes(bytes(data))
    with pytest.raises(CommandError, match=prefix("The archive is not valid: %(reason)s")):
        call_command("verify_archive", str(damaged), "--no-progress", stdout=io.StringIO())
    with pytest.raises(CommandError, match=prefix("The archive was not imported: %(reason)s")):
        call_command("import_archive", str(damaged), stdout=io.StringIO())
