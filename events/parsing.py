"""Pure parsing of congress programmes: French plain text or CSV in, plain dataclasses out.

Associations publish programmes as Word/PDF text pasted into a file, so the text parser reads
the usual layout: day headings ("Jeudi 13 novembre"), lines starting with a time or time range
("09h45 – 10h25 Plateau 1 : …"), then lines about people ("Animé par …", "Avec : …", "- Name,
function") or description. Anything else ends up in the description, so nothing is lost.

CSV columns (header row required, comma or semicolon separated, UTF-8):

- ``date`` (required): ``YYYY-MM-DD`` or ``DD/MM/YYYY``
- ``start`` (required), ``end`` (optional): ``HH:MM`` or ``09h45``
- ``kind`` (optional): one of SESSION_KINDS; inferred from the title when empty
- ``title`` (required), ``room``, ``description`` (optional)
- ``participants`` (optional): ``Name (role) : function; Name2 (role) : function``, role one of
  PARTICIPANT_ROLES and ``intervenant`` when omitted, function optional

No database access happens here; writing sessions to Wagtail is the importer's job.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from typing import Any

from cms.frenchtext import (
    MONTH_PATTERN,
    WEEKDAY_PATTERN,
    ParseError,
    looks_like_name,
    match_leading_time_range,
    month_number,
    parse_time,
    strip_accents,
    strip_honorific,
)

__all__ = [
    "PARTICIPANT_ROLES",
    "SESSION_KINDS",
    "ParseError",
    "ParsedParticipant",
    "ParsedProgramme",
    "ParsedSession",
    "infer_kind",
    "parse_programme_csv",
    "parse_programme_text",
]

# Same values as the choices in events.blocks, repeated so this module stays free of Django.
SESSION_KINDS = ("pleniere", "table_ronde", "atelier", "discours", "ouverture", "cloture")
SESSION_KINDS += ("pause", "autre")
PARTICIPANT_ROLES = ("intervenant", "moderateur", "grand_temoin", "ouverture", "cloture")
PARTICIPANT_ROLES += ("rapporteur",)


def _iso_dict(items: list[tuple[str, Any]]) -> dict[str, Any]:
    """asdict() factory writing dates and times as ISO strings, ready for json.dumps."""
    return {k: v.isoformat() if isinstance(v, date | time) else v for k, v in items}


@dataclass
class ParsedParticipant:
    """A person in a session with the function printed in the programme at the time."""

    name: str
    function: str = ""
    role: str = "intervenant"


@dataclass
class ParsedSession:
    """One programme slot; ``end`` is None when the programme only gives a start time."""

    day: date
    start: time
    end: time | None
    kind: str
    title: str
    room: str = ""
    description: str = ""
    participants: list[ParsedParticipant] = field(default_factory=list)


@dataclass
class ParsedProgramme:
    """All sessions of a programme, in reading order, plus what was noticed along the way."""

    title: str = ""
    sessions: list[ParsedSession] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable view (ISO dates and times), used by the importer's dry run."""
        return asdict(self, dict_factory=_iso_dict)


# Order matters: "Discours de clôture" is a speech, "Pause déjeuner" a break.
_KIND_RULES = (
    (r"table[s]? ronde|plateau", "table_ronde"),
    (r"atelier", "atelier"),
    (r"pleniere", "pleniere"),
    (r"discours|allocution|intervention", "discours"),
    (r"pause|dejeuner|cafe|cocktail|diner|buffet", "pause"),
    (r"ouverture", "ouverture"),
    (r"cloture", "cloture"),
)


def infer_kind(title: str) -> str:
    """Guess the session kind from keywords of its title; "autre" when nothing matches."""
    words = strip_accents(title).casefold()
    for pattern, kind in _KIND_RULES:
        if re.search(rf"\b(?:{pattern})s?\b", words):
            return kind
    return "autre"


