"""Helpers for reading French prose written by people, not machines.

Press releases and congress programmes spell dates, times and names in many ways ("le 1er juillet",
"JEUDI 13 NOVEMBRE", "09H45-11H45", "14 heures", "Jean-Louis BORLOO"). The importers of several
apps share these helpers so that every app reads them the same way. Nothing here touches Django:
the functions are pure and cheap to test.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time

__all__ = [
    "MONTH_PATTERN",
    "WEEKDAY_PATTERN",
    "DateMatch",
    "ParseError",
    "TimeRange",
    "de",
    "looks_like_name",
    "match_leading_time_range",
    "month_number",
    "normalise_name",
    "normalise_text",
    "parse_french_date",
    "parse_ordinal",
    "parse_time",
    "search_french_date",
    "strip_accents",
    "strip_honorific",
]


class ParseError(ValueError):
    """Raised when an imported document cannot be read at all.

    A subclass of ValueError so callers that only care about "bad input" can catch either; the
    message is meant to be shown to the person who uploaded the file.
    """


def strip_accents(text: str) -> str:
    """Remove diacritics, because editors type "fevrier" and "février" interchangeably."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}

# Regex fragments (use with re.IGNORECASE). Accented letters are spelled out so that spans found
# in the original text stay valid; longest names come first so "juillet" wins over "juil".
MONTH_PATTERN = (
    r"(?:janvier|janv\.?|f[ée]vrier|f[ée]vr\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?"
    r"|ao[ûu]t|septembre|sept\.?|octobre|oct\.?|novembre|nov\.?|d[ée]cembre|d[ée]c\.?)"
)
WEEKDAY_PATTERN = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"

