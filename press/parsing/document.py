"""One file in, one or several communiqués out: listings of news items are split or refused.

Websites publish « Actualités » pages listing several news items, and press officers save them
as they are. Merging such a page into one communiqué would publish a nonsense text under the
first item's title, so a listing is split into one communiqué per item when every item has its
own title and date, and refused with its reason otherwise (the press officer then saves each
communiqué on its own): a split we cannot date item by item would be a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from cms.frenchtext import ParseError
from cms.importing.html import READ_MORE_RE, listing_hint

from .blocks import Block
from .communique import _TIME_LINE_RE, is_date_line, parse_blocks, prepare_blocks, title_text
from .dates import classify, find_dates
from .results import ParsedCommunique
from .sources import decode_bytes, extract_text

_MIN_ITEM_TEXT = 40


@dataclass
class ParsedDocument:
    """The communiqués found in one file; ``listing`` when it held several news items."""

    fmt: str
    content: str
    items: list[ParsedCommunique] = field(default_factory=list)
    listing: bool = False


def _is_item_date(blocks: list[Block], index: int) -> bool:
    """A block that is a publication date on its own line, not a day heading of a programme."""
    if index >= len(blocks) or not blocks[index].lines:
        return False
    first = blocks[index].lines[0]
    if not is_date_line(first):
        return False
    mentions = find_dates(first)
    if not mentions or classify(first, mentions[0]) is None:
        return False
    following = blocks[index].lines[1:2] or (
        blocks[index + 1].lines[:1] if index + 1 < len(blocks) else []
    )
    return not (following and _TIME_LINE_RE.match(following[0]))


def _item_starts(blocks: list[Block]) -> list[int]:
    """Indexes where a news item starts: a title followed by its date, or a date then a title."""
    starts: list[int] = []
    for index, block in enumerate(blocks):
        if starts and index <= starts[-1] + 1:
            continue
        title_then_date = bool(title_text(block)) and _is_item_date(blocks, index + 1)
        date_then_title = (
            _is_item_date(blocks, index)
            and index + 1 < len(blocks)
            and bool(title_text(blocks[index + 1]))
        )
        if title_then_date or date_then_title:
            starts.append(index)
    return starts


def _has_text(item: list[Block]) -> bool:
    return any(len(block.text) >= _MIN_ITEM_TEXT and not is_date_line(block.text) for block in item)


def split_listing(blocks: list[Block], hint: int) -> list[list[Block]] | None:
    """The items of a listing, None for a single communiqué; ParseError for a listing whose
    items cannot all be told apart with a title and a date."""
    starts = _item_starts(blocks)
    items = [
        blocks[start:end] for start, end in zip(starts, [*starts[1:], len(blocks)], strict=False)
    ]
    expected = max(hint, len(starts))
    if len(starts) >= 2 and len(starts) >= hint and all(_has_text(item) for item in items):
        return items
    if expected >= 2:
        raise ParseError(
            f"This file is a listing of {expected} news items, but not every item has its own "
            "title and date: save each communiqué in its own file."
        )
    return None


def _hint(content: str, fmt: str) -> int:
    if fmt == "html":
        return listing_hint(content)
    return len(READ_MORE_RE.findall(re.sub(r"[*_#\[\]]", "", content)))


def parse_document(
    data: bytes,
    filename: str,
    *,
    default_year: int | None = None,
    boilerplate_reference: str | None = None,
    today: date | None = None,
) -> ParsedDocument:
    """Read one file (.txt, .md, .html, .htm, .docx, .pdf) into one or several communiqués.

    Raises ParseError when the file cannot be read at all, or is a listing that cannot be split.
    """
    fmt, content = extract_text(data, filename)
    web_page = filename.lower().endswith((".html", ".htm"))
    raw_hint = _hint(decode_bytes(data) if web_page else content, fmt)
    blocks = prepare_blocks(content, fmt)
    if not blocks:
        raise ParseError("The document has no text.")
    items = split_listing(blocks, raw_hint)
    options = {
        "default_year": default_year,
        "boilerplate_reference": boilerplate_reference,
        "filename": filename,
        "today": today,
        "content": content,
    }
    if items is None:
        return ParsedDocument(fmt, content, [parse_blocks(blocks, **options)])
    return ParsedDocument(fmt, content, [parse_blocks(item, **options) for item in items], True)
