"""Press contacts have drafts: a number typed for a communiqué under embargo goes out only when
the contact is published, and a contact never published is shown nowhere.

The edits go through Wagtail's admin (the buttons an editor clicks), the pipeline runs as a
commit would, and the public channels are read as a journalist or a partner site reads them.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.actions.create import CreateAction
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html

from cms.models import StoredDocument
from press.importers import import_communique
from press.models import (
    CommuniqueContact,
    CommuniquePage,
    DefaultPressContact,
    PressContact,
    PressContactPhone,
    PressSettings,
)
from tests.archive_helpers import export, members

NEW_MOBILE = "+33611223344"


@pytest.fixture
def robert(db) -> PressContact:
    return PressContact.objects.get(email="arobert@apvf.asso.fr")


def _edit_url(contact: PressContact) -> str:
    return reverse("wagtailsnippets_assises_press_presscontact:edit", args=[contact.pk])


def _admin_edit(client, contact: PressContact, publish: bool, **changes) -> None:
    """Submit the contact's edit form as the admin shows it, with `changes` and a new mobile."""
    response = client.get(_edit_url(contact))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="w-editor-form")
    for name, value in changes.items():
        data[name] = value
    total = int(data["phones-TOTAL_FORMS"])
    data.update(
        {
            f"phones-{total}-number": "06 11 22 33 44",
            f"phones-{total}-kind": "mobile",
            f"phones-{total}-ORDER": str(total + 1),
            f"phones-{total}-DELETE": "",
            f"phones-{total}-id": "",
            "phones-TOTAL_FORMS": str(total + 1),
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    response = client.post(_edit_url(contact), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def _communique_contacts(api, communique) -> dict[str, list[str]]:
    detail = api.get(f"/api/v1/communiques/{communique.pk}/").json_body
    return {c["name"]: [p["number"] for p in c["phones"]] for c in detail["contacts"]}


def _anywhere(text: str) -> bool:
    """Whether `text` is in any stored document (API, feeds, JSON-LD, pages all read them)."""
    return any(text in bytes(doc.body).decode() for doc in StoredDocument.objects.all())


def test_contact_draft_number_absent_until_published(
    admin_client, api, communique, robert, committed
):
    with committed():
        _admin_edit(admin_client, robert, publish=False, role="Délégué général adjoint")
    robert.refresh_from_db()
    assert (robert.live, robert.has_unpublished_changes) == (True, True)
    assert NEW_MOBILE not in robert.phones.values_list("number", flat=True)
    assert NEW_MOBILE not in _communique_contacts(api, communique)["André ROBERT"]
    contact = api.get(f"/api/v1/contacts/{robert.pk}/").json_body
    assert contact["role"] == "Délégué général"
    assert not _anywhere(NEW_MOBILE)

    with committed():
        _admin_edit(admin_client, robert, publish=True)
    assert NEW_MOBILE in _communique_contacts(api, communique)["André ROBERT"]
    contact = api.get(f"/api/v1/contacts/{robert.pk}/").json_body
    assert contact["role"] == "Délégué général adjoint"
    assert NEW_MOBILE in [p["number"] for p in contact["phones"]]
    feed = json.loads(admin_client.get("/feeds/communiques.json").content)
    assert NEW_MOBILE in json.dumps(feed)


def test_contact_draft_save_renders_nothing(robert, django_capture_on_commit_callbacks):
    robert.role = "Brouillon"
    with django_capture_on_commit_callbacks() as callbacks:
        robert.save_revision()
    assert callbacks == []
    assert PressContact.objects.get(pk=robert.pk).role == "Délégué général"


def test_contact_publish_renders_its_communiques(robert, communique, api, committed):
    robert.role = "Porte-parole"
    with committed():
        robert.save_revision().publish()
    detail = api.get(f"/api/v1/communiques/{communique.pk}/").json_body
    assert [c["role"] for c in detail["contacts"] if c["id"] == robert.pk] == ["Porte-parole"]


def test_contact_unpublished_leaves_communiques_and_lists(robert, communique, api, committed):
    with committed():
        robert.unpublish()
    assert list(_communique_contacts(api, communique)) == ["Marie COULET"]
    assert api.get(f"/api/v1/contacts/{robert.pk}/").status_code == 404
    names = [c["name"] for c in api.get("/api/v1/contacts/").json_body["results"]]
    assert names == ["Marie COULET"]
    assert not _anywhere("arobert@apvf.asso.fr")

    with committed():
        robert.get_latest_revision().publish()
    assert list(_communique_contacts(api, communique)) == ["André ROBERT", "Marie COULET"]


def _draft_contact(name: str, email: str) -> PressContact:
    contact = PressContact(name=name, role="Attachée de presse", email=email)
    contact.phones = [PressContactPhone(number=NEW_MOBILE, kind="mobile")]
    return CreateAction(contact).execute(skip_permission_checks=True)


def test_contact_never_published_appears_nowhere(communique, api, committed):
    with committed():
        contact = _draft_contact("Inès Brouillon", "ines@example.org")
        CommuniqueContact.objects.create(page=communique, contact=contact)
        communique.save_revision().publish()
    assert contact.live is False
    assert "Inès Brouillon" not in _communique_contacts(api, communique)
    assert api.get(f"/api/v1/contacts/{contact.pk}/").status_code == 404
    assert not _anywhere("ines@example.org") and not _anywhere(NEW_MOBILE)

    with committed():
        contact.get_latest_revision().publish()
    assert _communique_contacts(api, communique)["Inès Brouillon"] == [NEW_MOBILE]


def test_communique_with_only_draft_contacts_shows_the_defaults(press_room, api, committed):
    with committed():
        contact = _draft_contact("Inès Brouillon", "ines@example.org")
        page = CommuniquePage(title="Avec brouillon", publication_date=datetime.date(2024, 5, 1))
        page.contacts = [CommuniqueContact(contact=contact)]
        press_room.add_child(instance=page)
        page.save_revision().publish()
    assert list(_communique_contacts(api, page)) == ["André ROBERT", "Marie COULET"]

    with committed():
        contact.get_latest_revision().publish()
    assert list(_communique_contacts(api, page)) == ["Inès Brouillon"]


def test_default_contact_in_draft_is_not_shown(home, client, api, committed):
    settings = PressSettings.objects.get()
    with committed():
        contact = _draft_contact("Paul Défaut", "paul@example.org")
        DefaultPressContact.objects.create(settings=settings, contact=contact)
    assert api.get(f"/api/v1/contacts/{contact.pk}/").status_code == 404
    assert "Paul Défaut" not in client.get("/presse/").content.decode()
    with committed():
        contact.get_latest_revision().publish()
    assert api.get(f"/api/v1/contacts/{contact.pk}/").status_code == 200
    assert "Paul Défaut" in client.get("/presse/").content.decode()


def test_contacts_list_query_count_is_constant(api, committed, django_assert_num_queries):
    """Drafts cost the list nothing: version from the change log, its next expiry (once per
    version), count, rows; then cached."""
    with committed():
        for n in range(3):
            _draft_contact(f"Brouillon {n}", f"b{n}@example.org")
    for queries, limit in ((4, 1), (3, 100)):
        with django_assert_num_queries(queries):
            response = api.get(f"/api/v1/contacts/?limit={limit}")
        with django_assert_num_queries(1):
            assert api.get(f"/api/v1/contacts/?limit={limit}").status_code == 200
    assert [c["name"] for c in response.json_body["results"]] == ["André ROBERT", "Marie COULET"]


def test_contact_admin_offers_draft_and_publish_in_french(admin_client, robert):
    page = admin_client.get(_edit_url(robert), headers={"accept-language": "fr"})
    html = page.content.decode()
    assert "Enregistrer le brouillon" in html
    assert "Publier" in html


def test_demo_contacts_are_published(db):
    contacts = PressContact.objects.all()
    assert contacts.exists()
    assert all(c.live and c.live_revision_id is not None for c in contacts)


AMF = Path(__file__).parents[1] / "fixtures" / "import" / "communique-2013-02-07-amf.txt"


def _import(press_room, publish: bool):
    return import_communique(AMF.read_bytes(), AMF.name, parent=press_room, publish=publish)


def test_import_creates_contacts_as_drafts(press_room, api, committed):
    with committed():
        result = _import(press_room, publish=False)
    assert [(c.live, c.latest_revision_id is not None) for c in result.contacts_created] == [
        (False, True),
        (False, True),
    ]
    with committed():
        result.page.get_latest_revision().publish()
    emails = [c["email"] for c in api.get("/api/v1/contacts/").json_body["results"]]
    assert "tmartin@amf.asso.fr" not in emails
    assert "André ROBERT" in _communique_contacts(api, result.page)  # the defaults stand in


def test_import_published_publishes_its_new_contacts(press_room, api, committed):
    with committed():
        result = _import(press_room, publish=True)
    assert [c.live for c in result.contacts_created] == [True, True]
    assert list(_communique_contacts(api, result.page)) == [c.name for c in result.contacts_created]


def test_import_published_again_publishes_contacts_left_in_draft(press_room, api, committed):
    with committed():
        first = _import(press_room, publish=False)
    with committed():
        _import(press_room, publish=True)
    contacts = PressContact.objects.filter(pk__in=[c.pk for c in first.contacts_created])
    assert [c.live for c in contacts] == [True, True]


def test_contact_admin_list_shows_which_are_drafts(admin_client, committed):
    with committed():
        _draft_contact("Inès Brouillon", "ines@example.org")
    url = reverse("wagtailsnippets_assises_press_presscontact:list")
    rows = WagtailTestUtils.get_soup(admin_client.get(url).content).select("tbody tr")
    status = {
        row.select("td")[1].a.get_text(strip=True): row.select("td")[-1].get_text(strip=True)
        for row in rows
    }
    assert (status["Inès Brouillon"], status["André ROBERT"]) == ("brouillon", "publiée")


def test_archive_leaves_out_draft_contacts(communique, tmp_path, committed):
    with committed():
        contact = _draft_contact("Inès Brouillon", "ines@example.org")
        CommuniqueContact.objects.create(page=communique, contact=contact)
        communique.save_revision().publish()
    bundle = export(tmp_path / "amboise.zip", "--edition", "amboise-2024")
    press = json.loads(members(bundle)["data/press.json"])
    assert [c["fields"]["email"] for c in press["contacts"]] == [
        "arobert@apvf.asso.fr",
        "mcoulet@apvf.asso.fr",
    ]
    assert "live" not in press["contacts"][0]["fields"]
