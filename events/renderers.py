"""Render series, editions (with sessions) and speakers into API documents on publish."""

import datetime
from typing import Any

from django.urls import NoReverseMatch, reverse

from cms.api.serializers import field_names, shape
from cms.models import OrganisationSettings
from cms.pipeline import DocumentRenderer, RenderContext, Rendered, register_renderer, source_key

from . import jsonld
from .blocks import PARTICIPANT_ROLES, SESSION_KINDS
from .models import PARIS, CongressEditionPage, CongressSeriesPage, Participation, SpeakerPage
from .serializers import (
    EditionItemSerializer,
    EditionSerializer,
    SeriesItemSerializer,
    SeriesSerializer,
    SessionItemSerializer,
    SessionSerializer,
    SpeakerItemSerializer,
    SpeakerSerializer,
)

ROLE_LABELS = dict(PARTICIPANT_ROLES)
KIND_LABELS = dict(SESSION_KINDS)


def page_meta(page, ctx: RenderContext, endpoint: str) -> dict[str, Any]:
    return {
        "url": ctx.page_url(page),
        "api_url": ctx.api_url(endpoint, page.pk),
        "locale": page.locale.language_code,
        "first_published_at": page.first_published_at,
    }


def page_ref(page, ctx: RenderContext, endpoint: str) -> dict[str, Any]:
    return {
        "id": page.pk,
        "title": page.title,
        "url": ctx.page_url(page),
        "api_url": ctx.api_url(endpoint, page.pk),
    }


def edition_ref(edition: CongressEditionPage, ctx: RenderContext) -> dict[str, Any]:
    return {
        **page_ref(edition, ctx, "editions"),
        "number": edition.number,
        "start_date": edition.start_date,
        "end_date": edition.end_date,
        "archived": edition.archived,
    }


def day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """[start of the first day, start of the day after the last) in Paris time."""
    return (
        datetime.datetime.combine(start, datetime.time(), tzinfo=PARIS),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=PARIS),
    )


