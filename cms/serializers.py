"""Documents of the shared core: topics and the organisation's identity."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from rest_framework import serializers
from wagtail.models import Page, Site

from .api.serializers import ImageSerializer, RichTextSerializer, shape
from .models import OrganisationSettings, Topic
from .mount import api_path
from .pipeline import DocumentRenderer, RenderContext, Rendered, register_renderer
from .pipeline.registry import renderers


class TopicSerializer(serializers.Serializer):
    id = serializers.SlugField(
        help_text="The topic's slug: its id in its API URL, the change feed and webhooks."
    )
    type = serializers.CharField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    api_url = serializers.URLField()


class AddressSerializer(serializers.Serializer):
    street_address = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField(allow_blank=True)
    locality = serializers.CharField(allow_blank=True)
    country = serializers.CharField()


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The site's id.")
    type = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    acronym = serializers.CharField(allow_blank=True)
    tagline = serializers.CharField(allow_blank=True)
    boilerplate = RichTextSerializer()
    logo = ImageSerializer(allow_null=True)
    website = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    address = AddressSerializer()
    api_url = serializers.URLField()
    jsonld = serializers.JSONField()


class TopicRenderer(DocumentRenderer):
    kind = "topic"
    model = Topic

    def render(self, topic: Topic, ctx: RenderContext) -> list[Rendered]:
        body = shape(
            TopicSerializer,
            {
                "id": topic.slug,  # a kind has one id: its API URL's (docs/decisions.md)
                "type": "topic",
                "slug": topic.slug,
                "name": topic.name,
                "description": topic.description,
                "api_url": ctx.api_url("topics", topic.slug),
            },
        )
        return [
            Rendered(
                kind=self.kind,
                object_id=topic.slug,
                body=body,
                item_fields=tuple(body),
                title=topic.name,
                search_text=f"{topic.name}\n{topic.description}",
            )
        ]


def organisation_data(org: OrganisationSettings, ctx: RenderContext) -> dict[str, Any]:
    jsonld = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": org.name,
        "alternateName": org.acronym or None,
        "url": org.website or None,
        "email": org.email or None,
        "slogan": org.tagline or None,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": org.street_address,
            "postalCode": org.postal_code,
            "addressLocality": org.locality,
            "addressCountry": org.country,
        },
    }
    logo = ctx.image(org.logo)
    if logo:
        jsonld["logo"] = logo["url"]
    return {
        "id": org.site_id,
        "type": "organisation",
        "name": org.name,
        "acronym": org.acronym,
        "tagline": org.tagline,
        "boilerplate": ctx.richtext(org.boilerplate),
        "logo": logo,
        "website": org.website,
        "email": org.email,
        "address": {
            "street_address": org.street_address,
            "postal_code": org.postal_code,
            "locality": org.locality,
            "country": org.country,
        },
        # its own site's URL: `organisation/` answers the default site's only
        "api_url": f"{ctx.base_url}{api_path('organisation', str(org.site_id))}",
        "jsonld": {k: v for k, v in jsonld.items() if v is not None},
    }


class OrganisationRenderer(DocumentRenderer):
    kind = "organisation"
    model = OrganisationSettings

    def get_queryset(self):
        return OrganisationSettings.objects.filter(site__in=Site.objects.all())

    def render(self, org: OrganisationSettings, ctx: RenderContext) -> list[Rendered]:
        body = shape(OrganisationSerializer, organisation_data(org, ctx))
        return [
            Rendered(
                kind=self.kind,
                object_id=str(org.site_id),
                body=body,
                item_fields=tuple(body),
                title=org.name or "organisation",
            )
        ]


class PageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    page_type = serializers.CharField(help_text="app_label.model, e.g. press.pressindexpage.")
    title = serializers.CharField()
    url = serializers.URLField()
    locale = serializers.CharField()
    last_published_at = serializers.DateTimeField(allow_null=True)


class PageRenderer(DocumentRenderer):
    """Every other public page (home pages, the press room, the speakers' index…).

    A small document, so that the sitemap, the feeds' home links and `find/?path=` know every
    public URL from stored documents alone, with the same visibility rule as the rest.
    """

    kind = "page"
    model = Page

    def get_queryset(self) -> QuerySet:
        covered = [
            ContentType.objects.get_for_model(model)
            for model in renderers
            if model is not Page and issubclass(model, Page)
        ]
        return Page.objects.live().filter(depth__gt=1).exclude(content_type__in=covered)

    def render(self, page: Page, ctx: RenderContext) -> list[Rendered]:
        path = ctx.page_path(page)
        if page.depth <= 1 or not path:
            return []  # the tree's root has no URL
        body = shape(
            PageSerializer,
            {
                "id": page.pk,
                "type": "page",
                "page_type": page._meta.label_lower,
                "title": page.title,
                "url": ctx.page_url(page),
                "locale": page.locale.language_code,
                "last_published_at": page.last_published_at,
            },
        )
        return [
            Rendered(
                kind=self.kind,
                object_id=str(page.pk),
                body=body,
                item_fields=tuple(body),
                title=page.title,
                locale=body["locale"],
                path=path,
                sort_date=page.last_published_at,
                expires_at=page.expire_at,
            )
        ]


def register() -> None:
    register_renderer(TopicRenderer())
    register_renderer(OrganisationRenderer())
    register_renderer(PageRenderer())
