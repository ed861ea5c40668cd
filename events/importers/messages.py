"""Outcomes and messages shared by importers: the parsers speak English, editors read French.

The pure parsers (`events.parsing`, `press.parsing`) raise plain English messages so that they
stay free of Django; `localise_message` maps them to translatable message ids here.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy

from cms.importing.pdf import PDF_MESSAGE_RULES

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
STATUS_LABELS = {
    CREATED: gettext_lazy("created"),
    UPDATED: gettext_lazy("updated"),
    UNCHANGED: gettext_lazy("unchanged"),
    FAILED: gettext_lazy("failed"),
}

# English parser messages (events.parsing, press.parsing) and their translatable forms; the
# groups fill the placeholders. Parsers stay free of Django, so translation happens here.
_MESSAGE_RULES = [
    (r"^Line (?P<line>\d+), column '(?P<column>\w+)': (?P<detail>.*?)\.?$",
     gettext_lazy("Line %(line)s, column “%(column)s”: %(detail)s.")),
    (r"^'(?P<value>.*)' is not a date \(.*\)$",
     gettext_lazy("“%(value)s” is not a date (YYYY-MM-DD or DD/MM/YYYY)")),
    (r"^'(?P<value>.*)' is not a time \(.*\)$",
     gettext_lazy("“%(value)s” is not a time (HH:MM or 09h45)")),
    (r"^'(?P<value>.*)': expected 'Name \(role\) : function', role in (?P<roles>.*)$",
     gettext_lazy("“%(value)s”: expected “Name (role) : function”, role in %(roles)s")),
    (r"^'(?P<value>.*)' is not one of (?P<kinds>.*)$",
     gettext_lazy("“%(value)s” is not one of %(kinds)s")),
    (r"^the title is empty$", gettext_lazy("the title is empty")),
    (r"^the session ends before it starts$", gettext_lazy("the session ends before it starts")),
    (r"^Line (?P<line>\d+): missing column\(s\) (?P<columns>.*)\.$",
     gettext_lazy("Line %(line)s: missing column(s) %(columns)s.")),
    (r"^Line (?P<line>\d+): (?:malformed CSV|unreadable CSV header) \((?P<detail>.*)\)\.$",
     gettext_lazy("Line %(line)s: malformed CSV (%(detail)s).")),
    (r"^Line (?P<line>\d+): more fields than columns\.$",
     gettext_lazy("Line %(line)s: more fields than columns.")),
    (r"^Line (?P<line>\d+): day heading (?P<text>.*) has no month and none was given\.$",
     gettext_lazy("Line %(line)s: the day heading %(text)s has no month.")),
    (r"^Line (?P<line>\d+): (?P<text>.*) is not a valid date\.$",
     gettext_lazy("Line %(line)s: %(text)s is not a valid date.")),
    (r"^Line (?P<line>\d+): session (?P<text>.*) comes before any day heading\.$",
     gettext_lazy("Line %(line)s: the session %(text)s comes before any day heading.")),
    (r"^Line (?P<line>\d+): (?P<text>.*) does not match the calendar \((?P<date>[\d-]+) is a "
     r"(?P<weekday>\w+)\); check the year\.$",
     gettext_lazy("Line %(line)s: %(text)s does not match the calendar (%(date)s is a "
                  "%(weekday)s); check the year.")),
    (r"^Line (?P<line>\d+) ignored: (?P<text>.*)\.$",
     gettext_lazy("Line %(line)s ignored: %(text)s.")),
    (r"^No session was found",
     gettext_lazy("No session was found (no line starts with a time such as 9h30).")),
    (r"^Line (?P<line>\d+): day heading (?P<text>.*) gives no date\.$",
     gettext_lazy("Line %(line)s: the day heading %(text)s gives no date.")),
    (r"^Line (?P<line>\d+): a time without a title was ignored\.$",
     gettext_lazy("Line %(line)s: a time without a title was ignored.")),
    (r"^no day heading: the edition's only day was used$",
     gettext_lazy("no day heading: the edition's only day was used")),
    (r"^starts at (?P<time>[\d:]+): check the time$",
     gettext_lazy("starts at %(time)s: check the time")),
    (r"^Ignored column\(s\): (?P<columns>.*)\.$",
     gettext_lazy("Ignored column(s): %(columns)s.")),
    *PDF_MESSAGE_RULES,
]  # fmt: skip
_COMPILED_RULES = [(re.compile(pattern), msgid) for pattern, msgid in _MESSAGE_RULES]


def localise_message(message: str, rules: list | None = None) -> str:
    """Translate an English parser message by pattern; unknown messages are returned as they are.

    Placeholders are localised recursively, so "Line 3, column 'date': '…' is not a date" is
    French from end to end. ``rules`` lets another importer add its own (compiled) patterns.
    """
    for pattern, msgid in [*(rules or []), *_COMPILED_RULES]:
        if match := pattern.match(message):
            values = {k: localise_message(v, rules) for k, v in match.groupdict().items()}
            return str(msgid) % values
    return message


class ImportFailure(Exception):
    """A file that cannot be imported; the message is translated and names no file."""
