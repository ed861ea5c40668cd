"""Programmes exported from a spreadsheet as CSV (columns in `events.parsing`'s docstring)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time
from typing import Any

from cms.frenchtext import ParseError, parse_time

from . import (
    PARTICIPANT_ROLES,
    SESSION_KINDS,
    ParsedParticipant,
    ParsedProgramme,
    ParsedSession,
    infer_kind,
)

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
            session = _csv_session(row)
        except _CellError as error:
            raise ParseError(
                f"Line {reader.line_num}, column '{error.column}': {error}."
            ) from error
        session.line = reader.line_num
        programme.sessions.append(session)
    return programme
