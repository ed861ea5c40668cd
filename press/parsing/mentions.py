"""Recognise who and which congress edition a communiqué talks about.

The results feed suggestions in the admin ("link this communiqué to the 2024 Assises and to
these speakers?"), so the rules favour precision: a person is only reported when written in bold
or introduced by a function ("ministre", "ancien maire"…), and functions are cut short rather
than swallowing the rest of the sentence.
"""

from __future__ import annotations

import re
from datetime import date

from cms.frenchtext import (
    MONTH_PATTERN,
    WEEKDAY_PATTERN,
    looks_like_name,
    month_number,
    normalise_name,
    parse_ordinal,
    strip_accents,
)

from .blocks import Block, FlatText
from .results import ParsedEditionMention, ParsedPerson

_CAP = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿA-ZÀ-ÖØ-Þ'’-]*"
_NAME_RE = re.compile(rf"\b{_CAP}(?:\s+(?:(?:de|du|d['’]|le|la|van|von)\s*)?{_CAP}){{1,3}}")
_TITLES = (
    r"(?:premi(?:er|ère)\s+)?ministre(?:\s+délégu[ée]e?)?|président(?:e)?|vice-président(?:e)?"
    r"|maire|député(?:e)?|sénat(?:eur|rice)|secrétaire\s+d['’]état|préf[eè]te?|commissaire"
    r"|journaliste|économiste|sociologue|philosophe|géographe|historien(?:ne)?|essayiste"
)
_PREFIX_RE = re.compile(
    rf"(?:^|[\s(,])(?:l['’]|le\s+|la\s+)?(?P<function>(?:(?:ancien|ancienne|nouveau|nouvelle)\s+)?"
    rf"(?:{_TITLES}))\s*$",
    re.IGNORECASE,
)
# First words an apposition may start with when the name is not in bold.
_FUNCTION_WORDS = {
    "ancien", "ancienne", "ministre", "premier", "premiere", "president", "presidente",
    "vice-president", "vice-presidente", "maire", "depute", "deputee", "senateur", "senatrice",
    "secretaire", "directeur", "directrice", "delegue", "deleguee", "conseiller", "conseillere",
    "prefet", "prefete", "adjoint", "adjointe", "journaliste", "economiste", "sociologue",
    "chercheur", "chercheuse", "professeur", "professeure", "fondateur", "fondatrice",
    "porte-parole", "commissaire", "haut-commissaire", "responsable", "membre", "co-president",
}  # fmt: skip
# Words that show a comma after a name opens a clause rather than a function.
_NOT_FUNCTION = {
    "est", "sont", "a", "ont", "sera", "seront", "etait", "qui", "que", "dont", "et", "ou",
    "mais", "le", "la", "les", "l", "un", "une", "des", "de", "du", "au", "aux", "en", "il",
    "elle", "ils", "elles", "avait", "ce", "cet", "cette", "sans", "avec", "pour",
}  # fmt: skip
_DATE_TAIL_RE = re.compile(
    rf"\s+(?:(?:le|les|du|ce|dès le)\s+)?(?:{WEEKDAY_PATTERN}\s+)?\d{{1,2}}(?:er)?\s+"
    rf"{MONTH_PATTERN}.*$",
    re.IGNORECASE,
)
_EVENT_RE = re.compile(
    r"\b(?:assises|congr[èe]s|rencontres|journ[ée]es|universit[ée]|colloque|sommet|forum)\b",
    re.IGNORECASE,
)
_DAY = r"(?P<{0}>[0-3]?\d)(?:er)?"
_RANGE_RES = (
    re.compile(
        rf"\bdu\s+(?:{WEEKDAY_PATTERN}\s+)?{_DAY.format('d1')}(?:\s+(?P<m1>{MONTH_PATTERN}))?"
        rf"(?:\s+(?P<y1>(?:19|20)\d\d))?\s+au\s+(?:{WEEKDAY_PATTERN}\s+)?{_DAY.format('d2')}"
        rf"\s+(?P<m2>{MONTH_PATTERN})(?:\s+(?P<y2>(?:19|20)\d\d))?",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:les?\s+)?(?:{WEEKDAY_PATTERN}\s+)?{_DAY.format('d1')}\s+(?:et|&|-|–)\s+"
        rf"(?:{WEEKDAY_PATTERN}\s+)?{_DAY.format('d2')}\s+(?P<m2>{MONTH_PATTERN})"
        rf"(?:\s+(?P<y2>(?:19|20)\d\d))?",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\ble\s+(?:{WEEKDAY_PATTERN}\s+)?{_DAY.format('d2')}\s+(?P<m2>{MONTH_PATTERN})"
        rf"(?:\s+(?P<y2>(?:19|20)\d\d))?",
        re.IGNORECASE,
    ),
)
_ORDINAL_RE = re.compile(
    r"\b(?P<ordinal>(?:\d{1,3}|[IVXLC]{1,8})\s*(?:e|è|ème|eme|ième|ieme|er|ère|ere)s?)\s+"
    r"(?i:(?:édition\s+des\s+)?(?:assises|congr[èe]s|rencontres|journ[ée]es|édition))\b"
)
_TOWN_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[\w'’]+)*"
_TOWN_RE = re.compile(
    rf"\bà\s+(?P<town>(?:(?:Le|La|Les)\s+)?{_TOWN_WORD}(?:\s+(?:sur|sous|en|lès)\s+{_TOWN_WORD})?)"
)
_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def _sentence_at(text: str, position: int) -> str:
    for match in _SENTENCE_RE.finditer(text):
        if match.start() <= position < match.end():
            return match.group().strip()
    return ""


def _clean_function(text: str) -> str:
    text = _DATE_TAIL_RE.sub("", text.strip())
    text = re.sub(r"\s+(?:et|ou)$", "", text.strip())
    return text.strip(" ,;:.–-")


def _apposition(text: str, *, bold: bool) -> str:
    """The function in ", maire de Barentin, …" right after a name, if it reads like one."""
    match = re.match(r"\s*,\s*(?P<function>[^,;.\n()]+)", text)
    if not match:
        return ""
    function = match.group("function").strip()
    first = re.split(r"[\s'’]", strip_accents(function).casefold(), maxsplit=1)[0]
    if not first or first in _NOT_FUNCTION:
        return ""
    if first in _FUNCTION_WORDS or (bold and function[0].islower()):
        return _clean_function(function)
    return ""


def _prefix_function(text: str, start: int) -> str:
    match = _PREFIX_RE.search(text[max(0, start - 80) : start])
    return _clean_function(match.group("function")) if match else ""


def _candidates(flat: FlatText) -> list[tuple[int, int, bool]]:
    """(start, end, is_bold) of every name-like span: bold ones first-class, others by regex."""
    found = []
    for start, end in flat.bold:
        raw = flat.text[start:end]
        name = raw.strip().rstrip(".,;:")
        if looks_like_name(name):
            offset = start + len(raw) - len(raw.lstrip())
            found.append((offset, offset + len(name), True))
    for match in _NAME_RE.finditer(flat.text):
        inside_bold = any(start <= match.start() < end for start, end in flat.bold)
        if not inside_bold and looks_like_name(match.group()):
            found.append((match.start(), match.end(), False))
    return sorted(found)


def find_people(blocks: list[Block]) -> list[ParsedPerson]:
    """People named in bold or next to a function, de-duplicated by normalised name."""
    people: dict[str, ParsedPerson] = {}
    for block in blocks:
        flat = block.flat()
        candidates = _candidates(flat)
        for index, (start, end, bold) in enumerate(candidates):
            # The apposition may not run into the next person's name.
            stop = candidates[index + 1][0] if index + 1 < len(candidates) else len(flat.text)
            function = _apposition(flat.text[end:stop], bold=bold)
            function = function or _prefix_function(flat.text, start)
            if not (bold or function):
                continue
            name = flat.text[start:end]
            if (known := people.get(normalise_name(name))) is not None:
                known.function = known.function or function
                continue
            context = _sentence_at(flat.text, start)
            people[normalise_name(name)] = ParsedPerson(name, function, context)
    return list(people.values())


def _edition_dates(match: re.Match[str], reference: date) -> tuple[date, date] | None:
    groups = match.groupdict()
    end_month = month_number(groups["m2"]) or reference.month
    start_month = month_number(groups.get("m1") or "") or end_month
    end_year = int(groups["y2"]) if groups.get("y2") else None
    if end_year is None:
        end_year = reference.year + (1 if end_month < reference.month else 0)
    start_year = int(groups["y1"]) if groups.get("y1") else end_year
    start_year -= 1 if start_month > end_month and not groups.get("y1") else 0
    try:
        end = date(end_year, end_month, int(groups["d2"]))
        start = date(start_year, start_month, int(groups.get("d1") or groups["d2"]))
    except ValueError:
        return None
    return (start, end) if start <= end else None


def _nearest_town(sentence: str, position: int) -> str | None:
    towns = list(_TOWN_RE.finditer(sentence))
    if not towns:
        return None
    return min(towns, key=lambda m: abs(m.start() - position)).group("town")


def find_edition(texts: list[str], reference: date) -> ParsedEditionMention | None:
    """The congress edition announced: first sentence naming an event with a date range.

    Years missing from the text are inferred from the dateline (``reference``): a month earlier
    than the dateline's is next year, since communiqués announce upcoming congresses.
    """
    sentences = [s.group().strip() for text in texts for s in _SENTENCE_RE.finditer(text)]
    events = [sentence for sentence in sentences if _EVENT_RE.search(sentence)]
    number = next(
        (parse_ordinal(m.group("ordinal")) for s in sentences if (m := _ORDINAL_RE.search(s))),
        None,
    )
    for pattern in _RANGE_RES:
        for sentence in events:
            for match in pattern.finditer(sentence):
                if dates := _edition_dates(match, reference):
                    town = _nearest_town(sentence, match.start()) or next(
                        filter(None, (_nearest_town(s, 0) for s in events)), None
                    )
                    return ParsedEditionMention(town, dates[0], dates[1], number, sentence)
    if number is not None:
        text = next(s for s in sentences if _ORDINAL_RE.search(s))
        return ParsedEditionMention(_nearest_town(text, 0), None, None, number, text)
    return None
