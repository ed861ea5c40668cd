"""Import limits: bombs, huge files and runaway contact blocks are refused fast, nothing written."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from cms.importing.limits import ImportLimitExceeded, check_zip
from events.importers import ImportFailure
from events.importers.programme import decode_programme
from press.importers import import_communique
from press.models import PressContact
from press.parsing import extract_text, parse_communique
from press.parsing.contacts import MAX_CONTACTS, parse_contact_lines
from tests.import_helpers import counts

MIB = 1024 * 1024
HEAD = "Paris, 3 avril 2024\n\n# Les petites villes réunies\n\nLe texte.\n\n"


def real_docx() -> bytes:
    document = Document()
    document.add_paragraph("Paris, le 12 mars 2024")
    document.add_heading("Les maires ruraux au Salon", level=1)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def deflated_zeros(size: int) -> bytes:
    """``size`` zero bytes, deflated without holding them in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = bytes(MIB)
    parts = [compressor.compress(chunk) for _ in range(size // MIB)]
    return b"".join([*parts, compressor.flush()])


def bomb_docx(real_size: int, declared_size: int | None = None) -> bytes:
    """A real .docx plus ``word/media/bomb.xml``: ``real_size`` zeros, maybe declared smaller.

    The member is appended by hand (local header, data, directory entry) so that its declared
    size can lie, as a crafted file's would.
    """
    body = real_docx()
    end = body.rfind(b"PK\x05\x06")
    count, directory_size, directory_offset = struct.unpack_from("<HII", body, end + 10)
    directory = body[directory_offset : directory_offset + directory_size]
    payload = deflated_zeros(real_size)
    crc = 0
    for _ in range(real_size // MIB):
        crc = zlib.crc32(bytes(MIB), crc)
    declared = real_size if declared_size is None else declared_size
    name = b"word/media/bomb.xml"
    sizes = (crc, len(payload), declared, len(name))
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, *sizes, 0)
    entry = struct.pack(
        "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0,
        directory_offset,
    )  # fmt: skip
    new_directory = directory + entry + name
    new_offset = directory_offset + len(local) + len(name) + len(payload)
    record = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, count + 1, count + 1, len(new_directory), new_offset, 0
    )
    return body[:directory_offset] + local + name + payload + new_directory + record


def test_check_zip_accepts_a_real_docx():
    check_zip(real_docx())


def test_check_zip_refuses_a_highly_compressible_member_fast():
    data = bomb_docx(40 * MIB)  # 40 MB of zeros in about 40 KB
    assert len(data) < 100_000
    started = time.process_time()  # CPU time: other processes do not count
    with pytest.raises(ImportLimitExceeded, match="IMPORT_MAX_RATIO"):
        check_zip(data)
    assert time.process_time() - started < 1


def test_check_zip_refuses_what_decompresses_past_the_total_limit_fast():
    data = bomb_docx(60 * MIB)
    started = time.process_time()
    with pytest.raises(ImportLimitExceeded, match="IMPORT_MAX_UNZIPPED_BYTES"):
        check_zip(data)
    assert time.process_time() - started < 1


def test_check_zip_refuses_a_member_lying_about_its_size_fast():
    data = bomb_docx(40 * MIB, declared_size=1000)  # the directory says 1 KB
    started = time.process_time()
    with pytest.raises(ImportLimitExceeded, match="1000"):
        check_zip(data)
    assert time.process_time() - started < 1


def test_check_zip_refuses_too_many_members(settings):
    settings.ASSISES = {**settings.ASSISES, "IMPORT_MAX_MEMBERS": 5}
    with pytest.raises(ImportLimitExceeded, match="IMPORT_MAX_MEMBERS"):
        check_zip(real_docx())


def test_extract_text_docx_bomb_never_reaches_the_converter():
    with pytest.raises(ImportLimitExceeded):
        extract_text(bomb_docx(40 * MIB, declared_size=1000), "bombe.docx")


def test_import_communiques_docx_bomb_fails_fast_writes_nothing(press_room, tmp_path):
    path = tmp_path / "bombe.docx"
    path.write_bytes(bomb_docx(60 * MIB))
    before = counts()
    err = io.StringIO()
    started = time.process_time()
    with pytest.raises(CommandError):  # manage.py exits with status 1
        call_command("import_communiques", str(path), stdout=io.StringIO(), stderr=err)
    assert time.process_time() - started < 1
    assert "IMPORT_MAX_UNZIPPED_BYTES" in err.getvalue()
    assert "bombe.docx" in err.getvalue()
    assert counts() == before


def test_import_communiques_huge_file_is_refused_before_reading(press_room, tmp_path):
    path = tmp_path / "enorme.txt"
    with path.open("wb") as file:
        file.truncate(2 * 1024**3)  # 2 GiB, sparse: reading it would take the machine down
    before = counts()
    err = io.StringIO()
    started = time.process_time()
    with pytest.raises(CommandError):
        call_command("import_communiques", str(path), stdout=io.StringIO(), stderr=err)
    assert time.process_time() - started < 1
    assert "IMPORT_MAX_FILE_BYTES" in err.getvalue()
    assert counts() == before


def test_import_communique_large_text_is_refused_cheaply(press_room):
    data = b"Paris, 3 avril 2024\n" + "é".encode() * (25 * MIB)  # 50 MB of text
    before = counts()
    started = time.process_time()
    result = import_communique(data, "enorme.txt", parent=press_room)
    assert time.process_time() - started < 1
    assert result.status == "failed"
    assert "IMPORT_MAX_FILE_BYTES" in result.reason
    assert counts() == before


def test_import_limits_follow_the_settings(press_room, settings):
    settings.ASSISES = {**settings.ASSISES, "IMPORT_MAX_FILE_BYTES": 100}
    result = import_communique(HEAD.encode() * 10, "long.md", parent=press_room)
    assert result.status == "failed"
    assert "100" in result.reason  # the limit as configured


def test_import_admin_upload_over_the_limit_names_it(admin_client, press_room, settings):
    settings.ASSISES = {**settings.ASSISES, "IMPORT_MAX_FILE_BYTES": 1000}
    file = SimpleUploadedFile("long.md", HEAD.encode() * 100)
    response = admin_client.post("/admin/press/import/", {"parent": press_room.pk, "file": file})
    assert response.status_code == 200
    assert "IMPORT_MAX_FILE_BYTES" in response.content.decode()


def test_import_admin_docx_bomb_is_refused(admin_client, press_room):
    before = counts()
    file = SimpleUploadedFile("bombe.docx", bomb_docx(40 * MIB, declared_size=1000))
    started = time.process_time()
    response = admin_client.post("/admin/press/import/", {"parent": press_room.pk, "file": file})
    assert time.process_time() - started < 2
    assert response.status_code == 200
    assert "1000" in response.content.decode()
    assert counts() == before


def test_decode_programme_large_file_is_refused_cheaply():
    started = time.process_time()
    with pytest.raises(ImportFailure, match="IMPORT_MAX_FILE_BYTES"):
        decode_programme(b"09h00 Accueil\n" * (4 * MIB))
    assert time.process_time() - started < 0.5


def test_import_programme_huge_file_exits_non_zero(amboise, tmp_path):
    path = tmp_path / "programme.txt"
    with path.open("wb") as file:
        file.truncate(2 * 1024**3)
    with pytest.raises(CommandError, match="IMPORT_MAX_FILE_BYTES"):
        call_command("import_programme", str(amboise.pk), str(path), stdout=io.StringIO())


def test_contact_block_four_megabyte_line_is_read_in_well_under_a_second():
    for line in ("a" * 4 * MIB, ("b" * 1000 + "@") * 4000, "0" * 4 * MIB):
        warnings: list[str] = []
        started = time.process_time()
        assert parse_contact_lines([[line]], warnings) == []
        assert time.process_time() - started < 0.5  # minutes before
        assert warnings == [
            "1 lines of the contact block were ignored: longer than 500 characters."
        ]


def test_parse_communique_four_megabyte_contact_line_ends():
    started = time.process_time()
    parsed = parse_communique(f"{HEAD}Contact presse :\n{'a' * 4 * MIB}\n", "text")
    assert time.process_time() - started < 5  # the rest of the parser is linear too
    assert parsed.contacts == []


def test_email_pattern_is_linear_on_long_words():
    from press.parsing.contacts import _EMAIL_RE

    started = time.process_time()
    assert _EMAIL_RE.findall("x" * 4 * MIB) == []
    assert time.process_time() - started < 1  # hours before
    assert _EMAIL_RE.findall("Mail : marie.coulet@apvf.asso.fr / j+x@a-b.fr") == [
        "marie.coulet@apvf.asso.fr",
        "j+x@a-b.fr",
    ]


def test_parse_communique_ten_thousand_contact_lines_are_capped_and_reported():
    lines = "".join(f"Marie Dupont{i}\nmarie{i}@exemple.fr\n" for i in range(5000))
    parsed = parse_communique(f"{HEAD}Contact presse :\n{lines}", "text")
    assert len(parsed.contacts) == MAX_CONTACTS
    assert any(f"first {MAX_CONTACTS} contacts" in w for w in parsed.warnings)


def test_import_communique_ten_thousand_contact_lines_create_few_contacts(press_room):
    lines = "".join(f"Marie Dupont{i}\nmarie{i}@exemple.fr\n" for i in range(5000))
    before = PressContact.objects.count()
    result = import_communique(
        f"{HEAD}Contact presse :\n{lines}".encode(), "x.md", parent=press_room
    )
    assert result.status == "created", result.reason
    assert PressContact.objects.count() - before == MAX_CONTACTS
    assert any(str(MAX_CONTACTS) in warning for warning in result.warnings)