_DATE_RE = re.compile(
    rf"(?:\b(?P<weekday>{WEEKDAY_PATTERN})\s+)?\b(?P<day>[0-3]?\d)(?:er|e)?\s+"
    rf"(?P<month>{MONTH_PATTERN})(?![\w])(?:\s+(?P<year>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
_NUMERIC_DATE_RE = re.compile(
    r"\b(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>(?:19|20)\d\d)\b"
)


def month_number(name: str) -> int | None:
    """Return 1-12 for a French month name or abbreviation, with or without accents."""
    return _MONTHS.get(strip_accents(name).casefold().rstrip("."))


@dataclass(frozen=True)
class DateMatch:
    """A date found inside a longer text, with its position so callers can cut around it."""

    value: date
    start: int
    end: int
    has_year: bool


def search_french_date(
    text: str, *, default_year: int | None = None, require_year: bool = False
) -> DateMatch | None:
    """Find the first valid French date in ``text``.

    Dates without a year take ``default_year``; when there is none they are skipped, since a
    guessed year would silently misfile a document. Impossible dates ("31 février") are skipped.
    """
    candidates = [(m, m.group("month")) for m in _DATE_RE.finditer(text)]
    candidates += [(m, None) for m in _NUMERIC_DATE_RE.finditer(text)]
    for match, month_name in sorted(candidates, key=lambda item: item[0].start()):
        month = month_number(month_name) if month_name else int(match.group("month"))
        year_text = match.group("year")
        if require_year and not year_text:
            continue
        year = int(year_text) if year_text else default_year
        if year is None or month is None:
            continue
        try:
            value = date(year, month, int(match.group("day")))
        except ValueError:
            continue
        return DateMatch(value, match.start(), match.end(), bool(year_text))
    return None


def parse_french_date(text: str, *, default_year: int | None = None) -> date | None:
    """Parse "Paris, le 7 février 2013", "Jeudi 13 novembre", "1er juillet" into a date."""
    found = search_french_date(text, default_year=default_year)
    return found.value if found else None


# "09h45", "9h", "09H45", "14 heures", "14 heures 30", "14h00", "9:30".
TIME_PATTERN = r"(?:[01]?\d|2[0-3])\s*(?:h(?:eures?)?|:)\s*(?:[0-5]\d)?(?![\d])"
_TIME_RE = re.compile(
    r"(?P<hour>[01]?\d|2[0-3])\s*(?:h(?:eures?)?|:)\s*(?P<minute>[0-5]\d)?(?!\d)", re.IGNORECASE
)
_RANGE_SEPARATOR = r"\s*(?:-|–|—|à|a)\s*"
_LEADING_RANGE_RE = re.compile(
    rf"^\s*(?:de\s+)?(?P<start>{TIME_PATTERN})(?:{_RANGE_SEPARATOR}(?P<end>{TIME_PATTERN}))?",
    re.IGNORECASE,
)


def parse_time(text: str) -> time | None:
    """Parse one French clock time; returns None when ``text`` is not exactly a time."""
    match = _TIME_RE.fullmatch(text.strip())
    if not match:
        return None
    return time(int(match.group("hour")), int(match.group("minute") or 0))


@dataclass(frozen=True)
class TimeRange:
    """A time or time range at the start of a programme line, and the text after it."""

    start: time
    end: time | None
    rest: str


def match_leading_time_range(line: str) -> TimeRange | None:
    """Read "09h45 – 10h25 Plateau 1", "09H45-11H45 …", "14 heures : …" or "de 9h à 10h …".

    The end is None when only a start time is written: the caller decides what that means.
    """
    match = _LEADING_RANGE_RE.match(line)
    if not match:
        return None
    start = parse_time(match.group("start"))
    end = parse_time(match.group("end")) if match.group("end") else None
    if start is None:
        return None
    rest = line[match.end() :].strip().lstrip(":-–—•·|").strip()
    return TimeRange(start, end, rest)


_HONORIFIC_RE = re.compile(
    r"^(?:(?:monsieur|madame|mademoiselle|messieurs|mesdames|mme|mlle|mr|m|dr|pr|me)\.?\s+)+",
    re.IGNORECASE,
)


def strip_honorific(name: str) -> str:
    """Drop leading "M.", "Mme", "Monsieur", "Dr"… so a person is filed under their name."""
    return _HONORIFIC_RE.sub("", name.strip()).strip()


_NAME_PARTICLES = {"de", "du", "d'", "d’", "le", "la", "van", "von", "der", "di", "da", "ben", "el"}
# Capitalised words that start sentences, never a first name.
_SENTENCE_STARTS = {
    "le", "la", "les", "l'", "un", "une", "ce", "cette", "ces", "nos", "notre", "votre", "leur",
    "son", "sa", "ses", "en", "au", "aux", "pour", "par", "avec", "dans", "sur", "et", "des",
}  # fmt: skip
# Words of titles and programme labels, never part of a name.
_TITLE_WORDS = {
    "monsieur", "madame", "premier", "premiere", "president", "presidente", "ministre", "maire",
    "depute", "deputee", "senateur", "senatrice", "prefet", "prefete", "association", "assises",
    "congres", "contact", "contacts", "salle", "table", "plateau", "atelier", "pause",
    "vice-president", "vice-presidente", "secretaire", "directeur", "directrice", "delegue",
    "deleguee", "conseiller", "conseillere", "ancien", "ancienne",
}  # fmt: skip
_NAME_TOKEN_RE = re.compile(r"^(?:[dDlL]['’])?[A-ZÀ-ÖØ-Þ][\w'’.-]*$")


def looks_like_name(text: str) -> bool:
    """Cheap test for "Jean-Louis Borloo", "Marie COULET", "Valéry Giscard d'Estaing".

    Used to tell people from organisations and sentence starts in prose; deliberately
    conservative (two to five capitalised words, no digits) since a missed name is cheaper
    than a place or a slogan filed as a speaker.
    """
    text = strip_honorific(text)
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or len(text) > 60 or any(c.isdigit() for c in text):
        return False
    words = [strip_accents(token).casefold() for token in tokens]
    if words[0] in _SENTENCE_STARTS or words[-1] in _NAME_PARTICLES:
        return False
    if any(word in _TITLE_WORDS for word in words):
        return False
    return all(
        word in _NAME_PARTICLES or _NAME_TOKEN_RE.match(token)
        for word, token in zip(words, tokens, strict=True)
    )


def normalise_text(text: str) -> str:
    """Reduce text to lowercase unaccented words, for fuzzy comparisons insensitive to typing."""
    text = strip_accents(text).casefold()
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def normalise_name(name: str) -> str:
    """Key for matching people across documents: "Jean-Louis BORLOO" == "M. jean louis Borloo"."""
    text = strip_accents(name).replace("’", " ").replace("'", " ").replace("-", " ")
    text = strip_honorific(" ".join(text.split()))
    return normalise_text(text)


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ORDINAL_RE = re.compile(
    r"^(?P<number>\d{1,3}|[IVXLC]{1,8})\s*(?:e|è|ème|eme|ième|ieme|er|ère|ere)s?$", re.IGNORECASE
)


def parse_ordinal(token: str) -> int | None:
    """Read French ordinals such as "22èmes", "22e", "1ère" or "XXIIe" as an integer."""
    match = _ORDINAL_RE.match(token.strip())
    if not match:
        return None
    number = match.group("number")
    if number.isdigit():
        return int(number)
    if not number.isupper():
        return None
    total = 0
    for current, following in zip(number, number[1:] + " ", strict=True):
        value = _ROMAN_VALUES[current]
        total += -value if _ROMAN_VALUES.get(following, 0) > value else value
    return total


# Words and names whose initial h is aspirated: « de Honfleur » is wrong, « de Hollande » right.
# Most place and given names take the elision (« d'Hyères », « d'Hélène »); these do not.
_ASPIRATED_H = (
    "hache",
    "hagu",  # Haguenau
    "haie",
    "hall",
    "ham",  # hameau, Hamel
    "hand",
    "hasard",
    "haut",  # Haute-Savoie, Hauts-de-France
    "havre",
    "hénin",
    "héros",
    "hollande",
    "hong",
    "hongrie",
    "honte",
    "hotte",
    "houd",  # Houdan
    "huit",
)
_VOWELS = "aeiouàâäéèêëîïôöùûüœæ"


def de(word: str) -> str:
    """« de » before `word`, elided as French requires: « d'Amboise », « d'Uzès », « de Paris ».

    Elided before a vowel, a mute h (« d'Hyères ») and a y sounding as a vowel (« d'Yvetot »),
    not before an aspirated h (« de Haguenau », `_ASPIRATED_H`) nor a y sounding as a consonant
    (« de Yaoundé »). Alt texts and captions built from names use it.
    """
    word = word.strip()
    if not word:
        return "de"
    lower = word.lower()
    first = lower[0]
    elide = first in _VOWELS
    if first == "h":
        elide = not lower.startswith(_ASPIRATED_H)
    elif first == "y":
        elide = len(lower) > 1 and lower[1] not in _VOWELS
    return f"d'{word}" if elide else f"de {word}"
