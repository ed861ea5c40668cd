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

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.exporters import BaseExporter, page_url, register_exporter
from cms.public import absolute_url, html_to_text, public_base_url
from cms.visibility import public_pages

from . import calendars
from .blocks import SESSION_KINDS
from .jsonld import session_url, visible_speaker_ids
from .models import (
    PARIS,
    CongressEditionPage,
    CongressSeriesPage,
    ProgrammeSession,
    SpeakerPage,
)

TIME_ZONE = "Europe/Paris"
KIND_LABELS = dict(SESSION_KINDS)


def event_id(session_uuid: uuid.UUID | str) -> int:
    """A stable positive integer for apps that still want one (frab's deprecated `id`)."""
    return int(uuid.UUID(str(session_uuid)).hex[:7], 16) or 1


def conference_acronym(edition: CongressEditionPage) -> str:
    """`assises-2024-amboise`: the shape both c3voc validators accept."""
    series = edition.get_parent().specific
    base = slugify(getattr(series, "short_name", "") or series.title).replace("-", "_")[:30]
    base = (base or "congress").ljust(4, "_")
    town = re.sub(r"[^a-z]", "", slugify(edition.host_town))
    suffix = f"-{edition.start_date.year}-{town}" if town else f"_{edition.start_date.year}"
    return base + suffix


def _hhmm(delta: datetime.timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _short_slug(title: str, length: int = 50) -> str:
    slug = slugify(title)
    return slug if len(slug) <= length else slug[: length + 1].rsplit("-", 1)[0]


def _person(speaker: SpeakerPage) -> dict[str, Any]:
    """A frab person (`id` + `public_name`), with pretalx's biography and avatar."""
    return {
        "id": speaker.pk,
        "guid": str(speaker.translation_key),
        "public_name": speaker.title,
        "biography": html_to_text(speaker.biography),
        "avatar": absolute_url(speaker.photo.file.url) if speaker.photo else None,
        "url": page_url(speaker),
    }


def _event(edition: CongressEditionPage, session: dict[str, Any], ctx: dict) -> dict[str, Any]:
    value = session["value"]
    topics = [topic for topic in value["topics"] if topic is not None]
    ident = event_id(session["id"])
    persons, seen = [], set()
    for participant in value["participants"]:
        speaker = participant["speaker"]
        if speaker is not None and speaker.pk in ctx["speaker_ids"] and speaker.pk not in seen:
            seen.add(speaker.pk)
            persons.append(_person(speaker))
    description = value["description"].source if value["description"] else ""
    return {
        "guid": str(session["id"]),
        "id": ident,
        "date": session["start"].isoformat(),
        "start": session["start"].strftime("%H:%M"),
        "end": session["end"].isoformat(),
        "duration": _hhmm(session["end"] - session["start"]),
        "room": value["room"] or ctx["default_room"],
        "slug": f"{ctx['slug_prefix']}-{ident:07d}-{_short_slug(value['title'])}".rstrip("-_"),
        "url": session_url(edition, session),
        "title": value["title"],
        "subtitle": _("Cancelled") if value["cancelled"] else "",
        "track": topics[0].name if topics else None,
        "type": str(KIND_LABELS.get(value["kind"], value["kind"])),
        "language": edition.locale.language_code,
        "abstract": html_to_text(description),
        "description": calendars.session_description(edition, session, ctx["speaker_ids"]),
        "persons": persons,
        "links": [{"type": "related", "url": page_url(edition), "title": edition.title}],
        "attachments": [],
    }


def schedule_data(edition: CongressEditionPage) -> dict[str, Any]:
    """The whole schedule as the c3voc JSON document; the XML is written from the same data."""
    sessions = edition.sessions
    acronym = conference_acronym(edition)
    ctx = {
        "speaker_ids": visible_speaker_ids(sessions),
        "default_room": edition.venue_name or edition.host_town,
        "slug_prefix": acronym.replace("-", "_"),
    }
    with translation.override(edition.locale.language_code):
        events = [_event(edition, session, ctx) for session in sessions]
    room_names = list(dict.fromkeys(event["room"] for event in events))
    rooms = [
        {
            "name": name,
            "guid": str(uuid.uuid5(uuid.UUID(str(edition.translation_key)), f"room:{name}")),
        }
        | ({"slug": slugify(name)} if re.fullmatch(r"[a-z0-9_-]+[a-z0-9]", slugify(name)) else {})
        for name in room_names
    ]
    dates = {edition.start_date + datetime.timedelta(days=n) for n in range(_span(edition))}
    dates |= {session["start"].date() for session in sessions}
    days = []
    for index, day in enumerate(sorted(dates), start=1):
        todays = [e for e, s in zip(events, sessions, strict=True) if s["start"].date() == day]
        midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)
        starts = [s["start"] for s in sessions if s["start"].date() == day]
        ends = [s["end"] for s in sessions if s["start"].date() == day]
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": min(starts, default=midnight).isoformat(),
                "day_end": max(ends, default=midnight + datetime.timedelta(days=1)).isoformat(),
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
        "title": edition.title,
        "description": edition.summary,
        "start": min(dates).isoformat(),
        "end": max(dates).isoformat(),
        "daysCount": len(days),
        "timeslot_duration": "00:15",
        "time_zone_name": TIME_ZONE,
        "url": page_url(edition),
        "tracks": [{"name": name} for name in tracks],
        "rooms": rooms,
        "days": days,
    }
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": "Assises", "url": public_base_url() + "/"},
        "schedule": {
            "version": _version(edition),
            "base_url": public_base_url() + "/",
            "conference": conference,
        },
    }


