"""Write parsed programmes into an edition's `programme` StreamField, as a new draft revision.

The parsing itself is pure (`events.parsing`); this module decides what the parsed sessions become
in Wagtail: Europe/Paris wall-clock times, completed end times, participants matched to speaker
pages, and block ids derived from the session itself so that calendar UIDs stay the same when the
same programme is imported again. Sessions an editor added by hand are kept.
"""

from __future__ import annotations

import codecs
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext
from wagtail.models import Locale

from cms.conf import DEFAULTS
from cms.frenchtext import normalise_name
from cms.importing.html import main_content_text
from cms.importing.limits import ImportLimitExceeded, check_file_size
from cms.importing.pdf import pdf_to_text
from cms.pipeline.signals import discarding_scheduled_renders

from ..blocks import SessionBlock
from ..models import PARIS, CongressEditionPage, SpeakerPage
from ..parsing import ParsedProgramme, ParseError, parse_programme_csv, parse_programme_text
from .messages import CREATED, FAILED, UNCHANGED, UPDATED, ImportFailure, localise_message

# The default; the limit in force is the setting ASSISES['IMPORT_MAX_FILE_BYTES'] (cms.importing).
MAX_PROGRAMME_BYTES = DEFAULTS["IMPORT_MAX_FILE_BYTES"].default
PROGRAMME_EXTENSIONS = {
    ".csv": "csv",
    ".txt": "text",
    ".md": "text",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
}
# Fixed namespace: a session's id depends only on the edition, day, start and title.
SESSION_NAMESPACE = uuid.UUID("0b7f6c1e-5d0a-4f7e-9a51-6c2d8e3b4a90")
_DUPLICATE_SLOTS = 20
_MAX_CONTROL_RATIO = 0.01


def speakers_by_name(locale: Locale | None = None) -> dict[str, SpeakerPage]:
    """Speaker pages keyed by `normalise_name`; pages in ``locale`` win over their translations."""
    pages = sorted(
        SpeakerPage.objects.all(),
        key=lambda page: locale is not None and page.locale_id == locale.pk,
    )
    index: dict[str, SpeakerPage] = {}
    for page in pages:
        for name in (f"{page.given_name} {page.family_name}", page.title):
            index[normalise_name(name)] = page
    return index


def _check_size(data: bytes) -> None:
    try:
        check_file_size(len(data))
    except ImportLimitExceeded as error:
        raise ImportFailure(str(error)) from error


