import io

from django.core.management import call_command
from wagtail.models import Page, Revision

from cms.models import OrganisationSettings, Topic
from demosite.models import CreditedImage
from events.models import CongressEditionPage, Participation, SpeakerPage
from press.models import PressContact


def _counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": CreditedImage.objects.count(),
        "topics": Topic.objects.count(),
        "contacts": PressContact.objects.count(),
        "participations": Participation.objects.count(),
    }


def test_load_demo_run_twice_changes_nothing(db):
    before = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == before


def test_demo_amboise_edition_has_five_speakers_with_roles(amboise):
    assert amboise.live
    assert amboise.start_date.isoformat() == "2024-06-14"
    assert amboise.end_date.isoformat() == "2024-06-15"
    assert amboise.theme == (
        "Petites villes, le pari de l'intelligence non artificielle - Nos Maires ont du génie !"
    )
    roles = {
        (p.speaker.title, p.role, p.session.start.date().isoformat())
        for p in Participation.objects.filter(session__edition=amboise).select_related(
            "speaker", "session"
        )
    }
    assert ("Laurent Berger", "grand_temoin", "2024-06-14") in roles
    assert ("Jean-Louis Borloo", "grand_temoin", "2024-06-15") in roles
    assert ("Gabriel Attal", "cloture", "2024-06-15") in roles
    assert {"Christophe Béchu", "Frédéric Valletoux"} <= {title for title, _r, _d in roles}
    assert len({title for title, _r, _d in roles}) >= 5


def test_demo_borloo_speaks_on_saturday_morning(amboise):
    borloo = Participation.objects.get(speaker__slug="jean-louis-borloo")
    assert borloo.session.start.hour < 12
    assert borloo.function == "Ancien ministre"


def test_demo_has_a_past_and_an_archived_edition(series):
    statuses = {e.slug: e.status for e in CongressEditionPage.objects.child_of(series)}
    assert statuses == {"amboise-2024": "past", "uzes-2019": "archived"}


def test_demo_communique_has_two_contacts_and_boilerplate(communique, home):
    assert communique.publication_date.isoformat() == "2024-04-03"
    assert communique.dateline_place == "Paris"
    names = [link.contact.name for link in communique.contacts.all()]
    assert names == ["André ROBERT", "Marie COULET"]
    robert = communique.contacts.first().contact
    assert [(p.number, p.kind) for p in robert.phones.all()] == [
        ("+33145440083", "fixe"),
        ("+33680842753", "mobile"),
    ]
    assert communique.boilerplate == ""
    assert "fédère depuis 1990" in communique.effective_boilerplate()
    assert communique.related_editions.get().edition.slug == "amboise-2024"


def test_demo_organisation_settings_are_filled(home):
    site = home.get_site()
    org = OrganisationSettings.for_site(site)
    assert org.acronym == "APVF"
    assert org.logo is not None
    assert SpeakerPage.objects.live().count() >= 5
