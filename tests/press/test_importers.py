"""Tests of the communiqué writer: seed, re-imports, matching, sanitising and bad input."""

import json
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Locale

from cms.blocks import RICH_TEXT_FEATURES
from press.importers import import_communique
from press.models import CommuniquePage, ImportRecord, PressContact
from press.parsing import MAX_FILE_BYTES
from tests.import_helpers import counts

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus" / "communiques"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"
SEED = FIXTURES / "communique-2024-04-03-assises-amboise.md"
TITLE = "Les petites villes en Congrès à Amboise les 14 et 15 juin prochains"
SEED_PEOPLE = [
    "Laurent Berger",
    "Jean-Louis Borloo",
    "Christophe Béchu",
    "Frédéric Valletoux",
    "Gabriel Attal",
]


def run(path: Path, press_room, **options):
    return import_communique(path.read_bytes(), path.name, parent=press_room, **options)


def body_tree(page: CommuniquePage):
    html = "".join(child.value.source for child in page.body if child.block_type == "paragraph")
    return lxml.html.fragment_fromstring(html, create_parent="div")


@pytest.fixture
def imported(press_room):
    result = run(SEED, press_room)
    assert result.status == "created", result.reason
    return result, result.page.get_latest_revision_as_object()


def test_import_communique_seed_creates_a_draft(imported):
    result, page = imported
    assert (page.dateline_place, page.publication_date) == ("Paris", date(2024, 4, 3))
    assert page.title == TITLE
    assert page.lead.startswith("Comme chaque année, l'Association des petites villes")
    assert not result.page.live
    assert result.page.get_parent().specific_class.__name__ == "PressIndexPage"


def test_import_communique_seed_keeps_bold_and_the_programme_link(imported):
    _result, page = imported
    tree = body_tree(page)
    bold = [element.text_content() for element in tree.iter("b")]
    assert "Laurent Berger" in bold and "Gabriel Attal" in bold
    links = [(a.text_content(), a.get("href")) for a in tree.iter("a")]
    assert links == [("Retrouvez le programme des Assises d'Amboise.", "#")]


def test_import_communique_seed_keeps_boilerplate_and_contacts_out_of_the_body(imported):
    result, page = imported
    text = body_tree(page).text_content()
    assert "fédère depuis 1990" not in text
    assert "arobert@apvf.asso.fr" not in text
    assert page.boilerplate == ""
    assert result.boilerplate == "organisation"


def test_import_communique_seed_matches_the_demo_contacts(press_room):
    before = PressContact.objects.count()
    result = run(SEED, press_room)
    page = result.page.get_latest_revision_as_object()
    contacts = [link.contact for link in page.contacts.all()]
    assert [c.name for c in contacts] == ["André ROBERT", "Marie COULET"]
    assert [(p.number, p.kind) for p in contacts[0].phones.all()] == [
        ("+33145440083", "fixe"),
        ("+33680842753", "mobile"),
    ]
    assert contacts[0].email == "arobert@apvf.asso.fr"
    assert result.contacts_created == []
    assert PressContact.objects.count() == before


def test_import_communique_seed_links_edition_and_speakers(imported, amboise):
    result, page = imported
    assert result.edition == amboise
    assert [link.edition_id for link in page.related_editions.all()] == [amboise.pk]
    linked = {link.speaker.title for link in page.mentioned_speakers.all()}
    assert set(SEED_PEOPLE) <= linked
    assert set(SEED_PEOPLE) <= {match.page.title for match in result.speakers}


def test_import_communique_reimport_is_unchanged(imported, press_room):
    result, _page = imported
    revisions = result.page.revisions.count()
    again = run(SEED, press_room)
    assert again.status == "unchanged"
    assert again.page.pk == result.page.pk
    assert again.page.revisions.count() == revisions
    assert ImportRecord.objects.filter(page=result.page).count() == 1


def test_import_communique_resaved_copy_is_the_same_file(imported, press_room):
    result, _page = imported
    resaved = SEED.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8-sig")
    again = import_communique(resaved, "copie.md", parent=press_room)
    assert (again.status, again.page.pk) == ("unchanged", result.page.pk)


def test_import_communique_latin1_copy_decodes_and_is_the_same_file(imported, press_room):
    result, _page = imported
    data = SEED.read_text(encoding="utf-8").encode("latin-1")
    again = import_communique(data, "seed-latin1.txt", parent=press_room, dry_run=True)
    assert again.parsed["title"] == TITLE
    assert again.page.pk == result.page.pk


