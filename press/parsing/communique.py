"""Assemble a ParsedCommunique from sanitised blocks.

A communiqué has a stable shape: dateline, title, lead, body, "Contact presse", then the
association's "about" boilerplate. Each part is located in turn, and whatever cannot be located
with confidence becomes a warning rather than an error, except the date: without it the
communiqué cannot be filed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from cms.frenchtext import ParseError, normalise_text, search_french_date

from .blocks import Block, to_blocks
from .contacts import ContactSection, find_contact_section
from .mentions import find_edition, find_people
from .results import ParsedCommunique

_DATELINE_SCAN_BLOCKS = 6
_DATELINE_MAX_CHARS = 120
_TITLE_MIN_CHARS = 10
_TITLE_MAX_CHARS = 300
_BOILERPLATE_MIN_RATIO = 0.6
_BOILERPLATE_MAX_BLOCKS = 8
_NOISE_RE = re.compile(
    r"^(?:communiqu[ée]s?(?:\s+de\s+presse)?|information\s+presse|cp|pour\s+diffusion\s+imm[ée]diate"
    r"|embargo.*)\W*$",
    re.IGNORECASE,
)
_ABOUT_RE = re.compile(r"^(?:à|a)\s+propos\b", re.IGNORECASE)
_ORG_START_RE = re.compile(r"^(?:l['’])?(?:association|fédération|union|[A-Z]{3,}\b)", re.I)
_ORG_VERBS_RE = re.compile(
    r"\b(?:fédère|regroupe|rassemble|représente|créée en|fondée en|compte aujourd|adhérents)\b",
    re.IGNORECASE,
)


@dataclass
class _Dateline:
    block: int
    line: int
    place: str
    found_date: date


def _text_block(lines: list[str]) -> Block:
    """A paragraph made of lines left over after the dateline or title was taken out."""
    markup = "<br>".join(html.escape(line) for line in lines)
    return Block("p", f"<p>{markup}</p>", "\n".join(lines))


def _place(prefix: str) -> str:
    segment = re.split(r"[–—|:]|\s-\s", prefix)[-1]
    segment = re.sub(r"[\s,]+(?:le|la)?[\s,]*$", "", segment, flags=re.IGNORECASE)
    place = segment.strip(" ,.")
    return place if 0 < len(place.split()) <= 5 else ""


def _find_dateline(blocks: list[Block], default_year: int | None) -> tuple[_Dateline, list[str]]:
    full_text = "\n".join(block.text for block in blocks)
    if default_year is None and (year := re.search(r"\b(?:19|20)\d\d\b", full_text)):
        default_year = int(year.group())
    for b, block in enumerate(blocks[:_DATELINE_SCAN_BLOCKS]):
        for n, line in enumerate(block.lines):
            if len(line) > _DATELINE_MAX_CHARS:
                continue
            if found := search_french_date(line, default_year=default_year):
                warnings = [] if found.has_year else [f"Year {found.value.year} was inferred."]
                return _Dateline(b, n, _place(line[: found.start]), found.value), warnings
    if found := search_french_date(full_text, require_year=True):
        warning = "No dateline at the top: the first date of the text was used."
        return _Dateline(-1, -1, "", found.value), [warning]
    header = "\n".join(block.text for block in blocks[:_DATELINE_SCAN_BLOCKS])
    if yearless := search_french_date(header, default_year=2000):  # any leap year will do
        written = header[yearless.start : yearless.end]
        raise ParseError(f"The date {written!r} has no year and no default year was given.")
    raise ParseError("No recognisable date: expected a dateline such as 'Paris, 3 avril 2024'.")


def _is_title(line: str) -> bool:
    return _TITLE_MIN_CHARS <= len(line) <= _TITLE_MAX_CHARS and not _NOISE_RE.match(line)


def _without_noise(blocks: list[Block]) -> list[Block]:
    return [block for block in blocks if not _NOISE_RE.match(block.text)]


def _take_title(block: Block) -> tuple[str, list[Block]] | None:
    """The block's first line as title; its other lines stay in the body as a paragraph."""
    lines = [line for line in block.lines if not _NOISE_RE.match(line)]
    if not lines or not _is_title(lines[0]):
        return None
    return lines[0], [_text_block(lines[1:])] if lines[1:] else []


