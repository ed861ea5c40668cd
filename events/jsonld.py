"""schema.org JSON-LD for congresses: what search engines and agendas read from our pages.

Pure functions of published model instances. The API embeds them in its documents under
`jsonld`, so the signatures are part of the contract. Only public pages are referenced: an
unpublished, private or expired speaker or edition is left out of every embedded list.
"""

from typing import Any

from django.utils import translation

from cms.exporters import page_url
from cms.jsonld import SCHEMA_ORG, compact, image_jsonld, organization_jsonld, topic_jsonld
from cms.pipeline.batch import memo
from cms.public import html_to_text
from cms.visibility import public_pages

from .blocks import PARTICIPANT_ROLES
from .models import CongressEditionPage, CongressSeriesPage, SpeakerPage

SCHEDULED = "https://schema.org/EventScheduled"
CANCELLED = "https://schema.org/EventCancelled"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
ROLE_LABELS = dict(PARTICIPANT_ROLES)


def session_url(edition: CongressEditionPage, session: dict[str, Any]) -> str:
    """The session's anchor on its edition's page (the page template sets the same id)."""
    return f"{page_url(edition)}#session-{session['id']}"


def visible_speaker_ids(sessions: list[dict[str, Any]]) -> set[int]:
    """The speakers of `sessions` that may be shown, in one query."""
    ids = {
        participant["speaker"].pk
        for session in sessions
        for participant in session["value"]["participants"]
        if participant["speaker"] is not None
    }
    if not ids:
        return set()
    return set(public_pages(SpeakerPage.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def _language(page: Any) -> str:
    return page.locale.language_code


def _series(edition: CongressEditionPage) -> CongressSeriesPage | None:
    parent = edition.get_parent()
    if parent is None:
        return None
    return public_pages(CongressSeriesPage.objects.filter(pk=parent.pk)).first()


def _address(edition: CongressEditionPage) -> dict[str, Any]:
    street = edition.venue_address if edition.venue_address != edition.host_town else ""
    return compact(
        {
            "@type": "PostalAddress",
            "streetAddress": street,
            "addressLocality": edition.host_town,
            "addressRegion": edition.region,
            "addressCountry": "FR",
        }
    )


def _town(edition: CongressEditionPage) -> dict[str, Any]:
    """The host town inside its département and région (French addresses have no such field)."""
    area: dict[str, Any] | None = None
    for name in (edition.region, edition.departement):
        if name:
            area = compact({"@type": "AdministrativeArea", "name": name, "containedInPlace": area})
    insee = None
    if edition.host_town_insee:
        insee = {"@type": "PropertyValue", "propertyID": "INSEE", "value": edition.host_town_insee}
    return compact(
        {"@type": "City", "name": edition.host_town, "identifier": insee, "containedInPlace": area}
    )


def place_jsonld(edition: CongressEditionPage, room: str = "") -> dict[str, Any]:
    """The venue (or a room of it) as a `Place` with its postal address and coordinates."""
    geo = None
    if edition.venue_latitude is not None and edition.venue_longitude is not None:
        geo = {
            "@type": "GeoCoordinates",
            "latitude": float(edition.venue_latitude),
            "longitude": float(edition.venue_longitude),
        }
    return compact(
        {
            "@type": "Place",
            "name": room or edition.venue_name or edition.host_town,
            "address": _address(edition),
            "geo": geo,
            "containedInPlace": _town(edition),
        }
    )


def person_node(speaker: SpeakerPage, job_title: str = "") -> dict[str, Any]:
    """A `Person` without `@context`, for embedding; `job_title` is the function at the time.

    Built once per speaker and function in a rendering batch (a keynote speaker appears in
    hundreds of communiqués); the nodes are never modified after building."""
    return memo(("person", speaker.pk, job_title), lambda: _person_node(speaker, job_title))


def _person_node(speaker: SpeakerPage, job_title: str) -> dict[str, Any]:
    url = page_url(speaker)
    works_for = None
    if speaker.organisation:
        works_for = {"@type": "Organization", "name": speaker.organisation}
    return compact(
        {
            "@type": "Person",
            "@id": url,
            "url": url,
            "name": speaker.title,
            "givenName": speaker.given_name,
            "familyName": speaker.family_name,
            "honorificPrefix": speaker.honorific,
            "jobTitle": job_title or speaker.current_function,
            "worksFor": works_for,
            "image": image_jsonld(speaker.photo),
            "description": html_to_text(speaker.biography),
            "sameAs": [link.url for link in speaker.links.all()],
        }
    )


def speaker_jsonld(speaker: SpeakerPage) -> dict[str, Any]:
    """A speaker as a schema.org `Person`."""
    return {"@context": SCHEMA_ORG, **person_node(speaker)}


def _session(
    edition: CongressEditionPage, session: dict[str, Any], speaker_ids: set[int]
) -> dict[str, Any]:
    value = session["value"]
    url = session_url(edition, session)
    performers = []
    for participant in value["participants"]:
        speaker = participant["speaker"]
        if speaker is None or speaker.pk not in speaker_ids:
            continue
        performers.append(
            {
                "@type": "Role",
                "roleName": str(ROLE_LABELS.get(participant["role"], participant["role"])),
                "performer": person_node(speaker, participant["function"]),
            }
        )
    return compact(
        {
            "@type": "Event",
            "@id": url,
            "url": url,
            "identifier": str(session["id"]),
            "name": value["title"],
            "description": html_to_text(
                value["description"].source if value["description"] else ""
            ),
            "startDate": session["start"].isoformat(),
            "endDate": session["end"].isoformat(),
            "eventStatus": CANCELLED if value["cancelled"] else SCHEDULED,
            "eventAttendanceMode": OFFLINE,
            "location": place_jsonld(edition, value["room"]),
            "superEvent": {"@type": "Event", "@id": page_url(edition), "name": edition.title},
            "performer": performers,
            "about": [topic_jsonld(topic) for topic in value["topics"] if topic is not None],
            "inLanguage": _language(edition),
        }
    )


def session_jsonld(edition: CongressEditionPage, session: dict[str, Any]) -> dict[str, Any]:
    """One session (an item of `edition.sessions`) as an `Event`, its edition as `superEvent`."""
    with translation.override(_language(edition)):
        return {
            "@context": SCHEMA_ORG,
            **_session(edition, session, visible_speaker_ids([session])),
        }


def edition_reference(edition: CongressEditionPage) -> dict[str, Any]:
    """A short `Event` for an edition mentioned elsewhere (a series, a communiqué)."""
    url = page_url(edition)
    return compact(
        {
            "@type": "Event",
            "@id": url,
            "url": url,
            "name": edition.title,
            "startDate": edition.start_date.isoformat(),
            "endDate": edition.end_date.isoformat(),
            "location": place_jsonld(edition),
        }
    )


def _series_node(series: CongressSeriesPage) -> dict[str, Any]:
    url = page_url(series)
    return compact(
        {
            "@type": "EventSeries",
            "@id": url,
            "url": url,
            "name": series.title,
            "alternateName": series.short_name,
            "description": html_to_text(series.description),
            "organizer": organization_jsonld(series, series.organiser),
        }
    )


def edition_jsonld(edition: CongressEditionPage) -> dict[str, Any]:
    """An edition as an `Event`: place, organiser, status, and its sessions as `subEvent`."""
    series = _series(edition)
    sessions = edition.sessions
    speaker_ids = visible_speaker_ids(sessions)
    with translation.override(_language(edition)):
        sub_events = [_session(edition, session, speaker_ids) for session in sessions]
    return {
        "@context": SCHEMA_ORG,
        **compact(
            {
                **edition_reference(edition),
                "description": edition.summary,
                "about": {"@type": "Thing", "name": edition.theme} if edition.theme else None,
                "eventStatus": SCHEDULED,
                "eventAttendanceMode": OFFLINE,
                "organizer": organization_jsonld(edition, series.organiser if series else ""),
                "image": image_jsonld(edition.hero_image),
                "superEvent": _series_node(series) if series else None,
                "subEvent": sub_events,
                "inLanguage": _language(edition),
            }
        ),
    }


def series_jsonld(series: CongressSeriesPage) -> dict[str, Any]:
    """A congress series as an `EventSeries` listing its public editions, newest first."""
    editions = public_pages(CongressEditionPage.objects.child_of(series)).order_by("-start_date")
    return {
        "@context": SCHEMA_ORG,
        **_series_node(series),
        **compact({"subEvent": [edition_reference(edition) for edition in editions]}),
    }