def test_import_communique_cp1252_file_decodes(press_room):
    text = (FIXTURES / "communique-2016-11-22-encodings.txt").read_text(encoding="utf-8")
    result = import_communique(text.encode("cp1252"), "cp1252.txt", parent=press_room)
    assert result.status == "created", result.reason
    page = result.page.get_latest_revision_as_object()
    assert page.title == "Congrès : l’œuvre des maires saluée"
    assert "5 € par habitant…" in page.lead


def test_import_communique_changed_import_updates_the_same_page(imported, press_room):
    result, _page = imported
    ImportRecord.objects.filter(page=result.page).update(content_hash="older parser")
    revisions = result.page.revisions.count()
    again = run(SEED, press_room)
    assert (again.status, again.page.pk) == ("updated", result.page.pk)
    assert again.page.revisions.count() == revisions + 1
    assert CommuniquePage.objects.filter(title=TITLE).count() == 2  # the demo's and this one


def test_import_communique_dry_run_writes_nothing(press_room):
    before = counts()
    result = run(SEED, press_room, dry_run=True)
    assert result.status == "created"
    assert result.page is None
    assert counts() == before
    data = json.loads(json.dumps(result.to_dict()))
    assert data["parsed"]["date"] == "2024-04-03"
    assert [c["email"] for c in data["contacts"]["matched"]] == [
        "arobert@apvf.asso.fr",
        "mcoulet@apvf.asso.fr",
    ]


def test_import_communique_publish_makes_it_live(press_room):
    result = run(SEED, press_room, publish=True)
    result.page.refresh_from_db()
    assert result.page.live


def test_import_communique_creates_unknown_contacts_in_order(press_room):
    result = run(FIXTURES / "communique-2013-02-07-amf.txt", press_room)
    assert result.status == "created", result.reason
    page = result.page.get_latest_revision_as_object()
    contacts = [link.contact for link in page.contacts.all()]
    assert [c.email for c in contacts] == ["tmartin@amf.asso.fr", "slenoir@amf.asso.fr"]
    assert [(p.number, p.kind) for p in contacts[1].phones.all()] == [
        ("+33144181359", "fixe"),
        ("+33671234567", "mobile"),
    ]
    assert {c.pk for c in result.contacts_created} == {c.pk for c in contacts}


def test_import_communique_reports_unmatched_edition_and_suggestions(press_room):
    result = run(FIXTURES / "communique-2013-02-07-amf.txt", press_room)
    assert result.edition is None
    assert result.unmatched_edition["mention"]["number"] == 96
    assert result.unmatched_edition["reason"]
    suggestions = {s["name"]: s["function"] for s in result.suggestions}
    assert suggestions["Jacques Delmas"].startswith("président de l'AMF")


def test_import_communique_matches_edition_by_number_and_keeps_other_boilerplate(press_room):
    result = run(FIXTURES / "communique-2019-10-02-uzes.md", press_room)
    assert result.edition.number == 22
    assert result.edition.host_town == "Uzès"
    page = result.page.get_latest_revision_as_object()
    assert result.boilerplate == "custom"
    assert "3.000 à 20.000 habitants" in page.boilerplate
    assert [link.contact.email for link in page.contacts.all()] == ["mcoulet@apvf.asso.fr"]


def test_import_communique_lists_and_external_links_are_kept(press_room):
    result = run(FIXTURES / "communique-2019-10-02-uzes.md", press_room)
    page = result.page.get_latest_revision_as_object()
    html = "".join(
        str(child.value.source) for child in page.body if child.block_type == "paragraph"
    )
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    assert [li.text_content() for li in tree.iter("li")][0] == "Revitalisation des centres-villes"
    assert ("Lire la résolution finale", "https://www.apvf.asso.fr/resolution-2019") in [
        (a.text_content(), a.get("href")) for a in tree.iter("a")
    ]


def test_import_communique_html_scripts_and_handlers_are_not_stored(press_room):
    result = run(FIXTURES / "communique-2021-07-01-amrf.html", press_room)
    assert result.status == "created", result.reason
    page = result.page.get_latest_revision_as_object()
    stored = json.dumps(list(page.body.raw_data)) + page.lead + page.title + page.boilerplate
    for unsafe in ("<script", "onclick", "onload", "javascript:", "alert(", "injected", "style="):
        assert unsafe not in stored
    assert "https://www.amrf.fr/assises-2021" in stored


