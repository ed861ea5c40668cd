"""A bundle carries only what the public may see, in every one of its files.

Editors' notes (an import's review checklist) and people whose pages are not public (a draft
speaker named in a published programme or communiqué) must not reach a bundle by any road:
data for re-import, stored documents, exports, the static site, the WARC capture or media.
"""

import gzip
import json
import re
import uuid
import zipfile

import pytest
from wagtail.models import Page

from cms.archive import BundleError
from cms.archive.exporter import build_selection
from cms.archive.public import PublicReferences
from cms.visibility import page_is_public
from events.models import CongressEditionPage, SpeakerPage
from tests.archive_helpers import export
from tests.factories import STATES, put_in_state

NOTE = "RELECTURE-INTERNE-XK42"
FUNCTION = "FONCTION-AU-PROGRAMME-XK42"
NAME = "BROUILLON-XK42"


def _every_byte(path) -> bytes:
    """All members of the zip, the WARC capture decompressed (its records are gzip members)."""
    chunks = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            chunks += [name.encode(), data]
            if name.endswith(".gz"):
                chunks.append(gzip.decompress(data))
    return b"\n".join(chunks)


def _add_participant(edition, speaker: Page, function: str) -> None:
    programme = list(edition.programme.get_prep_value())
    participant = {"speaker": speaker.pk, "role": "intervenant", "function": function}
    programme[0]["value"]["participants"].append(
        {"type": "item", "value": participant, "id": str(uuid.uuid4())}
    )
    edition.programme = json.dumps(programme)  # JSON text: read as the raw stored form


@pytest.fixture
def draft_speaker(speaker_index, committed):
    with committed():
        return put_in_state(
            speaker_index,
            SpeakerPage(given_name="Marqueur", family_name=NAME, current_function=NAME),
            "draft",
        )


@pytest.fixture
def leaky_bundle(tmp_path, amboise, communique, draft_speaker, committed):
    """Amboise's bundle after a draft speaker joined its programme and its communiqué, and an
    import left a review note on the communiqué."""
    _add_participant(amboise, draft_speaker, FUNCTION)
    communique.import_review = f"{NOTE}: la date du communiqué est à vérifier"
    communique.mentioned_speakers.create(speaker=draft_speaker)
    with committed():
        amboise.save_revision().publish()
        communique.save_revision().publish()
    return export(tmp_path / "amboise.zip", "--edition", "amboise-2024")


def test_bundle_with_review_note_never_carries_it(leaky_bundle):
    everything = _every_byte(leaky_bundle)
    assert NOTE.encode() not in everything
    assert b"import_review" not in everything


def test_bundle_with_draft_speaker_never_names_them(leaky_bundle, draft_speaker):
    everything = _every_byte(leaky_bundle)
    assert FUNCTION.encode() not in everything
    assert NAME.encode() not in everything
    pk = draft_speaker.pk
    assert not re.search(rb'"speaker":\s*%d\b' % pk, everything)
    assert f"/speakers/{pk}".encode() not in everything


def test_bundle_with_draft_speaker_keeps_public_participants(leaky_bundle, amboise):
    with zipfile.ZipFile(leaky_bundle) as archive:
        name = next(n for n in archive.namelist() if n.endswith("data/events.json"))
        editions = json.loads(archive.read(name))["editions"]
    (entry,) = [e for e in editions if e["id"] == amboise.pk]
    kept = [
        item["value"]["speaker"]
        for session in entry["fields"]["programme"]
        for item in session["value"]["participants"]
    ]
    published = [
        p["speaker"].pk
        for s in CongressEditionPage.objects.get(pk=amboise.pk).sessions
        for p in s["participants"]
        if p["speaker"] is not None and page_is_public(p["speaker"])
    ]
    assert kept == published and kept


@pytest.mark.parametrize("state", STATES)
def test_public_references_drop_pages_when_not_public(state, speaker_index, committed):
    with committed():
        hidden = put_in_state(speaker_index, SpeakerPage(given_name="A", family_name=state), state)
    public = SpeakerPage.objects.live().first()
    references = PublicReferences()
    assert references.keep("page", hidden.pk) is None
    assert references.keep("page", public.pk) == public.pk
    assert references.keep("image", 12) == 12  # not a page: kept (the bundle carries it)


def test_public_references_read_visibility_once_per_batch(amboise, django_assert_num_queries):
    from cms.archive.pages import _plain

    model = type(amboise)
    fields = _plain(model, {"programme": amboise.programme.get_prep_value()})
    references = PublicReferences()
    with django_assert_num_queries(2):  # the view restrictions, then the pages' states
        first = references.strip(model, fields)
    with django_assert_num_queries(0):  # every speaker is known now
        assert references.strip(model, _plain(model, {"programme": fields["programme"]})) == first


def test_selection_under_unpublished_series_is_refused(series, committed):
    with committed():
        series.unpublish()  # its editions stay live, the series' own content is not public
    with pytest.raises(BundleError, match=re.escape(series.title)):
        build_selection({"edition": ["amboise-2024"]})
