"""Render communiqués and press contacts into API documents on publish."""

import datetime
from typing import Any

from django.db.models import prefetch_related_objects

from cms.api.serializers import field_names, shape
from cms.models import OrganisationSettings
from cms.pipeline import DocumentRenderer, RenderContext, Rendered, register_renderer
from cms.pipeline.batch import memo
from events.models import PARIS
from events.renderers import edition_ref, page_meta, page_ref

from .dates import modification_datetime, publication_datetime
from .models import (
    CommuniqueContact,
    CommuniquePage,
    DefaultPressContact,
    PressContact,
    PressSettings,
)
from .serializers import CommuniqueItemSerializer, CommuniqueSerializer, ContactSerializer


def contact_data(contact: PressContact, ctx: RenderContext) -> dict[str, Any]:
    """A contact as communiqués embed it; built once per batch (the press office's default
    contacts appear in most communiqués), recorded as a dependency of each document."""
    ctx.depend(contact)
    return memo(("contact", contact.pk), lambda: _contact_data(contact, ctx))


def _contact_data(contact: PressContact, ctx: RenderContext) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "type": "contact",
        "name": contact.name,
        "role": contact.role,
        "email": contact.email,
        "phones": [
            {"number": p.number, "national": p.national, "kind": p.kind}
            for p in contact.phones.all()
        ],
        "api_url": ctx.api_url("contacts", contact.pk),
    }


class ContactRenderer(DocumentRenderer):
    """A press contact is personal data: public only once the press office shows it.

    That is, when a public communiqué names it, or when it is one of the default contacts of
    the press settings (an explicit choice) — and only once the contact itself is published:
    a contact created by an import, used only by drafts, or never published (or unpublished)
    has no document. The contact's document depends on the communiqués that make it
    public, so unpublishing the last of them removes it.
    """

    kind = "contact"
    model = PressContact

    def is_public(self, contact: PressContact, ctx: RenderContext) -> bool:
        if not ctx.visibility.is_public(contact):  # a draft never published, or unpublished
            return False
        if DefaultPressContact.objects.filter(contact=contact).exists():
            return True
        public = False
        for page in CommuniquePage.objects.filter(contacts__contact=contact).distinct():
            ctx.depend(page)
            public = public or ctx.visibility.is_public(page)
        return public

    def related_sources(self, contact: PressContact) -> list[str]:
        """The communiqués that name it, and, for a default contact, every communiqué of the
        press office: a contact published after them was left out of their bodies (or stood in
        for by the defaults) without changing them, so they do not depend on it yet."""
        from cms.pipeline.store import dependents_of

        links = CommuniqueContact.objects.filter(contact=contact)
        keys = [f"page:{pk}" for pk in sorted(set(links.values_list("page", flat=True)))]
        defaults = DefaultPressContact.objects.filter(contact=contact)
        offices = list(defaults.values_list("settings", flat=True))
        if offices:
            settings = [f"assises_press.presssettings:{pk}" for pk in offices]
            keys += sorted(dependents_of(settings) - set(keys))
        return keys

    def render(self, contact: PressContact, ctx: RenderContext) -> list[Rendered]:
        body = shape(ContactSerializer, contact_data(contact, ctx))
        return [
            Rendered(
                kind=self.kind,
                object_id=str(contact.pk),
                body=body,
                item_fields=tuple(body),
                title=contact.name,
                expires_at=contact.expire_at,
                search_text=f"{contact.name}\n{contact.role}\n{contact.email}",
            )
        ]


class CommuniqueRenderer(DocumentRenderer):
    kind = "communique"
    model = CommuniquePage

    def prefetch(self, pages: list[CommuniquePage]) -> None:
        prefetch_related_objects(
            pages,
            "hero_image",
            "related_editions__edition",
            "mentioned_speakers__speaker__photo",
            "mentioned_speakers__speaker__links",
            "topic_links__topic",
            "contacts__contact__phones",
            "attachments__document",
            "corrections",
        )

    def related_sources(self, page: CommuniquePage) -> list[str]:
        """Its contacts become public or private with it."""
        ids = {link.contact_id for link in page.contacts.all()}
        return [f"assises_press.presscontact:{pk}" for pk in sorted(ids)]

    def render(self, page: CommuniquePage, ctx: RenderContext) -> list[Rendered]:
        from . import jsonld  # the schema.org builders import the models too

        # the boilerplate, publisher and default contacts may come from the site's settings
        ctx.depend_on_setting(page, OrganisationSettings)
        ctx.depend_on_setting(page, PressSettings)
        editions = [
            link.edition for link in page.related_editions.all() if ctx.is_public(link.edition)
        ]
        speakers = [
            link.speaker for link in page.mentioned_speakers.all() if ctx.is_public(link.speaker)
        ]
        topics = [link.topic for link in page.topic_links.all()]
        corrections = list(page.corrections.all())
        # Stable across republishing: only a dated correction moves it (`press.dates`).
        modified = modification_datetime(
            page.publication_date, page.first_published_at, [c.date for c in corrections]
        )
        data = {
            "id": page.pk,
            "type": "communique",
            "title": page.title,
            "slug": page.slug,
            "translation_key": page.translation_key,
            "dateline_place": page.dateline_place,
            "publication_date": page.publication_date,
            "published_at": publication_datetime(page.publication_date, page.first_published_at),
            "date_modified": modified,
            "lead": page.lead,
            "hero_image": ctx.image(page.hero_image),
            "topics": [ctx.topic_ref(t) for t in topics],
            "related_editions": [edition_ref(e, ctx) for e in editions],
            "body": ctx.body(page.body),
            "speakers": [page_ref(s, ctx, "speakers") for s in speakers],
            "contacts": [contact_data(c, ctx) for c in page.effective_contacts(ctx.is_public)],
            "attachments": [ctx.document(a.document, a.title) for a in page.attachments.all()],
            "corrections": [{"date": c.date, "note": c.note} for c in corrections],
            "boilerplate": ctx.richtext(page.effective_boilerplate()),
            "jsonld": jsonld.communique_jsonld(page),
            **page_meta(page, ctx, "communiques"),
        }
        body = shape(CommuniqueSerializer, data)
        day = datetime.datetime.combine(page.publication_date, datetime.time(), tzinfo=PARIS)
        return [
            Rendered(
                kind=self.kind,
                object_id=str(page.pk),
                body=body,
                item_fields=field_names(CommuniqueItemSerializer),
                title=page.title,
                locale=data["locale"],
                path=ctx.page_path(page),
                sort_date=day,
                date_start=day,
                date_end=day + datetime.timedelta(days=1),
                year=page.publication_date.year,
                expires_at=page.expire_at,
                search_text="\n".join(
                    [page.title, page.dateline_place, page.lead, body["body"]["text"]]
                    + [s.title for s in speakers]
                ),
                links=[("topic", t.slug) for t in topics]
                + [("edition", str(e.pk)) for e in editions]
                + [("speaker", str(s.pk)) for s in speakers],
            )
        ]


def register() -> None:
    register_renderer(ContactRenderer())
    register_renderer(CommuniqueRenderer())