def test_import_communique_headings_become_heading_blocks(press_room):
    data = (
        "<p>Paris, le 3 avril 2024</p><h2>Un titre de communiqué assez long</h2>"
        "<p>Le chapeau du communiqué.</p><h3>Un intertitre</h3><p>Texte <em>en italique</em>.</p>"
    ).encode()
    result = import_communique(data, "intertitre.html", parent=press_room)
    page = result.page.get_latest_revision_as_object()
    blocks = [(child.block_type, child.value) for child in page.body]
    assert blocks[0][0] == "heading"
    assert (blocks[0][1]["text"], blocks[0][1]["level"]) == ("Un intertitre", "h3")
    assert blocks[1][1].source == "<p>Texte <i>en italique</i>.</p>"


def test_import_communique_rich_text_opens_in_the_editor(imported):
    _result, page = imported
    converter = ContentstateConverter(RICH_TEXT_FEATURES)
    for child in page.body:
        if child.block_type == "paragraph":
            state = json.loads(converter.from_database_format(child.value.source))
            assert state["blocks"]


def test_import_communique_docx(press_room, tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Paris, le 3 avril 2024")
    document.add_heading("Les petites villes en Congrès à Amboise", level=1)
    paragraph = document.add_paragraph("Les Assises réuniront ")
    paragraph.add_run("Laurent Berger").bold = True
    paragraph.add_run(", ancien secrétaire général de la CFDT.")
    path = tmp_path / "communique.docx"
    document.save(path)
    result = run(path, press_room)
    assert result.status == "created", result.reason
    page = result.page.get_latest_revision_as_object()
    assert page.title == "Les petites villes en Congrès à Amboise"
    assert [m.page.title for m in result.speakers] == ["Laurent Berger"]


BAD_FILES = {
    "empty": ("vide.md", b""),
    "blank": ("blanc.txt", b"  \n\n "),
    "binary": ("garbage.txt", bytes(range(256)) * 8),
    "listing": ("liste.txt", (CORPUS / "liste-a-refuser.txt").read_bytes()),
    "broken-pdf": ("cp.pdf", (CORPUS / "pdf-endommage.pdf").read_bytes()),
    "too-large": ("enorme.txt", b"Paris, 3 avril 2024\n" + b"a" * MAX_FILE_BYTES),
    "extension": ("communique.pdf", SEED.read_bytes()),
    "no-extension": ("communique", SEED.read_bytes()),
    "bad-docx": ("faux.docx", b"PK\x03\x04 this is not a zip archive"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_import_communique_bad_input_fails_and_writes_nothing(press_room, case):
    filename, data = BAD_FILES[case]
    before = counts()
    result = import_communique(data, filename, parent=press_room)
    assert result.status == "failed"
    assert result.reason
    assert result.page is None
    assert counts() == before


def test_import_communique_failure_reason_is_translated(press_room, settings):
    from django.utils import translation

    with translation.override("en"):
        result = import_communique(b"", "vide.md", parent=press_room)
    assert result.reason == "The file is empty."


def test_import_communique_unknown_locale_tree_fails(press_room):
    english, _created = Locale.objects.get_or_create(language_code="en")
    before = counts()
    result = run(SEED, press_room, locale=english)
    assert result.status == "failed"
    assert counts() == before


def test_import_communique_reimport_with_created_contacts_is_unchanged(press_room):
    amf = FIXTURES / "communique-2013-02-07-amf.txt"
    first = run(amf, press_room)
    assert len(first.contacts_created) == 2
    before = counts()
    again = run(amf, press_room)
    assert again.status == "unchanged"
    assert again.contacts_created == []
    assert counts() == before


def test_import_communique_deleted_contact_is_created_again(press_room):
    amf = FIXTURES / "communique-2013-02-07-amf.txt"
    first = run(amf, press_room)
    PressContact.objects.filter(email="slenoir@amf.asso.fr").delete()
    again = run(amf, press_room)
    assert (again.status, again.page.pk) == ("updated", first.page.pk)
    page = again.page.get_latest_revision_as_object()
    assert [link.contact.email for link in page.contacts.all()] == [
        "tmartin@amf.asso.fr",
        "slenoir@amf.asso.fr",
    ]
    assert run(amf, press_room).status == "unchanged"
