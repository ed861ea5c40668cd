"""Tests of reading uploaded communiqué files: encodings, formats, limits, fingerprints."""

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from press.parsing import (
    MAX_FILE_BYTES,
    ParseError,
    decode_bytes,
    extract_text,
    fingerprint,
    parse_communique,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"


def build_docx(path: Path) -> Path:
    document = Document()
    document.add_paragraph("Paris, le 12 mars 2024")
    document.add_heading("Les maires ruraux au Salon de l'agriculture", level=1)
    body = document.add_paragraph("Le président de l'AMRF, ")
    body.add_run("Paul Granger").bold = True
    body.add_run(", maire de Cérilly, a accueilli les élus.")
    document.add_paragraph("La journée s'est conclue par un débat.")
    document.add_paragraph("Contact presse")
    document.add_paragraph("Cédric Szabo, Directeur - 01 47 42 94 00 - cedric.szabo@amrf.fr")
    document.save(path)
    return path


def test_extract_text_docx_is_converted_to_html(tmp_path):
    path = build_docx(tmp_path / "communique.docx")
    fmt, content = extract_text(path.read_bytes(), path.name)
    parsed = parse_communique(content, fmt)
    assert fmt == "html"
    assert (parsed.date, parsed.title) == (
        date(2024, 3, 12),
        "Les maires ruraux au Salon de l'agriculture",
    )
    assert (
        parsed.lead
        == "Le président de l'AMRF, Paul Granger, maire de Cérilly, a accueilli les élus."
    )
    assert parsed.body_html == "<p>La journée s'est conclue par un débat.</p>"
    assert [(p.name, p.function) for p in parsed.people] == [("Paul Granger", "maire de Cérilly")]
    assert [contact.email for contact in parsed.contacts] == ["cedric.szabo@amrf.fr"]


def test_extract_text_corrupt_docx_raises():
    with pytest.raises(ParseError, match="Word"):
        extract_text(b"PK\x03\x04 not really a zip", "communique.docx")


@pytest.mark.parametrize(
    ("filename", "fmt"),
    [("a.md", "markdown"), ("a.MARKDOWN", "markdown"), ("a.txt", "text"), ("a.htm", "html")],
)
def test_extract_text_format_follows_extension(filename, fmt):
    assert extract_text(b"Paris, 3 avril 2024", filename) == (fmt, "Paris, 3 avril 2024")


def test_extract_text_unknown_extension_raises():
    with pytest.raises(ParseError, match="unsupported file type .odt"):
        extract_text(b"PK\x03\x04", "communique.odt")


def test_extract_text_pdf_reads_text_and_refuses_broken_pdf():
    corpus = Path(__file__).parents[1] / "fixtures" / "corpus" / "communiques"
    fmt, content = extract_text((corpus / "pdf-assises-evenement.pdf").read_bytes(), "cp.pdf")
    assert fmt == "text" and content.startswith("Communiqué de presse\n\nParis, le 4 octobre")
    with pytest.raises(ParseError, match="damaged"):
        extract_text(b"%PDF-1.4", "communique.pdf")


def test_extract_text_oversize_raises():
    with pytest.raises(ParseError, match="IMPORT_MAX_FILE_BYTES"):
        extract_text(b"a" * (MAX_FILE_BYTES + 1), "communique.txt")


def test_extract_text_empty_file_raises():
    with pytest.raises(ParseError, match="empty"):
        extract_text(b"", "communique.md")


def test_decode_bytes_cp1252_file(tmp_path):
    text = (FIXTURES / "communique-2016-11-22-encodings.txt").read_text()
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    decoded = decode_bytes(path.read_bytes())
    assert decoded == text
    assert "l’œuvre" in decoded and "5 €" in decoded and "habitant…" in decoded


def test_decode_bytes_latin1_file(tmp_path):
    text = (FIXTURES / "communique-2016-11-22-encodings.txt").read_text()
    text = text.replace("’", "'").replace("œ", "oe").replace("€", "euros").replace("…", "...")
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    assert decode_bytes(path.read_bytes()) == text


def test_decode_bytes_latin1_then_parse():
    text = "Paris, le 7 février 2013\n\nLes élus réunis à Évian\n\nLe congrès s'ouvre à Noël."
    parsed = parse_communique(decode_bytes(text.encode("latin-1")), "text")
    assert (parsed.date, parsed.title) == (date(2013, 2, 7), "Les élus réunis à Évian")


@pytest.mark.parametrize(
    "data",
    [
        "Élus réunis".encode("utf-8-sig"),
        "Élus réunis".encode(),
        "Élus réunis".encode("utf-16"),
    ],
)
def test_decode_bytes_unicode_with_and_without_bom(data):
    assert decode_bytes(data) == "Élus réunis"


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 4, b"PK\x03\x04\x00\x00binary", b"text" + b"\x01\x02\x03\x04" * 10],
)
def test_decode_bytes_binary_garbage_raises(data):
    with pytest.raises(ParseError):
        decode_bytes(data)


def test_decode_bytes_empty_raises():
    with pytest.raises(ParseError, match="empty"):
        decode_bytes(b"  \n ")


def test_fingerprint_ignores_bom_line_endings_and_trailing_spaces():
    text = "Paris, 3 avril 2024\n\nTitre   \n"
    variants = [
        text.encode(),
        text.replace("\n", "\r\n").encode("utf-8-sig"),
        text.encode("cp1252"),
    ]
    assert len({fingerprint(data) for data in variants}) == 1


def test_fingerprint_changes_with_content():
    assert fingerprint(b"Paris, 3 avril 2024") != fingerprint(b"Paris, 4 avril 2024")


def test_fingerprint_hashes_binary_as_bytes():
    assert len(fingerprint(b"PK\x03\x04\x00binary")) == 64
