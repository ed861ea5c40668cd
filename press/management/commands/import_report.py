"""manage.py import_report DIR — how well the importers read a corpus, field by field.

Walks DIR for ``*.expected.json`` files (format in `press.importers.evaluation`), runs the real
parsers on their inputs — the communiqué parser, and the programme parser of `events` — without
writing anything, and prints per-file results and per-field accuracy. It measures; it does not
judge: the exit status is 0 whatever the figures (the corpus tests assert the targets).
"""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from events.importers import ImportFailure
from events.importers.programme import parse_programme_file
from press.importers.evaluation import (
    Accuracy,
    CorpusCase,
    communique_accuracy,
    corpus_cases,
    parse_communique_case,
)


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _title_matches(found: str, wanted: str) -> bool:
    """The found title starts with the expected words, with or without its « Plateau 1 : »."""
    after_label = found.split(":", 1)[1] if ":" in found else found
    return _normalise(found).startswith(wanted) or _normalise(after_label).startswith(wanted)


def _field(label: str, value: str) -> str:
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def _figure(figure: Accuracy) -> str:
    return f"{figure.right}/{figure.total} ({figure.ratio:.0%})"


def programme_figures(case: CorpusCase) -> tuple[Accuracy, Accuracy, int, str]:
    """(sessions found, start times right, sessions not expected, failure reason)."""
    wanted = case.expected.get("sessions", [])
    days = sorted(date.fromisoformat(session["day"]) for session in wanted) or [date.today()]
    # The parser only reads the edition's dates, to date « Jeudi 13 novembre »: a stand-in
    # keeps the report free of database writes (and of a database, for that matter).
    edition = SimpleNamespace(title=case.path.stem, start_date=days[0], end_date=days[-1])
    found, starts = Accuracy(), Accuracy()
    try:
        sessions = parse_programme_file(case.path.read_bytes(), case.path.name, edition).sessions
    except ImportFailure as error:
        for _session in wanted:
            found.add(False)
            starts.add(False)
        return found, starts, 0, str(error)
    used: set[int] = set()
    for session in wanted:
        day = date.fromisoformat(session["day"])
        title = _normalise(session["title_starts"])
        match = next(
            (
                index
                for index, parsed in enumerate(sessions)
                if index not in used and parsed.day == day and _title_matches(parsed.title, title)
            ),
            None,
        )
        found.add(match is not None)
        if match is None:
            starts.add(False)
            continue
        used.add(match)
        starts.add(sessions[match].start == time.fromisoformat(session["start"]))
    return found, starts, len(sessions) - len(used), ""


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Print the importers' accuracy on a folder of files with expected results.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", help=_("Folder holding NAME.ext and NAME.expected.json."))

    def handle(self, *args, **options) -> None:
        folder = Path(options["folder"])
        if not folder.is_dir():
            raise CommandError(_("“%(folder)s” is not a folder.") % {"folder": folder})
        try:
            cases = corpus_cases(folder)
        except ValueError as error:
            raise CommandError(str(error)) from error
        communiques = [case for case in cases if case.kind == "communique"]
        programmes = [case for case in cases if case.kind == "programme"]
        if communiques:
            self.report_communiques(communiques)
        if programmes:
            self.report_programmes(programmes)
        if not cases:
            self.stdout.write(_("No expected results (*.expected.json) in this folder."))

    def report_communiques(self, cases: list[CorpusCase]) -> None:
        outcomes = [parse_communique_case(case) for case in cases]
        self.stdout.write(_("Communiqués: %(count)d files") % {"count": len(cases)})
        for outcome in outcomes:
            if outcome.expect_refusal:
                verdict = (
                    _("refused as expected") if outcome.refused_correctly else _("NOT refused")
                )
            elif not outcome.created:
                verdict = _("FAILED: %(reason)s") % {"reason": outcome.reason}
            else:
                verdict = " ".join(
                    "/".join(
                        label if ok else label.upper() + "✗"
                        for label, ok in (
                            ("date", draft.date),
                            ("title", draft.title),
                            ("lead", draft.lead),
                            ("flag", draft.date_flagged),
                        )
                    )
                    for draft in outcome.drafts
                )
            self.stdout.write("  " + _field(outcome.name, verdict))
        labels = {
            "created": _("drafts created"),
            "date": _("publication date right"),
            "date_flagged": _("date flagged when it should be"),
            "title": _("title right"),
            "lead": _("lead right"),
            "refused": _("refused correctly"),
            "not_merged": _("listings not merged"),
            "event_date_taken": _("event date taken as publication date"),
        }
        for key, figure in communique_accuracy(outcomes).items():
            self.stdout.write("  " + _field(labels[key], _figure(figure)))

    def report_programmes(self, cases: list[CorpusCase]) -> None:
        self.stdout.write(_("Programmes: %(count)d files") % {"count": len(cases)})
        total_found, total_starts, invented = Accuracy(), Accuracy(), 0
        for case in cases:
            found, starts, extra, reason = programme_figures(case)
            total_found.right += found.right
            total_found.total += found.total
            total_starts.right += starts.right
            total_starts.total += starts.total
            invented += extra
            detail = _(
                "%(found)d/%(total)d sessions found, %(starts)d start times right, "
                "%(extra)d not expected"
            ) % {"found": found.right, "total": found.total, "starts": starts.right, "extra": extra}
            self.stdout.write("  " + _field(case.path.name, reason or detail))
        self.stdout.write("  " + _field(_("sessions found"), _figure(total_found)))
        self.stdout.write("  " + _field(_("start times right"), _figure(total_starts)))
        self.stdout.write("  " + _field(_("sessions not expected"), str(invented)))
