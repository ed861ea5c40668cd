"""iCalendar (RFC 5545) programmes that elected officials subscribe to in their calendar app.

Every calendar is written from stored documents (`cms.documents`), never from pages: each
visible session document becomes one VEVENT, placed and organised by its edition document. The
UID is the session's block UUID, so a calendar app updates the event in place when the
programme changes.

Dates come from stored data only, so every process writes the same bytes: DTSTAMP,
LAST-MODIFIED, CREATED and SEQUENCE come from `SessionState` (a table `events.services` moves
forward when a publish changes a session's time, place, title or status, and which archive
bundles carry, so an imported archive writes the same calendar); a session without a state yet
uses its document's `last_modified`.
SEQUENCE is taken from `SessionState` rather than counted in the change log because RFC 5545
wants it to grow only when time, place, title or status change (not on every re-render), and
because log compaction drops old entries: a count would go down.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress

from cms.documents import Document, documents, linked_documents
from cms.public import public_base_url

from .blocks import PARTICIPANT_ROLES, SESSION_KINDS
from .models import SessionState

TIME_ZONE = "Europe/Paris"
ROLE_LABELS = dict(PARTICIPANT_ROLES)
KIND_LABELS = dict(SESSION_KINDS)


@dataclass(frozen=True)
class Occurrence:
    """One session document with the edition document it belongs to: one VEVENT."""

    edition: Document
    session: Document

    @property
    def start(self) -> datetime.datetime:
        return session_time(self.edition.data, self.session.data["start"])

    @property
    def end(self) -> datetime.datetime:
        return session_time(self.edition.data, self.session.data["end"])


def edition_zone(edition: dict[str, Any]) -> ZoneInfo:
    """The time zone an edition document's programme is printed in."""
    return ZoneInfo(edition.get("timezone") or TIME_ZONE)


def session_time(edition: dict[str, Any], value: str) -> datetime.datetime:
    """A session's ISO 8601 time in its edition's time zone."""
    return datetime.datetime.fromisoformat(value).astimezone(edition_zone(edition))


def kind_label(session: dict[str, Any]) -> str:
    """The session kind in the active language (the document's label when the kind is unknown).

    Translated here, in the document's locale, because documents hold the label in whatever
    language the publishing process had active.
    """
    return str(KIND_LABELS.get(session["kind"], session.get("kind_label") or session["kind"]))


def role_label(participant: dict[str, Any]) -> str:
    """A participant's role in the active language (see `kind_label`)."""
    role = participant["role"]
    return str(ROLE_LABELS.get(role, participant.get("role_label") or role))


def participant_lines(session: dict[str, Any]) -> list[str]:
    """« Role: Name, function at the time » for each participant of a session document.

    Documents only name public speakers (the pipeline leaves the others out), so nothing is
    filtered here.
    """
    lines = []
    for participant in session["participants"]:
        speaker = participant.get("speaker")
        if not speaker:
            continue
        line = _("%(role)s: %(name)s") % {"role": role_label(participant), "name": speaker["title"]}
        function = participant.get("function")
        lines.append(f"{line}, {function}" if function else line)
    return lines


def session_description(session: dict[str, Any]) -> str:
    """A session as plain text: kind, description, participants with roles and functions, URL."""
    parts = [kind_label(session)]
    if session["cancelled"]:
        parts[0] += " — " + _("Cancelled")
    parts.append(session["description"]["text"])
    lines = participant_lines(session)
    if lines:
        parts.append("\n".join([_("Participants:"), *(f"– {line}" for line in lines)]))
    parts.append(session["url"])
    return "\n\n".join(part for part in parts if part)


def session_location(edition: dict[str, Any], room: str) -> str:
    """Room, venue, host town — each once (a small town's venue is often named after it)."""
    parts: list[str] = []
    for part in (room, edition["venue"]["name"], edition["host_town"]["name"]):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts)


def organiser(edition: dict[str, Any]) -> vCalAddress | None:
    """The organiser named in the edition document's JSON-LD (the series' organiser, or else
    the organisation settings, with the organisation's e-mail), as rendered at publish time."""
    node = (edition.get("jsonld") or {}).get("organizer") or {}
    if not node.get("email"):
        return None
    address = vCalAddress(f"mailto:{node['email']}")
    if node.get("name"):
        address.params["cn"] = node["name"]
    return address


class _Context:
    """What several VEVENTs share: the session states and the host of the UIDs."""

    def __init__(self, occurrences: list[Occurrence]) -> None:
        uuids = [occurrence.session.object_id for occurrence in occurrences]
        self.states = {str(s.uuid): s for s in SessionState.objects.filter(uuid__in=uuids)}
        # UIDs must outlive any content change: they use the deployment's public host, the
        # host of every URL in the documents, never a value an editor can change.
        self.host = urlsplit(public_base_url()).hostname or "localhost"


