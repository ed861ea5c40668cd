"""Tests of the programme writer: times in Paris, participants, idempotence and bad input."""

import datetime
import json
import uuid
from pathlib import Path

import pytest
from wagtail.models import Revision

from events.importers import import_programme, session_id
from events.models import PARIS, CongressEditionPage, ProgrammeSession, SpeakerPage

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"
AMBOISE_TXT = FIXTURES / "programme-apvf-amboise-2024.txt"
MAIRES_CSV = FIXTURES / "programme-congres-maires-2025.csv"
MAIRES_TXT = FIXTURES / "programme-congres-maires-2025.txt"


def make_edition(series, number: int, start: datetime.date, end: datetime.date, town: str):
    edition = CongressEditionPage(
        title=f"Édition de test {number}",
        slug=f"edition-test-{number}",
        number=number,
        start_date=start,
        end_date=end,
        host_town=town,
        live=False,
    )
    series.add_child(instance=edition)
    edition.save_revision()
    return CongressEditionPage.objects.get(pk=edition.pk)


@pytest.fixture
def edition_2024(series):
    return make_edition(series, 90, datetime.date(2024, 6, 14), datetime.date(2024, 6, 15), "Tours")


@pytest.fixture
def edition_2025(series):
    return make_edition(
        series, 91, datetime.date(2025, 11, 18), datetime.date(2025, 11, 20), "Paris"
    )


def run(edition, path: Path, **options):
    return import_programme(edition, path.read_bytes(), path.name, **options)


def latest(edition) -> CongressEditionPage:
    return CongressEditionPage.objects.get(pk=edition.pk).get_latest_revision_as_object()


def test_import_programme_text_into_a_fresh_edition(edition_2024):
    result = run(edition_2024, AMBOISE_TXT)
    assert result.status == "created", result.reason
    assert result.sessions == 4
    sessions = latest(edition_2024).sessions
    assert [(s["start"], s["end"]) for s in sessions][:2] == [
        (
            datetime.datetime(2024, 6, 14, 9, 45, tzinfo=PARIS),
            datetime.datetime(2024, 6, 14, 10, 25, tzinfo=PARIS),
        ),
        (
            datetime.datetime(2024, 6, 14, 10, 30, tzinfo=PARIS),
            datetime.datetime(2024, 6, 14, 11, 45, tzinfo=PARIS),
        ),
    ]
    assert sessions[0]["start"].utcoffset() == datetime.timedelta(hours=2)
    assert sessions[0]["start"].astimezone(datetime.UTC).hour == 7
    assert [s["value"]["kind"] for s in sessions] == [
        "table_ronde",
        "table_ronde",
        "table_ronde",
        "discours",
    ]


def test_import_programme_matches_participants_and_suggests_the_others(edition_2024):
    result = run(edition_2024, AMBOISE_TXT)
    sessions = latest(edition_2024).sessions
    first = sessions[0]["value"]["participants"]
    bechu = SpeakerPage.objects.get(slug="christophe-bechu")
    assert [(p["speaker"].pk, p["role"]) for p in first] == [(bechu.pk, "intervenant")]
    assert first[0]["function"].startswith("Ministre de la Transition écologique")
    closing = sessions[3]["value"]["participants"]
    assert [(p["speaker"].title, p["role"]) for p in closing] == [("Gabriel Attal", "cloture")]
    assert {m["title"] for m in result.matched} == {
        "Christophe Béchu",
        "Laurent Berger",
        "Jean-Louis Borloo",
        "Gabriel Attal",
    }
    assert result.suggestions == [
        {
            "name": "Jeanne Perrot",
            "function": "journaliste",
            "role": "moderateur",
            "session": "Plateau 1 : Les petites villes face au ZAN",
            "date": "2024-06-14",
        }
    ]


def test_import_programme_block_ids_are_derived_from_the_session(edition_2024):
    run(edition_2024, AMBOISE_TXT)
    first = latest(edition_2024).sessions[0]
    expected = session_id(
        edition_2024.pk,
        datetime.date(2024, 6, 14),
        datetime.time(9, 45),
        "Plateau 1 : Les petites villes face au ZAN",
    )
    assert str(first["id"]) == expected
    assert uuid.UUID(expected).version == 5


