"""Tests of `manage.py import_programme EDITION FILE`."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from events.models import PARIS, CongressEditionPage

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"
AMRF_CSV = FIXTURES / "programme-assises-amrf-2024.csv"


@pytest.fixture
def edition(series):
    page = CongressEditionPage(
        title="Assises de test 2024",
        slug="assises-test-2024",
        number=93,
        start_date=datetime.date(2024, 9, 27),
        end_date=datetime.date(2024, 9, 28),
        host_town="Sainte-Foy-la-Grande",
        live=False,
    )
    series.add_child(instance=page)
    page.save_revision()
    return page


def call(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_programme", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def sessions(edition) -> list[dict]:
    page = CongressEditionPage.objects.get(pk=edition.pk)
    return page.get_latest_revision_as_object().sessions


def test_import_programme_command_by_slug(edition):
    out, _err = call("assises-test-2024", AMRF_CSV)
    assert AMRF_CSV.name in out
    assert "Delphine Roux" in out  # not in the directory: suggested
    imported = sessions(edition)
    assert [s["value"]["title"] for s in imported] == [
        "Accueil café",
        "Plateau 1 : Les services publics en milieu rural",
        "Clôture",
    ]
    assert imported[1]["start"] == datetime.datetime(2024, 9, 27, 10, 45, tzinfo=PARIS)
    assert imported[1]["value"]["room"] == "Amphithéâtre Jean Moulin"


def test_import_programme_command_by_id_twice_changes_nothing(edition):
    call(edition.pk, AMRF_CSV)
    revisions = Revision.objects.count()
    call(edition.pk, AMRF_CSV)
    assert Revision.objects.count() == revisions


def test_import_programme_command_dry_run_prints_json(edition):
    revisions = Revision.objects.count()
    out, _err = call(edition.pk, AMRF_CSV, "--dry-run")
    data = json.loads(out)
    assert (data["status"], data["sessions"]) == ("created", 3)
    assert Revision.objects.count() == revisions


def test_import_programme_command_publish(edition):
    call(edition.pk, AMRF_CSV, "--publish")
    assert CongressEditionPage.objects.get(pk=edition.pk).live


def test_import_programme_command_malformed_csv_fails_with_line_and_column(series, edition):
    revisions = Revision.objects.count()
    with pytest.raises(CommandError) as error:
        call(edition.pk, FIXTURES / "programme-malformed.csv")
    message = str(error.value)
    assert "programme-malformed.csv" in message and "3" in message and "date" in message
    assert Revision.objects.count() == revisions


def test_import_programme_command_dates_outside_the_edition_fail(edition):
    with pytest.raises(CommandError) as error:
        call(edition.pk, FIXTURES / "programme-congres-maires-2025.csv")
    assert "2025-11-18" in str(error.value)


@pytest.mark.parametrize("spec", ["nulle-part", "999999"])
def test_import_programme_command_unknown_edition_fails(db, spec):
    with pytest.raises(CommandError):
        call(spec, AMRF_CSV)


def test_import_programme_command_missing_file_fails(edition, tmp_path):
    with pytest.raises(CommandError) as error:
        call(edition.pk, tmp_path / "absent.csv")
    assert "absent.csv" in str(error.value)
