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

from cms.frenchtext import ParseError

# Fraction of the page height considered a margin for running headers and footers.
_MARGIN = 0.09
# A box at least this wide (fraction of the text area) is full-width: it ends a band of columns.
_FULL_WIDTH = 0.62
# Left edges closer than this (points) belong to the same column.
_COLUMN_TOLERANCE = 28
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-–—\s]*\d{1,3}[-–—\s]*|(?:page|p\.)\s*\d{1,3}(?:\s*(?:/|sur|of)\s*\d{1,3})?"
    r"|\d{1,3}\s*/\s*\d{1,3})$",
    re.IGNORECASE,
)
# A hyphen at a line end joins two halves of a word when both sides are lower-case letters.
_HYPHENATED_RE = re.compile(r"(?<=[a-zà-öø-ÿ])[-‐­]\n(?=[a-zà-öø-ÿ])")
_MAX_PAGES = 200


@dataclass
class _Box:
    page: int
    x0: float
    x1: float
    top: float  # distance from the top of the page, so that smaller reads first
    bottom: float
    text: str


def _boxes(data: bytes) -> tuple[list[list[_Box]], list[tuple[float, float]]]:
    """Text boxes per page, and each page's (width, height)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox

    params = LAParams(line_margin=0.45, char_margin=2.0, word_margin=0.1, boxes_flow=None)
    pages: list[list[_Box]] = []
    sizes: list[tuple[float, float]] = []
    for number, layout in enumerate(extract_pages(io.BytesIO(data), laparams=params)):
        if number >= _MAX_PAGES:
            raise ParseError(f"The PDF has more than {_MAX_PAGES} pages.")
        width, height = layout.width, layout.height
        boxes = []
        for element in layout:
            if not isinstance(element, LTTextBox):
                continue
            text = element.get_text().strip()
            if text:
                boxes.append(
                    _Box(number, element.x0, element.x1, height - element.y1, height - element.y0,
                         text)
                )  # fmt: skip
        pages.append(boxes)
        sizes.append((width, height))
    return pages, sizes


def _repeat_key(text: str) -> str:
    """Running headers differ only by their page number: compare them without digits."""
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def _drop_running_parts(pages: list[list[_Box]], sizes: list[tuple[float, float]]) -> None:
    in_margin: dict[str, int] = {}
    for boxes, (_width, height) in zip(pages, sizes, strict=True):
        for key in {_repeat_key(b.text) for b in boxes if _is_margin(b, height)}:
            in_margin[key] = in_margin.get(key, 0) + 1
    for index, (boxes, (_width, height)) in enumerate(zip(pages, sizes, strict=True)):
        pages[index] = [
            box
            for box in boxes
            if not (
                _is_margin(box, height)
                and (
                    _PAGE_NUMBER_RE.match(" ".join(box.text.split()))
                    or (len(pages) > 1 and in_margin.get(_repeat_key(box.text), 0) > 1)
                )
            )
        ]


def _is_margin(box: _Box, height: float) -> bool:
    return box.bottom <= height * _MARGIN or box.top >= height * (1 - _MARGIN)


def _columns(boxes: list[_Box]) -> list[list[_Box]]:
    """Cluster boxes on their left edge; columns left to right, each read top to bottom."""
    columns: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.x0):
        if columns and box.x0 - columns[-1][-1].x0 <= _COLUMN_TOLERANCE:
            columns[-1].append(box)
        else:
            columns.append([box])
    return [sorted(column, key=lambda b: b.top) for column in columns]


def _reading_order(boxes: list[_Box]) -> list[_Box]:
    if not boxes:
        return []
    left = min(b.x0 for b in boxes)
    right = max(b.x1 for b in boxes)
    span = max(right - left, 1.0)
    ordered: list[_Box] = []
    band: list[_Box] = []
    for box in sorted(boxes, key=lambda b: (b.top, b.x0)):
        if (box.x1 - box.x0) / span >= _FULL_WIDTH:
            # A full-width box closes the band above it, unless a column still runs beside it.
            for column in _columns(band):
                ordered += column
            band = []
            ordered.append(box)
        else:
            band.append(box)
    for column in _columns(band):
        ordered += column
    return ordered


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
        pages, sizes = _boxes(data)
    except ParseError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise ParseError("The PDF is protected by a password; save an unprotected copy.") from error
    except Exception as error:  # pdfminer raises PSEOF, PDFSyntaxError, KeyError, TypeError…
        raise ParseError("The PDF is damaged and cannot be read.") from error
    _drop_running_parts(pages, sizes)
    paragraphs = [_tidy(box.text) for boxes in pages for box in _reading_order(boxes)]
    text = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
    if not text.strip():
        raise ParseError("The PDF has no text layer (a scanned image?); run OCR on it first.")
    return text
