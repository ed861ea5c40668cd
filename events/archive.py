"""Congresses in an archive bundle: editions with their programme, series, speakers.

`--edition` (id or slug, repeatable) or `--all` choose the editions; their series, the speakers
of their programmes and the speaker index come along. Calendars and frab schedules are copied
as the site serves them; the static site gets a page per edition, its programme, and a page
per speaker. On import, session states (calendar SEQUENCE, LAST-MODIFIED) come back first so
that publishing the programme again does not move them.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from cms.archive import Archiver, BundleError, DocumentReader, IndexSection, Selection, SitePage
from cms.archive.importer import ImportContext
from cms.archive.pages import import_page
from cms.archive.site import site_path
from cms.archive.verify import Bundle
from cms.public import page_url
from cms.visibility import public_pages

from .models import (
    CongressEditionPage,
    CongressSeriesPage,
    SessionState,
    SpeakerIndexPage,
    SpeakerPage,
)


def find_editions(refs: list[str]) -> list[CongressEditionPage]:
    """Published editions by id or slug; BundleError naming an unknown or ambiguous one."""
    editions = []
    for ref in refs:
        queryset = public_pages(CongressEditionPage.objects.all())
        found = list(queryset.filter(pk=int(ref)) if ref.isdigit() else queryset.filter(slug=ref))
        if not found:
            raise BundleError(_("No published edition %(ref)s.") % {"ref": ref})
        if len(found) > 1:
            raise BundleError(
                _("Several editions are called %(ref)s; give one of their ids: %(ids)s.")
                % {"ref": ref, "ids": ", ".join(str(e.pk) for e in found)}
            )
        editions.append(found[0])
    return editions


def edition_key(selection: Selection, edition: CongressEditionPage) -> str:
    """The edition's name in bundle paths: its slug, prefixed by its series' if two clash."""
    slugs = [e.slug for e in selection.pages_of(CongressEditionPage)]
    if slugs.count(edition.slug) > 1:
        return f"{edition.get_parent().slug}-{edition.slug}"
    return edition.slug


def add_download(selection: Selection, edition: Page, label: Any, path: str) -> None:
    """Offer a file of the bundle (calendar, schedule, feed) on the edition's static page."""
    selection.extra.setdefault("downloads", defaultdict(list))[edition.pk].append((label, path))


def normalised_name(given: str, family: str) -> str:
    """« Christophe BÉCHU » and « christophe béchu » are one person."""
    text = unicodedata.normalize("NFKD", f"{given} {family}".casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("-", " ").split())


