"""The bundle of the demo's Amboise 2024 edition: checksummed, complete, browsable from disk;
and bundles that are damaged, foreign or malicious, refused before anything is written."""

import hashlib
import io
import json
import os
import zipfile

import lxml.html
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from cms.archive.bundle import FORMAT, FORMAT_VERSION, dumps
from cms.models import StoredDocument
from demosite.models import CreditedImage
from events.models import CongressEditionPage
from press.models import CommuniquePage
from tests.archive_helpers import (
    export,
    manifest,
    message,
    payload_prefix,
    resolve_link,
    rewrite,
)


def test_manifest_describes_the_bundle(bundle):
    data = manifest(bundle)
    assert data["format"] == FORMAT == "assises-archive"
    assert data["format_version"] == FORMAT_VERSION == 1
    assert data["generator"] == "Assises 0.1.0"
    assert data["counts"] == {
        "communiques": 1,
        "contacts": 2,
        "documents": 0,
        "editions": 1,
        "images": 10,
        "sessions": 10,
        "speakers": 8,
        "topics": 7,
    }


def test_manifest_checksums_match_every_member(bundle, members):
    listed = {entry["path"]: entry for entry in manifest(bundle)["files"]}
    # The WARC capture, dated, is left to the bag's manifests (see test_archive_bagit.py).
    assert set(listed) == set(members) - {"manifest.json", "site.warc.gz"}
    for name, data in members.items():
        if name in listed:
            assert listed[name]["size"] == len(data)
            assert listed[name]["sha256"] == hashlib.sha256(data).hexdigest()


