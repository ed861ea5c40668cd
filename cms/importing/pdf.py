"""PDF → plain text in reading order, for every importer (communiqués, programmes).

Press offices keep their archives as PDFs laid out by a graphic designer: a banner, a title
across the page, two columns of text, a running footer with the association's address and a
page number. Copy-pasting such a PDF (or a naive extractor) interleaves the columns line by line
and keeps the footer in the middle of the text.

We use pdfminer.six's layout analysis (kept, pure Python, no system dependency) to get text
boxes with their positions, and put them in order ourselves rather than trusting ``boxes_flow``:

- a page is cut into horizontal *bands* at every box spanning most of the page's width (banner,
  title, a full-width paragraph); inside a band, boxes are read column by column (columns are
  clustered on their left edges), each column top to bottom;
- boxes in the top and bottom margins that repeat on several pages (running headers, footers)
  or that are page numbers (« 2 », « Page 2/3 », « - 2 - ») are dropped;
- a word hyphenated at the end of a line (« com-\\nmuniqué ») is joined, while a hyphen that
  belongs to the word (« Saint-\\nÉtienne ») is kept.

Each box becomes a paragraph: its lines are kept as lines (programmes need « 9h30 » on its own
line), and paragraphs are separated by a blank line.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from cms.frenchtext import ParseError

# This module's messages, matched in English and shown translated by every importer that reads
# PDFs (`events.importers.localise_message`, which the communiqué importer falls back on).
PDF_MESSAGE_RULES = [
    (r"^The file is not a PDF document\.$", gettext_lazy("The file is not a PDF document.")),
    (r"^The PDF is protected by a password",
     gettext_lazy("The PDF is protected by a password; save an unprotected copy.")),
    (r"^The PDF is damaged", gettext_lazy("The PDF is damaged and cannot be read.")),
    (r"^The PDF has no text layer",
     gettext_lazy("The PDF has no text layer (a scanned image?); run OCR on it first.")),
    (r"^The PDF has more than (?P<count>\d+) characters of text\.$",
     gettext_lazy("The PDF has more than %(count)s characters of text.")),
    (r"^The PDF has more than (?P<pages>\d+) pages\.$",
     gettext_lazy("The PDF has more than %(pages)s pages.")),
]  # fmt: skip

# Fraction of the page height considered a margin for running headers and footers.
_MARGIN = 0.06
# A vertical strip this wide (points) that no line crosses, between text, is a column gutter.
_MIN_GUTTER = 6.0
# Lines whose tops differ by less than this (points) are on the same row.
_ROW_TOLERANCE = 3.0
# A vertical gap larger than this many line heights starts a new paragraph.
_PARAGRAPH_GAP = 1.45
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-–—\s]*\d{1,3}[-–—\s]*|(?:page|p\.)\s*\d{1,3}(?:\s*(?:/|sur|of)\s*\d{1,3})?"
    r"|\d{1,3}\s*/\s*\d{1,3})$",
    re.IGNORECASE,
)
# A hyphen at a line end joins two halves of a word when both sides are lower-case letters.
_HYPHENATED_RE = re.compile(r"(?<=[a-zà-öø-ÿ])[-‐\u00ad]\n(?=[a-zà-öø-ÿ])")
_MAX_PAGES = 200
_MAX_CHARS = 2_000_000  # far beyond any communiqué or programme; bounds a crafted file's cost


@dataclass
class _Line:
    """A run of text on one row (pdfminer splits justified rows at wide gaps)."""

    x0: float
    x1: float
    top: float  # distance from the top of the page, so that smaller reads first
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _lines(data: bytes) -> tuple[list[list[_Line]], list[float]]:
    """Text lines per page, and each page's height."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine

    params = LAParams(line_margin=0.3, char_margin=2.0, word_margin=0.1, boxes_flow=None)
    pages: list[list[_Line]] = []
    heights: list[float] = []
    characters = 0
    for number, layout in enumerate(extract_pages(io.BytesIO(data), laparams=params)):
        if number >= _MAX_PAGES:
            raise ParseError(f"The PDF has more than {_MAX_PAGES} pages.")
        height = layout.height
        lines = []
        for element in layout:
            if not isinstance(element, LTTextBox):
                continue
            for line in element:
                if isinstance(line, LTTextLine) and (text := line.get_text().strip()):
                    top, bottom = height - line.y1, height - line.y0
                    lines.append(_Line(line.x0, line.x1, top, bottom, text))
                    characters += len(text)
        if characters > _MAX_CHARS:
            raise ParseError(f"The PDF has more than {_MAX_CHARS} characters of text.")
        pages.append(lines)
        heights.append(height)
    return pages, heights


def _repeat_key(text: str) -> str:
    """Running headers differ only by their page number: compare them without digits."""
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def _is_margin(line: _Line, height: float) -> bool:
    return line.bottom <= height * _MARGIN or line.top >= height * (1 - _MARGIN)


def _drop_running_parts(pages: list[list[_Line]], heights: list[float]) -> None:
    """Drop page numbers, and margin lines repeated on several pages (headers, footers)."""
    in_margin: dict[str, int] = {}
    for lines, height in zip(pages, heights, strict=True):
        for key in {_repeat_key(line.text) for line in lines if _is_margin(line, height)}:
            in_margin[key] = in_margin.get(key, 0) + 1
    for index, (lines, height) in enumerate(zip(pages, heights, strict=True)):
        pages[index] = [
            line
            for line in lines
            if not (
                _is_margin(line, height)
                and (
                    _PAGE_NUMBER_RE.match(" ".join(line.text.split()))
                    or in_margin.get(_repeat_key(line.text), 0) > 1
                )
            )
        ]