def test_import_programme_reimport_is_unchanged(edition_2024):
    run(edition_2024, AMBOISE_TXT)
    ids = [s["id"] for s in latest(edition_2024).sessions]
    revisions = Revision.objects.count()
    again = run(edition_2024, AMBOISE_TXT)
    assert again.status == "unchanged"
    assert Revision.objects.count() == revisions
    assert [s["id"] for s in latest(edition_2024).sessions] == ids


def test_import_programme_keeps_sessions_added_by_hand(edition_2024):
    page = latest(edition_2024)
    manual = {
        "type": "session",
        "id": str(uuid.uuid4()),
        "value": {
            "title": "Visite du château",
            "kind": "autre",
            "date": "2024-06-15",
            "start_time": "14:00:00",
            "end_time": "16:00:00",
            "room": "",
            "description": "",
            "topics": [],
            "participants": [],
            "cancelled": False,
        },
    }
    page.programme = [manual]
    page.save_revision()
    result = run(edition_2024, AMBOISE_TXT)
    assert (result.status, result.kept, result.sessions) == ("updated", 1, 4)
    titles = [s["value"]["title"] for s in latest(edition_2024).sessions]
    assert titles[-1] == "Visite du château" and len(titles) == 5
    assert run(edition_2024, AMBOISE_TXT).status == "unchanged"


def test_import_programme_replaces_previously_imported_sessions(edition_2024, tmp_path):
    run(edition_2024, AMBOISE_TXT)
    shorter = tmp_path / "programme.txt"
    shorter.write_text(
        AMBOISE_TXT.read_text(encoding="utf-8").replace("Discours de clôture", "Clôture"),
        encoding="utf-8",
    )
    result = run(edition_2024, shorter)
    assert result.status == "updated"
    titles = [s["value"]["title"] for s in latest(edition_2024).sessions]
    assert titles[-1] == "Clôture" and "Discours de clôture" not in titles


def test_import_programme_csv_completes_missing_end_times(edition_2025):
    result = run(edition_2025, MAIRES_CSV)
    assert result.status == "created", result.reason
    sessions = {s["value"]["title"]: s for s in latest(edition_2025).sessions}
    lunch = sessions["Déjeuner libre"]
    assert lunch["end"] == datetime.datetime(2025, 11, 18, 13, 45, tzinfo=PARIS)
    closing = sessions["Discours de clôture"]
    assert closing["end"] == datetime.datetime(2025, 11, 20, 15, 0, tzinfo=PARIS)
    assert closing["start"].utcoffset() == datetime.timedelta(hours=1)  # winter time
    assert len([w for w in result.warnings if "Déjeuner libre" in w]) == 1
    assert sessions["Séance plénière d'ouverture"]["value"]["room"] == "Grand Auditorium"


def test_import_programme_text_end_is_the_next_session_start(edition_2025):
    result = run(edition_2025, MAIRES_TXT)
    assert result.status == "created", result.reason
    sessions = {s["value"]["title"]: s for s in latest(edition_2025).sessions}
    assert sessions["Déjeuner libre"]["end"] == datetime.datetime(
        2025, 11, 18, 14, 30, tzinfo=PARIS
    )
    assert sessions["Déjeuner libre"]["value"]["kind"] == "pause"
    names = {s["name"] for s in result.suggestions}
    assert {"Hélène Vasseur", "Pierre Aubry", "Julie Moreau"} <= names


def test_import_programme_sessions_outside_the_edition_fail(series):
    one_day = make_edition(
        series, 92, datetime.date(2024, 6, 14), datetime.date(2024, 6, 14), "Tours"
    )
    revisions = Revision.objects.count()
    result = run(one_day, AMBOISE_TXT)
    assert result.status == "failed"
    assert "Table ronde : Désertification médicale" in result.reason
    assert "2024-06-15" in result.reason
    assert Revision.objects.count() == revisions


def test_import_programme_malformed_csv_names_line_and_column(edition_2025):
    result = run(edition_2025, FIXTURES / "programme-malformed.csv")
    assert result.status == "failed"
    assert "3" in result.reason and "date" in result.reason
    assert list(latest(edition_2025).programme.raw_data) == []