def test_members_come_in_a_stable_order_with_the_manifest_then_the_tag_files_last(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
    prefix = payload_prefix(bundle)
    assert prefix == "amboise/data/"
    payload = [name[len(prefix) :] for name in names if name.startswith(prefix)]
    assert payload[-2:] == ["site.warc.gz", "manifest.json"]
    sections = [name.split("/")[0] for name in payload[:-2]]
    order = ["api", "data", "media", "calendar", "feeds", "schedule", "site", "index.html"]
    assert sections == sorted(sections, key=order.index)
    assert names[len(payload) :] == [
        "amboise/" + tag
        for tag in (
            "bagit.txt",
            "bag-info.txt",
            "manifest-sha256.txt",
            "manifest-sha512.txt",
            "tagmanifest-sha256.txt",
            "tagmanifest-sha512.txt",
        )
    ]


def test_api_documents_are_copied_as_stored(members, amboise, communique):
    kinds = {"edition", "session", "series", "speaker", "communique", "contact", "topic"}
    assert kinds | {"organisation"} == {
        name.split("/")[1] for name in members if name[:4] == "api/"
    }
    for document in StoredDocument.objects.filter(source=f"page:{amboise.pk}"):
        path = f"api/{document.kind}/{document.object_id}.json"
        assert members[path] == bytes(document.body)
    assert f"api/communique/{communique.pk}.json" in members
    assert json.loads(members[f"api/edition/{amboise.pk}.json"])["archived"] is False


def test_data_holds_the_programme_with_its_session_ids(members, amboise):
    editions = json.loads(members["data/events.json"])["editions"]
    assert [entry["slug"] for entry in editions] == ["amboise-2024"]
    blocks = editions[0]["fields"]["programme"]
    assert {block["id"] for block in blocks} == {str(s["id"]) for s in amboise.sessions}
    assert editions[0]["url_path"] == amboise.url_path
    assert editions[0]["translation_key"] == str(amboise.translation_key)


def test_media_hold_originals_and_the_renditions_documents_use(members, amboise):
    images = json.loads(members["data/images.json"])
    hero = next(entry for entry in images if entry["id"] == amboise.hero_image_id)
    assert f"media/{hero['file']}" in members
    edition = members[f"api/edition/{amboise.pk}.json"].decode()
    for rendition in hero["renditions"]:
        assert f"media/{rendition['file']}" in members
        assert settings.MEDIA_URL + rendition["file"] in edition


def test_exports_are_the_bytes_the_site_serves(members, client, amboise):
    served = {
        "calendar/amboise-2024.ics": f"/calendars/editions/{amboise.pk}.ics",
        "schedule/amboise-2024/schedule.xml": f"/schedules/editions/{amboise.pk}/schedule.xml",
        "schedule/amboise-2024/schedule.json": f"/schedules/editions/{amboise.pk}/schedule.json",
        "feeds/amboise-2024.json": f"/feeds/communiques/editions/{amboise.pk}.json",
        "feeds/amboise-2024.rss": f"/feeds/communiques/editions/{amboise.pk}.rss",
        "feeds/amboise-2024.atom": f"/feeds/communiques/editions/{amboise.pk}.atom",
    }
    for path, url in served.items():
        assert members[path] == client.get(url).content, path


def test_static_site_pages_parse_and_every_link_resolves_inside_the_bundle(members):
    pages = [name for name in members if name.endswith(".html")]
    assert "site/index.html" in pages
    assert "site/assises/amboise-2024/index.html" in pages
    assert "site/assises/amboise-2024/programme.html" in pages
    assert "site/intervenants/christophe-bechu/index.html" in pages
    assert "site/presse/les-petites-villes-en-congres-a-amboise/index.html" in pages
    for page in pages:
        tree = lxml.html.fromstring(members[page])
        for _element, attribute, link, _pos in tree.iterlinks():
            if attribute not in ("href", "src") or link.startswith(("mailto:", "http")):
                continue
            target = resolve_link(page, link)
            assert target in members, f"{page}: {link}"
            if "#" in link and link.split("#")[1]:
                anchored = lxml.html.fromstring(members[target])
                assert anchored.get_element_by_id(link.split("#")[1]) is not None


def test_static_site_is_french_with_relative_images(members, amboise):
    html = members["site/assises/amboise-2024/programme.html"].decode()
    assert lxml.html.fromstring(html).get("lang") == "fr"
    assert "Programme" in html and "juin 2024" in html
    edition = lxml.html.fromstring(members["site/assises/amboise-2024/index.html"])
    sources = [img.get("src") for img in edition.iter("img")]
    assert sources == ["../../../media/" + amboise.hero_image.file.name]
    assert all(img.get("alt") for img in edition.iter("img"))


def test_static_site_links_nothing_of_the_live_site(members):
    for page in (name for name in members if name.endswith(".html")):
        assert 'href="http://127.0.0.1:8000' not in members[page].decode(), page
        assert 'src="http' not in members[page].decode(), page


def test_export_requires_a_choice_and_a_published_edition(tmp_path, db):
    with pytest.raises(
        CommandError, match=message("Nothing to export: say what goes in the archive (see --help).")
    ):
        export(tmp_path / "none.zip")
    with pytest.raises(
        CommandError, match=message("No published edition %(ref)s.", ref="nowhere-1999")
    ):
        export(tmp_path / "none.zip", "--edition", "nowhere-1999")
    assert not list(tmp_path.iterdir())


# -- refusals -------------------------------------------------------------------------------


SEED = "les-petites-villes-en-congres-a-amboise"  # the demo's drafts are never exported


def _state():
    media = sum(len(files) for _root, _dirs, files in os.walk(settings.MEDIA_ROOT))
    return (
        Page.objects.count(),
        CreditedImage.objects.count(),
        Revision.objects.count(),
        StoredDocument.objects.count(),
        media,
    )


@pytest.fixture
def without_communique(communique):
    """The demo minus its communiqué: a sound import of the bundle would bring it back."""
    communique.delete()
    return communique


def _refused(path, message):
    before = _state()
    with pytest.raises(CommandError, match=message):
        call_command("import_archive", str(path), stdout=io.StringIO())
    assert _state() == before
    assert not CommuniquePage.objects.filter(slug=SEED).exists()


def test_sound_bundle_brings_back_what_is_missing(bundle, without_communique, committed):
    pages = Page.objects.count()
    with committed():
        call_command("import_archive", str(bundle), stdout=io.StringIO())
    restored = CommuniquePage.objects.get(slug=SEED)
    assert Page.objects.count() == pages + 1
    assert restored.pk == without_communique.pk
    assert restored.url_path == without_communique.url_path
    assert StoredDocument.objects.filter(kind="communique", object_id=str(restored.pk)).exists()


def test_truncated_zip_is_refused(bundle, without_communique, tmp_path):
    damaged = tmp_path / "truncated.zip"
    damaged.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    _refused(
        damaged,
        message("%(path)s is not a zip archive, or it is truncated or damaged.", path=str(damaged)),
    )


def test_member_with_other_content_is_refused(bundle, members, without_communique, tmp_path):
    changed = members["data/press.json"].replace(b"Paris", b"Parjs", 1)  # same size
    damaged = rewrite(bundle, tmp_path / "changed.zip", {"data/press.json": changed}, fix=False)
    _refused(
        damaged,
        message(
            "The file %(path)s does not match its checksum in the manifest.", path="data/press.json"
        ),
    )


def test_flipped_byte_is_refused(bundle, without_communique, tmp_path):
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo("amboise/data/media/original_images/" + _first_image(archive))
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 40
    data[offset] ^= 0xFF
    damaged = tmp_path / "flipped.zip"
    damaged.write_bytes(bytes(data))
    name = info.filename.removeprefix("amboise/data/")
    damaged_text = message("The file %(path)s is damaged: %(error)s.", path=name, error="ERR")
    _refused(
        damaged,
        message("The file %(path)s does not match its checksum in the manifest.", path=name)
        + "|"
        + damaged_text.split("ERR")[0],
    )


def _first_image(archive):
    prefix = "amboise/data/media/original_images/"
    return next(name[len(prefix) :] for name in archive.namelist() if name.startswith(prefix))


def test_foreign_zip_is_refused(without_communique, tmp_path):
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("notes.txt", "Compte rendu")
    _refused(
        foreign,
        message("This is not an Assises archive: it has no %(name)s.", name="manifest.json"),
    )


def test_unknown_format_version_is_refused(bundle, without_communique, tmp_path):
    future = manifest(bundle) | {"format_version": 2}
    damaged = rewrite(bundle, tmp_path / "v2.zip", {"manifest.json": dumps(future)}, fix=False)
    _refused(
        damaged,
        message(
            "Unsupported archive format version %(version)r: this site reads version %(ours)s.",
            version=2,
            ours=1,
        ),
    )


@pytest.mark.parametrize("name", ["../evil", "/etc/evil", "site\\..\\evil", "media/../../evil"])
def test_member_escaping_the_bundle_is_refused(bundle, without_communique, tmp_path, name):
    damaged = rewrite(bundle, tmp_path / "slip.zip", {}, raw={name: b"pwned"})
    _refused(damaged, message("Unsafe path in the archive: %(path)r.", path=name))


def test_unlisted_member_is_refused(bundle, without_communique, tmp_path):
    damaged = rewrite(bundle, tmp_path / "extra.zip", {}, extra={"site/x.html": b"<p>"}, fix=False)
    _refused(
        damaged,
        message(
            "The archive contains files its manifest does not list: %(paths)s.",
            paths="site/x.html",
        ),
    )


def test_missing_member_is_refused(bundle, without_communique, tmp_path):
    damaged = rewrite(bundle, tmp_path / "missing.zip", {"data/events.json": None}, fix=False)
    _refused(
        damaged,
        message("The file %(path)s listed in the manifest is missing.", path="data/events.json"),
    )


def test_importing_into_the_site_it_came_from_changes_nothing(bundle, committed, amboise):
    before = _state()
    out = io.StringIO()
    with committed():
        call_command("import_archive", str(bundle), stdout=out)
    assert _state() == before
    assert CongressEditionPage.objects.get(pk=amboise.pk).latest_revision_id == (
        amboise.latest_revision_id
    )
