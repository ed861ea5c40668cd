"""Measure the importers against a corpus of real-world files with their expected results.

Each input ``NAME.ext`` of a corpus folder has ``NAME.expected.json``:

- communiqués: ``{"kind": "communique", "drafts": [{"title", "lead_starts", "date"
  ("YYYY-MM-DD" or null when no date can be trusted), "date_flagged"}], "refused": null}``, or
  ``{"kind": "communique", "drafts": [], "refused": "<part of the reason>"}``; an optional
  ``"event_dates"`` lists dates of the body that must never become the publication date;
- programmes: ``{"kind": "programme", "sessions": [{"day", "start" ("HH:MM"),
  "title_starts"}]}``.

`manage.py import_report DIR` prints these figures; the corpus tests assert the targets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cms.frenchtext import ParseError
from events.importers import localise_message

from ..parsing import ParsedCommunique, parse_document
from .content import PRESS_RULES

EXPECTED_SUFFIX = ".expected.json"


@dataclass
class CorpusCase:
    """One input file and what it should give."""

    path: Path
    expected: dict[str, Any]

    @property
    def kind(self) -> str:
        return self.expected.get("kind", "communique")


def corpus_cases(folder: Path) -> list[CorpusCase]:
    """Inputs of ``folder`` (recursively) that have an expected file, in name order."""
    cases = []
    for expected_path in sorted(folder.rglob(f"*{EXPECTED_SUFFIX}")):
        stem = expected_path.name[: -len(EXPECTED_SUFFIX)]
        inputs = [
            path
            for path in expected_path.parent.iterdir()
            if path.is_file() and path.name.startswith(f"{stem}.") and path != expected_path
        ]
        if len(inputs) != 1:
            raise ValueError(f"{expected_path}: expected one input named {stem}.*")
        cases.append(CorpusCase(inputs[0], json.loads(expected_path.read_text("utf-8"))))
    return cases


@dataclass
class DraftOutcome:
    """What one draft got right."""

    title: bool
    lead: bool
    date: bool
    date_flagged: bool
    event_date_taken: bool


@dataclass
class CommuniqueOutcome:
    """How a communiqué-like input fared: drafts created (and how right), or refused."""

    name: str
    expect_refusal: bool
    created: bool
    refused_correctly: bool
    merged: bool  # a listing that came out as fewer drafts than items
    drafts: list[DraftOutcome] = field(default_factory=list)
    reason: str = ""


def refusal_matches(expected: str, reason: str) -> bool:
    """The expected words appear in the reason, in English or in the user's language."""
    wanted = expected.casefold()
    return wanted in reason.casefold() or wanted in localise_message(reason, PRESS_RULES).casefold()


def compare_draft(found: dict[str, Any], wanted: dict[str, Any], events: list[str]) -> DraftOutcome:
    """``found`` has ``title``, ``lead``, ``date`` (ISO) and ``date_flagged``."""
    if wanted["date"] is None:
        date_right = bool(found["date_flagged"])
    else:
        date_right = found["date"] == wanted["date"]
    return DraftOutcome(
        title=" ".join(found["title"].split()) == " ".join(wanted["title"].split()),
        lead=bool(found["lead"]) and found["lead"].startswith(wanted["lead_starts"]),
        date=date_right,
        date_flagged=bool(found["date_flagged"]) == bool(wanted["date_flagged"]),
        event_date_taken=found["date"] in events and found["date"] != wanted["date"],
    )


def compare_communique(
    case: CorpusCase, drafts: list[dict[str, Any]], reason: str
) -> CommuniqueOutcome:
    """Compare what an import produced (``drafts`` or a refusal ``reason``) with the expected."""
    expected = case.expected
    refused = expected.get("refused")
    outcome = CommuniqueOutcome(
        name=case.path.name,
        expect_refusal=bool(refused),
        created=bool(drafts) and not reason,
        refused_correctly=bool(refused) and bool(reason) and refusal_matches(refused, reason),
        merged=0 < len(drafts) < len(expected["drafts"]) or (bool(refused) and bool(drafts)),
        reason=reason,
    )
    events = expected.get("event_dates", [])
    for found, wanted in zip(drafts, expected["drafts"], strict=False):
        outcome.drafts.append(compare_draft(found, wanted, events))
    missing = len(expected["drafts"]) - len(drafts)
    outcome.drafts += [DraftOutcome(False, False, False, False, False)] * max(0, missing)
    return outcome


def draft_summary(parsed: ParsedCommunique) -> dict[str, Any]:
    return {
        "title": parsed.title,
        "lead": parsed.lead,
        "date": parsed.date.isoformat(),
        "date_flagged": parsed.date_flagged,
    }


def parse_communique_case(case: CorpusCase, *, today: date | None = None) -> CommuniqueOutcome:
    """Run the real parser (no database) on one communiqué input."""
    try:
        document = parse_document(case.path.read_bytes(), case.path.name, today=today)
    except ParseError as error:
        return compare_communique(case, [], str(error))
    return compare_communique(case, [draft_summary(item) for item in document.items], "")


@dataclass
class Accuracy:
    """Right answers over questions asked, for one field."""

    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += bool(ok)
        self.total += 1

    @property
    def ratio(self) -> float:
        return self.right / self.total if self.total else 1.0


def communique_accuracy(outcomes: list[CommuniqueOutcome]) -> dict[str, Accuracy]:
    """Per-field accuracy: created (of inputs expected to import), date, title, lead…"""
    figures = {
        name: Accuracy()
        for name in ("created", "date", "date_flagged", "title", "lead", "refused", "not_merged")
    }
    figures["event_date_taken"] = Accuracy()
    for outcome in outcomes:
        figures["not_merged"].add(not outcome.merged)
        if outcome.expect_refusal:
            figures["refused"].add(outcome.refused_correctly)
            continue
        figures["created"].add(outcome.created)
        for draft in outcome.drafts:
            figures["date"].add(draft.date)
            figures["date_flagged"].add(draft.date_flagged)
            figures["title"].add(draft.title)
            figures["lead"].add(draft.lead)
            figures["event_date_taken"].add(draft.event_date_taken)
    return figures
