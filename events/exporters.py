"""Programme exports: frab/c3voc `schedule.xml` and `schedule.json`, and iCalendar files.

Conference apps (Giggity, ConfClerk, EventFahrplan…) read the frab format that the c3voc
validators describe; identities are stable so that apps keep favourites across updates: the
event guid is the session's block UUID, its integer id derives from it, room guids are UUID5s.
Cancelled sessions stay in the schedule with a « Cancelled » subtitle, as in the calendars.
"""

import abc
import datetime
import json
import re
import uuid
from typing import Any
from xml.etree import ElementTree

from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.documents import Document, document_or_404, documents
from cms.exporters import BaseExporter, register_exporter
from cms.public import absolute_url, public_base_url

from . import calendars
from .models import SessionState

TIME_ZONE = "Europe/Paris"
# Room and person GUIDs are UUID5s of stable ids under this namespace: documents carry no
# translation key, and ids never change while the content they name does.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://assises.invalid/schedule")


def event_id(session_uuid: uuid.UUID | str) -> int:
    """A stable positive integer for apps that still want one (frab's deprecated `id`)."""
    return int(uuid.UUID(str(session_uuid)).hex[:7], 16) or 1


def guid(kind: str, object_id: Any) -> str:
    """A stable GUID for an object of the schedule that has no UUID of its own."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{object_id}"))


def conference_acronym(edition: dict[str, Any], series: dict[str, Any] | None) -> str:
    """`assises-2024-amboise`: the shape both c3voc validators accept."""
    name = (series.get("short_name") or series.get("title") or "") if series else ""
    base = slugify(name).replace("-", "_")[:30]
    base = (base or "congress").ljust(4, "_")
    town = re.sub(r"[^a-z]", "", slugify(edition["host_town"]["name"]))
    year = datetime.date.fromisoformat(edition["start_date"]).year
    suffix = f"-{year}-{town}" if town else f"_{year}"
    return base + suffix


def _hhmm(delta: datetime.timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _short_slug(title: str, length: int = 50) -> str:
    slug = slugify(title)
    return slug if len(slug) <= length else slug[: length + 1].rsplit("-", 1)[0]


def _person(speaker: dict[str, Any], document: Document | None) -> dict[str, Any]:
    """A frab person (`id` + `public_name`), with pretalx's biography and avatar.

    The biography comes from the speaker's own document when it is visible; the reference in
    the session is what decides that the person is shown at all.
    """
    photo = speaker.get("photo")
    return {
        "id": speaker["id"],
        "guid": guid("speaker", speaker["id"]),
        "public_name": speaker["title"],
        "biography": document.data["biography"]["text"] if document else "",
        "avatar": photo["url"] if photo else None,
        "url": speaker["url"],
    }


def _event(edition: dict[str, Any], session: dict[str, Any], ctx: dict) -> dict[str, Any]:
    start = calendars.session_time(edition, session["start"])
    end = calendars.session_time(edition, session["end"])
    ident = event_id(session["id"])
    persons, seen = [], set()
    for participant in session["participants"]:
        speaker = participant.get("speaker")
        if speaker and speaker["id"] not in seen:
            seen.add(speaker["id"])
            persons.append(_person(speaker, ctx["speakers"].get(str(speaker["id"]))))
    topics = [topic for topic in session["topics"] if topic]
    return {
        "guid": str(session["id"]),
        "id": ident,
        "date": start.isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.isoformat(),
        "duration": _hhmm(end - start),
        "room": session["room"] or ctx["default_room"],
        "slug": f"{ctx['slug_prefix']}-{ident:07d}-{_short_slug(session['title'])}".rstrip("-_"),
        "url": session["url"],
        "title": session["title"],
        "subtitle": _("Cancelled") if session["cancelled"] else "",
        "track": topics[0]["name"] if topics else None,
        "type": calendars.kind_label(session),
        "language": edition["locale"],
        "abstract": session["description"]["text"],
        "description": calendars.session_description(session),
        "persons": persons,
        "links": [{"type": "related", "url": edition["url"], "title": edition["title"]}],
        "attachments": [],
    }


def schedule_data(document: Document) -> dict[str, Any]:
    """The whole schedule as the c3voc JSON document; the XML is written from the same data.

    Written from the edition document and its embedded programme (what `/api/v1/editions/N/`
    serves), plus the series and speaker documents for the acronym and the biographies.
    """
    edition = document.data
    sessions = edition["sessions"]
    series_id = str(edition["series"]["id"]) if edition.get("series") else None
    series = documents("series", [series_id]).get(series_id) if series_id else None
    speaker_ids = {
        p["speaker"]["id"] for s in sessions for p in s["participants"] if p.get("speaker")
    }
    acronym = conference_acronym(edition, series.data if series else None)
    ctx = {
        "speakers": documents("speaker", speaker_ids),
        "default_room": edition["venue"]["name"] or edition["host_town"]["name"],
        "slug_prefix": acronym.replace("-", "_"),
    }
    with translation.override(edition["locale"]):
        events = [_event(edition, session, ctx) for session in sessions]
    room_names = list(dict.fromkeys(event["room"] for event in events))
    rooms = [
        {"name": name, "guid": guid(f"edition:{document.object_id}:room", name)}
        | ({"slug": slugify(name)} if re.fullmatch(r"[a-z0-9_-]+[a-z0-9]", slugify(name)) else {})
        for name in room_names
    ]
    first = datetime.date.fromisoformat(edition["start_date"])
    last = datetime.date.fromisoformat(edition["end_date"])
    span = max(1, (last - first).days + 1)
    starts = [calendars.session_time(edition, s["start"]) for s in sessions]
    ends = [calendars.session_time(edition, s["end"]) for s in sessions]
    zone = calendars.edition_zone(edition)
    dates = {first + datetime.timedelta(days=n) for n in range(span)}
    dates |= {start.date() for start in starts}
    days = []
    for index, day in enumerate(sorted(dates), start=1):
        todays = [e for e, start in zip(events, starts, strict=True) if start.date() == day]
        midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
        day_starts = [start for start in starts if start.date() == day]
        day_ends = [end for start, end in zip(starts, ends, strict=True) if start.date() == day]
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": min(day_starts, default=midnight).isoformat(),
                "day_end": max(day_ends, default=midnight + datetime.timedelta(days=1)).isoformat(),
                "rooms": {
                    name: [e for e in todays if e["room"] == name]
                    for name in room_names
                    if any(e["room"] == name for e in todays)
                },
            }
        )
    tracks = list(dict.fromkeys(e["track"] for e in events if e["track"]))
    conference = {
        "acronym": acronym,
        "title": edition["title"],
        "description": edition["summary"],
        "start": min(dates).isoformat(),
        "end": max(dates).isoformat(),
        "daysCount": len(days),
        "timeslot_duration": "00:15",
        "time_zone_name": TIME_ZONE,
        "url": edition["url"],
        "tracks": [{"name": name} for name in tracks],
        "rooms": rooms,
        "days": days,
    }
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": "Assises", "url": public_base_url() + "/"},
        "schedule": {
            "version": _version(document),
            "base_url": public_base_url() + "/",
            "conference": conference,
        },
    }


def _version(document: Document) -> str:
    """Apps show it to tell schedules apart: when a session of the programme last changed.

    From `SessionState`, which archive bundles carry, so an imported archive writes the same
    schedule; an edition without sessions uses its document's `last_modified`.
    """
    uuids = [session["id"] for session in document.data.get("sessions", [])]
    latest = SessionState.objects.filter(uuid__in=uuids).aggregate(latest=Max("modified_at"))
    stamp = latest["latest"] or document.last_modified
    return stamp.isoformat(timespec="seconds")


def _text(parent: ElementTree.Element, tag: str, text: Any, **attributes: str) -> None:
    element = ElementTree.SubElement(parent, tag, attributes)
    element.text = "" if text is None else str(text)


def schedule_xml(edition: Document) -> bytes:
    """frab's `schedule.xml`, written from `schedule_data` so both formats always agree."""
    data = schedule_data(edition)
    schedule, conference = data["schedule"], data["schedule"]["conference"]
    root = ElementTree.Element("schedule")
    ElementTree.SubElement(root, "generator", {"name": "Assises"})
    url = edition.data.get("links", {}).get("schedule_xml")
    url = url or absolute_url(reverse("edition_schedule_xml", args=[edition.object_id]))
    _text(root, "url", url)
    _text(root, "version", schedule["version"])
    element = ElementTree.SubElement(root, "conference")
    for tag in ("title", "acronym", "start", "end"):
        _text(element, tag, conference[tag])
    _text(element, "days", conference["daysCount"])
    _text(element, "timeslot_duration", conference["timeslot_duration"])
    _text(element, "base_url", schedule["base_url"])
    _text(element, "url", conference["url"])
    _text(element, "time_zone_name", conference["time_zone_name"])
    for track in conference["tracks"]:
        ElementTree.SubElement(element, "track", {"name": track["name"]})
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        attributes = {"index": str(day["index"]), "date": day["date"]}
        day_element = ElementTree.SubElement(
            root, "day", attributes | {"start": day["day_start"], "end": day["day_end"]}
        )
        for name, events in day["rooms"].items():
            room = ElementTree.SubElement(day_element, "room", {"name": name, "guid": guids[name]})
            for event in events:
                _event_xml(room, event)
    ElementTree.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, "utf-8")


