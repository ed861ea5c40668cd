"""Every ordered relation has positions and one total order: renderings never differ by order.

`check_api_documents` compares stored documents with a fresh render; rows without a position
(NULL `sort_order`) came out in whatever order the database read them, so a document rendered at
publication and the same one rendered later could list contacts or speakers differently.
"""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from wagtail.models import Orderable

from cms.ordering import fill_nulls
from cms.pipeline.store import render
from press.models import (
    CommuniqueContact,
    CommuniquePage,
    CommuniqueSpeaker,
    ImportRecord,
    PressContact,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"
COMMUNIQUE = FIXTURES / "communique-2024-04-03-assises-amboise.md"
PROGRAMME = FIXTURES / "programme-apvf-amboise-2024.txt"
OWN_APPS = {"assises_cms", "assises_events", "assises_press"}


def ordered_models() -> list[type[Orderable]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Orderable) and model._meta.app_label in OWN_APPS
    ]


def unnumbered() -> dict[str, int]:
    counts = {
        m.__name__: m.objects.filter(sort_order__isnull=True).count() for m in ordered_models()
    }
    return {name: count for name, count in counts.items() if count}


def check_api_documents() -> str:
    out = io.StringIO()
    call_command("check_api_documents", "--no-progress", stdout=out)  # exits 1 on a difference
    return out.getvalue().strip().splitlines()[-1]


def speaker_ids(page: CommuniquePage) -> list[int]:
    (document,) = render(CommuniquePage.objects.get(pk=page.pk))[0]
    return [speaker["id"] for speaker in document.body["speakers"]]


def test_ordered_models_are_the_inline_relations():
    names = {model.__name__ for model in ordered_models()}
    assert {"CommuniqueContact", "CommuniqueSpeaker", "SpeakerLink", "EditionDocument"} <= names
    for model in ordered_models():
        assert model._meta.ordering[-2:] == ["sort_order", "pk"], model


def test_demo_leaves_every_row_numbered_and_a_rebuild_checks_clean(db):
    assert unnumbered() == {}
    call_command("rebuild_api_documents", "--no-progress", stdout=io.StringIO())
    assert check_api_documents() == "0 différence(s)."


def test_imports_with_contacts_and_speakers_check_clean(committed, press_room, amboise):
    with committed():
        call_command("import_communiques", str(COMMUNIQUE), "--publish", stdout=io.StringIO())
    page = ImportRecord.objects.get(source_filename=str(COMMUNIQUE)).page.specific
    assert page.contacts.count() == 2 and page.mentioned_speakers.count() > 3
    with committed():
        call_command(
            "import_programme", str(amboise.pk), str(PROGRAMME), "--publish", stdout=io.StringIO()
        )
    assert unnumbered() == {}
    assert check_api_documents() == "0 différence(s)."


def test_rows_sharing_a_position_are_listed_in_primary_key_order(communique):
    speakers = [link.speaker for link in communique.mentioned_speakers.all()]
    communique.mentioned_speakers.all().delete()
    # written highest key first and sharing a position: the database reads them back in the
    # order they were written unless the primary key breaks the tie
    for offset, speaker in enumerate(speakers):
        CommuniqueSpeaker.objects.create(
            pk=10_000 - offset, page=communique, speaker=speaker, sort_order=0
        )
    assert speaker_ids(communique) == [speaker.pk for speaker in reversed(speakers)]


def test_rows_saved_without_a_position_come_after_their_siblings(communique):
    contact = PressContact.objects.create(name="Nadia Benali", email="nadia@example.org")
    before = list(communique.contacts.values_list("sort_order", flat=True))
    link = CommuniqueContact.objects.create(page=communique, contact=contact)
    assert link.sort_order == max(before) + 1
    assert list(communique.contacts.all())[-1] == link


def test_fill_nulls_numbers_rows_in_primary_key_order_after_their_siblings(communique):
    links = list(CommuniqueSpeaker.objects.filter(page=communique).order_by("pk"))
    CommuniqueSpeaker.objects.filter(pk__in=[link.pk for link in links[2:]]).update(sort_order=None)
    assert fill_nulls(CommuniqueSpeaker) == len(links) - 2
    positions = CommuniqueSpeaker.objects.filter(page=communique).order_by("pk")
    assert list(positions.values_list("sort_order", flat=True)) == list(range(len(links)))


@pytest.mark.parametrize("relation", ["contacts", "mentioned_speakers", "topic_links"])
def test_the_demo_numbers_each_relation_from_zero(communique, relation):
    positions = list(getattr(communique, relation).values_list("sort_order", flat=True))
    assert positions == list(range(len(positions)))