def decode_programme(data: bytes) -> str:
    """UTF-8 (or UTF-16 with BOM, as Excel writes), else Windows-1252, else Latin-1 text.

    The size is checked first: decoding and counting characters is what a huge file costs.
    """
    _check_size(data)
    if not data.strip():
        raise ImportFailure(gettext("The file is empty."))
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if b"\x00" in data:
        raise ImportFailure(gettext("The file looks binary, not text."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f\v")
    if controls > max(2, len(text) * _MAX_CONTROL_RATIO):
        raise ImportFailure(gettext("The file looks binary, not text."))
    return text


def parse_programme_file(
    data: bytes, filename: str, edition: CongressEditionPage
) -> ParsedProgramme:
    """Check size and type, read (PDF, web page, text), parse; raises ImportFailure with a
    translated reason, also when no session at all was recognised."""
    _check_size(data)
    suffix = PurePath(filename).suffix.lower()
    fmt = PROGRAMME_EXTENSIONS.get(suffix)
    if fmt is None:
        raise ImportFailure(
            gettext("Unsupported file type %(ext)s; use %(known)s.")
            % {"ext": suffix or "(none)", "known": ", ".join(sorted(PROGRAMME_EXTENSIONS))}
        )
    try:
        content = pdf_to_text(data) if fmt == "pdf" else decode_programme(data)
        if fmt == "html":
            content = main_content_text(content)
        if fmt == "csv":
            programme = parse_programme_csv(content)
        else:
            start, end = edition.start_date, edition.end_date
            programme = parse_programme_text(
                content, year=start.year, default_month=start.month, days=(start, end or start)
            )
    except ParseError as error:
        raise ImportFailure(localise_message(str(error))) from error
    if not programme.sessions:
        # Refused rather than imported empty: « nothing recognised » must not look like success.
        raise ImportFailure(
            gettext("No session was found (no line starts with a time such as 9h30).")
        )
    return programme


def session_id(edition_id: int, day: date, start: time, title: str, occurrence: int = 1) -> str:
    """The block id of an imported session: stable across imports, hence stable calendar UIDs."""
    key = f"{edition_id}|{day.isoformat()}|{start.strftime('%H:%M')}|{title}"
    if occurrence > 1:
        key += f"|{occurrence}"
    return str(uuid.uuid5(SESSION_NAMESPACE, key))


def _was_imported(item: dict, edition_id: int) -> bool:
    """Does this stored session carry the id an import gives it? Editors' sessions do not."""
    value = item.get("value") or {}
    try:
        day = date.fromisoformat(str(value.get("date")))
        start = time.fromisoformat(str(value.get("start_time")))
    except ValueError:
        return False
    title = value.get("title") or ""
    ids = {session_id(edition_id, day, start, title, n) for n in range(1, _DUPLICATE_SLOTS + 1)}
    return item.get("type") == "session" and item.get("id") in ids


def _end_times(programme: ParsedProgramme) -> tuple[list[time], list[str]]:
    """End of each session: as written, else the next start on the same day, else one hour."""
    ends, warnings = [], []
    for session in programme.sessions:
        if session.end is not None:
            ends.append(session.end)
            continue
        later = [
            other.start
            for other in programme.sessions
            if other.day == session.day and other.start > session.start
        ]
        if later:
            end = min(later)
            note = gettext("“%(title)s” has no end time; it ends when the next session starts.")
        else:
            moment = datetime.combine(session.day, session.start) + timedelta(hours=1)
            end = moment.time() if moment.date() == session.day else time(23, 59)
            note = gettext("“%(title)s” has no end time; it was set to one hour.")
        ends.append(end)
        warnings.append(note % {"title": session.title})
        session.flags.append(note % {"title": session.title})
    return ends, warnings


def _check_dates(programme: ParsedProgramme, edition: CongressEditionPage) -> None:
    """Refuse sessions outside the edition, each named with its line and field."""
    outside = [
        gettext("line %(line)s, field “date”: “%(title)s” (%(day)s)")
        % {"line": session.line, "title": session.title, "day": session.day.isoformat()}
        for session in programme.sessions
        if not edition.start_date <= session.day <= edition.end_date
    ]
    if outside:
        raise ImportFailure(
            gettext(
                "These sessions fall outside the edition's dates (%(start)s – %(end)s): "
                "%(sessions)s."
            )
            % {
                "start": edition.start_date.isoformat(),
                "end": edition.end_date.isoformat(),
                "sessions": "; ".join(outside),
            }
        )


def _paris_warning(day: date, moment: time, title: str) -> str | None:
    """Wall-clock times skipped by the spring change to summer time do not exist in Paris."""
    local = datetime.combine(day, moment, tzinfo=PARIS)
    if local.astimezone(UTC).astimezone(PARIS).time() != moment:
        return gettext("“%(title)s”: %(time)s does not exist in Paris on that day.") % {
            "title": title,
            "time": moment.strftime("%H:%M"),
        }
    return None


def _description(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())


@dataclass
class ProgrammeImportResult:
    """What an import did (or, in a dry run, would do) to one edition's programme."""

    filename: str
    edition: CongressEditionPage
    status: str = FAILED
    dry_run: bool = False
    reason: str = ""
    parsed: dict[str, Any] | None = None
    sessions: int = 0
    kept: int = 0
    matched: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    revision_id: int | None = None
    # The sessions as they will be stored (end completed, people matched), for the preview.
    planned: list[dict[str, Any]] = field(default_factory=list)

    @property
    def review(self) -> list[dict[str, Any]]:
        """Sessions an editor should check before publishing: line, title and why."""
        sessions = (self.parsed or {}).get("sessions", [])
        return [
            {"line": item["line"], "title": item["title"], "flags": item["flags"]}
            for item in sessions
            if item.get("flags")
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable summary, printed by the command's --dry-run."""
        return {
            "file": self.filename,
            "status": self.status,
            "dry_run": self.dry_run,
            "reason": self.reason,
            "edition": {"id": self.edition.pk, "title": self.edition.title},
            "sessions": self.sessions,
            "kept_sessions": self.kept,
            "matched": self.matched,
            "suggestions": self.suggestions,
            "warnings": self.warnings,
            "review": self.review,
            "revision": self.revision_id,
            "parsed": self.parsed,
        }


def _session_blocks(
    programme: ParsedProgramme, edition: CongressEditionPage, result: ProgrammeImportResult
) -> list[dict]:
    """Canonical stored form of each parsed session, participants matched or suggested."""
    block = SessionBlock()
    speakers = speakers_by_name(edition.locale)
    ends, warnings = _end_times(programme)
    result.warnings += warnings
    blocks, seen = [], set()
    for session, end in zip(programme.sessions, ends, strict=True):
        if end <= session.start:
            raise ImportFailure(
                gettext("Line %(line)s, field “end”: “%(title)s” on %(day)s ends before it starts.")
                % {"line": session.line, "title": session.title, "day": session.day.isoformat()}
            )
        for moment in (session.start, end):
            if note := _paris_warning(session.day, moment, session.title):
                result.warnings.append(note)
        occurrence = 1
        while (
            ident := session_id(
                edition.pk, session.day, session.start, session.title[:255], occurrence
            )
        ) in seen:
            occurrence += 1
        seen.add(ident)
        participants, people = [], []
        for index, person in enumerate(session.participants):
            where = {"session": session.title, "date": session.day.isoformat()}
            speaker = speakers.get(normalise_name(person.name))
            people.append({"name": person.name, "function": person.function,
                           "role": person.role, "speaker": speaker})  # fmt: skip
            if speaker is None:
                result.suggestions.append(
                    {"name": person.name, "function": person.function, "role": person.role, **where}
                )
                continue
            result.matched.append(
                {"name": person.name, "speaker": speaker.pk, "title": speaker.title, **where}
            )
            participants.append(
                {
                    "type": "item",
                    "id": str(uuid.uuid5(uuid.UUID(ident), str(index))),
                    "value": {
                        "speaker": speaker.pk,
                        "role": person.role,
                        "function": person.function,
                    },
                }
            )
        raw = {
            "title": session.title[:255],
            "kind": session.kind,
            "date": session.day.isoformat(),
            "start_time": session.start.isoformat(),
            "end_time": end.isoformat(),
            "room": session.room[:255],
            "description": _description(session.description),
            "topics": [],
            "participants": participants,
            "cancelled": False,
        }
        # As stored in the database (JSON), so that it compares equal to what was saved.
        value = json.loads(
            json.dumps(block.get_prep_value(block.to_python(raw)), cls=DjangoJSONEncoder)
        )
        blocks.append({"type": "session", "value": value, "id": ident})
        result.planned.append(
            {
                "line": session.line,
                "day": session.day,
                "start": session.start,
                "end": end,
                "end_written": session.end is not None,
                "title": session.title,
                "room": session.room,
                "kind": session.kind,
                "participants": people,
                "flags": session.flags,
            }
        )
    return blocks


def _sort_key(item: dict) -> tuple[str, time]:
    value = item.get("value") or {}
    try:
        start = time.fromisoformat(str(value.get("start_time")))
    except ValueError:
        start = time(0)
    return str(value.get("date")), start


def import_programme(
    edition: CongressEditionPage,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    publish: bool = False,
    user=None,
) -> ProgrammeImportResult:
    """Import a programme (CSV, text, Markdown, PDF or web page) into ``edition`` as a draft.

    Sessions from a previous import are replaced, sessions added by hand are kept; when the
    result equals the current programme nothing is saved and the status is ``unchanged``. A file
    that cannot be imported gives status ``failed`` with a translated reason, and writes nothing.

    ``dry_run`` runs exactly the same code, saving included, in a transaction that is rolled
    back: a dry run cannot announce « created » for a file the real import then refuses.
    """
    result = ProgrammeImportResult(filename=filename, edition=edition, dry_run=dry_run)
    try:
        if dry_run:
            with discarding_scheduled_renders(), transaction.atomic():
                _import(result, edition, data, filename, publish=publish, user=user)
                transaction.set_rollback(True)
            result.revision_id = None  # rolled back with everything else
        else:
            with transaction.atomic():
                _import(result, edition, data, filename, publish=publish, user=user)
    except ImportFailure as error:
        result.status, result.reason = FAILED, str(error)
    except ValidationError as error:
        result.status, result.reason = FAILED, _validation_reason(error)
    return result


def _validation_reason(error: ValidationError) -> str:
    """The edition's refusal, each message under the label of the field it is about."""
    if not hasattr(error, "error_dict"):
        return gettext("Field “%(field)s”: %(errors)s") % {
            "field": _field_label("programme"),
            "errors": " ".join(error.messages),
        }
    return " ".join(
        gettext("Field “%(field)s”: %(errors)s")
        % {"field": _field_label(name), "errors": " ".join(messages)}
        for name, messages in error.message_dict.items()
    )


def _field_label(name: str) -> str:
    try:
        return str(CongressEditionPage._meta.get_field(name).verbose_name)
    except Exception:  # NON_FIELD_ERRORS or a name that is not a model field
        return name


def _import(
    result: ProgrammeImportResult,
    edition: CongressEditionPage,
    data: bytes,
    filename: str,
    *,
    publish: bool,
    user,
) -> None:
    programme = parse_programme_file(data, filename, edition)
    result.parsed = programme.to_dict()
    result.warnings += [localise_message(warning) for warning in programme.warnings]
    _check_dates(programme, edition)
    for session in programme.sessions:
        session.flags = [localise_message(flag) for flag in session.flags]
    imported = _session_blocks(programme, edition, result)
    result.parsed = programme.to_dict()  # with the flags added while completing sessions
    result.sessions = len(imported)
    # The caller's instance may predate the latest revision: read the edition afresh.
    edition = CongressEditionPage.objects.get(pk=edition.pk)
    current = edition.get_latest_revision_as_object()
    existing = [dict(item) for item in current.programme.raw_data]
    kept = [item for item in existing if not _was_imported(item, edition.pk)]
    result.kept = len(kept)
    merged = sorted([*kept, *imported], key=_sort_key)
    result.status = UNCHANGED if merged == existing else (UPDATED if existing else CREATED)
    if result.status != UNCHANGED:
        current.programme = merged
        revision = current.save_revision(user=user, log_action=True)
    elif publish and (not edition.live or edition.has_unpublished_changes):
        revision = edition.get_latest_revision() or current.save_revision(user=user)
        result.status = UPDATED
        result.warnings.append(gettext("The existing draft was published."))
    else:
        return
    if publish:
        revision.publish(user=user)
    result.revision_id = revision.pk
