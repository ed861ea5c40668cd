"""Dates in communiqués: every way they are written, and which one is the publication date.

A communiqué carries one *publication* date — in its dateline (« Paris, le 13 juillet 2018 »,
« PARIS, 4 mars 2023 – … »), a label (« Publié le … », « Date : 2023-01-26 », « Communiqué du
… ») or a date alone on a line near the top — and often several *event* dates in its body
(« s'exprimera jeudi 19 septembre à 12h », « du 7 au 9 novembre 2018 », « avant le 17
septembre »). Event dates are never taken for the publication date.

When a date lacks its year, the year is inferred, in this order: the ``--year`` the user gave,
a year that makes the weekday right (« lundi 13 juillet » is 2020 among 2015 and 2020), the
title, the nearest dated line, the file name, any year in the text. An inferred year is
recorded for review unless the weekday or a full date in the file name confirms it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from cms.frenchtext import MONTH_PATTERN, WEEKDAY_PATTERN, month_number, strip_accents

_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
_LONG_RE = re.compile(
    rf"(?:\b(?P<weekday>{WEEKDAY_PATTERN}),?\s+)?\b(?P<day>[0-3]?\d)(?:er|ᵉʳ|e)?\s+"
    rf"(?P<month>{MONTH_PATTERN})(?![\w]),?(?:\s+(?P<year>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
_ISO_RE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_NUMERIC_RE = re.compile(
    rf"(?:\b(?P<weekday>{WEEKDAY_PATTERN})\s+)?\b(?P<day>[0-3]?\d)[/.\-](?P<month>[01]?\d)"
    r"[/.\-](?P<year>(?:19|20)\d\d|\d\d)\b(?![/.\-]\d)",
    re.IGNORECASE,
)
# Words just before a date that make it part of an event, a range or a deadline.
_EVENT_BEFORE_RE = re.compile(
    r"(?:\b(?:du|au|entre|et|jusqu['’]\s*au|à\s+partir\s+du|dès\s+le|avant\s+le|après\s+le|"
    r"d['’]ici\s+le|depuis\s+le|lors\s+du|prochain)\s+(?:[0-3]?\d(?:er)?\s+(?:au|et|-|–)\s+)?"
    r"|[0-3]?\d(?:er)?\s*(?:au|et|-|–)\s*)$",
    re.IGNORECASE,
)
_EVENT_AFTER_RE = re.compile(
    r"^\s*(?:,\s*)?(?:(?:à|a|de|dès|des|vers|entre)\s+)?\d{1,2}\s*(?:h|heures?\b|:\d\d)"
    r"|^\s*(?:au|et)\s+(?:\w+\s+)?[0-3]?\d",
    re.IGNORECASE,
)
_EVENT_VERBS_RE = re.compile(
    r"\b(?:aura\s+lieu|auront\s+lieu|se\s+tiendr\w*|se\s+d[ée]roul\w*|s['’]exprimer\w*|"
    r"interviendr\w*|pr[ée]senter\w*|rendez-vous|r[ée]unir\w*|accueiller\w*|ouvrir\w*|inscri\w*|"
    r"limite|cl[ôo]ture|invit\w*|convi\w*|organis\w*|lancer\w*|"
    r"seront?|sera|tenue|tenu|s['’]est\s+tenue?|ont\s+eu\s+lieu|a\s+eu\s+lieu|confirm\w*)\b",
    re.IGNORECASE,
)
_LABEL_RE = re.compile(
    r"(?:\b(?:publi[ée]e?|mis\s+en\s+ligne|diffus[ée]e?|dat[ée]e?)\s+(?:le\s+)?|"
    r"\bdate(?:\s+de\s+(?:publication|diffusion))?\s*:\s*|\bcommuniqu[ée](?:\s+de\s+presse)?"
    r"\s+du\s+)$",
    re.IGNORECASE,
)
_UPDATE_RE = re.compile(r"\b(?:mis\s+à\s+jour|modifi[ée]|actualis[ée])\s+le\s+$", re.IGNORECASE)
# What may stand before a dateline's date: « Communiqué de presse – », a place, « le ».
_LEAD_IN_RE = re.compile(
    r"^[\W_]*(?:(?P<intro>[^–—|:]{0,60}?)\s*[–—|:-]+\s*)??(?P<place>[^\W\d_][^\d,;:–—|]{0,45}?)?"
    r"\s*,?\s*(?:le\s+)?$",
    re.IGNORECASE,
)
_GLUE_RE = re.compile(r"^\s*[.,]?\s*(?:[–—|:-]+)\s*")
_GLUED_TAIL_MIN = 60
# « Mardi, 12 décembre, 2017 - 14:36 », « Publié le 3 mai 2022 à 10h30 »: when it was posted.
_PUBLICATION_TIME_RE = re.compile(
    r"^\s*(?:[-–—,]|à|a)?\s*\d{1,2}\s*(?:h|:)\s*\d{0,2}\s*$", re.IGNORECASE
)
_YEAR_RE = re.compile(r"\b(?:19[5-9]\d|20\d\d)\b")
_SENTENCE_START_RE = re.compile(r"[.!?;]\s")


@dataclass
class DateMention:
    """A date written in a line; ``year`` is None when the text has none."""

    line: int
    start: int
    end: int
    day: int
    month: int
    year: int | None
    weekday: int | None
    text: str

    def value(self, year: int) -> date | None:
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


@dataclass
class Publication:
    """The publication date found, or chosen, and how sure we are of it."""

    value: date
    mention: DateMention | None
    place: str
    tail: str  # text glued after the dateline (« PARIS, 4 mars 2023 – L'AMF… »)
    kind: str  # "dateline", "label", "standalone", "text", "filename", "none"
    year_source: str  # "text", "option", "weekday", "title", "nearby", "filename", "guess"
    flagged: bool
    reasons: list[str]


def _two_digit(year: str) -> int:
    value = int(year)
    if len(year) == 4:
        return value
    return 2000 + value if value <= (date.today().year % 100) + 1 else 1900 + value


def find_dates(line: str, index: int = 0) -> list[DateMention]:
    """Every date written in ``line``: French long form, numeric (13/07/2018, 13.07.18), ISO."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], month: int | None, year: int | None) -> None:
        if month is None or any(s < match.end() and match.start() < e for s, e in taken):
            return
        weekday = match.groupdict().get("weekday")
        mention = DateMention(
            index,
            match.start(),
            match.end(),
            int(match.group("day")),
            month,
            year,
            _WEEKDAYS.index(strip_accents(weekday).lower()) if weekday else None,
            match.group(),
        )
        if mention.value(year or 2000) is None:  # « 31 février »; 2000 is a leap year
            return
        taken.append((match.start(), match.end()))
        found.append(mention)

    for match in _ISO_RE.finditer(line):
        add(match, int(match.group("month")), int(match.group("year")))
    for match in _NUMERIC_RE.finditer(line):
        month = int(match.group("month"))
        add(match, month if 1 <= month <= 12 else None, _two_digit(match.group("year")))
    for match in _LONG_RE.finditer(line):
        year = match.group("year")
        add(match, month_number(match.group("month")), int(year) if year else None)
    return sorted(found, key=lambda mention: mention.start)