_DAY_HEADING_RE = re.compile(
    rf"^(?P<weekday>{WEEKDAY_PATTERN})\s+(?P<day>[0-3]?\d)(?:er)?(?:\s+(?P<month>{MONTH_PATTERN}))?"
    r"(?:\s+(?P<year>(?:19|20)\d\d))?(?:\s*[-–—:.,]\s*(?P<label>.*))?$",
    re.IGNORECASE,
)
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_ROOM = r"(?:grande?\s+)?(?:salle|amphith[ée][âa]tre|amphi|auditorium|h[ée]micycle)"
_ROOM_LINE_RE = re.compile(rf"^(?:lieu\s*:\s*)?(?P<room>{_ROOM}\b.*)$", re.IGNORECASE)
_ROOM_SUFFIX_RE = re.compile(rf"\s*(?:[-–—,|]\s*|\()(?P<room>{_ROOM}\b[^()]*)\)?\s*$", re.I)
_BULLET_RE = re.compile(r"^[-•·*–—]\s+")
_ROLE_PREFIXES = (
    (r"anim[ée]e?s?\s+par|mod[ée]r[ée]e?s?\s+par|(?:animation|mod[ée]ration)\s*:", "moderateur"),
    (r"(?:animat(?:eur|rice)|mod[ée]rat(?:eur|rice))s?\s*:", "moderateur"),
    (r"grands?\s+t[ée]moins?\s*:?", "grand_temoin"),
    (r"rapporteu(?:r|se)s?\s*:", "rapporteur"),
    (r"ouverture\s+(?:par|:)", "ouverture"),
    (r"cl[ôo]ture\s+(?:par|:)", "cloture"),
    (r"(?:intervention|allocution|discours)s?\s+(?:de|d['’])", "intervenant"),
    (r"(?:avec|intervenant(?:e)?s?|participant(?:e)?s?|en\s+pr[ée]sence\s+de)\s*:?", "intervenant"),
)
_ROLE_RES = [(re.compile(rf"^(?:{p})\s*", re.IGNORECASE), role) for p, role in _ROLE_PREFIXES]
_PERSON_SPLIT_RE = re.compile(r"\s+[-–—]\s+|\s*,\s*")


def _day_heading(line: str, year: int, default_month: int | None, lineno: int) -> date | None:
    match = _DAY_HEADING_RE.match(line)
    if not match:
        return None
    month = month_number(match.group("month")) if match.group("month") else default_month
    if month is None:
        raise ParseError(f"Line {lineno}: day heading {line!r} has no month and none was given.")
    try:
        return date(int(match.group("year") or year), month, int(match.group("day")))
    except ValueError as error:
        raise ParseError(f"Line {lineno}: {line!r} is not a valid date.") from error


def _person(spec: str, role: str) -> ParsedParticipant | None:
    """Read "Monsieur X – Président de …", "Y, journaliste" or "Z (maire de …)"."""
    spec = spec.strip().rstrip(".;")
    if match := re.match(r"^(?P<name>[^(]+?)\s*\((?P<function>[^)]*)\)\s*$", spec):
        name, function = match.group("name"), match.group("function")
    else:
        name, function = (*_PERSON_SPLIT_RE.split(spec, maxsplit=1), "")[:2]
    name = strip_honorific(name)
    if not looks_like_name(name):
        return None
    return ParsedParticipant(name, function.strip().strip(",;:–- "), role)


def _participants(line: str) -> list[ParsedParticipant]:
    """People named on a line, or an empty list when the line is not about people."""
    text, role = _BULLET_RE.sub("", line), None
    if text != line:
        role = "intervenant"
    for pattern, prefix_role in _ROLE_RES:
        if match := pattern.match(text):
            text, role = text[match.end() :], prefix_role
            break
    if role is None:
        return []
    people = [_person(spec, role) for spec in text.split(";") if spec.strip()]
    return [person for person in people if person] if all(people) else []


def _split_room(title: str) -> tuple[str, str]:
    if match := _ROOM_SUFFIX_RE.search(title):
        return title[: match.start()].strip(), match.group("room").strip()
    return title, ""


def parse_programme_text(
    content: str, *, year: int, default_month: int | None = None
) -> ParsedProgramme:
    """Parse a French plain-text programme.

    ``year`` completes day headings that omit it (they nearly always do), ``default_month``
    completes headings such as "Jeudi 13". Raises ParseError, naming the line, for a session
    that comes before any day heading or an impossible date.
    """
    programme = ParsedProgramme()
    day: date | None = None
    session: ParsedSession | None = None
    for lineno, raw in enumerate(content.splitlines(), 1):
        line = " ".join(raw.split())
        if not line:
            continue
        if (heading := _day_heading(line, year, default_month, lineno)) is not None:
            if _WEEKDAYS[heading.weekday()] != strip_accents(line.split()[0]).casefold():
                weekday = _WEEKDAYS[heading.weekday()]
                programme.warnings.append(
                    f"Line {lineno}: {line!r} does not match the calendar "
                    f"({heading.isoformat()} is a {weekday}); check the year."
                )
            day, session = heading, None
            continue
        slot = match_leading_time_range(line)
        if slot is not None and slot.rest:
            if day is None:
                raise ParseError(f"Line {lineno}: session {line!r} comes before any day heading.")
            title, room = _split_room(slot.rest)
            session = ParsedSession(day, slot.start, slot.end, infer_kind(title), title, room)
            programme.sessions.append(session)
        elif session is None:
            if not programme.title and day is None:
                programme.title = line
            else:
                programme.warnings.append(f"Line {lineno} ignored: {line!r}.")
        elif (room := _ROOM_LINE_RE.match(line)) and not session.room:
            session.room = room.group("room")
        elif people := _participants(line):
            session.participants += people
        else:
            session.description = f"{session.description}\n{line}".strip()
    if not programme.sessions:
        programme.warnings.append("No session was found (lines must start with a time).")
    return programme