def session_event(occurrence: Occurrence, ctx: _Context) -> Event:
    edition, session = occurrence.edition.data, occurrence.session.data
    state = ctx.states.get(occurrence.session.object_id)
    modified = state.modified_at if state is not None else occurrence.session.last_modified
    event = Event()
    event.add("uid", f"{session['id']}@{ctx.host}")
    event.add("dtstamp", modified)
    event.add("created", min(state.created_at, modified) if state else modified)
    event.add("last-modified", modified)
    event.add("sequence", state.sequence if state else 0)
    event.add("status", "CANCELLED" if session["cancelled"] else "CONFIRMED")
    event.add("dtstart", occurrence.start)
    event.add("dtend", occurrence.end)
    event.add("summary", session["title"])
    event.add("location", session_location(edition, session["room"]))
    venue = edition["venue"]
    if venue["latitude"] is not None and venue["longitude"] is not None:
        event.add("geo", (float(venue["latitude"]), float(venue["longitude"])))
    event.add("description", session_description(session))
    event.add("url", session["url"])
    address = organiser(edition)
    if address is not None:
        event.add("organizer", address)
    topics = [topic["name"] for topic in session["topics"] if topic]
    if topics:
        event.add("categories", topics)
    event.add("class", "PUBLIC")
    return event


def build_calendar(name: str, description: str, occurrences: Iterable[Occurrence]) -> Calendar:
    """A VCALENDAR of `occurrences`, with the Europe/Paris VTIMEZONE."""
    occurrences = list(occurrences)
    calendar = Calendar()
    calendar.add("prodid", "-//Assises//Programme//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", TIME_ZONE)
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    days = [occurrence.start.date() for occurrence in occurrences] or [datetime.date.today()]
    # Transitions around the sessions only: a short VTIMEZONE that every client understands.
    calendar.add_component(
        Timezone.from_tzid(
            TIME_ZONE,
            first_date=datetime.date(min(days).year, 1, 1),
            last_date=datetime.date(max(days).year + 1, 1, 1),
        )
    )
    ctx = _Context(occurrences)
    for occurrence in occurrences:
        with translation.override(occurrence.edition.data["locale"]):
            calendar.add_component(session_event(occurrence, ctx))
    return calendar


def occurrences(sessions: list[Document], editions: dict[str, Document]) -> list[Occurrence]:
    """Pair session documents with their (visible) edition documents, in programme order."""
    paired = [
        Occurrence(editions[str(session.data["edition"]["id"])], session)
        for session in sessions
        if str(session.data["edition"]["id"]) in editions
    ]
    paired.sort(key=lambda o: (o.edition.data["start_date"], o.start, o.session.object_id))
    return paired


def edition_calendar(edition: Document) -> Calendar:
    sessions = linked_documents("session", "edition", [edition.object_id])
    with translation.override(edition.data["locale"]):
        description = _("Programme of %(edition)s") % {"edition": edition.data["title"]}
    return build_calendar(
        edition.data["title"], description, occurrences(sessions, {edition.object_id: edition})
    )


def session_calendar(edition: Document, session: Document) -> Calendar:
    with translation.override(edition.data["locale"]):
        description = _("A session of %(edition)s") % {"edition": edition.data["title"]}
    return build_calendar(session.data["title"], description, [Occurrence(edition, session)])


def series_calendar(series: Document) -> Calendar:
    editions = linked_documents("edition", "series", [series.object_id])
    sessions = linked_documents("session", "edition", [e.object_id for e in editions])
    with translation.override(series.data["locale"]):
        description = _("Every published programme of %(series)s") % {
            "series": series.data["title"]
        }
    return build_calendar(
        series.data["title"],
        description,
        occurrences(sessions, {edition.object_id: edition for edition in editions}),
    )


def speaker_occurrences(speaker: Document) -> list[Occurrence]:
    """The speaker's sessions across editions: the session documents that name them."""
    sessions = linked_documents("session", "speaker", [speaker.object_id])
    editions = documents("edition", {session.data["edition"]["id"] for session in sessions})
    return occurrences(sessions, editions)


def speaker_calendar(speaker: Document) -> Calendar:
    name = speaker.data["name"]
    with translation.override(speaker.data["locale"]):
        title = _("Sessions with %(name)s") % {"name": name}
        description = _("Every published session in which %(name)s takes part") % {"name": name}
    return build_calendar(title, description, speaker_occurrences(speaker))
