"""Plain data produced by the communiqué parser.

These dataclasses carry no database identity on purpose: the writer that turns them into Wagtail
pages and snippets is a separate step, and ``to_dict()`` lets ``--dry-run`` show exactly what it
would receive.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

PhoneKind = Literal["mobile", "fixe", "autre"]


def _iso_dict(items: list[tuple[str, Any]]) -> dict[str, Any]:
    """asdict() factory writing dates as ISO strings, so json.dumps takes the result as is."""
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in items}


@dataclass
class ParsedPhone:
    """A phone number in E.164 form; ``kind`` lets the site show mobiles and landlines apart."""

    e164: str
    kind: PhoneKind


@dataclass
class ParsedContact:
    """A press officer named in the "Contact presse" block."""

    name: str
    role: str = ""
    email: str = ""
    phones: list[ParsedPhone] = field(default_factory=list)


@dataclass
class ParsedPerson:
    """Someone the communiqué mentions, to be matched against the speakers directory."""

    name: str
    function: str = ""
    context: str = ""


@dataclass
class ParsedEditionMention:
    """The congress edition a communiqué announces; any part may be missing from the text."""

    town: str | None
    start_date: date | None
    end_date: date | None
    number: int | None
    text: str


@dataclass
class ReviewItem:
    """Something an editor must check on the imported draft: missing, uncertain or suspicious.

    ``field`` names the page field concerned ("publication_date", "title", "dateline_place",
    "lead", "contacts", "boilerplate"); ``line`` is the 1-based line of the extracted text it
    comes from, when there is one.
    """

    field: str
    message: str
    line: int | None = None


@dataclass
class ParsedCommunique:
    """Everything recognised in one communiqué, ready for the writer.

    ``review`` is the checklist shown on the draft; ``date_flagged`` says the publication date
    itself is uncertain (inferred year, no dateline, in the future…). ``lines`` maps a field to
    the line of the extracted text it was read from, so errors can point at the source.
    """

    place: str
    date: date
    title: str
    lead: str
    body_html: str
    contacts: list[ParsedContact] = field(default_factory=list)
    boilerplate_text: str = ""
    edition: ParsedEditionMention | None = None
    people: list[ParsedPerson] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    date_flagged: bool = False
    lines: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable view (dates as ISO strings), used by the importer's dry run."""
        return asdict(self, dict_factory=_iso_dict)