def is_event_date(line: str, mention: DateMention) -> bool:
    """A date that belongs to what the communiqué announces, not to the communiqué itself."""
    before = line[: mention.start]
    after = line[mention.end :]
    if _LABEL_RE.search(before) or _UPDATE_RE.search(before):
        return False
    if _EVENT_BEFORE_RE.search(before) or _EVENT_AFTER_RE.match(after):
        return True
    sentence = _SENTENCE_START_RE.split(before)[-1]
    clause = re.split(r"[–—|:.;]", after, maxsplit=1)[0]
    return bool(_EVENT_VERBS_RE.search(sentence) or _EVENT_VERBS_RE.search(clause[:60]))


@dataclass
class _Dateline:
    kind: str
    place: str
    tail: str


def classify(line: str, mention: DateMention) -> _Dateline | None:
    """How ``mention`` can be a publication date in ``line``: a dateline, a label, a date
    standing alone; None when it sits inside prose or is an event or update date."""
    before = line[: mention.start]
    after = line[mention.end :]
    if _UPDATE_RE.search(before):
        return None
    if _LABEL_RE.search(before):
        return _Dateline("label", "", _GLUE_RE.sub("", after, count=1).strip())
    lead_in = _LEAD_IN_RE.match(before)
    place = (lead_in.group("place") or "").strip(" ,*_") if lead_in else ""
    # « Paris, le 3 mai 2022 à 10h30 »: the time it was sent, judged without that time.
    timed = bool(place) and bool(_PUBLICATION_TIME_RE.match(after))
    if lead_in is None or is_event_date(line[: mention.end] if timed else line, mention):
        return None
    if place and (len(place.split()) > 5 or _EVENT_VERBS_RE.search(place)):
        return None
    if place.casefold() in {"le", "la", "communiqué de presse", "communiqué"}:
        place = ""
    rest = _PUBLICATION_TIME_RE.sub("", after).strip(" *_.,;")
    if not rest:
        return _Dateline("dateline" if place else "standalone", _place(place), "")
    glued = _GLUE_RE.match(after)
    tail = after[glued.end() :].strip() if glued else ""
    # « Jeudi 18 mars 2021 – Assemblée générale » is an agenda entry, not a dateline: a glued
    # dateline has its town, or a whole sentence after the dash.
    if glued and (place or len(tail) >= _GLUED_TAIL_MIN):
        return _Dateline("dateline", _place(place), tail)
    return None


def _place(text: str) -> str:
    """« PARIS » → « Paris »: capitals shouted in datelines are not the town's spelling."""
    text = re.sub(r"^(?:fait\s+)?(?:à|a)\s+", "", text.strip(" ,.*_"), flags=re.IGNORECASE)
    if re.search(r"\b(?:communiqu|presse|invitation|information)", text, re.IGNORECASE):
        return ""
    if text.isupper():
        text = "-".join(part.capitalize() for part in text.title().split("-"))
    return text