def _version(edition: CongressEditionPage) -> str:
    """Apps show it to tell schedules apart: the moment the programme was last published."""
    stamp = edition.last_published_at or edition.latest_revision_created_at
    return stamp.isoformat(timespec="seconds") if stamp else "0"


def _span(edition: CongressEditionPage) -> int:
    return max(1, (edition.end_date - edition.start_date).days + 1)


def _text(parent: ElementTree.Element, tag: str, text: Any, **attributes: str) -> None:
    element = ElementTree.SubElement(parent, tag, attributes)
    element.text = "" if text is None else str(text)


def schedule_xml(edition: CongressEditionPage) -> bytes:
    """frab's `schedule.xml`, written from `schedule_data` so both formats always agree."""
    data = schedule_data(edition)
    schedule, conference = data["schedule"], data["schedule"]["conference"]
    root = ElementTree.Element("schedule")
    ElementTree.SubElement(root, "generator", {"name": "Assises"})
    _text(root, "url", absolute_url(reverse("edition_schedule_xml", args=[edition.pk])))
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


@register_exporter
class ScheduleXmlExporter(BaseExporter):
    identifier = "edition.schedule.xml"
    extension = "xml"
    content_type = "application/xml; charset=utf-8"

    def get_data(self, obj: CongressEditionPage, request: HttpRequest | None = None) -> bytes:
        return schedule_xml(obj)

    def is_immutable(self, obj: CongressEditionPage) -> bool:
        return obj.archived


@register_exporter
class ScheduleJsonExporter(BaseExporter):
    identifier = "edition.schedule.json"
    extension = "json"
    content_type = "application/json"

    def get_data(self, obj: CongressEditionPage, request: HttpRequest | None = None) -> bytes:
        return json.dumps(schedule_data(obj), ensure_ascii=False, indent=1).encode()

    def is_immutable(self, obj: CongressEditionPage) -> bool:
        return obj.archived


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

    def is_immutable(self, obj: CongressEditionPage) -> bool:
        return obj.archived


@register_exporter
class SessionICalExporter(ICalExporter):
    identifier = "session.ics"

    def calendar(self, obj: tuple[CongressEditionPage, dict[str, Any]]) -> Any:
        return calendars.session_calendar(*obj)

    def is_immutable(self, obj: tuple[CongressEditionPage, dict[str, Any]]) -> bool:
        return obj[0].archived


@register_exporter
class SpeakerICalExporter(ICalExporter):
    identifier = "speaker.ics"
    calendar = staticmethod(calendars.speaker_calendar)


@register_exporter
class SeriesICalExporter(ICalExporter):
    identifier = "series.ics"
    calendar = staticmethod(calendars.series_calendar)


# -- loaders: public objects only, else 404 -------------------------------------------------


def _visible_or_404(model: type, pk: int) -> Any:
    page = public_pages(model.objects.filter(pk=pk)).first()
    if page is None:
        raise Http404(f"No public {model._meta.model_name} {pk}.")
    return page


def load_edition(edition_id: int) -> CongressEditionPage:
    return _visible_or_404(CongressEditionPage, edition_id)


def load_series(series_id: int) -> CongressSeriesPage:
    return _visible_or_404(CongressSeriesPage, series_id)


def load_speaker(speaker_id: int) -> SpeakerPage:
    return _visible_or_404(SpeakerPage, speaker_id)


def load_session(session_uuid: uuid.UUID) -> tuple[CongressEditionPage, dict[str, Any]]:
    indexed = ProgrammeSession.objects.filter(uuid=session_uuid).first()
    if indexed is None:
        raise Http404("No published session with this identifier.")
    edition = load_edition(indexed.edition_id)
    for session in edition.sessions:
        if str(session["id"]) == str(session_uuid):
            return edition, session
    raise Http404("No published session with this identifier.")
