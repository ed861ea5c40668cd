"""Turn the parser's sanitised HTML into what Wagtail stores, and translate its messages.

Wagtail's rich text storage format is plain HTML with ``<b>``/``<i>`` and ``<a href>`` for
external links; headings become `heading` blocks so that the public outline stays editable as
such, and quotations become `quote` blocks.
"""

from __future__ import annotations

import re
import uuid
from difflib import SequenceMatcher
from html import escape

from bs4 import BeautifulSoup
from django.utils.translation import gettext_lazy

from cms.frenchtext import normalise_text

from ..parsing.blocks import html_to_blocks

# The organisation's paragraph, maybe re-typed: above this word-level similarity it is the same.
BOILERPLATE_SAME_RATIO = 0.9
BODY_NAMESPACE = uuid.UUID("3d0f7a4e-2b51-4c8e-8f6d-9e1a5c7b2d40")
_RENAMES = {"strong": "b", "em": "i"}

# Messages of press.parsing, matched in English and shown translated (see localise_message,
# which falls back on the programme importer's rules, the PDF reader's among them).
_RULES = [
    (r"^.*the file is larger than (?P<size>\d+) MB\.$",
     gettext_lazy("The file is larger than %(size)s MB.")),
    (r"^.*unsupported file type (?P<ext>\S+); use (?P<known>.+)\.$",
     gettext_lazy("Unsupported file type %(ext)s; use %(known)s.")),
    (r"^(?:.*: )?[Tt]he file is empty\.$", gettext_lazy("The file is empty.")),
    (r"^.*not a readable Word \(\.docx\) document\.$",
     gettext_lazy("This is not a readable Word (.docx) document.")),
    (r"^The file looks binary", gettext_lazy("The file looks binary, not text.")),
    (r"^The file's character encoding could not be recognised\.$",
     gettext_lazy("The file's character encoding could not be recognised.")),
    (r"^The document has no text\.$", gettext_lazy("The document has no text.")),
    (r"^Year (?P<year>\d+) of the publication date was taken from the title\.$",
     gettext_lazy("Year %(year)s of the publication date was taken from the title.")),
    (r"^Year (?P<year>\d+) of the publication date was taken from another date of the text\.$",
     gettext_lazy("Year %(year)s of the publication date was taken from another date of the "
                  "text.")),
    (r"^Year (?P<year>\d+) of the publication date was taken from the file name\.$",
     gettext_lazy("Year %(year)s of the publication date was taken from the file name.")),
    (r"^Year (?P<year>\d+) of the publication date was chosen to match its weekday\.$",
     gettext_lazy("Year %(year)s of the publication date was chosen to match its weekday.")),
    (r"^The weekday of the publication date does not match the date\.$",
     gettext_lazy("The weekday of the publication date does not match the date.")),
    (r"^The publication date has no year: (?P<year>\d+) was set\.$",
     gettext_lazy("The publication date has no year: %(year)s was set.")),
    (r"^No dateline was found: a date of the text was used",
     gettext_lazy("No dateline was found: a date of the text was used as the publication date.")),
    (r"^No date in the text: the publication date was taken from the file name\.$",
     gettext_lazy("No date in the text: the publication date was taken from the file name.")),
    (r"^No publication date was found",
     gettext_lazy("No publication date was found: today's date was set, correct it.")),
    (r"^The publication date (?P<date>\S+) is in the future\.$",
     gettext_lazy("The publication date %(date)s is in the future.")),
    (r"^The publication date (?P<date>\S+) is very old\.$",
     gettext_lazy("The publication date %(date)s is very old.")),
    (r"^Invisible or direction-changing characters were removed from the title\.$",
     gettext_lazy("Invisible or direction-changing characters were removed from the title.")),
    (r"^No dateline city was found\.$", gettext_lazy("No dateline city was found.")),
    (r"^No paragraph about the association was found at the end\.$",
     gettext_lazy("No paragraph about the association was found at the end.")),
    (r"^No lead paragraph was found\.$", gettext_lazy("No lead paragraph was found.")),
    (r"^This file is a listing of (?P<count>\d+) news items",
     gettext_lazy("This file is a listing of %(count)s news items, but not every item has its "
                  "own title and date: save each communiqué in its own file.")),
    (r"^No title was found after the dateline\.$",
     gettext_lazy("No title was found after the dateline.")),
    (r"^No 'Contact presse' block was found\.$",
     gettext_lazy("No “Contact presse” block was found.")),
    (r"^Contact (?P<name>.+) has neither phone nor e-mail\.$",
     gettext_lazy("Contact %(name)s has neither phone nor e-mail.")),
    (r"^Only the first (?P<count>\d+) contacts were read; (?P<lines>\d+) more lines were "
     r"ignored\.$",
     gettext_lazy("Only the first %(count)s contacts were read; %(lines)s more lines were "
                  "ignored.")),
    (r"^(?P<lines>\d+) lines of the contact block were ignored: longer than (?P<limit>\d+) "
     r"characters\.$",
     gettext_lazy("%(lines)s lines of the contact block were ignored: longer than %(limit)s "
                  "characters.")),
    (r"^A contact heading was found but no contact",
     gettext_lazy("A contact heading was found but no contact could be read under it.")),
    (r"^The reference boilerplate was not found",
     gettext_lazy("The organisation's paragraph was not found at the end of the text.")),
]  # fmt: skip
PRESS_RULES = [(re.compile(pattern), msgid) for pattern, msgid in _RULES]


def rich_text(fragment: str) -> str:
    """Sanitised HTML in Wagtail's rich text storage format (``<b>``, ``<i>``, ``<br/>``)."""
    soup = BeautifulSoup(fragment, "html.parser")
    for old, new in _RENAMES.items():
        for element in soup.find_all(old):
            element.name = new
    return str(soup)


def body_stream(body_html: str, key: str) -> list[dict]:
    """StreamField data for the body; block ids derive from ``key`` so re-imports are stable."""
    stream = []
    for index, block in enumerate(html_to_blocks(body_html)):
        if block.is_heading:
            text = " ".join(block.text.split())[:255]
            item = {"type": "heading", "value": {"text": text, "level": block.tag}}
        elif block.tag == "blockquote":
            item = {
                "type": "quote",
                "value": {"text": block.text, "author": "", "author_function": ""},
            }
        else:
            item = {"type": "paragraph", "value": rich_text(block.html)}
        item["id"] = str(uuid.uuid5(BODY_NAMESPACE, f"{key}:{index}"))
        stream.append(item)
    return stream


def plain_text(fragment: str) -> str:
    """Text of stored rich text, paragraphs separated by blank lines."""
    return BeautifulSoup(fragment or "", "html.parser").get_text("\n\n").strip()


def boilerplate_value(found: str, reference: str) -> tuple[str, str]:
    """The page's "about" field and its origin: "organisation", "custom" or "none".

    The organisation's own paragraph is left out so that later edits of it in the settings reach
    every communiqué; an older or different paragraph is kept on the page as written.
    """
    if not found.strip():
        return "", "none"
    words, wanted = normalise_text(found).split(), normalise_text(reference).split()
    if (
        wanted
        and SequenceMatcher(None, words, wanted, autojunk=False).ratio() >= BOILERPLATE_SAME_RATIO
    ):
        return "", "organisation"
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", found) if p.strip()]
    html = "".join(
        "<p>" + "<br/>".join(escape(line.strip()) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    return html, "custom"
