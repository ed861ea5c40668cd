"""schema.org JSON-LD for communiqués: a `NewsArticle` that news aggregators can index.

A pure function of the published page. The API embeds it in its documents under `jsonld`.
Mentioned speakers and related editions appear only while they are public themselves.
"""

from typing import Any

from cms.exporters import page_url
from cms.jsonld import SCHEMA_ORG, compact, image_jsonld, organization_jsonld, topic_jsonld
from cms.pipeline.batch import public_only
from events.jsonld import edition_reference, person_node

from .dates import modification_datetime, publication_datetime
from .models import CommuniquePage


def communique_jsonld(page: CommuniquePage) -> dict[str, Any]:
    """A communiqué as a `NewsArticle`, published by the association."""
    url = page_url(page)
    corrections = list(page.corrections.all())
    published = publication_datetime(page.publication_date, page.first_published_at)
    modified = modification_datetime(
        page.publication_date, page.first_published_at, [c.date for c in corrections]
    )
    publisher = organization_jsonld(page)
    speakers = public_only([link.speaker for link in page.mentioned_speakers.all()])
    editions = public_only([link.edition for link in page.related_editions.all()])
    mentions = [person_node(speaker) for speaker in speakers]
    mentions += [edition_reference(edition) for edition in editions]
    return {
        "@context": SCHEMA_ORG,
        **compact(
            {
                "@type": "NewsArticle",
                "@id": url,
                "url": url,
                "mainEntityOfPage": url,
                "headline": page.title,
                "description": page.lead,
                "dateline": page.dateline_place,
                "locationCreated": compact({"@type": "Place", "name": page.dateline_place}),
                "datePublished": published.isoformat(),
                "dateModified": modified.isoformat(),
                "publisher": publisher,
                "author": compact({key: publisher.get(key) for key in ("@type", "@id", "name")})
                if publisher
                else None,
                "about": [topic_jsonld(link.topic) for link in page.topic_links.all()],
                "mentions": mentions,
                "image": image_jsonld(page.hero_image),
                "inLanguage": page.locale.language_code,
                "isAccessibleForFree": True,
                "correction": [
                    {
                        "@type": "CorrectionComment",
                        "text": c.note,
                        "datePublished": c.date.isoformat(),
                    }
                    for c in corrections
                ],
            }
        ),
    }
