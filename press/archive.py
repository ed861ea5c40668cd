"""The press office in an archive bundle: the communiqués about the archived editions.

Communiqués related to the selected editions come with their press room, the people they
mention, their press contacts (and the press office's default ones) and the edition feeds
(JSON Feed, RSS, Atom) as the site serves them. On import, contacts are matched by e-mail.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.models import Page, Site

from cms.archive import Archiver, DocumentReader, IndexSection, Selection, SitePage
from cms.archive.importer import ImportContext
from cms.archive.pages import import_page, instance_from_entry, snippet_entry
from cms.archive.site import site_path
from cms.archive.verify import Bundle
from cms.public import page_url
from cms.visibility import public_pages, public_snippets
from events.archive import add_download, edition_key
from events.models import CongressEditionPage, SpeakerPage

from .models import (
    CommuniqueEdition,
    CommuniquePage,
    DefaultPressContact,
    PressContact,
    PressIndexPage,
    PressSettings,
)

FEEDS = (
    ("json", gettext_lazy("Press releases (JSON Feed)")),
    ("rss", gettext_lazy("Press releases (RSS)")),
    ("atom", gettext_lazy("Press releases (Atom)")),
)


class PressArchiver(Archiver):
    name = "press"
    order = 20
    page_models = (PressIndexPage, CommuniquePage)
    record_models = (PressContact, PressSettings)
    # what an import could not check, for the editors who finish it; ImportRecord (which file
    # made which page) is not written either: it only serves the next import of this site
    editor_only = {CommuniquePage: ("import_review",)}

    # -- export -------------------------------------------------------------------------------

    def select(self, selection: Selection) -> None:
        editions = [e.pk for e in selection.pages_of(CongressEditionPage)]
        linked = CommuniqueEdition.objects.filter(edition_id__in=editions).values("page_id")
        for communique in public_pages(CommuniquePage.objects.filter(pk__in=linked)).order_by(
            "path"
        ):
            selection.add_page(communique)
            mentioned = communique.mentioned_speakers.values("speaker_id")
            for speaker in public_pages(SpeakerPage.objects.filter(pk__in=mentioned)):
                selection.add_page(speaker)

    def complete(self, selection: Selection) -> None:
        contacts = set(selection.references.get("assises_press.presscontact", ()))
        sites = selection.extra.get("sites", [])
        defaults = DefaultPressContact.objects.filter(settings__site__in=sites)
        contacts |= set(defaults.values_list("contact_id", flat=True))
        published = public_snippets(PressContact.objects.filter(pk__in=contacts))
        for pk in published.values_list("pk", flat=True):
            selection.add_snippet("assises_press.presscontact", pk)
        for edition in self.editions_with_communiques(selection):
            key = edition_key(selection, edition)
            for fmt, label in FEEDS:
                add_download(selection, edition, label, f"feeds/{key}.{fmt}")
        selection.counts.update(
            communiques=len(selection.pages_of(CommuniquePage)),
            contacts=len(selection.snippets["assises_press.presscontact"]),
        )

    def data(self, selection: Selection) -> dict[str, Any]:
        contacts = PressContact.objects.filter(
            pk__in=selection.snippets["assises_press.presscontact"]
        )
        settings = PressSettings.objects.filter(site__in=selection.extra.get("sites", []))
        return {
            "press_indexes": [selection.entry(p) for p in selection.pages_of(PressIndexPage)],
            "communiques": [selection.entry(p) for p in selection.pages_of(CommuniquePage)],
            "contacts": [
                snippet_entry(contact, selection.public_references())
                for contact in contacts.order_by("pk")
            ],
            "press_settings": [
                {
                    "site_root": row.site.root_page_id,
                    "default_contacts": [d.contact_id for d in row.default_contacts.all()],
                }
                for row in settings.order_by("site_id")
            ],
        }

    @staticmethod
    def editions_with_communiques(selection: Selection) -> list[CongressEditionPage]:
        """An empty feed is dated « now » by its generator: only non-empty feeds are archived."""
        linked = set(
            CommuniqueEdition.objects.filter(
                page_id__in=[p.pk for p in selection.pages_of(CommuniquePage)]
            ).values_list("edition_id", flat=True)
        )
        return [e for e in selection.pages_of(CongressEditionPage) if e.pk in linked]

    def exports(self, selection: Selection) -> Iterator[tuple[str, str]]:
        for edition in self.editions_with_communiques(selection):
            key = edition_key(selection, edition)
            for fmt, _label in FEEDS:
                url = reverse(f"communiques_edition_feed_{fmt}", kwargs={"edition_id": edition.pk})
                yield f"feeds/{key}.{fmt}", url

    def site_pages(self, selection: Selection, documents: DocumentReader) -> Iterator[SitePage]:
        communiques = sorted(
            (
                {**doc, "published": datetime.date.fromisoformat(doc["publication_date"])}
                for doc in documents.of_kind("communique")
            ),
            key=lambda d: (d["published"], d["id"]),
            reverse=True,
        )
        for doc in communiques:
            yield SitePage(
                site_path(doc["url"])[1:],
                "assises/archive/communique.html",
                {"communique": doc, "publication_date": doc["published"]},
                url=doc["url"],
            )
        for room in selection.pages_of(PressIndexPage):
            url = page_url(room)
            listed = [doc for doc in communiques if doc["url"].startswith(url)]
            yield SitePage(
                site_path(url)[1:],
                "assises/archive/communiques.html",
                {"room": room, "communiques": listed},
                url=url,
            )

    def index_sections(
        self, selection: Selection, documents: DocumentReader
    ) -> Iterator[IndexSection]:
        rooms = selection.pages_of(PressIndexPage)
        if rooms:
            links = [(room.title, site_path(page_url(room))) for room in rooms]
            yield IndexSection(40, gettext_lazy("Press releases"), links)

    # -- import -------------------------------------------------------------------------------

    def import_data(self, bundle: Bundle, context: ImportContext) -> None:
        data = bundle.read_json("data/press.json")
        if not data:
            return
        ids, report = context.ids, context.report
        for entry in data["contacts"]:
            contact = self.match_contact(entry["fields"])
            if contact is None:
                contact = instance_from_entry(PressContact, entry, ids)
                contact.save()
                report.created("assises_press.presscontact")
            else:
                report.kept("assises_press.presscontact")
            ids.set("assises_press.presscontact", entry["id"], contact.pk)
        for entry in data["press_settings"]:
            site = Site.objects.filter(root_page_id=ids.get("page", entry["site_root"])).first()
            if site is None:
                continue
            settings = PressSettings.for_site(site)
            if settings.default_contacts.exists():
                continue
            for position, contact_id in enumerate(entry["default_contacts"]):
                mapped = ids.get("assises_press.presscontact", contact_id)
                if mapped is not None:
                    DefaultPressContact.objects.create(
                        settings=settings, contact_id=mapped, sort_order=position
                    )
        for entry in data["press_indexes"]:
            import_page(entry, ids, report, match=self.match_room, urls=context.urls)
        for entry in data["communiques"]:
            import_page(entry, ids, report, urls=context.urls)

    @staticmethod
    def match_contact(fields: dict[str, Any]) -> PressContact | None:
        """The same person by e-mail (case aside); by name only when there is no e-mail."""
        if fields.get("email"):
            return PressContact.objects.filter(email__iexact=fields["email"]).first()
        return PressContact.objects.filter(name=fields["name"], email="").first()

    @staticmethod
    def match_room(entry: dict[str, Any], parent: Page) -> PressIndexPage | None:
        return PressIndexPage.objects.child_of(parent).first()