def _aware(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


class EventsArchiver(Archiver):
    name = "events"
    order = 10
    page_models = (CongressSeriesPage, CongressEditionPage, SpeakerIndexPage, SpeakerPage)
    record_models = (SessionState,)

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--edition",
            action="append",
            default=[],
            metavar="ID_OR_SLUG",
            help=gettext_lazy("An edition to archive (id or slug); repeat for several."),
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help=gettext_lazy("Every published edition of every series."),
        )

    # -- export -------------------------------------------------------------------------------

    def select(self, selection: Selection) -> None:
        options = selection.options
        if options.get("all"):
            editions = list(public_pages(CongressEditionPage.objects.all()).order_by("path"))
        else:
            editions = find_editions([str(ref) for ref in options.get("edition") or []])
        for edition in editions:
            selection.add_page(edition)
            series = edition.get_parent().specific
            if public_pages(CongressSeriesPage.objects.filter(pk=series.pk)).exists():
                selection.add_page(series)
            speaker_ids = {
                p["speaker"].pk
                for s in edition.sessions
                for p in s["value"]["participants"]
                if p["speaker"] is not None
            }
            for speaker in public_pages(SpeakerPage.objects.filter(pk__in=speaker_ids)):
                selection.add_page(speaker)

    def complete(self, selection: Selection) -> None:
        speakers = selection.pages_of(SpeakerPage)
        for speaker in speakers:
            index = speaker.get_parent().specific
            if index.pk not in selection.pages:
                selection.add_page(index)
        editions = selection.pages_of(CongressEditionPage)
        for edition in editions:
            key = edition_key(selection, edition)
            add_download(
                selection, edition, gettext_lazy("Calendar (iCalendar)"), f"calendar/{key}.ics"
            )
            add_download(
                selection,
                edition,
                gettext_lazy("Schedule (frab XML)"),
                f"schedule/{key}/schedule.xml",
            )
            add_download(
                selection,
                edition,
                gettext_lazy("Schedule (frab JSON)"),
                f"schedule/{key}/schedule.json",
            )
        selection.counts.update(
            editions=len(editions),
            sessions=sum(len(edition.sessions) for edition in editions),
            speakers=len(speakers),
        )

    def data(self, selection: Selection) -> dict[str, Any]:
        uuids = [s["id"] for e in selection.pages_of(CongressEditionPage) for s in e.sessions]
        states = SessionState.objects.filter(uuid__in=uuids).order_by("uuid")
        return {
            "speaker_indexes": [selection.entry(p) for p in selection.pages_of(SpeakerIndexPage)],
            "speakers": [selection.entry(p) for p in selection.pages_of(SpeakerPage)],
            "series": [selection.entry(p) for p in selection.pages_of(CongressSeriesPage)],
            "editions": [selection.entry(p) for p in selection.pages_of(CongressEditionPage)],
            "session_states": [
                {
                    "uuid": str(state.uuid),
                    "schedule_fingerprint": state.schedule_fingerprint,
                    "content_fingerprint": state.content_fingerprint,
                    "sequence": state.sequence,
                    "created_at": state.created_at,
                    "modified_at": state.modified_at,
                }
                for state in states
            ],
        }

    def exports(self, selection: Selection) -> Iterator[tuple[str, str]]:
        for edition in selection.pages_of(CongressEditionPage):
            key, kwargs = edition_key(selection, edition), {"edition_id": edition.pk}
            yield f"calendar/{key}.ics", reverse("edition_ical", kwargs=kwargs)
            yield f"schedule/{key}/schedule.xml", reverse("edition_schedule_xml", kwargs=kwargs)
            yield f"schedule/{key}/schedule.json", reverse("edition_schedule_json", kwargs=kwargs)

    def identifiers(self, selection: Selection) -> Iterator[tuple[str, str]]:
        for edition in selection.pages_of(CongressEditionPage):
            yield page_url(edition), edition.title

    def site_pages(self, selection: Selection, documents: DocumentReader) -> Iterator[SitePage]:
        downloads = selection.extra.get("downloads", {})
        editions = {}
        for edition in selection.pages_of(CongressEditionPage):
            doc = documents.get("edition", edition.pk)
            if doc is not None:
                editions[edition.pk] = doc
        programme_paths = {
            pk: site_path(doc["url"]).replace("/index.html", "/programme.html")
            for pk, doc in editions.items()
        }
        for pk, doc in editions.items():
            yield SitePage(
                site_path(doc["url"])[1:],
                "assises/archive/edition.html",
                {
                    "edition": doc,
                    "start_date": datetime.date.fromisoformat(doc["start_date"]),
                    "end_date": datetime.date.fromisoformat(doc["end_date"]),
                    "programme_path": programme_paths[pk],
                    "downloads": [(label, "/" + path) for label, path in downloads.get(pk, [])],
                },
                url=doc["url"],
            )
            yield SitePage(
                programme_paths[pk][1:],
                "assises/archive/programme.html",
                {"edition": doc, "days": self.days(doc["sessions"])},
            )
        for series in selection.pages_of(CongressSeriesPage):
            doc = documents.get("series", series.pk)
            if doc is not None:
                listed = [e for e in doc["editions"] if e["id"] in editions]
                yield SitePage(
                    site_path(doc["url"])[1:],
                    "assises/archive/series.html",
                    {"series": doc, "editions": listed},
                    url=doc["url"],
                )
        speakers = sorted(
            documents.of_kind("speaker"), key=lambda d: (d["family_name"], d["given_name"])
        )
        for doc in speakers:
            participations = [
                {
                    **p,
                    "programme": programme_paths.get(p["edition"]["id"], ""),
                    "start": _aware(p["session"]["start"]),
                }
                for p in doc["participations"]
            ]
            yield SitePage(
                site_path(doc["url"])[1:],
                "assises/archive/speaker.html",
                {"speaker": doc, "participations": participations},
                url=doc["url"],
            )
        for index in selection.pages_of(SpeakerIndexPage):
            url = page_url(index)  # the index has no document of its own
            listed = [doc for doc in speakers if doc["url"].startswith(url)]
            yield SitePage(
                site_path(url)[1:],
                "assises/archive/speakers.html",
                {"index": index, "speakers": listed},
                url=url,
            )

    @staticmethod
    def days(sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Sessions grouped by day (Paris time), with datetimes the templates can format."""
        timed = [
            {**s, "start_at": _aware(s["start"]), "end_at": _aware(s["end"])} for s in sessions
        ]
        return [
            {"date": day, "sessions": list(group)}
            for day, group in groupby(timed, key=lambda s: s["start_at"].date())
        ]

    def index_sections(
        self, selection: Selection, documents: DocumentReader
    ) -> Iterator[IndexSection]:
        for order, series in enumerate(selection.pages_of(CongressSeriesPage)):
            editions = sorted(
                selection.pages_of(CongressEditionPage), key=lambda e: e.start_date, reverse=True
            )
            links = [
                (edition.title, site_path(documents.get("edition", edition.pk)["url"]))
                for edition in editions
                if edition.get_parent().pk == series.pk and documents.get("edition", edition.pk)
            ]
            yield IndexSection(10 + order, series.title, links)
        indexes = selection.pages_of(SpeakerIndexPage)
        if indexes:
            yield IndexSection(
                50,
                gettext_lazy("Speakers"),
                [(index.title, site_path(page_url(index))) for index in indexes],
            )

    # -- import -------------------------------------------------------------------------------

    def import_data(self, bundle: Bundle, context: ImportContext) -> None:
        data = bundle.read_json("data/events.json")
        if not data:
            return
        for entry in data["session_states"]:
            if SessionState.objects.filter(uuid=entry["uuid"]).exists():
                continue
            state = SessionState.objects.create(
                uuid=entry["uuid"],
                schedule_fingerprint=entry["schedule_fingerprint"],
                content_fingerprint=entry["content_fingerprint"],
                sequence=entry["sequence"],
                modified_at=entry["modified_at"],
            )
            SessionState.objects.filter(uuid=state.uuid).update(created_at=entry["created_at"])
        ids, report, urls = context.ids, context.report, context.urls
        for entry in data["speaker_indexes"]:
            import_page(entry, ids, report, match=self.match_index, urls=urls)
        for entry in data["speakers"]:
            import_page(entry, ids, report, match=self.match_speaker, urls=urls)
        for entry in data["series"] + data["editions"]:
            page = import_page(entry, ids, report, urls=urls)
            if isinstance(page, CongressEditionPage) and page.archived and not page.locked:
                CongressEditionPage.objects.filter(pk=page.pk).update(
                    locked=True, locked_at=timezone.now()
                )

    @staticmethod
    def match_index(entry: dict[str, Any], parent: Page) -> SpeakerIndexPage | None:
        """One directory of people per site: the existing one takes the archived speakers."""
        return SpeakerIndexPage.objects.child_of(parent).first()

    @staticmethod
    def match_speaker(entry: dict[str, Any], parent: Page) -> SpeakerPage | None:
        """The same person already in the directory, whatever the accents or capitals."""
        wanted = normalised_name(entry["fields"]["given_name"], entry["fields"]["family_name"])
        for speaker in SpeakerPage.objects.child_of(parent):
            if normalised_name(speaker.given_name, speaker.family_name) == wanted:
                return speaker
        return None
