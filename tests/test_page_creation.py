"""Each page type can be created through the admin with the data an editor would type."""

import pytest
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import Topic
from demosite.models import HomePage
from events.models import (
    CongressEditionPage,
    CongressSeriesPage,
    Participation,
    SpeakerIndexPage,
    SpeakerPage,
)
from press.models import CommuniquePage, PressContact, PressIndexPage


def _empty_inline(prefix_items: list[str]) -> dict:
    return {name: inline_formset([]) for name in prefix_items}


@pytest.mark.django_db
class TestPageCreation(WagtailPageTestCase):
    def setUp(self):
        self.login()

    def test_can_create_series(self):
        self.assertCanCreate(
            HomePage.objects.get(depth=2),
            CongressSeriesPage,
            nested_form_data(
                {"title": "Congrès des maires ruraux", "description": rich_text("<p>Texte</p>")}
            ),
        )

    def test_can_create_edition_with_programme(self):
        series = CongressSeriesPage.objects.get(slug="assises")
        berger = SpeakerPage.objects.get(slug="laurent-berger")
        topic = Topic.objects.get(slug="logement")
        data = nested_form_data(
            {
                "title": "Assises de Blois 2026",
                "slug": "blois-2026",
                "number": 28,
                "start_date": "2026-06-11",
                "end_date": "2026-06-12",
                "host_town": "Blois",
                "host_town_insee": "41018",
                "body": streamfield([]),
                "documents": inline_formset([]),
                "programme": streamfield(
                    [
                        (
                            "session",
                            {
                                "title": "Le logement en question",
                                "kind": "table_ronde",
                                "date": "2026-06-11",
                                "start_time": "10:00",
                                "end_time": "11:30",
                                "room": "Salle 1",
                                "description": rich_text(""),
                                "topics": streamfield([("item", topic.pk)]),
                                "participants": streamfield(
                                    [
                                        (
                                            "item",
                                            {
                                                "speaker": berger.pk,
                                                "role": "grand_temoin",
                                                "function": "Ancien syndicaliste",
                                            },
                                        )
                                    ]
                                ),
                                "cancelled": "",
                            },
                        )
                    ]
                ),
            }
        )
        self.assertCanCreate(series, CongressEditionPage, data)
        edition = CongressEditionPage.objects.get(slug="blois-2026")
        assert edition.sessions[0]["value"]["participants"][0]["speaker"].pk == berger.pk
        assert Participation.objects.filter(session__edition=edition, speaker=berger).exists()

    def test_edition_duplicate_number_is_refused_in_admin(self):
        series = CongressSeriesPage.objects.get(slug="assises")
        data = nested_form_data(
            {
                "title": "Doublon",
                "slug": "doublon",
                "number": 26,
                "start_date": "2026-06-11",
                "end_date": "2026-06-12",
                "host_town": "Blois",
                "body": streamfield([]),
                "documents": inline_formset([]),
                "programme": streamfield([]),
            }
        )
        with pytest.raises(AssertionError, match="number"):
            self.assertCanCreate(series, CongressEditionPage, data)

    def test_can_create_speaker_index_and_speaker(self):
        speakers = SpeakerIndexPage.objects.get()
        data = nested_form_data(
            {
                "honorific": "Mme",
                "given_name": "Élisabeth",
                "family_name": "Martin",
                "current_function": "Maire de Saint-Amand",
                "biography": rich_text("<p>Maire depuis 2020.</p>"),
                "past_functions": inline_formset([]),
                "links": inline_formset([]),
                "slug": "elisabeth-martin",
            }
        )
        self.assertCanCreate(speakers, SpeakerPage, data)
        assert SpeakerPage.objects.get(slug="elisabeth-martin").title == "Élisabeth Martin"

    def test_can_create_press_index(self):
        self.assertCanCreate(
            HomePage.objects.get(depth=2),
            PressIndexPage,
            nested_form_data({"title": "Communiqués 2025", "intro": rich_text("")}),
        )

    def test_can_create_communique(self):
        press = PressIndexPage.objects.get()
        contact = PressContact.objects.first()
        data = nested_form_data(
            {
                "title": "Les petites villes saluent le plan logement",
                "dateline_place": "Paris",
                "publication_date": "2025-02-07",
                "lead": "L'APVF salue le plan.",
                "body": streamfield([("paragraph", rich_text("<p>Un <b>plan</b> attendu.</p>"))]),
                "boilerplate": rich_text(""),
                "related_editions": inline_formset([]),
                "mentioned_speakers": inline_formset([]),
                "topic_links": inline_formset([]),
                "contacts": inline_formset([{"contact": contact.pk}]),
                "attachments": inline_formset([]),
                "corrections": inline_formset([]),
            }
        )
        self.assertCanCreate(press, CommuniquePage, data)
        page = CommuniquePage.objects.get(slug="les-petites-villes-saluent-le-plan-logement")
        assert [c.contact for c in page.contacts.all()] == [contact]
