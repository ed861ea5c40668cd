"""Pure parsing of press releases ("communiqués"): bytes in, plain dataclasses out.

No database access happens here, so the importer's dry run, the admin upload view and the tests
all share the exact same recognition rules. Writing to Wagtail is the importer's job.
"""

from cms.frenchtext import ParseError

from .communique import parse_communique
from .document import ParsedDocument, parse_document
from .results import (
    ParsedCommunique,
    ParsedContact,
    ParsedEditionMention,
    ParsedPerson,
    ParsedPhone,
    ReviewItem,
)
from .sources import MAX_FILE_BYTES, decode_bytes, extract_text, fingerprint

__all__ = [
    "MAX_FILE_BYTES",
    "ParseError",
    "ParsedCommunique",
    "ParsedContact",
    "ParsedDocument",
    "ParsedEditionMention",
    "ParsedPerson",
    "ParsedPhone",
    "ReviewItem",
    "decode_bytes",
    "extract_text",
    "fingerprint",
    "parse_communique",
    "parse_document",
]