def test_import_programme_unknown_role_names_the_column(edition_2025):
    result = run(edition_2025, FIXTURES / "programme-bad-role.csv")
    assert result.status == "failed"
    assert "participants" in result.reason and "2" in result.reason


BAD_FILES = {
    "empty": ("programme.csv", b""),
    "binary": ("programme.txt", bytes(range(256)) * 8),
    "extension": ("programme.pdf", MAIRES_CSV.read_bytes()),
    "too-large": ("programme.txt", b"a" * (5 * 1024 * 1024 + 1)),
    "no-session": ("programme.txt", b"Mardi 18 novembre\nRien ici.\n"),
    "csv-header": ("programme.csv", b"jour,heure\n2025-11-18,09:00\n"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_import_programme_bad_input_fails_and_writes_nothing(edition_2025, case):
    filename, data = BAD_FILES[case]
    revisions = Revision.objects.count()
    result = import_programme(edition_2025, data, filename)
    assert result.status == "failed"
    assert result.reason
    assert Revision.objects.count() == revisions


def test_import_programme_cp1252_text_decodes(edition_2025):
    data = MAIRES_TXT.read_text(encoding="utf-8").encode("cp1252")
    result = import_programme(edition_2025, data, "programme.txt")
    assert result.status == "created", result.reason
    titles = [s["value"]["title"] for s in latest(edition_2025).sessions]
    assert "Séance plénière d'ouverture" in titles


def test_import_programme_dry_run_writes_nothing(edition_2024):
    revisions = Revision.objects.count()
    result = run(edition_2024, AMBOISE_TXT, dry_run=True)
    assert result.status == "created"
    assert Revision.objects.count() == revisions
    data = json.loads(json.dumps(result.to_dict()))
    assert data["sessions"] == 4 and data["parsed"]["sessions"][0]["start"] == "09:45:00"


def test_import_programme_publish_indexes_the_sessions(edition_2024):
    result = run(edition_2024, AMBOISE_TXT, publish=True)
    assert result.status == "created"
    edition = CongressEditionPage.objects.get(pk=edition_2024.pk)
    assert edition.live
    indexed = ProgrammeSession.objects.filter(edition=edition).order_by("start")
    assert indexed.count() == 4
    assert indexed[0].start == datetime.datetime(2024, 6, 14, 7, 45, tzinfo=datetime.UTC)


def test_import_programme_publish_of_an_unchanged_draft_publishes_it(edition_2024):
    run(edition_2024, AMBOISE_TXT)
    revisions = Revision.objects.count()
    result = run(edition_2024, AMBOISE_TXT, publish=True)
    assert result.status == "updated"
    assert Revision.objects.count() == revisions
    assert CongressEditionPage.objects.get(pk=edition_2024.pk).live


def test_import_programme_dry_run_fails_where_the_real_run_fails(series, edition_2024):
    """The dry run saves as the real run does: an edition the page model refuses to save (here
    a number taken by another edition of the series) fails in both, with the field named."""
    other = CongressEditionPage.objects.exclude(pk=edition_2024.pk).child_of(series).first()
    edition_2024.number = other.number
    edition_2024.save_revision(clean=False)  # a draft saved before the rule existed, say
    edition = CongressEditionPage.objects.get(pk=edition_2024.pk)
    dry = run(edition, AMBOISE_TXT, dry_run=True)
    real = run(edition, AMBOISE_TXT)
    assert (dry.status, real.status) == ("failed", "failed")
    assert dry.reason == real.reason
    assert "numéro" in dry.reason.casefold()


def test_import_programme_dry_run_with_publish_leaves_nothing(edition_2024):
    from cms.models import ChangeLogEntry, StoredDocument
    from cms.pipeline import signals

    before = (
        Revision.objects.count(),
        StoredDocument.objects.count(),
        ChangeLogEntry.objects.count(),
    )
    pending = dict(getattr(signals._pending, "keys", {}))
    result = run(edition_2024, AMBOISE_TXT, dry_run=True, publish=True)
    assert result.status == "created" and result.revision_id is None
    assert not CongressEditionPage.objects.get(pk=edition_2024.pk).live
    after = (
        Revision.objects.count(),
        StoredDocument.objects.count(),
        ChangeLogEntry.objects.count(),
    )
    assert after == before
    assert dict(getattr(signals._pending, "keys", {})) == pending
