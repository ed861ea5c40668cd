"""Helpers of the feed and export tests: the states that must hide a page, and real readers."""

import collections
import datetime
import re
from pathlib import Path
from typing import Any

from django.utils import timezone
from pyld import jsonld
from wagtail.models import Page, PageViewRestriction

from cms.pipeline.store import process

# The c3voc validators live in the shared folder beside the repository (see its NOTICE.md),
# never copied into it: a clone without that folder skips the tests that use them, saying so
# (the structural checks below still run).
C3VOC = Path(__file__).resolve().parents[1] / ".." / "shared" / "standards" / "c3voc-schedule"
C3VOC_MISSING = next(
    (
        f"c3voc validator {name} not found in {C3VOC.resolve()} (the shared folder beside the "
        "repository, absent from a fresh clone); the structural checks ran instead"
        for name in ("schedule.schema.json", "schedule.xml.xsd")
        if not (C3VOC / name).is_file()
    ),
    None,
)

HIDDEN_STATES = ("draft", "unpublished", "embargoed", "private", "expired")


def hide(page: Page, state: str) -> Page:
    """Put `page` in `state`, in which no feed or export may show it, and return it fresh.

    « draft » is a page that was never published, « embargoed » one scheduled to go live
    tomorrow, « expired » one whose expiry date has passed although Wagtail has not yet
    unpublished it (that only happens when `publish_scheduled` runs).
    """
    now = timezone.now()
    if state == "draft":
        page.save_revision()
        Page.objects.filter(pk=page.pk).update(
            live=False, first_published_at=None, last_published_at=None, live_revision=None
        )
    elif state == "unpublished":
        page.unpublish()
    elif state == "embargoed":
        Page.objects.filter(pk=page.pk).update(
            live=False, go_live_at=now + datetime.timedelta(days=1), has_unpublished_changes=True
        )
    elif state == "private":
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="embargo"
        )
    elif state == "expired":
        Page.objects.filter(pk=page.pk).update(expire_at=now - datetime.timedelta(minutes=1))
    else:  # pragma: no cover - a typo in a parametrisation
        raise ValueError(state)
    # Channels read stored documents: bring them to what the pipeline (on commit, through the
    # worker, or the scheduler for expiry) leaves once it has run.
    process([f"page:{page.pk}"])
    return type(page).objects.get(pk=page.pk)


def _schema_org_loader(url: str, options: dict | None = None) -> dict[str, Any]:
    """No network in tests: schema.org's context is reduced to its vocabulary."""
    if not url.startswith(("https://schema.org", "http://schema.org")):
        raise ValueError(f"Unexpected remote context {url}")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": "https://schema.org/"}},
    }


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    return jsonld.expand(document, {"documentLoader": _schema_org_loader})


def expanded_types(expanded: Any) -> set[str]:
    """Every @type anywhere in an expanded JSON-LD document."""
    found: set[str] = set()
    if isinstance(expanded, list):
        for item in expanded:
            found |= expanded_types(item)
    elif isinstance(expanded, dict):
        found.update(expanded.get("@type", []))
        for value in expanded.values():
            found |= expanded_types(value)
    return found


def expanded_values(expanded: Any, prop: str) -> list[Any]:
    """Every value of property `prop` (a full IRI) anywhere in an expanded document."""
    found: list[Any] = []
    if isinstance(expanded, list):
        for item in expanded:
            found += expanded_values(item, prop)
    elif isinstance(expanded, dict):
        for key, value in expanded.items():
            if key == prop:
                found += [v.get("@value", v.get("@id")) for v in value if isinstance(v, dict)]
            found += expanded_values(value, prop)
    return found


# -- the frab / c3voc schedule's structure, checked without the validators ---------------------
# What conference apps rely on, from the c3voc JSON schema's `required` lists and the XSD's
# required elements and attributes: keys, types and formats, not every rule of the validators.

UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_TZ = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{1,2}:\d{2})$")
HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DURATION = re.compile(r"^\d{1,2}:\d{2}(:\d{1,2})?$")
ACRONYM = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")
SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
HTTP = re.compile(r"^https?://\S+$")
OPTIONAL_TEXT = (str, type(None))


def _check(problems: list[str], where: str, value: Any, expected: Any) -> None:
    """One field: `expected` is a type (or tuple of types) or a compiled pattern."""
    if isinstance(expected, re.Pattern):
        if not (isinstance(value, str) and expected.match(value)):
            problems.append(f"{where}: {value!r} does not match {expected.pattern}")
    elif isinstance(value, bool) or not isinstance(value, expected):
        problems.append(f"{where}: {value!r} is not {expected}")


CONFERENCE_JSON = {
    "title": str,
    "acronym": ACRONYM,
    "start": DATE,
    "end": DATE,
    "daysCount": int,
    "timeslot_duration": DURATION,
    "days": list,
}
DAY_JSON = {"index": int, "date": DATE, "day_start": DATETIME_TZ, "day_end": DATETIME_TZ}
EVENT_JSON = {
    "guid": UUID,
    "id": int,
    "date": DATETIME_TZ,
    "start": HH_MM,
    "duration": DURATION,
    "room": str,
    "slug": SLUG,
    "url": HTTP,
    "title": str,
    "subtitle": OPTIONAL_TEXT,
    "track": OPTIONAL_TEXT,
    "type": str,
    "language": OPTIONAL_TEXT,
    "abstract": OPTIONAL_TEXT,
    "persons": list,
    "links": list,
}


def _fields(problems: list[str], where: str, node: Any, spec: dict[str, Any]) -> bool:
    if not isinstance(node, dict):
        problems.append(f"{where}: {type(node).__name__}, not an object")
        return False
    for key, expected in spec.items():
        if key not in node:
            problems.append(f"{where}: no {key!r}")
        else:
            _check(problems, f"{where}.{key}", node[key], expected)
    return True


