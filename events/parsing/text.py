"""Programmes as text: what is left of a web page, a Word file or a PDF once copied or extracted.

Real programmes do not put one session per line. The parser reads lines with a small state
machine and accepts what associations actually publish:

- day headings in any form: « Jeudi 7 novembre », « JEUDI 7 NOVEMBRE 2024 », « Mercredi 6/11 »,
  « Jour 1 – Mercredi 2 octobre », « Jour 2 » alone (counted from the edition's first day);
- times « 9h », « 9H30 – 11H », « 16h30 », « 9h30-11h », « de 9 h 30 à 11 h », « 14 heures »,
  « 9:30 », before the title or alone on their line with the title on the next one; a time needs
  its « h », « heures » or « :MM », so « 1 : Les finances » is never read as 01:00;
- « Plateau / 1 : … » or « Plateau » then « 2 : … » split over lines, titles wrapped over two;
- parallel sessions: « Atelier 1 : … / Atelier 2 : … » on one line, or « Ateliers en parallèle »
  followed by « Atelier 1 : … », « Atelier 2 : … » lines, each becoming a session at that time;
- rooms (« Salle … », « Amphithéâtre … », « Lieu : … », or at the end of the title);
- people: « Animé par … », « Avec : … », « – Marie Martin, présidente … », « Jean Dupont, maire
  de … » or a name alone with the function on the next line;
- a whole programme flattened into one line (PDF extraction), split again before each time.

Nothing is invented: a line that is not understood goes into the description of the session it
follows (or is reported as ignored), never into a new session or a guessed time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from cms.frenchtext import (
    MONTH_PATTERN,
    WEEKDAY_PATTERN,
    ParseError,
    looks_like_name,
    month_number,
    strip_accents,
    strip_honorific,
)

from . import ParsedParticipant, ParsedProgramme, ParsedSession, infer_kind

__all__ = ["match_time_range", "parse_programme_text"]

_HOUR = r"(?:[01]?\d|2[0-3])"
_MINUTE = r"[0-5]\d"
# « 9h », « 9h30 », « 9 h 30 », « 14 heures », « 14 heures 30 », « 9:30 »; never a bare number.
# A capital may follow directly: extractors glue cells together (« 10hOuverture »).
_NOT_LOWER = r"(?![a-zà-öø-ÿ])"
_TIME = (
    rf"{_HOUR}\s?(?:[hH](?:\s?{_MINUTE}(?!\d)|(?-i:{_NOT_LOWER}))"
    rf"|\s?heures?(?:\s?{_MINUTE}(?!\d))?(?-i:{_NOT_LOWER})|:{_MINUTE}(?!\d))"
)
_RANGE = rf"(?P<start>{_TIME})(?:\s*(?:-|–|—|‑|à|a|au|>|/)\s*(?P<end>{_TIME}))?"
_LEADING_RANGE_RE = re.compile(rf"^(?:(?:de|dès|des|à)\s+)?{_RANGE}", re.IGNORECASE)
# A time inside a line that starts a new session (used to split flattened text).
_INNER_RANGE_RE = re.compile(rf"(?<![\w/.,:'’(])(?:(?:de|dès)\s+)?{_RANGE}", re.IGNORECASE)
# Words after which a time belongs to a sentence, not to a new slot: « rendez-vous à 9h ».
_PROSE_BEFORE_TIME = {"a", "vers", "des", "avant", "apres", "jusqu'a", "jusqu’a", "entre", "et"}
_PROSE_BEFORE_TIME |= {"puis", "le", "les", "par", "pour", "de", "du", "dure", "duree"}

_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_DAY_NUMBERS = {"un": 1, "deux": 2, "trois": 3, "quatre": 4, "premier": 1, "second": 2}
_DAY_HEADING_RE = re.compile(
    r"^(?:(?:jour(?:n[ée]e)?)\s*(?:n°\s*)?(?P<number>\d|un|deux|trois|quatre)\b\s*[-–—:.,|]?\s*)?"
    r"(?:(?:journ[ée]e|matin[ée]e|soir[ée]e)\s+du\s+|le\s+)?"
    rf"(?:(?P<weekday>{WEEKDAY_PATTERN})\b\s*,?\s*)?"
    rf"(?:(?P<day>[0-3]?\d)(?:er)?(?:\s*(?P<month>{MONTH_PATTERN})(?![\w])|\s*/\s*(?P<nmonth>[01]?\d)\b)?"
    r"(?:\s*/?\s*(?P<year>(?:19|20)\d\d)\b)?)?"
    r"\s*(?:[-–—:.,|]\s*)?(?P<label>.*)$",
    re.IGNORECASE,
)
_HALF_DAY_RE = re.compile(r"^(?:matin(?:ée)?|après-midi|apres-midi|soir(?:ée)?)\W*$", re.I)
_INNER_DAY_RE = re.compile(
    rf"(?<!\w)(?:jour\s*\d\s*[-–—:]?\s*)?{WEEKDAY_PATTERN}\s+[0-3]?\d(?:er)?\s+{MONTH_PATTERN}"
    r"(?:\s+(?:19|20)\d\d)?(?!\w)|(?<!\w)jour\s*\d(?!\w)",
    re.IGNORECASE,
)
_MAX_HEADING_LABEL = 60
_TRAILING_TIME_RE = re.compile(
    rf"^(?P<title>\S.*?)\s*(?:\.{{3,}}|…+)\s*(?P<time>{_RANGE})\s*$", re.IGNORECASE
)

_ROOM = (
    r"(?:grande?\s+)?(?:salle|salon|amphith[ée][âa]tre|amphi|auditorium|h[ée]micycle|"
    r"espace|chapiteau|hall)"
)
_ROOM_LINE_RE = re.compile(rf"^(?:lieu\s*:\s*(?P<place>.+)|(?P<room>{_ROOM}\b.*))$", re.I)
_ROOM_SUFFIX_RE = re.compile(
    rf"\s*(?:[-–—,|]\s*|\()(?P<room>{_ROOM}\b[^()–—]*)\)?\s*$", re.IGNORECASE
)
_BULLET_RE = re.compile(r"^[-•·*–—▪►>]\s*")
_ROLE_PREFIXES = (
    (r"anim[ée]e?s?\s+par|mod[ée]r[ée]e?s?\s+par|(?:animation|mod[ée]ration)\s*:", "moderateur"),
    (r"(?:animat(?:eur|rice)|mod[ée]rat(?:eur|rice))s?\s*:", "moderateur"),
    (r"grands?\s+t[ée]moins?\s*:?", "grand_temoin"),
    (r"rapporteu(?:r|se)s?\s*:", "rapporteur"),
    (r"ouverture\s+(?:par|:)", "ouverture"),
    (r"cl[ôo]ture\s+(?:par|:)", "cloture"),
    (r"(?:intervention|allocution|discours)s?\s+(?:de|d['’])", "intervenant"),
    (r"(?:avec|intervenant(?:e)?s?|participant(?:e)?s?|en\s+pr[ée]sence\s+de)\s*:?", "intervenant"),
)
_ROLE_RES = [(re.compile(rf"^(?:{p})\s*", re.IGNORECASE), role) for p, role in _ROLE_PREFIXES]
_PERSON_SPLIT_RE = re.compile(r"\s+[-–—]\s+|\s*,\s*")
# Words a person's function starts with, on the line under their name.
_FUNCTION_WORDS = {
    "president", "presidente", "vice-president", "vice-presidente", "maire", "ministre",
    "depute", "deputee", "senateur", "senatrice", "directeur", "directrice", "adjoint",
    "adjointe", "conseiller", "conseillere", "secretaire", "delegue", "deleguee", "charge",
    "chargee", "responsable", "professeur", "professeure", "chercheur", "chercheuse",
    "journaliste", "avocat", "avocate", "economiste", "sociologue", "geographe", "prefet",
    "prefete", "ancien", "ancienne", "fondateur", "fondatrice", "chef", "cheffe", "redacteur",
    "redactrice", "consultant", "consultante", "expert", "experte", "historien", "historienne",
    "architecte", "urbaniste", "juriste", "haut-commissaire", "co-president", "co-presidente",
}  # fmt: skip

# Kinds of slot that number their parallel instances: « Atelier 2 », « Plateau B ».
_LABEL = (
    r"(?:ateliers?|plateaux?|tables?[- ]rondes?|sessions?|forums?|parcours|modules?|commissions?)"
)
_LABEL_ONLY_RE = re.compile(
    rf"^(?P<label>{_LABEL}|pl[ée]ni[èe]re|conf[ée]rence|d[ée]bat)\s*(?:/\s*)?"
    r"(?:(?:n°\s*)?(?P<id>\d{1,2}|[A-H])\s*)?[:/.]?$",
    re.IGNORECASE,
)
_LABEL_SLASH_RE = re.compile(rf"^(?P<label>{_LABEL})\s*/\s*(?=(?:n°\s*)?\w{{1,2}}\b)", re.I)
_PARALLEL_ITEM_RE = re.compile(
    rf"^{_LABEL}\s*(?:n°\s*)?(?:\d{{1,2}}|[A-H])\b\s*[:.–—-]\s*\S", re.IGNORECASE
)
_PARALLEL_SPLIT_RE = re.compile(
    rf"\s+/\s+(?={_LABEL}\s*(?:n°\s*)?(?:\d{{1,2}}|[A-H])\b\s*[:.–—-])", re.IGNORECASE
)
_UMBRELLA_RE = re.compile(
    r"^(?:ateliers|sessions|tables rondes|forums|plateaux|parcours)\b"
    r"|\b(?:en\s+parall[èe]le|parall[èe]les|simultan[ée]e?s|au\s+choix)\b",
    re.IGNORECASE,
)
# A title ending with one of these words goes on on the next line.
_OPEN_ENDINGS = {
    "de", "du", "des", "la", "le", "les", "l'", "l’", "d'", "d’", "à", "au", "aux", "et", "ou",
    "en", "pour", "face", "sur", "dans", "avec", "entre", "par", "un", "une", "quel", "quelle",
    "quels", "quelles", ":", "–", "-", ",", "«",
}  # fmt: skip
_FLATTENED_SPLIT_BEFORE = re.compile(
    r"(?<=\S)\s+(?=(?:anim[ée]e?s?\s+par|mod[ée]r[ée]e?s?\s+par)\b)", re.IGNORECASE
)
# Lines of site furniture copied with the programme (menus, sharing, legal footer, page numbers).
_CHROME_RE = re.compile(
    r"^(?:©|\(c\)\s|copyright\b|partager\b|mentions l[ée]gales|plan du site|"
    r".*\bpage\s*\d+\s*(?:/|sur)\s*\d+\s*$|retour\b.*\bprogramme\b|imprimer\b|t[ée]l[ée]charger\b)",
    re.IGNORECASE,
)
_MARKDOWN_RE = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_EARLIEST_PLAUSIBLE = time(6)


@dataclass(frozen=True)
class TimeSlot:
    """A time or time range at the start of a line, and the text after it."""

    start: time
    end: time | None
    rest: str


def _time(token: str) -> time:
    numbers = [int(n) for n in re.findall(r"\d+", token)]
    return time(numbers[0], numbers[1] if len(numbers) > 1 else 0)


def match_time_range(line: str) -> TimeSlot | None:
    """Read « 09h45 – 10h25 Plateau 1 », « 9H30-11H … », « de 9 h 30 à 11 h : … » or « 16h30 ».

    The end is None when only a start is written; ``rest`` may be empty (time alone on its line).
    """
    match = _LEADING_RANGE_RE.match(line)
    if not match:
        return None
    end = _time(match.group("end")) if match.group("end") else None
    rest = line[match.end() :].strip().lstrip(":-–—•·|>").strip()
    return TimeSlot(_time(match.group("start")), end, rest)


def _clean(raw: str) -> str:
    """One line as a person reads it: Markdown marks, heading hashes and spacing removed."""
    # Tabs separate the columns of a Word table or a spreadsheet copy: time, title, room.
    line = re.sub(r"\s*\t\s*", " – ", raw.strip())
    line = re.sub(r"^#{1,6}\s+", "", line)
    # « Déjeuner ........ 12h30 »: a printed table of contents puts the time last.
    if match := _TRAILING_TIME_RE.match(line):
        line = f"{match.group('time')} {match.group('title')}"
    line = _MARKDOWN_RE.sub("", line)
    line = " ".join(line.split())
    # A bullet before a time or a day heading is layout, not a list of people.
    if (bare := _BULLET_RE.sub("", line)) != line and (
        _LEADING_RANGE_RE.match(bare) or _INNER_DAY_RE.match(bare)
    ):
        line = bare
    return line


def _is_prose_time(line: str, position: int) -> bool:
    before = line[:position].split()
    return bool(before) and strip_accents(before[-1]).casefold() in _PROSE_BEFORE_TIME


def _split_flattened(line: str) -> list[str]:
    """Cut a line holding several slots (a PDF flattened into one line) before each of them.

    Only lines with several times that start slots are cut: « rendez-vous à 9h puis à 11h » in a
    description has times after prepositions and stays whole.
    """
    starts = [
        match.start()
        for match in _INNER_RANGE_RE.finditer(line)
        if match.start() > 0 and not _is_prose_time(line, match.start())
    ]
    # Two slots on a line that starts with one, or three anywhere (or a long line) are a
    # flattened layout; a single time inside a title or a description is not.
    enough = 1 if _LEADING_RANGE_RE.match(line) else 2
    if len(starts) < enough and not (starts and len(line) > 160):
        return [line]
    starts += [match.start() for match in _INNER_DAY_RE.finditer(line) if match.start() > 0]
    pieces, previous = [], 0
    for start in sorted(set(starts)):
        pieces.append(line[previous:start])
        previous = start
    pieces.append(line[previous:])
    out = []
    for piece in pieces:
        out += _FLATTENED_SPLIT_BEFORE.split(piece)
    return [piece.strip() for piece in out if piece.strip()]


def _lines(content: str) -> list[tuple[int, str]]:
    lines = []
    for lineno, raw in enumerate(content.splitlines(), 1):
        line = _clean(raw)
        if not line or _CHROME_RE.match(line) or line.count("|") >= 3:
            continue
        lines += [(lineno, piece) for piece in _split_flattened(line)]
    return lines


@dataclass
class _Heading:
    day: date
    rest: str  # a session written on the heading's line (« Jeudi 7 novembre 9h Accueil »)


def _day_heading(
    line: str, *, year: int, default_month: int | None, days: tuple[date, date] | None, lineno: int
) -> _Heading | None:
    """The day a heading line announces, or None when the line is not a day heading."""
    if _LEADING_RANGE_RE.match(line):
        return None
    match = _DAY_HEADING_RE.match(line)
    if not match:
        return None
    number, weekday, day = match.group("number"), match.group("weekday"), match.group("day")
    label = match.group("label").strip()
    rest = ""
    if label and _LEADING_RANGE_RE.match(label):
        rest, label = label, ""
    if len(label) > _MAX_HEADING_LABEL or (weekday is None and number is None and day is None):
        return None
    month_name, numeric_month = match.group("month"), match.group("nmonth")
    if day is not None:
        # « 7 novembre 2024 » alone is a heading; « 7 novembre, les maires… » is prose.
        alone = not label and (month_name is not None or numeric_month is not None)
        if weekday is None and number is None and not alone:
            return None
        if month_name:
            month = month_number(month_name)
        elif numeric_month:
            month = int(numeric_month)
        else:
            month = default_month
        if month is None:
            raise ParseError(
                f"Line {lineno}: day heading {line!r} has no month and none was given."
            )
        try:
            value = date(int(match.group("year") or year), month, int(day))
        except ValueError as error:
            raise ParseError(f"Line {lineno}: {line!r} is not a valid date.") from error
        return _Heading(value, rest)
    if label and not _HALF_DAY_RE.match(label):
        return None
    if number is not None:
        if days is None:
            raise ParseError(f"Line {lineno}: day heading {line!r} gives no date.")
        index = int(number) if number.isdigit() else _DAY_NUMBERS[number.casefold()]
        return _Heading(days[0] + timedelta(days=index - 1), rest)
    # A weekday alone (« JEUDI ») names the edition's day of that week.
    if days is None:
        return None
    wanted = _WEEKDAYS.index(strip_accents(weekday).casefold())
    candidates = [
        days[0] + timedelta(days=offset)
        for offset in range((days[1] - days[0]).days + 1)
        if (days[0] + timedelta(days=offset)).weekday() == wanted
    ]
    return _Heading(candidates[0], rest) if len(candidates) == 1 else None


def _person(spec: str, role: str) -> ParsedParticipant | None:
    """Read "Monsieur X – Président de …", "Y, journaliste" or "Z (maire de …)"."""
    spec = spec.strip().rstrip(".;")
    if match := re.match(r"^(?P<name>[^(]+?)\s*\((?P<function>[^)]*)\)\s*$", spec):
        name, function = match.group("name"), match.group("function")
    else:
        name, function = (*_PERSON_SPLIT_RE.split(spec, maxsplit=1), "")[:2]
    name = strip_honorific(name)
    if not looks_like_name(name):
        return None
    return ParsedParticipant(name, function.strip().strip(",;:–- "), role)


def _participants(line: str, role_hint: str | None) -> tuple[list[ParsedParticipant], str | None]:
    """People named on a line, and the role announced for the next lines (« Intervenants : »).

    A line without a bullet or a role prefix is about people only when it is a name followed by
    a function (« Jean Dupont, maire de Riom ») or a name alone.
    """
    text, role = _BULLET_RE.sub("", line), None
    if text != line:
        role = role_hint or "intervenant"
    for pattern, prefix_role in _ROLE_RES:
        if match := pattern.match(text):
            text, role = text[match.end() :], prefix_role
            break
    if role is not None and not text.strip():
        return [], role  # « Intervenants : » announces the lines below
    if role is None:
        role = role_hint or "intervenant"
        person = _person(text, role)
        return ([person] if person else []), None
    for separator in (r";|\s+et\s+(?=[A-Z])", ";"):
        people = [_person(spec, role) for spec in re.split(separator, text) if spec.strip()]
        if people and all(people):
            return [person for person in people if person], None
    return [], None


def _split_room(title: str) -> tuple[str, str]:
    if (match := _ROOM_SUFFIX_RE.search(title)) and title[: match.start()].strip():
        return title[: match.start()].strip(), match.group("room").strip()
    return title, ""


def _normalise_title(title: str) -> str:
    """« Plateau / 1 : … » as « Plateau 1 : … »."""
    return _LABEL_SLASH_RE.sub(lambda m: f"{m.group('label')} ", title).strip()


def _is_open(title: str) -> bool:
    """Does the title visibly go on on the next line?"""
    words = title.split()
    return bool(words) and (
        strip_accents(words[-1]).casefold() in {strip_accents(w) for w in _OPEN_ENDINGS}
        or title.endswith((",", ":", "–", "-", "«", "/"))
        or title.count("«") > title.count("»")
        or title.count("(") > title.count(")")
    )


def _is_function(line: str) -> bool:
    first = strip_accents(line.split()[0]).casefold().strip(",")
    return line[0].islower() or first in _FUNCTION_WORDS


class _Reader:
    """The state of a reading: current day, session, a time waiting for its title…"""

    def __init__(self, year: int, default_month: int | None, days: tuple[date, date] | None):
        self.year, self.default_month, self.days = year, default_month, days
        self.programme = ParsedProgramme()
        self.day: date | None = None
        self.session: ParsedSession | None = None
        self.pending: tuple[TimeSlot, int] | None = None
        self.group: list[ParsedSession] = []  # sessions of the current slot, in parallel
        self.umbrella: ParsedSession | None = None
        self.parallel = False  # the current slot lists parallel sessions line by line
        self.title_open = False  # the previous line was the current session's title
        self.people_line = False  # the previous line named people
        self.role_hint: str | None = None

    def warn(self, message: str) -> None:
        self.programme.warnings.append(message)

    def read(self, lineno: int, line: str) -> None:
        heading = _day_heading(
            line, year=self.year, default_month=self.default_month, days=self.days, lineno=lineno
        )
        if heading is not None:
            self._new_day(heading.day, line, lineno)
            if heading.rest:
                self.read(lineno, heading.rest)
            return
        if _HALF_DAY_RE.match(line):
            # « MATIN », « Après-midi »: a subheading that ends the session above it.
            self.session, self.title_open, self.people_line = None, False, False
            return
        slot = match_time_range(line)
        if slot is not None:
            if self.pending is not None:
                self.warn(f"Line {self.pending[1]}: a time without a title was ignored.")
            if slot.rest:
                self._start(slot, slot.rest, lineno, line)
            else:
                self.pending, self.session, self.title_open = (slot, lineno), None, False
            return
        if self.pending is not None:
            slot, start_line = self.pending
            self.pending = None
            self._start(slot, line, start_line, line)
            return
        if self.session is None:
            if not self.programme.title and self.day is None:
                self.programme.title = line
            else:
                self.warn(f"Line {lineno} ignored: {line!r}.")
            return
        self._inside_session(line, lineno)

    def _new_day(self, day: date, line: str, lineno: int) -> None:
        written = strip_accents(line.split()[0]).casefold()
        if written in _WEEKDAYS and _WEEKDAYS[day.weekday()] != written:
            self.warn(
                f"Line {lineno}: {line!r} does not match the calendar "
                f"({day.isoformat()} is a {_WEEKDAYS[day.weekday()]}); check the year."
            )
        self.day, self.session, self.pending, self.group = day, None, None, []
        self.umbrella, self.parallel = None, False
        self.title_open = self.people_line = False

    def _current_day(self, text: str, lineno: int) -> tuple[date, list[str]]:
        if self.day is not None:
            return self.day, []
        if self.days is not None and self.days[0] == self.days[1]:
            return self.days[0], ["no day heading: the edition's only day was used"]
        raise ParseError(f"Line {lineno}: session {text!r} comes before any day heading.")

    def _start(self, slot: TimeSlot, rest: str, lineno: int, text: str) -> None:
        day, flags = self._current_day(text, lineno)
        if slot.start < _EARLIEST_PLAUSIBLE:
            flags = [*flags, f"starts at {slot.start.strftime('%H:%M')}: check the time"]
        self.group, self.umbrella, self.parallel = [], None, False
        for part in _PARALLEL_SPLIT_RE.split(_normalise_title(rest)):
            title, room = _split_room(part.strip())
            session = ParsedSession(
                day, slot.start, slot.end, infer_kind(title), title, room, line=lineno
            )
            session.flags += flags
            self.programme.sessions.append(session)
            self.group.append(session)
        self.session = self.group[-1]
        if len(self.group) == 1 and _UMBRELLA_RE.search(self.session.title):
            self.umbrella = self.session
        self.title_open, self.people_line, self.role_hint = True, False, None

    def _retitle(self, session: ParsedSession, title: str) -> None:
        session.title, room = _split_room(_normalise_title(title))
        session.room = session.room or room
        session.kind = infer_kind(session.title)

    def _inside_session(self, line: str, lineno: int) -> None:
        session = self.session
        assert session is not None
        title_open, people_line = self.title_open, self.people_line
        self.title_open = self.people_line = False
        if _PARALLEL_ITEM_RE.match(line) and (self.umbrella is not None or self.parallel):
            self._parallel(line, lineno)
            return
        if (room := _ROOM_LINE_RE.match(line)) and not session.room:
            session.room = (room.group("place") or room.group("room")).strip()
            return
        people, role_hint = _participants(line, self.role_hint)
        if title_open and not people and role_hint is None:
            if label := _LABEL_ONLY_RE.match(session.title):
                # « Plateau / » then « 1 : Les finances », « Table ronde » then its subject.
                numbered = label.group("id") is not None or not line[:1].isdigit()
                base = session.title.rstrip(" :/.")
                self._retitle(session, f"{base}{' : ' if numbered else ' '}{line}")
                self.title_open = _is_open(session.title)
                return
            if line[0].islower() or _is_open(session.title):
                self._retitle(session, f"{session.title} {line}")
                self.title_open = True
                return
        if people:
            session.participants += people
            self.people_line = True
            return
        if role_hint is not None:
            self.role_hint = role_hint
            return
        if people_line and session.participants and _is_function(line):
            last = session.participants[-1]
            last.function = f"{last.function} {line}".strip().strip(",;:–- ")
            self.people_line = True
            return
        session.description = f"{session.description}\n{line}".strip()

    def _parallel(self, line: str, lineno: int) -> None:
        """« Atelier 2 : … » under « Ateliers en parallèle »: a session at the same time."""
        model = self.group[0]
        title, room = _split_room(_normalise_title(line))
        session = ParsedSession(
            model.day, model.start, model.end, infer_kind(title), title, room, line=lineno
        )
        session.flags += [flag for flag in model.flags if flag not in session.flags]
        umbrella = self.umbrella
        if umbrella is not None and not umbrella.participants and not umbrella.description:
            # The umbrella only announced the workshops: they replace it.
            self.programme.sessions.remove(umbrella)
            self.group.remove(umbrella)
        self.umbrella, self.parallel = None, True
        self.programme.sessions.append(session)
        self.group.append(session)
        self.session = session
        self.title_open = True


def parse_programme_text(
    content: str,
    *,
    year: int,
    default_month: int | None = None,
    days: tuple[date, date] | None = None,
) -> ParsedProgramme:
    """Parse a French programme written as text (module docstring for the layouts read).

    ``year`` completes day headings that omit it (they nearly always do), ``default_month``
    completes headings such as "Jeudi 13"; ``days`` (the edition's first and last days) dates
    « Jour 2 » and a weekday alone, and a one-day programme without any heading. Raises
    ParseError, naming the line, for a session that comes before any day heading or an
    impossible date. A text with no session at all gives an empty programme with a warning:
    refusing it is the importer's decision.
    """
    reader = _Reader(year, default_month, days)
    for lineno, line in _lines(content):
        reader.read(lineno, line)
    if reader.pending is not None:
        reader.warn(f"Line {reader.pending[1]}: a time without a title was ignored.")
    if not reader.programme.sessions:
        reader.warn("No session was found (no line starts with a time such as 9h30).")
    return reader.programme
