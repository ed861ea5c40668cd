"""Assemble a ParsedCommunique from sanitised blocks.

A communiqué has a stable shape: dateline, title, lead, body, "Contact presse", then the
association's "about" boilerplate. Real archives bend it every way: website chrome around it,
one line per paragraph, the title above or below the dateline, the dateline glued to the lead
(« PARIS, 4 mars 2023 – L'AMF… »), no dateline at all. Each part is located in turn, and
whatever is missing or uncertain becomes an item of the review checklist — never an error:
a press officer bringing ten years of communiqués wants drafts to correct, not refusals.
"""

from __future__ import annotations

import html
import re
from datetime import date
from difflib import SequenceMatcher
from pathlib import PurePath

from bs4 import BeautifulSoup

from cms.frenchtext import ParseError, normalise_text
from cms.importing.html import is_chrome_line

from .blocks import Block, to_blocks
from .contacts import ContactSection, find_contact_section, heading_rest
from .dates import YearHints, classify, find_dates, find_publication
from .mentions import find_edition, find_people
from .results import ParsedCommunique, ReviewItem

_TITLE_MIN_CHARS = 10
_TITLE_MAX_CHARS = 250
_TITLE_MAX_LINES = 3
_TITLE_MIN_WORDS_UNMARKED = 4  # a bare line above the dateline: « Villes de France » is no title
_LEAD_MIN_CHARS = 40
_TAIL_MIN_CHARS = 40
_HEADER_NOISE_MAX_CHARS = 100
# Lines of the text searched for the publication date: « the first part of the text ».
_FIRST_PART_LINES = 12
_FIRST_PART_RATIO = 0.4
# A line at least this share of the block's longest line, not ending a sentence, is wrapped.
_WRAPPED_RATIO = 0.5
_SENTENCE_END_RE = re.compile(r"[.;!?…:]\s*[»”\"’)]*$")
_TITLE_END_RE = re.compile(r"[.;,]\s*[»”\"’)]*$")
# Zero-width and bidirectional controls: invisible in the admin, they can hide or reorder text.
INVISIBLE_RE = re.compile(
    "[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_CONTACT_DETAILS_RE = re.compile(r"@|(?:\+33|\b0)\s*[1-9](?:[\s.-]*\d{2}){4}\b")
_CONTACT_LINE_MAX = 120
_PARAGRAPH_LINE_MIN = 80  # a block is split into paragraphs only if some line is this long
_TIME_LINE_RE = re.compile(r"^\s*\d{1,2}\s*[hH:]\s*\d{0,2}\b")
_BOILERPLATE_MIN_RATIO = 0.6
_BOILERPLATE_MAX_BLOCKS = 8
_NOISE_RE = re.compile(
    r"^\W*(?:communiqu[ée]s?(?:\s+de\s+presse)?|information\s+presse|invitation\s+presse|cp"
    r"|pour\s+diffusion\s+imm[ée]diate|embargo.*|dossier\s+de\s+presse)\W*$",
    re.IGNORECASE,
)
_ABOUT_RE = re.compile(r"^(?:à|a)\s+propos\b", re.IGNORECASE)
_ORG_START_RE = re.compile(r"^(?:l['’])?(?:association|fédération|union|[A-Z]{3,}\b)", re.I)
_ORG_VERBS_RE = re.compile(
    r"\b(?:fédère|regroupe|rassemble|représente|créée en|fondée en|compte aujourd|adhérents)\b",
    re.IGNORECASE,
)


def _text_block(lines: list[str]) -> Block:
    """A paragraph made of lines left over after the dateline or title was taken out."""
    markup = "<br>".join(html.escape(line) for line in lines)
    return Block("p", f"<p>{markup}</p>", "\n".join(lines))


def _without_chrome(blocks: list[Block]) -> list[Block]:
    """Website furniture copied with the text (« Newsletter / Vidéos / Mon compte »)."""
    kept = []
    for block in blocks:
        lines = [line for line in block.lines if not is_chrome_line(line)]
        if len(lines) == len(block.lines):
            kept.append(block)
        elif lines:
            kept.append(_text_block(lines))
    return kept


def _is_plain(block: Block) -> bool:
    return block.tag == "p" and not re.search(r"<(?!/?(?:p|br)\b)", block.html)


def _split_lines(block: Block) -> list[Block]:
    """One paragraph per line unless the line is wrapped text.

    Texts saved with single newlines put a whole paragraph on each line; PDFs wrap paragraphs
    over many lines. A line that is nearly as long as the block's longest and does not end a
    sentence continues on the next; any other line ends its paragraph. A contact section is
    left whole: its lines belong together.
    """
    lines = block.lines
    if not _is_plain(block) or len(lines) < 2 or heading_rest(block) is not None:
        return [block]
    longest = max(len(line) for line in lines)
    if longest < _PARAGRAPH_LINE_MIN:
        return [block]  # an address, a name card, a header: short lines that belong together
    if longest < _CONTACT_LINE_MAX and _CONTACT_DETAILS_RE.search(block.text):
        return [block]  # a contact card: name, role, phone, e-mail on their own lines
    groups: list[list[str]] = [[lines[0]]]
    for index, line in enumerate(lines[1:], 1):
        if heading_rest(Block("p", "", line)) is not None:
            groups.append(lines[index:])
            break
        previous = lines[index - 1]
        wrapped = len(previous) >= longest * _WRAPPED_RATIO and not _SENTENCE_END_RE.search(
            previous
        )
        if wrapped:
            groups[-1].append(line)
        else:
            groups.append([line])
    if len(groups) == 1:
        return [block]
    return [_text_block(group) for group in groups]


def prepare_blocks(content: str, fmt: str) -> list[Block]:
    """Sanitised blocks without website chrome, one paragraph per block."""
    blocks = _without_chrome(to_blocks(content, fmt))
    return [part for block in blocks for part in _split_lines(block)]


def clean_title(text: str) -> tuple[str, bool]:
    """The title without invisible or direction-changing characters; True if any was removed."""
    cleaned = INVISIBLE_RE.sub("", text)
    return " ".join(cleaned.split()), cleaned != text


def is_date_line(text: str) -> bool:
    """A line that is a date and nothing else worth keeping (« Mis à jour le 9 mai 2022 »)."""
    for mention in find_dates(text):
        rest = (text[: mention.start] + text[mention.end :]).strip(" ,.·|–—-*_")
        rest = re.sub(r"(?i)\b(?:publi[ée]e?|mis\s+(?:à\s+jour|en\s+ligne)|le|date|du)\b", "", rest)
        if len(rest.strip(" ,.:·|–—-*_")) <= 30 and classify(text, mention) is not None:
            return True
        if not re.sub(r"(?i)\b(?:mis\s+à\s+jour|modifi[ée]|le)\b", "", rest).strip(" ,.:·|–—-"):
            return True
    return False


def is_emphasised(block: Block) -> bool:
    """A heading, or a paragraph all in bold: how Word and web pages mark a title."""
    if block.is_heading:
        return True
    if block.tag != "p":
        return False
    soup = BeautifulSoup(block.html, "html.parser")
    bold = "".join(element.get_text() for element in soup.find_all(["strong", "b"]))
    return bool(bold.strip()) and " ".join(bold.split()) == " ".join(block.text.split())


def title_text(block: Block) -> str | None:
    """The block's text if it reads as a title: short, one to three lines, no final period."""
    if block.tag not in {"p", "h2", "h3", "h4"} or len(block.lines) > _TITLE_MAX_LINES:
        return None
    text = " ".join(block.lines)
    if not _TITLE_MIN_CHARS <= len(text) <= _TITLE_MAX_CHARS or text[:1].islower():
        return None
    if _NOISE_RE.match(text) or is_chrome_line(text) or heading_rest(block) is not None:
        return None
    if "@" in text or is_date_line(text) or _TIME_LINE_RE.match(text):
        return None
    if not block.is_heading and _TITLE_END_RE.search(text) and not text.endswith("..."):
        return None
    return text


def _is_prose(block: Block) -> bool:
    if block.tag != "p" or _NOISE_RE.match(block.text) or heading_rest(block) is not None:
        return False
    if is_date_line(block.text):
        return False
    text = " ".join(block.lines)
    return len(text) >= _LEAD_MIN_CHARS or bool(_SENTENCE_END_RE.search(text))


class _Header:
    """Where the dateline was, what stands before and after it, and the title."""

    def __init__(self) -> None:
        self.before: list[Block] = []
        self.after: list[Block] = []
        self.tail_blocks = 0  # blocks of ``after`` that came from the dateline's own line


def _cut_at_dateline(blocks, lines, publication) -> _Header:
    header = _Header()
    mention = publication.mention
    if mention is None or publication.kind not in {"dateline", "standalone", "label"}:
        header.after = blocks
        return header
    b, n, line = lines[mention.line]
    block = blocks[b]
    if publication.kind == "label" and len(publication.tail) >= _TAIL_MIN_CHARS:
        # « Communiqué du 14 janvier 2020 : les maires… » is the title itself.
        header.before, header.after = blocks[:b], blocks[b:]
        return header
    before_lines, after_lines = block.lines[:n], block.lines[n + 1 :]
    header.before = blocks[:b] + ([_text_block(before_lines)] if before_lines else [])
    tail = publication.tail
    if len(tail) >= _TAIL_MIN_CHARS and not is_date_line(tail):
        header.after.append(_text_block([tail]))
        header.tail_blocks = 1
    if after_lines:
        header.after.append(_text_block(after_lines))
    header.after += blocks[b + 1 :]
    return header


def _choose_title(header: _Header) -> tuple[str, list[Block]]:
    """Return the title and the blocks that remain, in reading order.

    A heading (or bold paragraph) just above the dateline wins, as web pages and Word files put
    it there; else the first block after the dateline if it reads as a title; else a bare
    title-like line above the dateline. Short lines above the dateline that are not the title
    (the association's name, « Communiqué de presse ») are header noise and are dropped.
    """
    before = [block for block in header.before if not _NOISE_RE.match(block.text)]
    after = header.after

    def remaining(taken: Block | None) -> list[Block]:
        kept_before = [
            block
            for block in before
            if block is not taken
            and (
                len(block.text) > _HEADER_NOISE_MAX_CHARS
                or _SENTENCE_END_RE.search(block.text)
                or block.tag != "p"
            )
        ]
        return kept_before + [block for block in after if block is not taken]

    for block in reversed(before):
        if is_emphasised(block) and (text := title_text(block)):
            return text, remaining(block)
    candidates = [
        block
        for block in after[header.tail_blocks :]
        if not (_NOISE_RE.match(block.text) or is_date_line(block.text))
    ]
    if candidates and (text := title_text(candidates[0])):
        return text, remaining(candidates[0])
    for block in reversed(before):
        text = title_text(block)
        if text and len(text.split()) >= _TITLE_MIN_WORDS_UNMARKED:
            return text, remaining(block)
    return "", remaining(None)


def _first_part(lines: list) -> int:
    return max(_FIRST_PART_LINES, int(len(lines) * _FIRST_PART_RATIO))


def source_line(content: str, text: str) -> int | None:
    """1-based line of ``content`` where ``text`` starts (markup ignored), if found."""
    wanted = " ".join(INVISIBLE_RE.sub("", text).split())[:30].casefold()
    if not wanted:
        return None
    for number, line in enumerate(content.splitlines(), 1):
        plain = " ".join(re.sub(r"<[^>]*>|[*_#]", "", html.unescape(line)).split()).casefold()
        if wanted[:20] in plain:
            return number
    return None


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


def parse_blocks(
    blocks: list[Block],
    *,
    default_year: int | None = None,
    boilerplate_reference: str | None = None,
    filename: str = "",
    today: date | None = None,
    content: str = "",
) -> ParsedCommunique:
    """Recognise a communiqué in prepared blocks (see `prepare_blocks`)."""
    if not blocks:
        raise ParseError("The document has no text.")
    lines = [(b, n, line) for b, block in enumerate(blocks) for n, line in enumerate(block.lines)]
    texts = [line for _b, _n, line in lines]
    titles = [text for block in blocks[:6] if (text := title_text(block))]
    hints = YearHints(default_year, " ".join(titles), PurePath(filename).stem)
    publication = find_publication(texts, hints, first_part=_first_part(texts), today=today)
    review: list[ReviewItem] = []
    date_line = (publication.mention.line + 1) if publication.mention else None

    def flag(field: str, message: str, line: int | None = None) -> None:
        review.append(ReviewItem(field, message, line))

    for reason in publication.reasons:
        flag("publication_date", reason, date_line)
    title, body = _choose_title(_cut_at_dateline(blocks, lines, publication))
    title, had_invisible = clean_title(title)
    if had_invisible:
        flag("title", "Invisible or direction-changing characters were removed from the title.")
    if not title:
        flag("title", "No title was found after the dateline.")
    if not publication.place:
        flag("dateline_place", "No dateline city was found.")
    contacts = find_contact_section(body)
    if contacts is None:
        flag("contacts", "No 'Contact presse' block was found.")
    else:
        for warning in contacts.warnings:
            flag("contacts", warning)
    body, boilerplate, boilerplate_warnings = _locate_boilerplate(
        body, contacts, boilerplate_reference
    )
    for warning in boilerplate_warnings:
        flag("boilerplate", warning)
    if not boilerplate and not boilerplate_warnings:
        flag("boilerplate", "No paragraph about the association was found at the end.")
    lead_index = next((i for i, block in enumerate(body) if _is_prose(block)), None)
    lead = " ".join(body[lead_index].lines) if lead_index is not None else ""
    if not lead:
        flag("lead", "No lead paragraph was found.")
    rest = [block for i, block in enumerate(body) if i != lead_index]
    parsed = ParsedCommunique(
        place=publication.place[:100],
        date=publication.value,
        title=title,
        lead=INVISIBLE_RE.sub("", lead),
        body_html="\n".join(block.html for block in rest),
        contacts=contacts.contacts if contacts else [],
        boilerplate_text="\n\n".join(block.text for block in boilerplate),
        edition=find_edition([title, *(block.text for block in body)], publication.value),
        people=find_people(body),
        review=review,
        date_flagged=publication.flagged,
    )
    if content:
        for field, text in (
            ("title", title),
            ("lead", lead),
            ("dateline_place", publication.place),
        ):
            if text and (number := source_line(content, text)):
                parsed.lines[field] = number
        if publication.mention is not None:
            written = texts[publication.mention.line]
            if number := source_line(content, written):
                parsed.lines["publication_date"] = number
                for item in review:
                    if item.field == "publication_date":
                        item.line = number
    parsed.warnings = [item.message for item in review]
    return parsed


def parse_communique(
    content: str,
    fmt: str,
    *,
    default_year: int | None = None,
    boilerplate_reference: str | None = None,
    filename: str = "",
    today: date | None = None,
) -> ParsedCommunique:
    """Recognise the parts of a communiqué written in Markdown, plain text or HTML.

    ``default_year`` (the importer's ``--year``) dates a dateline written without a year;
    otherwise the year is inferred and flagged (see `press.parsing.dates`). ``filename`` helps
    date a text without dateline. ``boilerplate_reference`` is the association's current
    "about" text, which makes spotting older variants of it reliable. Raises ParseError only
    when there is no text at all: whatever else is missing goes to the review checklist.
    """
    return parse_blocks(
        prepare_blocks(content, fmt),
        default_year=default_year,
        boilerplate_reference=boilerplate_reference,
        filename=filename,
        today=today,
        content=content,
    )