def frab_json_problems(document: Any) -> list[str]:
    """What keeps `document` from being a c3voc schedule.json; [] when nothing does."""
    problems: list[str] = []
    if not _fields(problems, "$", document, {"schedule": dict}):
        return problems
    schedule = document.get("schedule")
    if not _fields(problems, "schedule", schedule, {"version": str, "conference": dict}):
        return problems
    conference = schedule.get("conference")
    if not _fields(problems, "conference", conference, CONFERENCE_JSON):
        return problems
    days = conference.get("days") if isinstance(conference.get("days"), list) else []
    for n, room in enumerate(conference.get("rooms", [])):
        _fields(problems, f"conference.rooms[{n}]", room, {"name": str, "guid": UUID})
    guids, ids = [], []
    for d, day in enumerate(days):
        where = f"days[{d}]"
        if not _fields(problems, where, day, DAY_JSON | {"rooms": dict}):
            continue
        for room, events in day.get("rooms", {}).items():
            if not isinstance(events, list):
                problems.append(f"{where}.rooms[{room!r}]: not a list")
                continue
            for e, event in enumerate(events):
                here = f"{where}.rooms[{room!r}][{e}]"
                if not _fields(problems, here, event, EVENT_JSON):
                    continue
                if event.get("room") != room:
                    problems.append(f"{here}.room: {event.get('room')!r} under {room!r}")
                guids.append(event.get("guid"))
                ids.append(event.get("id"))
                for p, person in enumerate(event.get("persons") or []):
                    named = isinstance(person, dict) and (
                        isinstance(person.get("name"), str)
                        or isinstance(person.get("public_name"), str)
                    )
                    if not named:
                        problems.append(f"{here}.persons[{p}]: neither name nor public_name")
                for n, link in enumerate(event.get("links") or []):
                    _fields(problems, f"{here}.links[{n}]", link, {"url": HTTP})
    problems += _duplicates("event guid", guids) + _duplicates("event id", ids)
    return problems


def _duplicates(what: str, values: list[Any]) -> list[str]:
    twice = [value for value, n in collections.Counter(values).items() if n > 1]
    return [f"{what} {value!r} appears twice" for value in sorted(twice, key=str)]


# An event's elements: each at most once (xs:all), these always.
EVENT_XML = {
    "room": None,
    "title": None,
    "type": None,
    "date": DATETIME_TZ,
    "start": re.compile(r"^[0-2]\d:[0-5]\d(:[0-5]\d)?$"),
    "duration": DURATION,
    "abstract": None,
    "track": None,
}
POSITIVE = re.compile(r"^[1-9]\d*$")


def frab_xml_problems(root: Any) -> list[str]:
    """What keeps the element `root` from being a frab schedule.xml; [] when nothing does."""
    problems: list[str] = []
    if root.tag != "schedule":
        return [f"root element <{root.tag}>, not <schedule>"]
    order = [child.tag for child in root]
    head = [tag for tag in order if tag != "day"]
    if head not in (
        ["version", "conference"],
        ["url", "version", "conference"],
        ["generator", "version", "conference"],
        ["generator", "url", "version", "conference"],
    ):
        problems.append(f"<schedule> starts with {head}, not [generator] [url] version conference")
    if "day" not in order or order[len(head) :] != ["day"] * (len(order) - len(head)):
        problems.append("<schedule>: the days must follow the conference, at least one")
    if not (root.findtext("version") or "").strip():
        problems.append("<version> is empty")
    conference = root.find("conference")
    for name in ("title", "acronym"):
        if conference is None or not (conference.findtext(name) or "").strip():
            problems.append(f"<conference> has no <{name}>")
    guids, ids, indexes = [], [], []
    for d, day in enumerate(root.findall("day")):
        where = f"day[{d}]"
        for attribute, expected in (("start", DATETIME_TZ), ("end", DATETIME_TZ)):
            _check(problems, f"{where}/@{attribute}", day.get(attribute), expected)
        _check(problems, f"{where}/@index", day.get("index"), POSITIVE)
        if day.get("date") is not None:
            _check(problems, f"{where}/@date", day.get("date"), DATE)
        indexes.append(day.get("index"))
        for r, room in enumerate(day):
            here = f"{where}/{room.tag}[{r}]"
            if room.tag != "room" or not room.get("name"):
                problems.append(f"{here}: not a <room name=…>")
                continue
            if room.get("guid") is not None:
                _check(problems, f"{here}/@guid", room.get("guid"), UUID)
            for e, event in enumerate(room):
                problems += _xml_event_problems(f"{here}/event[{e}]", event)
                guids.append(event.get("guid"))
                ids.append(event.get("id"))
    problems += _duplicates("day index", indexes)
    problems += _duplicates("event guid", guids) + _duplicates("event id", ids)
    return problems


def _xml_event_problems(where: str, event: Any) -> list[str]:
    problems: list[str] = []
    if event.tag != "event":
        return [f"{where}: <{event.tag}>, not <event>"]
    _check(problems, f"{where}/@id", event.get("id"), POSITIVE)
    _check(problems, f"{where}/@guid", event.get("guid"), UUID)
    tags = [child.tag for child in event]
    for tag in {t for t in tags if tags.count(t) > 1}:
        problems.append(f"{where}: <{tag}> more than once")
    for tag, expected in EVENT_XML.items():
        element = event.find(tag)
        if element is None:
            problems.append(f"{where}: no <{tag}>")
        elif expected is not None:
            _check(problems, f"{where}/{tag}", element.text, expected)
    for person in event.findall("persons/person"):
        if not (person.text or "").strip():
            problems.append(f"{where}/persons: a <person> without a name")
    return problems
