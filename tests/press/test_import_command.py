"""Tests of `manage.py import_communiques`: files, folders, dry run, errors and exit status."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from press.models import CommuniquePage, ImportRecord, PressContact
from tests.import_helpers import counts

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"
LISTING = FIXTURES.parent / "corpus" / "communiques" / "liste-a-refuser.txt"
SEED = FIXTURES / "communique-2024-04-03-assises-amboise.md"
TITLE = "Les petites villes en Congrès à Amboise les 14 et 15 juin prochains"


def call(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_communiques", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def call_failing(*args) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_communiques", *map(str, args), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def imported_page(path: Path) -> CommuniquePage:
    record = ImportRecord.objects.get(source_filename=str(path))
    return record.page.specific.get_latest_revision_as_object()


def test_import_communiques_seed_creates_a_draft(press_room, amboise):
    contacts = PressContact.objects.count()
    out, _err = call(SEED)
    assert SEED.name in out
    page = imported_page(SEED)
    assert (page.title, page.dateline_place, str(page.publication_date)) == (
        TITLE,
        "Paris",
        "2024-04-03",
    )
    assert page.get_parent().pk == press_room.pk
    assert not CommuniquePage.objects.get(pk=page.pk).live
    body = "".join(child.value.source for child in page.body if child.block_type == "paragraph")
    assert "<b>Laurent Berger</b>" in body and '<a href="#">' in body
    assert "fédère depuis 1990" not in body and page.boilerplate == ""
    assert [link.contact.email for link in page.contacts.all()] == [
        "arobert@apvf.asso.fr",
        "mcoulet@apvf.asso.fr",
    ]
    assert PressContact.objects.count() == contacts
    assert [link.edition_id for link in page.related_editions.all()] == [amboise.pk]
    speakers = {link.speaker.title for link in page.mentioned_speakers.all()}
    assert {"Laurent Berger", "Jean-Louis Borloo", "Christophe Béchu"} <= speakers
    assert {"Frédéric Valletoux", "Gabriel Attal"} <= speakers


def test_import_communiques_reimport_changes_nothing(press_room):
    call(SEED)
    before = counts()
    call(SEED)
    assert counts() == before


def test_import_communiques_dry_run_prints_json_and_writes_nothing(press_room):
    before = counts()
    out, _err = call(SEED, "--dry-run")
    assert counts() == before
    (result,) = json.loads(out)
    assert result["status"] == "created" and result["dry_run"] is True
    assert result["parsed"]["title"] == TITLE
    assert result["edition"]["title"].endswith("Amboise 2024")


def test_import_communiques_publish(press_room):
    call(SEED, "--publish")
    assert CommuniquePage.objects.get(pk=imported_page(SEED).pk).live


def test_import_communiques_parent_by_id_and_by_path(press_room):
    call(SEED, "--parent", press_room.pk, "--dry-run")
    call(SEED, "--parent", "/presse/", "--locale", "fr")
    assert imported_page(SEED).get_parent().pk == press_room.pk


@pytest.mark.parametrize(
    "options", [["--parent", "999999"], ["--parent", "/nulle-part/"], ["--locale", "xx"]]
)
def test_import_communiques_bad_options_fail(press_room, options):
    before = counts()
    with pytest.raises(CommandError):
        call(SEED, *options)
    assert counts() == before


BAD_FILES = {
    "empty.md": b"",
    "garbage.txt": bytes(range(256)) * 8,
    "liste.txt": LISTING.read_bytes(),
    "notes.pdf": SEED.read_bytes(),
    "enorme.txt": b"Paris, 3 avril 2024\n" + b"x" * (5 * 1024 * 1024 + 1),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_import_communiques_bad_file_fails_naming_the_file(press_room, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    before = counts()
    err = call_failing(path)
    assert name in err
    assert counts() == before


def test_import_communiques_missing_file_fails(press_room, tmp_path):
    err = call_failing(tmp_path / "absent.md")
    assert "absent.md" in err


def test_import_communiques_folder_imports_good_files_and_exits_non_zero(press_room, tmp_path):
    shutil.copy(SEED, tmp_path / SEED.name)
    (tmp_path / "archives" / "2013").mkdir(parents=True)
    amf = tmp_path / "archives" / "2013" / "amf.txt"
    shutil.copy(FIXTURES / "communique-2013-02-07-amf.txt", amf)
    (tmp_path / "vide.md").write_bytes(b"")
    (tmp_path / "archives" / "garbage.htm").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    pages = CommuniquePage.objects.count()
    err = call_failing(tmp_path)
    assert "vide.md" in err and "garbage.htm" in err
    assert "100%" in err  # the progress bar went to stderr
    assert CommuniquePage.objects.count() == pages + 2
    assert imported_page(tmp_path / SEED.name).title == TITLE
    assert imported_page(amf).publication_date.isoformat() == "2013-02-07"
