"""Pure parsing of congress programmes: French text or CSV in, plain dataclasses out.

Associations publish programmes as web pages, Word files and PDFs laid out by a designer; what
reaches us is text copied from them, or flattened by a PDF extractor. `events.parsing.text`
reads that text (day headings in any form, times alone on their line or before the title,
parallel workshops, speakers on following lines); `events.parsing.spreadsheet` reads CSV.

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

import re
from dataclasses import asdict, dataclass, field
from datetime import date, time
from typing import Any

from cms.frenchtext import ParseError, strip_accents

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
    """One programme slot; ``end`` is None when the programme only gives a start time.

    ``line`` is where the session starts in the source, so that every message can point the
    editor to it; ``flags`` are what an editor should check before publishing (an end time
    taken from the next session, a day guessed from the edition…).
    """

    day: date
    start: time
    end: time | None
    kind: str
    title: str
    room: str = ""
    description: str = ""
    participants: list[ParsedParticipant] = field(default_factory=list)
    line: int = 0
    flags: list[str] = field(default_factory=list)


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


from .spreadsheet import parse_programme_csv  # noqa: E402
from .text import parse_programme_text  # noqa: E402
