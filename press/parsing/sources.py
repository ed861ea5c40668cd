"""Turning uploaded bytes into text, whatever editor or decade produced them.

Archives of communiqués mix UTF-8 Markdown, Windows-1252 text files from old Word "save as text",
HTML exports and .docx files. Decoding errors are the most common reason an import goes wrong, so
this module refuses binary garbage loudly rather than importing mojibake.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import unicodedata
from pathlib import PurePath

import charset_normalizer
import mammoth

from cms.conf import DEFAULTS
from cms.frenchtext import ParseError
from cms.importing.limits import check_file_size, check_zip

# The default; the limit in force is the setting ASSISES['IMPORT_MAX_FILE_BYTES'] (cms.importing).
MAX_FILE_BYTES = DEFAULTS["IMPORT_MAX_FILE_BYTES"].default

_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".docx": "html",
    ".pdf": "text",
}
# Windows-1252 and Latin-1 only differ on 0x80-0x9F: C1 control codes in Latin-1, which nobody
# types, versus curly quotes, "œ", "€" and "…" in Windows-1252, which French editors type a lot.
_WESTERN = {"cp1252", "latin_1", "iso8859_15"}
_C1_BYTES = frozenset(range(0x80, 0xA0))
# How much worse (charset_normalizer "chaos") a Western encoding may score than the best guess and
# still be preferred: short French texts are often mistaken for Central European code pages.
_WESTERN_CHAOS_MARGIN = 0.1
_MAX_CONTROL_RATIO = 0.01


def _check_not_binary(text: str) -> str:
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in "\t\n\r\f\v"
    )
    if controls > max(2, len(text) * _MAX_CONTROL_RATIO):
        raise ParseError("The file looks binary (too many control characters), not text.")
    return text


def _decode_legacy(data: bytes) -> str:
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        raise ParseError("The file's character encoding could not be recognised.")
    western = [result for result in results if result.encoding in _WESTERN]
    if western and western[0].chaos <= best.chaos + _WESTERN_CHAOS_MARGIN:
        if _C1_BYTES.intersection(data):
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass  # 0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned in cp1252.
        return data.decode("latin_1")
    return str(best)


def decode_bytes(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM) first, then detected legacy encodings.

    UTF-8 is tried strictly first because detection on short texts is a guess, while valid UTF-8
    almost never happens by accident. Raises ParseError for empty input and for binary data.
    """
    if not data.strip():
        raise ParseError("The file is empty.")
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _check_not_binary(data[len(bom) :].decode(encoding, errors="replace"))
    if b"\x00" in data:
        raise ParseError("The file looks binary (it contains NUL bytes), not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_legacy(data)
    return _check_not_binary(text)


def extract_text(data: bytes, filename: str) -> tuple[str, str]:
    """Return ``(format, content)`` where format is "markdown", "text" or "html".

    The format follows the file extension rather than sniffing, because a .txt communiqué can
    legitimately contain "<" or "**". Word files are converted to HTML by mammoth, which keeps
    headings, bold, italics and links.
    """
    check_file_size(len(data))
    suffix = PurePath(filename).suffix.lower()
    fmt = _FORMATS.get(suffix)
    if fmt is None:
        known = ", ".join(sorted(_FORMATS))
        raise ParseError(f"{filename}: unsupported file type {suffix or '(none)'}; use {known}.")
    if not data.strip():
        raise ParseError(f"{filename}: the file is empty.")
    if suffix == ".docx":
        check_zip(data)  # limits first: mammoth would inflate whatever the zip declares
        try:
            html = mammoth.convert_to_html(io.BytesIO(data)).value
        except Exception as error:  # mammoth raises zipfile, KeyError, XML errors...
            raise ParseError(f"{filename}: not a readable Word (.docx) document.") from error
        return fmt, html
    # Shared with the programme importer (cms.importing): PDFs become text in reading order, web
    # pages are reduced to their main content (menus, cookie banners, footers dropped).
    from cms.importing.html import main_content_html
    from cms.importing.pdf import pdf_to_text

    if suffix == ".pdf":
        return fmt, pdf_to_text(data)
    if fmt == "html":
        return fmt, main_content_html(decode_bytes(data))
    return fmt, decode_bytes(data)


def fingerprint(data: bytes) -> str:
    """SHA-256 of the normalised text, so re-importing a re-saved copy is recognised as the same.

    Line endings, BOMs, Unicode normalisation form and trailing spaces do not change it. Data that
    is not text (a .docx archive) is hashed as raw bytes. An oversize file is refused here
    already, before the encoding detection that would make it expensive.
    """
    check_file_size(len(data))
    try:
        text = decode_bytes(data)
    except ParseError:
        return hashlib.sha256(data).hexdigest()
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    normalised = "\n".join(lines).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