@dataclass
class YearHints:
    """Where a missing year may come from, strongest first."""

    option: int | None = None
    title: str = ""
    filename: str = ""


def _candidate_years(
    mention: DateMention, lines: list[str], hints: YearHints
) -> list[tuple[int, str]]:
    candidates: list[tuple[int, str]] = []
    if hints.option:
        candidates.append((hints.option, "option"))
    candidates += [(int(y), "title") for y in _YEAR_RE.findall(hints.title)]
    by_distance = []
    for index, line in enumerate(lines):
        for other in find_dates(line, index):
            if other.year is not None:
                by_distance.append((abs(index - mention.line), other.year))
    candidates += [(year, "nearby") for _distance, year in sorted(by_distance)]
    file_dates = find_dates(hints.filename)
    candidates += [(m.year, "filename") for m in file_dates if m.year is not None]
    candidates += [(int(y), "filename") for y in _YEAR_RE.findall(hints.filename)]
    for line in lines:
        candidates += [(int(y), "nearby") for y in _YEAR_RE.findall(line)]
    return candidates


def infer_year(
    mention: DateMention, lines: list[str], hints: YearHints
) -> tuple[int, str, bool] | None:
    """(year, source, confident) for a date written without its year."""
    candidates = _candidate_years(mention, lines, hints)
    if candidates and candidates[0][1] == "option":
        return candidates[0][0], "option", True
    for year, _source in candidates:
        value = mention.value(year) if mention.weekday is not None else None
        if value is not None and value.weekday() == mention.weekday:
            return year, "weekday", True
    for match in find_dates(hints.filename):
        if (match.day, match.month) == (mention.day, mention.month) and match.year:
            return match.year, "filename", True
    if mention.weekday is not None:
        around = candidates[0][0] if candidates else date.today().year
        for delta in (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6):
            value = mention.value(around + delta)
            if value is not None and value.weekday() == mention.weekday:
                return around + delta, "weekday-guess", False
    for year, source in candidates:
        if mention.value(year) is not None:
            return year, source, False
    return None


_YEAR_SOURCES = {
    "title": "Year {year} of the publication date was taken from the title.",
    "nearby": "Year {year} of the publication date was taken from another date of the text.",
    "filename": "Year {year} of the publication date was taken from the file name.",
    "weekday-guess": "Year {year} of the publication date was chosen to match its weekday.",
}


def _resolve(
    mention: DateMention, lines: list[str], hints: YearHints
) -> tuple[date | None, str, list[str]]:
    if mention.year is not None:
        return mention.value(mention.year), "text", []
    inferred = infer_year(mention, lines, hints)
    if inferred is None:
        year = date.today().year
        return mention.value(year), "guess", [f"The publication date has no year: {year} was set."]
    year, source, confident = inferred
    reasons = [] if confident else [_YEAR_SOURCES[source].format(year=year)]
    return mention.value(year), source, reasons


def find_publication(
    lines: list[str], hints: YearHints, *, first_part: int, today: date | None = None
) -> Publication:
    """The publication date of a communiqué whose text is ``lines``.

    Only the first ``first_part`` lines are searched for a dateline, a label or a date alone
    on its line; then any date of those lines that is not an event date (flagged); then a full
    date in the file name (flagged); else today's date, flagged.
    """
    today = today or date.today()
    fallback: tuple[DateMention, str] | None = None
    for index, line in enumerate(lines[:first_part]):
        for mention in find_dates(line, index):
            found = classify(line, mention)
            if found is None:
                if fallback is None and not is_event_date(line, mention) and mention.year:
                    fallback = (mention, line)
                continue
            value, source, reasons = _resolve(mention, lines, hints)
            if value is None:
                continue
            flagged = bool(reasons) or (
                mention.weekday is not None and value.weekday() != mention.weekday
            )
            if mention.weekday is not None and value.weekday() != mention.weekday:
                reasons.append("The weekday of the publication date does not match the date.")
            return _checked(
                Publication(value, mention, found.place, found.tail, found.kind, source, flagged,
                            reasons),
                today,
            )  # fmt: skip
    if fallback is not None:
        mention, _line = fallback
        reason = "No dateline was found: a date of the text was used as the publication date."
        publication = Publication(
            mention.value(mention.year), mention, "", "", "text", "text", True, [reason]
        )
        return _checked(publication, today)
    for mention in find_dates(hints.filename):
        if mention.year and (value := mention.value(mention.year)):
            reason = "No date in the text: the publication date was taken from the file name."
            return _checked(
                Publication(value, None, "", "", "filename", "filename", True, [reason]), today
            )
    reason = "No publication date was found: today's date was set, correct it."
    return Publication(today, None, "", "", "none", "guess", True, [reason])


def _checked(publication: Publication, today: date) -> Publication:
    if publication.value > today + timedelta(days=31):
        publication.flagged = True
        publication.reasons.append(
            f"The publication date {publication.value.isoformat()} is in the future."
        )
    elif publication.value.year < 1950:
        publication.flagged = True
        publication.reasons.append(
            f"The publication date {publication.value.isoformat()} is very old."
        )
    return publication