def _event_xml(room: ElementTree.Element, event: dict[str, Any]) -> None:
    element = ElementTree.SubElement(room, "event", {"id": str(event["id"]), "guid": event["guid"]})
    for tag in ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract"):
        _text(element, tag, event[tag])
    _text(element, "slug", event["slug"])
    _text(element, "track", event["track"])
    persons = ElementTree.SubElement(element, "persons")
    for person in event["persons"]:
        _text(persons, "person", person["public_name"], id=str(person["id"]), guid=person["guid"])
    _text(element, "language", event["language"])
    _text(element, "description", event["description"])
    links = ElementTree.SubElement(element, "links")
    for link in event["links"]:
        _text(links, "link", link["title"], href=link["url"], type=link["type"])
    _text(element, "url", event["url"])


# -- exporters ------------------------------------------------------------------------------


def _archived(edition: Document) -> bool:
    """Archived editions are served long-lived (and revalidated), see `cms.http`."""
    return bool(edition.data.get("archived"))


@register_exporter
class ScheduleXmlExporter(BaseExporter):
    identifier = "edition.schedule.xml"
    extension = "xml"
    content_type = "application/xml; charset=utf-8"

    def get_data(self, obj: Document, request: HttpRequest | None = None) -> bytes:
        return schedule_xml(obj)

    def is_immutable(self, obj: Document) -> bool:
        return _archived(obj)


