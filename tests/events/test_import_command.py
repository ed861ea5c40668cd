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


CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus" / "programmes"


def test_import_programme_command_file_without_sessions_fails_with_a_reason(edition):
    """The reported bug: a file without any session gave one at 01:00 and exit status 0."""
    revisions = Revision.objects.count()
    with pytest.raises(CommandError) as error:
        call(edition.pk, CORPUS / "sans-horaire.txt")
    assert "sans-horaire.txt" in str(error.value) and "Aucune séance" in str(error.value)
    assert Revision.objects.count() == revisions


def test_import_programme_command_exit_status_is_1_on_failure(edition):
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(
            ["manage.py", "import_programme", str(edition.pk), str(CORPUS / "sans-horaire.txt")]
        )
    assert exit_.value.code == 1


def test_import_programme_command_reads_a_pdf(series):
    page = CongressEditionPage(
        title="Congrès de Bretagne 2024",
        slug="bretagne-2024",
        number=94,
        start_date=datetime.date(2024, 6, 5),
        end_date=datetime.date(2024, 6, 6),
        host_town="Saint-Brieuc",
        live=False,
    )
    series.add_child(instance=page)
    page.save_revision()
    out, _err = call("bretagne-2024", CORPUS / "deux-colonnes.pdf", "--dry-run")
    data = json.loads(out)
    assert (data["status"], data["sessions"]) == ("created", 9)
    assert data["revision"] is None
    flagged = [item["title"] for item in data["review"]]
    assert "Accueil des congressistes" in flagged  # its end is the next start: to check
    out, _err = call("bretagne-2024", CORPUS / "deux-colonnes.pdf")
    assert len(sessions(page)) == 9
    assert not CongressEditionPage.objects.get(pk=page.pk).live
