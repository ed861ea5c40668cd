"""The programme corpus: real-world layouts, each with the sessions an editor expects from it.

Every input in tests/fixtures/corpus/programmes/ has a NAME.expected.json (format shared with
the communiqué corpus): the sessions as (day, start, beginning of the title), or the reason the
file must be refused. The edition each file is imported into spans the expected days, as the
editor's edition would.
"""

import datetime
import json
from pathlib import Path

import pytest
from wagtail.models import Revision

from cms.models import ChangeLogEntry, StoredDocument
from cms.pipeline import signals
from events.importers import import_programme
from events.models import CongressEditionPage

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus" / "programmes"
# Where a refused file is imported: it has no sessions to date the edition from.
REFUSED_EDITION_DAYS = (datetime.date(2025, 10, 1), datetime.date(2025, 10, 2))


def corpus() -> list[tuple[Path, dict]]:
    items = []
    for expected in sorted(CORPUS.glob("*.expected.json")):
        name = expected.name.removesuffix(".expected.json")
        (source,) = [
            path for path in CORPUS.glob(f"{name}.*") if not path.name.endswith(".expected.json")
        ]
        items.append((source, json.loads(expected.read_text(encoding="utf-8"))))
    return items


CORPUS_FILES = corpus()


def edition_for(series, expected: dict, number: int) -> CongressEditionPage:
    days = [datetime.date.fromisoformat(s["day"]) for s in expected["sessions"]]
    start, end = (min(days), max(days)) if days else REFUSED_EDITION_DAYS
    edition = CongressEditionPage(
        title=f"Édition du corpus {number}",
        slug=f"edition-corpus-{number}",
        number=500 + number,
        start_date=start,
        end_date=end,
        host_town="Tours",
        live=False,
    )
    series.add_child(instance=edition)
    edition.save_revision()
    return CongressEditionPage.objects.get(pk=edition.pk)


def found(expected: dict, session: dict) -> bool:
    return (
        session["day"] == expected["day"]
        and session["start"][:5] == expected["start"]
        and " ".join(session["title"].split())
        .casefold()
        .startswith(" ".join(expected["title_starts"].split()).casefold())
    )


def without_run_details(result) -> dict:
    data = result.to_dict()
    for key in ("dry_run", "revision"):
        data.pop(key)
    return data


def test_programme_corpus_is_varied():
    extensions = {source.suffix for source, _expected in CORPUS_FILES}
    assert len(CORPUS_FILES) >= 12
    assert {".txt", ".md", ".html", ".pdf", ".csv"} <= extensions
    assert any(expected["refused"] for _source, expected in CORPUS_FILES)


def test_programme_corpus_sessions_found_with_their_start_times(series):
    """≥ 90 % of the expected sessions with the right day and start; nothing invented."""
    expected_total, matched, invented, refusals = 0, 0, [], []
    for number, (source, expected) in enumerate(CORPUS_FILES):
        edition = edition_for(series, expected, number)
        result = import_programme(edition, source.read_bytes(), source.name, dry_run=True)
        if expected["refused"]:
            refusals.append((source.name, result.status, result.reason, expected["refused"]))
            continue
        assert result.status == "created", (source.name, result.reason)
        sessions = result.parsed["sessions"]
        expected_total += len(expected["sessions"])
        matched += sum(any(found(e, s) for s in sessions) for e in expected["sessions"])
        invented += [
            (source.name, s["day"], s["start"], s["title"])
            for s in sessions
            if not any(found(e, s) for e in expected["sessions"])
        ]
    assert matched / expected_total >= 0.9, f"{matched}/{expected_total}"
    assert invented == []
    for name, status, reason, wanted in refusals:
        assert status == "failed", name
        assert wanted.casefold() in reason.casefold(), (name, reason)


@pytest.mark.parametrize(
    ("source", "expected"), CORPUS_FILES, ids=[source.name for source, _ in CORPUS_FILES]
)
def test_programme_corpus_dry_run_agrees_with_real_run(series, source, expected):
    """Same result dry or real; the dry run leaves nothing, re-importing changes nothing."""
    edition = edition_for(series, expected, 99)
    before = (
        Revision.objects.count(),
        StoredDocument.objects.count(),
        ChangeLogEntry.objects.count(),
    )
    pending = dict(getattr(signals._pending, "keys", {}))
    dry = import_programme(edition, source.read_bytes(), source.name, dry_run=True)
    assert (
        Revision.objects.count(),
        StoredDocument.objects.count(),
        ChangeLogEntry.objects.count(),
    ) == before
    assert dict(getattr(signals._pending, "keys", {})) == pending
    real = import_programme(edition, source.read_bytes(), source.name)
    assert without_run_details(dry) == without_run_details(real)
    page = CongressEditionPage.objects.get(pk=edition.pk)
    assert not page.live  # an import never publishes
    if expected["refused"]:
        assert real.status == "failed" and real.reason
        assert Revision.objects.count() == before[0]
        return
    assert real.status == "created" and real.revision_id
    revisions = Revision.objects.count()
    again = import_programme(edition, source.read_bytes(), source.name)
    assert again.status == "unchanged"
    assert Revision.objects.count() == revisions
