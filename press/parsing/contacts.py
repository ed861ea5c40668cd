"""Find the "Contact presse" block of a communiqué and read the press officers in it.

Contacts are written every which way (one line with dashes, parentheses and slashes, or one line
per field with "Tél :" / "Mail :" labels), so lines are read field by field: e-mails and phone
numbers are pulled out first (phonenumbers does the phone recognition), and what remains is the
name and role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers

from cms.frenchtext import looks_like_name

from .blocks import Block
from .results import ParsedContact, ParsedPhone, PhoneKind

_HEADING_RE = re.compile(
    r"^(?:contacts?|relations?)(?:\s+(?:presse|m[ée]dias?))?\s*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
# Anchored to the start of a run (lookbehind): without it every position of a long run of word
# characters restarts the match, quadratic in the line length.
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LABEL_RE = re.compile(
    r"\b(?:t[ée]l[ée]phone|t[ée]l|port(?:able)?|mobile|fixe|standard|ligne directe|e-?mail"
    r"|courriel|m[ée]l|mail)\b\.?\s*:?",
    re.IGNORECASE,
)
_SEPARATORS = r"[-–—/|,;:•·]"
_EDGE_SEPARATORS_RE = re.compile(rf"^(?:\s*{_SEPARATORS}\s*)+|(?:\s*{_SEPARATORS}\s*)+$")
_SPLIT_RE = re.compile(r"\s*,\s*|\s+[-–—]\s+")
_GAP_BLOCKS = 2  # blocks without phone/e-mail tolerated inside the contact section
# A communiqué names one to four press officers on short lines. Beyond these bounds the section
# is not a contact block (a pasted list, a runaway file): the rest is ignored and reported, so
# that an import never creates thousands of contacts nor spends minutes on one line.
MAX_CONTACTS = 20
MAX_CONTACT_LINE = 500
_KINDS: dict[int, PhoneKind] = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixe",
}


@dataclass
class ContactSection:
    """Where the contact section sits among the body blocks (``end`` is exclusive)."""

    start: int
    end: int
    contacts: list[ParsedContact]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Line:
    rest: str
    emails: list[str]
    phones: list[ParsedPhone]

    @property
    def has_details(self) -> bool:
        return bool(self.emails or self.phones)


def heading_rest(block: Block) -> str | None:
    """Text following "Contact presse :" on the heading line; None if ``block`` is no heading."""
    match = _HEADING_RE.match(block.lines[0]) if block.lines else None
    return (match.group("rest") or "") if match else None


def _has_details(text: str) -> bool:
    return any(
        _EMAIL_RE.search(line) or phonenumbers.PhoneNumberMatcher(line, "FR").has_next()
        for line in text.split("\n")
        if len(line) <= MAX_CONTACT_LINE
    )


def _read_line(line: str) -> _Line:
    emails = [email.lower() for email in _EMAIL_RE.findall(line)]
    rest = _EMAIL_RE.sub(" ", line)
    phones = []
    for match in phonenumbers.PhoneNumberMatcher(rest, "FR"):
        rest = rest.replace(match.raw_string, " ")
        if "fax" in line[: line.find(match.raw_string)][-12:].lower():
            continue
        kind = _KINDS.get(phonenumbers.number_type(match.number), "autre")
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        phones.append(ParsedPhone(e164, kind))
    rest = re.sub(r"\bfax\b\.?\s*:?", " ", _LABEL_RE.sub(" ", rest), flags=re.IGNORECASE)
    rest = " ".join(rest.split())
    return _Line(_EDGE_SEPARATORS_RE.sub("", rest).strip(), emails, phones)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _name_and_role(text: str) -> tuple[str, str]:
    """Split "Marie Coulet (conseillère)" or "André ROBERT, Délégué général"."""
    if match := re.match(r"^(?P<name>[^(]+?)\s*\((?P<role>[^)]+)\)", text):
        return match.group("name").strip(), _capitalise(match.group("role").strip())
    parts = _SPLIT_RE.split(text, maxsplit=1)
    role = _capitalise(_EDGE_SEPARATORS_RE.sub("", parts[1]).strip()) if len(parts) > 1 else ""
    return parts[0].strip(), role


def _add_details(contact: ParsedContact, line: _Line) -> None:
    if line.emails and not contact.email:
        contact.email = line.emails[0]
    for phone in line.phones:
        if phone not in contact.phones:
            contact.phones.append(phone)


def _is_complete(contact: ParsedContact) -> bool:
    return bool(contact.email or contact.phones)


def parse_contact_lines(
    groups: list[list[str]], warnings: list[str] | None = None
) -> list[ParsedContact]:
    """Assemble contacts from lines, one group per block.

    A line carrying a name starts a new contact once the current one already has a phone or
    e-mail; a bare text line right after a name is that person's role. Lines longer than
    `MAX_CONTACT_LINE` are skipped, and reading stops before a contact beyond `MAX_CONTACTS`;
    both are reported in ``warnings``.
    """
    contacts: list[ParsedContact] = []
    warnings = [] if warnings is None else warnings
    total = sum(len(lines) for lines in groups)
    read = long_lines = 0
    full = False
    for lines in groups:
        if full:
            break
        current: ParsedContact | None = None
        if contacts and not _is_complete(contacts[-1]):
            current = contacts[-1]  # a name block followed by a block of numbers
        for raw in lines:
            if len(raw) > MAX_CONTACT_LINE:
                long_lines += 1
                read += 1
                continue
            line = _read_line(raw)
            awaits_role = current is not None and not (_is_complete(current) or current.role)
            is_role = bool(line.rest) and awaits_role and not looks_like_name(line.rest)
            starts_contact = (bool(line.rest) and not is_role) or (
                line.has_details and current is None
            )
            if starts_contact and len(contacts) >= MAX_CONTACTS:
                warnings.append(
                    f"Only the first {MAX_CONTACTS} contacts were read; "
                    f"{total - read} more lines were ignored."
                )
                full = True
                break
            read += 1
            if is_role:
                current.role = _capitalise(line.rest)  # "Conseillère" under the name line
            elif line.rest:
                name, role = _name_and_role(line.rest)
                current = ParsedContact(name=name, role=role)
                contacts.append(current)
            if line.has_details:
                if current is None:
                    current = ParsedContact(name="")
                    contacts.append(current)
                _add_details(current, line)
    if long_lines:
        warnings.append(
            f"{long_lines} lines of the contact block were ignored: longer than "
            f"{MAX_CONTACT_LINE} characters."
        )
    return contacts


def find_contact_section(blocks: list[Block]) -> ContactSection | None:
    """Locate the contact heading and the blocks after it that carry phones or e-mails."""
    start = next((i for i, block in enumerate(blocks) if heading_rest(block) is not None), None)
    if start is None:
        return None
    heading = blocks[start]
    groups = [[rest]] if (rest := heading_rest(heading)) else []
    groups.append(heading.lines[1:])
    end = start + 1
    for index in range(start + 1, len(blocks)):
        if index - end >= _GAP_BLOCKS or blocks[index].is_heading:
            break
        if _has_details(blocks[index].text):
            end = index + 1
    groups += [block.lines for block in blocks[start + 1 : end]]
    warnings: list[str] = []
    contacts = parse_contact_lines([group for group in groups if group], warnings)
    warnings += [
        f"Contact {contact.name or '(no name)'} has neither phone nor e-mail."
        for contact in contacts
        if not _is_complete(contact)
    ]
    if not contacts:
        warnings.append("A contact heading was found but no contact could be read under it.")
    return ContactSection(start, end, contacts, warnings)
