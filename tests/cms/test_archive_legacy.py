"""Bundles written before the apps' labels were prefixed (`events.speakerpage`, not
`assises_events.speakerpage`) still verify and import.

The fixture is the demo's Uzès 2019 edition exported by the release that used the old labels.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Page

from cms.archive.pages import installed_page_model
from events.models import CongressEditionPage, SpeakerPage

BUNDLE = (
    Path(__file__).resolve().parents[1] / "fixtures/archive/uzes-2019-before-prefixed-labels.zip"
)


def test_old_labels_name_todays_models():
    assert installed_page_model("events.speakerpage") is SpeakerPage
    assert installed_page_model("assises_events.speakerpage") is SpeakerPage
    assert installed_page_model("cms.homepage") is None  # the old demo's home: not an app's


def test_bundle_with_old_labels_verifies():
    out = io.StringIO()
    call_command("verify_archive", str(BUNDLE), "--no-progress", stdout=out)
    assert "bagit" in out.getvalue()


@pytest.mark.django_db
def test_bundle_with_old_labels_imports_without_duplicates():
    pages = Page.objects.count()
    out = io.StringIO()
    call_command("import_archive", str(BUNDLE), stdout=out)
    assert Page.objects.count() == pages  # every page of the bundle is the demo's, kept
    assert "events.congresseditionpage : 0" in out.getvalue()
    uzes = CongressEditionPage.objects.get(slug="uzes-2019")
    assert uzes.archived and uzes.locked