def _split_header(blocks: list[Block], dateline: _Dateline) -> tuple[str, list[Block]]:
    """Return the title and the body blocks.

    The title is usually the first line after the dateline, but HTML and Word exports often put
    a heading above it, so a title-like block before the dateline wins.
    """
    if dateline.block < 0:
        before, after = [], blocks
    else:
        before = _without_noise(blocks[: dateline.block])
        tail = blocks[dateline.block].lines[dateline.line + 1 :]
        after = ([_text_block(tail)] if tail else []) + blocks[dateline.block + 1 :]
    if before and (taken := _take_title(before[0])):
        return taken[0], taken[1] + before[1:] + after
    after = _without_noise(after)
    if after and (taken := _take_title(after[0])):
        return taken[0], taken[1] + after[1:]
    return "", after


def _reference_boilerplate(blocks: list[Block], reference: str) -> int | None:
    """Start index of the trailing blocks that best match ``reference`` (ratio >= 0.6)."""
    wanted = normalise_text(reference).split()
    best_ratio, best_start = 0.0, None
    for start in range(max(1, len(blocks) - _BOILERPLATE_MAX_BLOCKS), len(blocks)):
        words = normalise_text(" ".join(b.text for b in blocks[start:])).split()
        ratio = SequenceMatcher(None, words, wanted, autojunk=False).ratio()
        if ratio > best_ratio:
            best_ratio, best_start = ratio, start
    return best_start if best_ratio >= _BOILERPLATE_MIN_RATIO else None


def _heuristic_boilerplate(blocks: list[Block]) -> int | None:
    """Start of an "À propos" section, or of a trailing "Association … fédère …" paragraph."""
    for index, block in enumerate(blocks[1:], 1):
        if _ABOUT_RE.match(block.text):
            return index
    last = len(blocks) - 1
    if last < 1 or not (
        _ORG_START_RE.match(blocks[last].text) and _ORG_VERBS_RE.search(blocks[last].text)
    ):
        return None
    start = last
    # Pull in the organisation's name and tagline lines written just above the paragraph.
    while (
        start > 1
        and len(blocks[start - 1].text.split()) <= 12
        and not blocks[start - 1].text.endswith(".")
    ):
        start -= 1
    return start


def _locate_boilerplate(
    body: list[Block], contacts: ContactSection | None, reference: str | None
) -> tuple[list[Block], list[Block], list[str]]:
    """Split the non-contact blocks into (body, boilerplate)."""
    warnings: list[str] = []
    kept = body if contacts is None else body[: contacts.start] + body[contacts.end :]
    start = None
    if reference:
        start = _reference_boilerplate(kept, reference)
        if start is None:
            warnings.append("The reference boilerplate was not found at the end of the text.")
    if start is None and contacts is not None and contacts.end < len(body):
        start = contacts.start  # everything after the contacts is the "about" text
    if start is None:
        start = _heuristic_boilerplate(kept)
    if start is None:
        return kept, [], warnings
    return kept[:start], kept[start:], warnings


def parse_communique(
    content: str,
    fmt: str,
    *,
    default_year: int | None = None,
    boilerplate_reference: str | None = None,
) -> ParsedCommunique:
    """Recognise the parts of a communiqué written in Markdown, plain text or HTML.

    ``default_year`` dates a dateline written without a year ("Paris, 1er juillet");
    ``boilerplate_reference`` is the association's current "about" text, which makes spotting
    older variants of it reliable. Raises ParseError only when no date can be found.
    """
    blocks = to_blocks(content, fmt)
    if not blocks:
        raise ParseError("The document has no text.")
    dateline, warnings = _find_dateline(blocks, default_year)
    title, body = _split_header(blocks, dateline)
    if not title:
        warnings.append("No title was found after the dateline.")
    contacts = find_contact_section(body)
    if contacts is None:
        warnings.append("No 'Contact presse' block was found.")
    else:
        warnings += contacts.warnings
    body, boilerplate, boilerplate_warnings = _locate_boilerplate(
        body, contacts, boilerplate_reference
    )
    warnings += boilerplate_warnings
    lead_index = next((i for i, block in enumerate(body) if block.tag == "p"), None)
    lead = body[lead_index].text.replace("\n", " ") if lead_index is not None else ""
    rest = [block for i, block in enumerate(body) if i != lead_index]
    return ParsedCommunique(
        place=dateline.place,
        date=dateline.found_date,
        title=title,
        lead=lead,
        body_html="\n".join(block.html for block in rest),
        contacts=contacts.contacts if contacts else [],
        boilerplate_text="\n\n".join(block.text for block in boilerplate),
        edition=find_edition([title, *(block.text for block in body)], dateline.found_date),
        people=find_people(body),
        warnings=warnings,
    )