_CSV_COLUMNS = ("date", "start", "end", "kind", "title", "room", "description", "participants")
_REQUIRED_COLUMNS = ("date", "start", "title")
_CSV_PARTICIPANT_RE = re.compile(
    r"^(?P<name>[^(:]+?)\s*(?:\((?P<role>[^)]*)\))?\s*(?::\s*(?P<function>.*))?$"
)


def _csv_date(value: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _csv_time(value: str) -> time:
    if (parsed := parse_time(value)) is None:
        raise ValueError(f"{value!r} is not a time (HH:MM or 09h45)")
    return parsed


def _csv_participants(value: str) -> list[ParsedParticipant]:
    people = []
    for spec in filter(str.strip, value.split(";")):
        match = _CSV_PARTICIPANT_RE.match(spec.strip())
        role = (match.group("role") or "intervenant").strip() if match else ""
        if not match or role not in PARTICIPANT_ROLES:
            raise ValueError(
                f"{spec.strip()!r}: expected 'Name (role) : function', role in "
                f"{', '.join(PARTICIPANT_ROLES)}"
            )
        people.append(
            ParsedParticipant(
                match.group("name").strip(), (match.group("function") or "").strip(), role
            )
        )
    return people


class _CellError(ValueError):
    """A bad cell; carries the column so the message can point the editor to it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _csv_session(row: dict[str, str]) -> ParsedSession:
    values = {column: (row.get(column) or "").strip() for column in _CSV_COLUMNS}
    converters = {
        "date": _csv_date,
        "start": _csv_time,
        "end": lambda v: _csv_time(v) if v else None,
        "participants": _csv_participants,
    }
    parsed: dict[str, Any] = {}
    for column, convert in converters.items():
        try:
            parsed[column] = convert(values[column])
        except ValueError as error:
            raise _CellError(column, str(error)) from error
    if not values["title"]:
        raise _CellError("title", "the title is empty")
    kind = values["kind"] or infer_kind(values["title"])
    if kind not in SESSION_KINDS:
        raise _CellError("kind", f"{kind!r} is not one of {', '.join(SESSION_KINDS)}")
    if parsed["end"] is not None and parsed["end"] <= parsed["start"]:
        raise _CellError("end", "the session ends before it starts")
    return ParsedSession(
        parsed["date"],
        parsed["start"],
        parsed["end"],
        kind,
        values["title"],
        values["room"],
        values["description"],
        parsed["participants"],
    )


def parse_programme_csv(content: str) -> ParsedProgramme:
    """Parse a programme spreadsheet exported as CSV (columns in the module docstring).

    Raises ParseError naming the line and column of the first bad cell, because a half-imported
    programme is worse than none: the editor fixes the file and imports again.
    """
    content = content.lstrip("\ufeff")
    header = content.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    reader = csv.DictReader(io.StringIO(content), delimiter=delimiter, strict=True)
    try:
        fields = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except csv.Error as error:
        raise ParseError(f"Line 1: unreadable CSV header ({error}).") from error
    missing = [column for column in _REQUIRED_COLUMNS if column not in fields]
    if missing:
        raise ParseError(f"Line 1: missing column(s) {', '.join(missing)}.")
    reader.fieldnames = fields
    programme = ParsedProgramme()
    if unknown := [name for name in fields if name not in _CSV_COLUMNS]:
        programme.warnings.append(f"Ignored column(s): {', '.join(unknown)}.")
    rows = iter(reader)
    while True:
        next_line = reader.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            raise ParseError(f"Line {next_line}: malformed CSV ({error}).") from error
        if None in row:
            raise ParseError(f"Line {reader.line_num}: more fields than columns.")
        try:
            programme.sessions.append(_csv_session(row))
        except _CellError as error:
            raise ParseError(
                f"Line {reader.line_num}, column '{error.column}': {error}."
            ) from error
    return programme
