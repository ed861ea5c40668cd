"""The communiqué importer on a corpus of real-world-like files (tests/fixtures/corpus/).

Web pages saved with their site around them, PDFs in two columns, single-newline texts, event
dates in the body, yearless and ISO dates, listings to split or refuse, Word, Markdown and
Windows-1252 files; each input has its expected result (format in
`press.importers.evaluation`). The targets are those of the issue: ≥ 90 % drafts, ≥ 90 %
publication dates right, no event date taken, ≥ 85 % titles and leads right, listings never
merged, dry run = real run, idempotent, nothing published.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cms.models import ChangeLogEntry, StoredDocument
from press.importers import CREATED, FAILED, UNCHANGED, import_file
from press.importers.evaluation import (
    CorpusCase,
    communique_accuracy,
    compare_communique,
    corpus_cases,
)
from press.models import CommuniquePage, PressContact

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"
CASES = corpus_cases(CORPUS / "communiques")


def _drafts(results) -> tuple[list[dict], str]:
    if len(results) == 1 and results[0].status == FAILED:
        return [], results[0].reason
    summaries = []
    for result in results:
        parsed = result.to_dict()["parsed"]
        summaries.append(
            {
                "title": parsed["title"],
                "lead": parsed["lead"],
                "date": parsed["date"],
                "date_flagged": parsed["date_flagged"],
            }
        )
    return summaries, ""


def _import(case: CorpusCase, press_room, **options):
    return import_file(case.path.read_bytes(), case.path.name, parent=press_room, **options)


def _comparable(results) -> list[dict]:
    """What a dry run must agree on with the real run: everything but ids."""
    keep = ("status", "reason", "parsed", "review", "date_flagged", "warnings", "boilerplate")
    return [{key: result.to_dict()[key] for key in keep} for result in results]


def test_corpus_has_at_least_thirty_varied_inputs():
    suffixes = {case.path.suffix for case in CASES}
    assert len(CASES) >= 30
    assert {".txt", ".md", ".html", ".htm", ".docx", ".pdf"} <= suffixes
    assert sum(len(case.expected["drafts"]) > 1 for case in CASES) >= 2  # listings to split
    assert sum(bool(case.expected["refused"]) for case in CASES) >= 3


def test_import_corpus_meets_the_targets(press_room):
    outcomes = []
    for case in CASES:
        drafts, reason = _drafts(_import(case, press_room))
        outcomes.append(compare_communique(case, drafts, reason))
    figures = communique_accuracy(outcomes)
    report = {name: f"{figure.right}/{figure.total}" for name, figure in figures.items()}
    assert figures["created"].ratio >= 0.9, report
    assert figures["date"].ratio >= 0.9, report
    assert figures["title"].ratio >= 0.85, report
    assert figures["lead"].ratio >= 0.85, report
    assert figures["event_date_taken"].right == 0, report
    assert figures["refused"].ratio == 1.0, report
    assert figures["not_merged"].ratio == 1.0, report


@pytest.mark.parametrize("case", CASES, ids=[case.path.name for case in CASES])
def test_import_corpus_dry_run_agrees_with_real_run(case, press_room):
    pages = CommuniquePage.objects.count()
    contacts = PressContact.objects.count()
    dry = _import(case, press_room, dry_run=True)
    assert (CommuniquePage.objects.count(), PressContact.objects.count()) == (pages, contacts)
    real = _import(case, press_room)
    assert _comparable(dry) == _comparable(real)
    expected_status = FAILED if case.expected["refused"] else CREATED
    assert [result.status for result in real] == [expected_status] * max(
        1, len(case.expected["drafts"])
    )
    assert CommuniquePage.objects.count() == pages + len(case.expected["drafts"])


def test_import_corpus_reimport_is_idempotent_and_publishes_nothing(
    press_room, django_capture_on_commit_callbacks
):
    documents, log = StoredDocument.objects.count(), ChangeLogEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        first = [result for case in CASES for result in _import(case, press_room)]
    pages = CommuniquePage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = [result for case in CASES for result in _import(case, press_room)]
    assert [r.status for r in again] == [FAILED if r.failed else UNCHANGED for r in first]
    assert CommuniquePage.objects.count() == pages
    imported = [result.page for result in first if not result.failed]
    assert imported and not any(page.live for page in imported)
    assert (StoredDocument.objects.count(), ChangeLogEntry.objects.count()) == (documents, log)


def test_import_corpus_review_checklist_is_on_the_draft(press_room):
    case = next(c for c in CASES if c.path.name == "congres-2018-sans-annee.txt")
    (result,) = _import(case, press_room)
    page = CommuniquePage.objects.get(pk=result.page.pk)
    revision = page.get_latest_revision_as_object()
    assert "2018" in revision.import_review and "titre" in revision.import_review
    assert result.date_flagged and result.review[0]["field"] == "publication_date"


def test_import_communiques_command_bad_files_exit_1_with_reason(press_room, tmp_path):
    for name in ("empty.txt", "liste-a-refuser.txt", "pdf-endommage.pdf"):
        (tmp_path / name).write_bytes((CORPUS / "communiques" / name).read_bytes())
    err = io.StringIO()
    with pytest.raises(CommandError, match="3"):
        call_command("import_communiques", str(tmp_path), stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert "vide" in text and "liste de 3 actualités" in text and "PDF" in text


def test_import_communiques_command_year_option_dates_yearless_dateline(press_room, tmp_path):
    path = tmp_path / "sans-annee.txt"
    path.write_text("Paris, le 13 juillet\n\nUn titre de communiqué\n\nLe texte.", "utf-8")
    out = io.StringIO()
    call_command("import_communiques", str(path), "--year", "2017", stdout=out)
    page = CommuniquePage.objects.get(title="Un titre de communiqué")
    assert str(page.publication_date) == "2017-07-13"
    assert "date" not in page.get_latest_revision_as_object().import_review


def test_import_report_prints_accuracy_for_the_corpus():
    out = io.StringIO()
    call_command("import_report", str(CORPUS / "communiques"), stdout=out)
    text = out.getvalue()
    assert f"Communiqués : {len(CASES)} fichiers" in text
    assert "date de publication juste" in text


def test_import_review_checklist_is_shown_in_the_page_editor(admin_client, press_room):
    case = next(c for c in CASES if c.path.name == "sans-ville.txt")
    (result,) = _import(case, press_room)
    response = admin_client.get(f"/admin/pages/{result.page.pk}/edit/")
    assert response.status_code == 200
    assert "À vérifier après import" in response.text
    assert "Aucune ville n’a été trouvée dans la ligne de date." in response.text


def test_import_report_measures_programmes_with_the_events_parser(tmp_path):
    source = CORPUS.parent / "import" / "programme-apvf-amboise-2024.txt"
    (tmp_path / "amboise.txt").write_bytes(source.read_bytes())
    sessions = [
        {"day": "2024-06-14", "start": "09:45", "title_starts": "Les petites villes face"},
        {"day": "2024-06-15", "start": "11:15", "title_starts": "Discours de clôture"},
        {"day": "2024-06-15", "start": "08:00", "title_starts": "Accueil des congressistes"},
    ]
    (tmp_path / "amboise.expected.json").write_text(
        json.dumps({"kind": "programme", "sessions": sessions}), "utf-8"
    )
    out = io.StringIO()
    call_command("import_report", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "amboise.txt : 2/3 séances trouvées, 2 heures de début justes" in text, text
    assert "séances trouvées : 2/3 (67%)" in text


def test_import_dry_run_of_a_publishing_import_renders_nothing(
    press_room, django_capture_on_commit_callbacks
):
    case = next(c for c in CASES if c.path.name == "amrf-moratoire-ecoles.html")
    documents, log = StoredDocument.objects.count(), ChangeLogEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (result,) = _import(case, press_room, dry_run=True, publish=True)
    assert result.status == CREATED and result.page is None
    assert callbacks == []
    assert (StoredDocument.objects.count(), ChangeLogEntry.objects.count()) == (documents, log)
    assert not CommuniquePage.objects.filter(title__startswith="Les maires ruraux").exists()


def test_import_validation_error_names_the_field_and_the_line():
    from django.core.exceptions import ValidationError

    from press.importers.communique import _validation_message
    from press.parsing import parse_communique

    parsed = parse_communique("Communiqué\n\nParis, le 3 mars 2024\n\nUn titre\n\nTexte.", "text")
    error = ValidationError({"dateline_place": ["Ce champ ne peut pas être vide."]})
    assert _validation_message(error, parsed) == (
        "Champ « lieu de la date » (ligne 3 du fichier) : Ce champ ne peut pas être vide."
    )
