"""PDF text extraction: reading order, running headers and footers, hyphenation, bad files."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from cms.frenchtext import ParseError
from cms.importing.pdf import pdf_to_text


def _two_column_pdf(pages: int = 2) -> bytes:
    pdf = FPDF(format="A4")  # core fonts (Latin-1): no system font needed
    pdf.set_auto_page_break(False)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("helvetica", size=8)
        pdf.set_xy(10, 6)
        pdf.cell(0, 5, "Association des maires ruraux - Communiqué de presse")
        pdf.set_font("helvetica", size=14)
        pdf.set_xy(10, 30)
        pdf.multi_cell(190, 7, f"Titre de la page {number} sur toute la largeur")
        pdf.set_font("helvetica", size=10)
        pdf.set_xy(10, 50)
        pdf.multi_cell(90, 5, "Gauche un. Les élus demandent un com-\nmuniqué clair. Gauche fin.")
        pdf.set_xy(110, 50)
        pdf.multi_cell(90, 5, "Droite un. La commune de Saint-\nÉtienne répond. Droite fin.")
        pdf.set_font("helvetica", size=8)
        pdf.set_xy(100, 285)
        pdf.cell(10, 5, f"{number}/{pages}")
    return bytes(pdf.output())


def test_pdf_to_text_reads_columns_in_order():
    text = pdf_to_text(_two_column_pdf(pages=1))
    assert text.index("Titre de la page 1") < text.index("Gauche un") < text.index("Gauche fin")
    assert text.index("Gauche fin") < text.index("Droite un")


def test_pdf_to_text_drops_running_header_and_page_numbers():
    text = pdf_to_text(_two_column_pdf(pages=2))
    assert "Association des maires ruraux" not in text
    assert "1/2" not in text and "2/2" not in text
    assert text.count("Droite fin") == 2


def test_pdf_to_text_joins_hyphenated_words_only():
    text = pdf_to_text(_two_column_pdf(pages=1))
    assert "communiqué clair" in text
    assert "Saint-\nÉtienne" in text or "Saint-Étienne" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4\n1 0 obj << >> garbage", "damaged"),
        (b"Hello, not a PDF at all", "not a PDF"),
    ],
)
def test_pdf_to_text_refuses_bad_files(data, message):
    with pytest.raises(ParseError, match=message):
        pdf_to_text(data)


def test_pdf_to_text_refuses_password_protected_files():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Secret")
    pdf.set_encryption(owner_password="owner", user_password="user")
    with pytest.raises(ParseError, match="password"):
        pdf_to_text(bytes(pdf.output()))


def test_pdf_to_text_refuses_pdf_without_text():
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    with pytest.raises(ParseError, match="no text layer"):
        pdf_to_text(bytes(pdf.output()))