def optional_url(name: str, **kwargs: Any) -> str | None:
    """An export URL, when the plugin serving it is installed."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


class SeriesRenderer(DocumentRenderer):
    kind = "series"
    model = CongressSeriesPage

    def render(self, series: CongressSeriesPage, ctx: RenderContext) -> list[Rendered]:
        ctx.depend_on_setting(series, OrganisationSettings)  # the JSON-LD organizer
        children = CongressEditionPage.objects.child_of(series).live()
        editions = [e for e in children.order_by("-start_date", "path") if ctx.is_public(e)]
        data = {
            "id": series.pk,
            "type": "series",
            "title": series.title,
            "slug": series.slug,
            "short_name": series.short_name,
            "organiser": series.organiser,
            "description": ctx.richtext(series.description),
            "editions": [edition_ref(e, ctx) for e in editions],
            "jsonld": jsonld.series_jsonld(series),
            **page_meta(series, ctx, "series"),
        }
        body = shape(SeriesSerializer, data)
        return [
            Rendered(
                kind=self.kind,
                object_id=str(series.pk),
                body=body,
                item_fields=field_names(SeriesItemSerializer),
                title=series.title,
                locale=data["locale"],
                path=ctx.page_path(series),
                expires_at=series.expire_at,
                search_text=f"{series.title}\n{data['description']['text']}",
            )
        ]


class EditionRenderer(DocumentRenderer):
    """An edition document embeds its whole programme; each session is also its own document."""

    kind = "edition"
    model = CongressEditionPage

    def sessions(self, edition: CongressEditionPage, ctx: RenderContext) -> list[dict[str, Any]]:
        sessions = []
        for session in edition.sessions:
            value = session["value"]
            topics = [t for t in value["topics"] if t is not None]
            participants = []
            for participant in value["participants"]:
                speaker = participant["speaker"]
                if speaker is None or not ctx.is_public(speaker):
                    continue
                speaker = speaker.specific
                participants.append(
                    {
                        "speaker": {
                            **page_ref(speaker, ctx, "speakers"),
                            "photo": ctx.image(speaker.photo),
                        },
                        "role": participant["role"],
                        "role_label": str(ROLE_LABELS.get(participant["role"], "")),
                        "function": participant["function"] or speaker.current_function,
                    }
                )
            sessions.append(
                {
                    "id": session["id"],
                    "type": "session",
                    "title": value["title"],
                    "kind": value["kind"],
                    "kind_label": str(KIND_LABELS.get(value["kind"], "")),
                    "start": session["start"],
                    "end": session["end"],
                    "room": value["room"] or "",
                    "description": ctx.richtext(value["description"]),
                    "cancelled": bool(value["cancelled"]),
                    "topics": [ctx.topic_ref(t) for t in topics],
                    "participants": participants,
                    "url": f"{ctx.page_url(edition)}#session-{session['id']}",
                    "api_url": ctx.api_url("sessions", session["id"]),
                }
            )
        return sessions

    def render(self, edition: CongressEditionPage, ctx: RenderContext) -> list[Rendered]:
        series = edition.get_parent().specific
        ctx.depend_on_setting(edition, OrganisationSettings)  # the JSON-LD organizer
        sessions = self.sessions(edition, ctx)
        links = {
            name: ctx.absolute(url)
            for name, url in {
                "calendar": optional_url("edition_ical", edition_id=edition.pk),
                "schedule_xml": optional_url("edition_schedule_xml", edition_id=edition.pk),
                "schedule_json": optional_url("edition_schedule_json", edition_id=edition.pk),
                "communiques_feed": optional_url(
                    "communiques_edition_feed_json", edition_id=edition.pk
                ),
            }.items()
            if url
        }
        data = {
            "id": edition.pk,
            "type": "edition",
            "title": edition.title,
            "slug": edition.slug,
            "number": edition.number,
            "theme": edition.theme,
            "tagline": edition.tagline,
            "start_date": edition.start_date,
            "end_date": edition.end_date,
            "timezone": "Europe/Paris",
            "archived": edition.archived,
            "host_town": {
                "name": edition.host_town,
                "insee_code": edition.host_town_insee,
                "departement": edition.departement,
                "region": edition.region,
            },
            "venue": {
                "name": edition.venue_name,
                "address": edition.venue_address,
                "latitude": edition.venue_latitude,
                "longitude": edition.venue_longitude,
            },
            "summary": edition.summary,
            "body": ctx.body(edition.body),
            "hero_image": ctx.image(edition.hero_image),
            "series": page_ref(series, ctx, "series") if ctx.is_public(series) else None,
            "documents": [
                {**ctx.document(d.document, d.title), "kind": d.kind}
                for d in edition.documents.select_related("document")
            ],
            "sessions": sessions,
            "links": links,
            "jsonld": jsonld.edition_jsonld(edition),
            **page_meta(edition, ctx, "editions"),
        }
        body = shape(EditionSerializer, data)
        start, end = day_bounds(edition.start_date, edition.end_date)
        topic_slugs = {t["slug"] for s in sessions for t in s["topics"]}
        speaker_ids = {p["speaker"]["id"] for s in sessions for p in s["participants"]}
        documents = [
            Rendered(
                kind=self.kind,
                object_id=str(edition.pk),
                body=body,
                item_fields=field_names(EditionItemSerializer),
                title=edition.title,
                locale=data["locale"],
                path=ctx.page_path(edition),
                sort_date=start,
                date_start=start,
                date_end=end,
                year=edition.start_date.year,
                number=edition.number,
                archived=edition.archived,
                expires_at=edition.expire_at,
                search_text="\n".join(
                    [edition.title, edition.theme, edition.summary, edition.host_town]
                    + [s["title"] for s in sessions]
                    + [body["body"]["text"]]
                ),
                links=[("topic", slug) for slug in topic_slugs]
                + [("speaker", str(pk)) for pk in speaker_ids]
                + [("series", str(series.pk))],
            )
        ]
        edition_reference = edition_ref(edition, ctx)
        for session in sessions:
            session_body = shape(
                SessionSerializer,
                {
                    **session,
                    "edition": edition_reference,
                    "jsonld": jsonld.session_jsonld(
                        edition, next(s for s in edition.sessions if s["id"] == session["id"])
                    ),
                },
            )
            documents.append(
                Rendered(
                    kind="session",
                    object_id=str(session["id"]),
                    body=session_body,
                    item_fields=field_names(SessionItemSerializer),
                    title=session["title"],
                    locale=data["locale"],
                    sort_date=session["start"],
                    date_start=session["start"],
                    date_end=session["end"],
                    year=session["start"].year,
                    archived=edition.archived,
                    expires_at=edition.expire_at,
                    search_text="\n".join(
                        [session["title"], session["description"]["text"], session["room"]]
                        + [p["speaker"]["title"] for p in session["participants"]]
                    ),
                    links=[("edition", str(edition.pk))]
                    + [("topic", t["slug"]) for t in session["topics"]]
                    + [("speaker", str(p["speaker"]["id"])) for p in session["participants"]]
                    + [("kind", session["kind"])],
                )
            )
        return documents

    def related_sources(self, edition: CongressEditionPage):
        """Speakers list their participations: new participants must be re-rendered too."""
        speaker_ids = {
            p["speaker"].pk
            for s in edition.sessions
            for p in s["value"]["participants"]
            if p["speaker"] is not None
        }
        return [f"page:{pk}" for pk in sorted(speaker_ids)] + [source_key(edition.get_parent())]


class SpeakerRenderer(DocumentRenderer):
    kind = "speaker"
    model = SpeakerPage

    def participations(self, speaker: SpeakerPage, ctx: RenderContext) -> list[dict[str, Any]]:
        rows = (
            Participation.objects.filter(speaker=speaker)
            .select_related("session__edition")
            .order_by(*Participation._meta.ordering)
        )
        participations = []
        for row in rows:
            edition = row.session.edition
            if not ctx.is_public(edition):
                continue
            participations.append(
                {
                    "edition": edition_ref(edition, ctx),
                    "session": {
                        "id": str(row.session.uuid),
                        "title": row.session.title,
                        "kind": row.session.kind,
                        "start": row.session.start.astimezone(PARIS).isoformat(),
                        "end": row.session.end.astimezone(PARIS).isoformat(),
                        "api_url": ctx.api_url("sessions", row.session.uuid),
                    },
                    "role": row.role,
                    "role_label": str(ROLE_LABELS.get(row.role, "")),
                    "function": row.function or speaker.current_function,
                }
            )
        return participations

    def render(self, speaker: SpeakerPage, ctx: RenderContext) -> list[Rendered]:
        participations = self.participations(speaker, ctx)
        data = {
            "id": speaker.pk,
            "type": "speaker",
            "name": speaker.title,
            "slug": speaker.slug,
            "honorific": speaker.honorific,
            "given_name": speaker.given_name,
            "family_name": speaker.family_name,
            "current_function": speaker.current_function,
            "organisation": speaker.organisation,
            "photo": ctx.image(speaker.photo),
            "biography": ctx.richtext(speaker.biography),
            "past_functions": list(
                speaker.past_functions.values("function", "organisation", "start_date", "end_date")
            ),
            "links": list(speaker.links.values("label", "url")),
            "participations": participations,
            "jsonld": jsonld.speaker_jsonld(speaker),
            **page_meta(speaker, ctx, "speakers"),
        }
        body = shape(SpeakerSerializer, data)
        return [
            Rendered(
                kind=self.kind,
                object_id=str(speaker.pk),
                body=body,
                item_fields=field_names(SpeakerItemSerializer),
                title=speaker.title,
                sort_title=f"{speaker.family_name} {speaker.given_name}",
                locale=data["locale"],
                path=ctx.page_path(speaker),
                expires_at=speaker.expire_at,
                search_text="\n".join(
                    [speaker.title, speaker.current_function, speaker.organisation]
                    + [data["biography"]["text"]]
                ),
                links=[("edition", str(p["edition"]["id"])) for p in participations],
            )
        ]


def register() -> None:
    for renderer in (SeriesRenderer(), EditionRenderer(), SpeakerRenderer()):
        register_renderer(renderer)