@register_exporter
class ScheduleJsonExporter(BaseExporter):
    identifier = "edition.schedule.json"
    extension = "json"
    content_type = "application/json"

    def get_data(self, obj: Document, request: HttpRequest | None = None) -> bytes:
        return json.dumps(schedule_data(obj), ensure_ascii=False, indent=1).encode()

    def is_immutable(self, obj: Document) -> bool:
        return _archived(obj)


class ICalExporter(BaseExporter):
    extension = "ics"
    content_type = "text/calendar; charset=utf-8"

    @abc.abstractmethod
    def calendar(self, obj: Any) -> Any:
        """The `icalendar.Calendar` of `obj`."""

    def get_data(self, obj: Any, request: HttpRequest | None = None) -> bytes:
        return self.calendar(obj).to_ical()


@register_exporter
class EditionICalExporter(ICalExporter):
    identifier = "edition.ics"
    calendar = staticmethod(calendars.edition_calendar)

    def is_immutable(self, obj: Document) -> bool:
        return _archived(obj)


@register_exporter
class SessionICalExporter(ICalExporter):
    identifier = "session.ics"

    def calendar(self, obj: tuple[Document, Document]) -> Any:
        return calendars.session_calendar(*obj)

    def is_immutable(self, obj: tuple[Document, Document]) -> bool:
        return _archived(obj[0])


@register_exporter
class SpeakerICalExporter(ICalExporter):
    identifier = "speaker.ics"
    calendar = staticmethod(calendars.speaker_calendar)


@register_exporter
class SeriesICalExporter(ICalExporter):
    identifier = "series.ics"
    calendar = staticmethod(calendars.series_calendar)


# -- loaders: visible stored documents only, else 404 (as the API answers) ------------------


def load_edition(edition_id: int) -> Document:
    return document_or_404("edition", edition_id)


def load_series(series_id: int) -> Document:
    return document_or_404("series", series_id)


def load_speaker(speaker_id: int) -> Document:
    return document_or_404("speaker", speaker_id)


def load_session(session_uuid: uuid.UUID) -> tuple[Document, Document]:
    """The session's document and its edition's (both visible: they expire together)."""
    session = document_or_404("session", session_uuid)
    return document_or_404("edition", session.data["edition"]["id"]), session