def _gutters(lines: list[_Line]) -> list[tuple[float, float]]:
    """Vertical strips crossed by almost no line: the gaps between columns.

    Gaps between justified words do not line up from one row to the next; gutters do. A strip
    may be crossed by a few full-width lines (a title above the columns), hence the tolerance.
    """
    if len(lines) < 4:
        return []
    left = int(min(line.x0 for line in lines))
    right = int(max(line.x1 for line in lines)) + 1
    crossing = [0] * (right - left + 1)
    for line in lines:
        for x in range(int(line.x0) - left, int(line.x1) - left + 1):
            crossing[x] += 1
    allowed = max(1, len(lines) // 8)
    gutters, start = [], None
    for x, count in enumerate(crossing):
        if count <= allowed and start is None:
            start = x
        elif count > allowed and start is not None:
            if x - start >= _MIN_GUTTER and start > 0:
                gutters.append((left + start, left + x))
            start = None
    return [gutter for gutter in gutters if _separates_rows(lines, gutter)]


def _separates_rows(lines: list[_Line], gutter: tuple[float, float]) -> bool:
    """A gutter has text on both sides on at least two rows (not a gap of one justified row)."""
    left_rows = {round(line.top) for line in lines if line.x1 <= gutter[0] + 1}
    right_rows = {round(line.top) for line in lines if line.x0 >= gutter[1] - 1}
    both = {top for top in left_rows if any(abs(top - other) <= 3 for other in right_rows)}
    return len(both) >= 2


def _rows(lines: list[_Line]) -> list[_Line]:
    """Merge runs on the same row, left to right, into one line."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda item: item.top):
        if rows and abs(rows[-1][0].top - line.top) <= _ROW_TOLERANCE:
            rows[-1].append(line)
        else:
            rows.append([line])
    merged = []
    for row in rows:
        row.sort(key=lambda item: item.x0)
        merged.append(
            _Line(
                row[0].x0,
                max(item.x1 for item in row),
                min(item.top for item in row),
                max(item.bottom for item in row),
                " ".join(item.text for item in row),
            )
        )
    return merged


def _paragraphs(rows: list[_Line]) -> list[str]:
    """Rows of one column, top to bottom, cut into paragraphs at wider vertical gaps."""
    if not rows:
        return []
    heights = sorted(row.height for row in rows)
    typical = heights[len(heights) // 2] or 10.0
    paragraphs, current = [], [rows[0].text]
    for previous, row in zip(rows, rows[1:], strict=False):
        if row.top - previous.top > typical * _PARAGRAPH_GAP * 1.2 or row.top - previous.bottom > (
            typical * (_PARAGRAPH_GAP - 1) + 1
        ):
            paragraphs.append("\n".join(current))
            current = []
        current.append(row.text)
    paragraphs.append("\n".join(current))
    return paragraphs


def _continues(previous: _Line, line: _Line, body: list[_Line]) -> bool:
    """The short last line of a title across the page: right below it, alone on its row."""
    close = line.top - previous.bottom <= previous.height * (_PARAGRAPH_GAP - 1) + 1
    alone = not any(
        other is not line and abs(other.top - line.top) <= _ROW_TOLERANCE for other in body
    )
    return close and alone and abs(line.x0 - previous.x0) <= _ROW_TOLERANCE


def _page_text(lines: list[_Line], height: float) -> list[str]:
    """Paragraphs of one page in reading order: bands top to bottom, columns left to right."""
    header = [line for line in lines if line.bottom <= height * _MARGIN]
    footer = [line for line in lines if line.top >= height * (1 - _MARGIN)]
    body = [line for line in lines if line not in header and line not in footer]
    gutters = _gutters(body)
    paragraphs = _paragraphs(_rows(header))
    band: list[list[_Line]] = [[] for _ in range(len(gutters) + 1)]

    def flush() -> None:
        for column in band:
            paragraphs.extend(_paragraphs(_rows(column)))
            column.clear()

    across: list[_Line] = []  # a title or a paragraph across the page, above the columns
    for line in sorted(body, key=lambda item: (item.top, item.x0)):
        crosses = any(line.x0 < start and line.x1 > end for start, end in gutters)
        if crosses or (across and _continues(across[-1], line, body)):
            flush()
            across.append(line)
            continue
        if across:
            paragraphs.extend(_paragraphs(_rows(across)))
            across = []
        column = sum(1 for start, _end in gutters if line.x0 >= start)
        band[column].append(line)
    flush()
    paragraphs.extend(_paragraphs(_rows(across)))
    return paragraphs + _paragraphs(_rows(footer))


def _tidy(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00ad\n", "").replace("\x0c", "\n")
    text = _HYPHENATED_RE.sub("", text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def pdf_to_text(data: bytes) -> str:
    """Return the text of a PDF in reading order: paragraphs separated by a blank line.

    Raises ParseError (with an English message meant for `localise_message`) when the file is
    not a PDF, is damaged, is protected by a password, or has no text layer (a scan).
    """
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise ParseError("The file is not a PDF document.")
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pages, heights = _lines(data)
    except ParseError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise ParseError("The PDF is protected by a password; save an unprotected copy.") from error
    except Exception as error:  # pdfminer raises PSEOF, PDFSyntaxError, KeyError, TypeError…
        raise ParseError("The PDF is damaged and cannot be read.") from error
    _drop_running_parts(pages, heights)
    paragraphs = [
        _tidy(paragraph)
        for lines, height in zip(pages, heights, strict=True)
        for paragraph in _page_text(lines, height)
    ]
    text = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
    if not text.strip():
        raise ParseError("The PDF has no text layer (a scanned image?); run OCR on it first.")
    return text
