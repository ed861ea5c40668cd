"""schema.org pieces of the shared core: the organisation, credited images, topics.

The plugins' JSON-LD (`events.jsonld`, `press.jsonld`) is assembled from these, so that the
publisher of a communiqué and the organiser of a congress are described the same way.
"""

import mimetypes
from typing import Any

from wagtail.models import Page

from .models import OrganisationSettings, Topic
from .pipeline.batch import memo, site_setting
from .public import absolute_url, public_base_url

SCHEMA_ORG = "https://schema.org"


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values: schema.org readers treat a missing property better than an empty one."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def organisation_settings(page: Page | None = None) -> OrganisationSettings | None:
    return site_setting(page, OrganisationSettings)


def image_jsonld(image: Any) -> dict[str, Any] | None:
    """An `ImageObject` with its alt text and credit (press photos are never uncredited).

    Built once per image in a rendering batch; the nodes are never modified after building."""
    if image is None:
        return None
    return memo(("image-jsonld", image.pk), lambda: _image_jsonld(image))


def _image_jsonld(image: Any) -> dict[str, Any]:
    url = absolute_url(image.file.url)
    return compact(
        {
            "@type": "ImageObject",
            "url": url,
            "contentUrl": url,
            "encodingFormat": mimetypes.guess_type(image.file.name)[0],
            "width": image.width,
            "height": image.height,
            "caption": image.default_alt_text,
            "creditText": getattr(image, "credit", ""),
        }
    )


def organization_jsonld(page: Page | None = None, name: str = "") -> dict[str, Any] | None:
    """The association as an `Organization`, from the organisation settings of `page`'s site."""
    org = organisation_settings(page)
    if org is None or not (org.name or name):
        return None
    return memo(("organization-jsonld", org.pk, name), lambda: _organization_jsonld(org, name))


def _organization_jsonld(org: OrganisationSettings, name: str) -> dict[str, Any]:
    address = compact(
        {
            "@type": "PostalAddress",
            "streetAddress": org.street_address,
            "postalCode": org.postal_code,
            "addressLocality": org.locality,
            "addressCountry": org.country,
        }
    )
    return compact(
        {
            "@type": "Organization",
            "@id": (org.website or public_base_url()).rstrip("/") + "/#organization",
            "name": name or org.name,
            "alternateName": org.acronym,
            "slogan": org.tagline,
            "url": org.website,
            "email": org.email,
            "logo": image_jsonld(org.logo),
            "address": address if len(address) > 1 else None,
        }
    )


def topic_jsonld(topic: Topic) -> dict[str, Any]:
    """A topic as a `DefinedTerm`; the slug is the stable code partner sites filter on."""
    return compact(
        {
            "@type": "DefinedTerm",
            "name": topic.name,
            "termCode": topic.slug,
            "description": topic.description,
        }
    )
