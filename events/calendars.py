"""iCalendar (RFC 5545) programmes that elected officials subscribe to in their calendar app.

Each published session becomes one VEVENT whose UID is the session's block UUID, so a calendar
app updates the event in place when the programme changes; SEQUENCE and LAST-MODIFIED come from
`SessionState`, which `events.services` moves forward on every publish.
"""

import datetime
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress

from cms.jsonld import organisation_settings
from cms.public import html_to_text, public_base_url
from cms.visibility import public_pages

from .blocks import PARTICIPANT_ROLES, SESSION_KINDS
from .jsonld import session_url, visible_speaker_ids
from .models import (
    CongressEditionPage,
    CongressSeriesPage,
    ProgrammeSession,
    SessionState,
    SpeakerPage,
)

TIME_ZONE = "Europe/Paris"
ROLE_LABELS = dict(PARTICIPANT_ROLES)
KIND_LABELS = dict(SESSION_KINDS)

Pair = tuple[CongressEditionPage, dict[str, Any]]


def participant_lines(session: dict[str, Any], speaker_ids: set[int]) -> list[str]:
    """« Role: Name, function at the time » for each public participant of a session."""
    lines = []
    for participant in session["value"]["participants"]:
        speaker = participant["speaker"]
        if speaker is None or speaker.pk not in speaker_ids:
            continue
        line = _("%(role)s: %(name)s") % {
            "role": ROLE_LABELS.get(participant["role"], participant["role"]),
            "name": speaker.title,
        }
        function = participant["function"] or speaker.current_function
        lines.append(f"{line}, {function}" if function else line)
    return lines


def session_description(
    edition: CongressEditionPage, session: dict[str, Any], speaker_ids: set[int]
) -> str:
    """A session as plain text: kind, description, participants with roles and functions, URL."""
    value = session["value"]
    parts = [str(KIND_LABELS.get(value["kind"], value["kind"]))]
    if value["cancelled"]:
        parts[0] += " — " + _("Cancelled")
    if value["description"]:
        parts.append(html_to_text(value["description"].source))
    lines = participant_lines(session, speaker_ids)
    if lines:
        parts.append("\n".join([_("Participants:"), *(f"– {line}" for line in lines)]))
    parts.append(session_url(edition, session))
    return "\n\n".join(part for part in parts if part)


def session_location(edition: CongressEditionPage, room: str) -> str:
    """Room, venue, host town — each once (a small town's venue is often named after it)."""
    parts: list[str] = []
    for part in (room, edition.venue_name, edition.host_town):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts)


class _Context:
    """What several VEVENTs share: session states, visible speakers, organisers per edition."""

    def __init__(self, pairs: list[Pair]) -> None:
        uuids = [session["id"] for _edition, session in pairs]
        self.states = {str(s.uuid): s for s in SessionState.objects.filter(uuid__in=uuids)}
        self.speaker_ids = visible_speaker_ids([session for _edition, session in pairs])
        self.host = urlsplit(public_base_url()).hostname or "localhost"
        self.organisers: dict[int, vCalAddress | None] = {}

    def organiser(self, edition: CongressEditionPage) -> vCalAddress | None:
        if edition.pk not in self.organisers:
            org = organisation_settings(edition)
            series = edition.get_parent().specific
            name = getattr(series, "organiser", "") or (org.name if org else "")
            address = None
            if org is not None and org.email:
                address = vCalAddress(f"mailto:{org.email}")
                if name:
                    address.params["cn"] = name
            self.organisers[edition.pk] = address
        return self.organisers[edition.pk]


def session_event(edition: CongressEditionPage, session: dict[str, Any], ctx: _Context) -> Event:
    value = session["value"]
    state = ctx.states.get(str(session["id"]))
    created = state.created_at if state else edition.first_published_at
    modified = state.modified_at if state else edition.last_published_at
    event = Event()
    event.add("uid", f"{session['id']}@{ctx.host}")
    event.add("dtstamp", modified)
    event.add("created", created)
    event.add("last-modified", modified)
    event.add("sequence", state.sequence if state else 0)
    event.add("status", "CANCELLED" if value["cancelled"] else "CONFIRMED")
    event.add("dtstart", session["start"])
    event.add("dtend", session["end"])
    event.add("summary", value["title"])
    event.add("location", session_location(edition, value["room"]))
    if edition.venue_latitude is not None and edition.venue_longitude is not None:
        event.add("geo", (float(edition.venue_latitude), float(edition.venue_longitude)))
    event.add("description", session_description(edition, session, ctx.speaker_ids))
    event.add("url", session_url(edition, session))
    organiser = ctx.organiser(edition)
    if organiser is not None:
        event.add("organizer", organiser)
    topics = [topic.name for topic in value["topics"] if topic is not None]
    if topics:
        event.add("categories", topics)
    event.add("class", "PUBLIC")
    return event


def build_calendar(name: str, description: str, pairs: Iterable[Pair]) -> Calendar:
    """A VCALENDAR of `pairs` (edition, session), with the Europe/Paris VTIMEZONE."""
    pairs = list(pairs)
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
    days = [session["start"].date() for _edition, session in pairs] or [datetime.date.today()]
    # Transitions around the sessions only: a short VTIMEZONE that every client understands.
    calendar.add_component(
        Timezone.from_tzid(
            TIME_ZONE,
            first_date=datetime.date(min(days).year, 1, 1),
            last_date=datetime.date(max(days).year + 1, 1, 1),
        )
    )
    ctx = _Context(pairs)
    for edition, session in pairs:
        with translation.override(edition.locale.language_code):
            calendar.add_component(session_event(edition, session, ctx))
    return calendar


def edition_calendar(edition: CongressEditionPage) -> Calendar:
    with translation.override(edition.locale.language_code):
        description = _("Programme of %(edition)s") % {"edition": edition.title}
    return build_calendar(edition.title, description, [(edition, s) for s in edition.sessions])


def session_calendar(edition: CongressEditionPage, session: dict[str, Any]) -> Calendar:
    with translation.override(edition.locale.language_code):
        description = _("A session of %(edition)s") % {"edition": edition.title}
    return build_calendar(session["value"]["title"], description, [(edition, session)])


def series_calendar(series: CongressSeriesPage) -> Calendar:
    editions = public_pages(CongressEditionPage.objects.child_of(series)).order_by("start_date")
    pairs = [(edition, session) for edition in editions for session in edition.sessions]
    with translation.override(series.locale.language_code):
        description = _("Every published programme of %(series)s") % {"series": series.title}
    return build_calendar(series.title, description, pairs)


def speaker_sessions(speaker: SpeakerPage) -> list[Pair]:
    """The speaker's published sessions across editions, from the programme index."""
    indexed = ProgrammeSession.objects.filter(participations__speaker=speaker).values_list(
        "uuid", "edition_id"
    )
    uuids = {str(uuid) for uuid, _edition_id in indexed}
    edition_ids = {edition_id for _uuid, edition_id in indexed}
    editions = public_pages(CongressEditionPage.objects.filter(pk__in=edition_ids)).order_by(
        "start_date"
    )
    return [
        (edition, session)
        for edition in editions
        for session in edition.sessions
        if str(session["id"]) in uuids
    ]


def speaker_calendar(speaker: SpeakerPage) -> Calendar:
    with translation.override(speaker.locale.language_code):
        name = _("Sessions with %(name)s") % {"name": speaker.title}
        description = _("Every published session in which %(name)s takes part") % {
            "name": speaker.title
        }
    return build_calendar(name, description, speaker_sessions(speaker))
