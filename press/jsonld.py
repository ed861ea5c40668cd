"""schema.org JSON-LD for communiqués: a `NewsArticle` that news aggregators can index.

A pure function of the published page. The API embeds it in its documents under `jsonld`.
Mentioned speakers and related editions appear only while they are public themselves.
"""

from typing import Any

from cms.exporters import page_url
from cms.jsonld import SCHEMA_ORG, compact, image_jsonld, organization_jsonld, topic_jsonld
from cms.visibility import public_pages
from events.jsonld import edition_reference, person_node
from events.models import CongressEditionPage, SpeakerPage

from .feeds import modification_datetime, publication_datetime
from .models import CommuniquePage


def communique_jsonld(page: CommuniquePage) -> dict[str, Any]:
    """A communiqué as a `NewsArticle`, published by the association."""
    url = page_url(page)
    publisher = organization_jsonld(page)
    speaker_ids = [link.speaker_id for link in page.mentioned_speakers.all()]
    speakers = public_pages(SpeakerPage.objects.filter(pk__in=speaker_ids)).in_bulk()
    edition_ids = [link.edition_id for link in page.related_editions.all()]
    editions = public_pages(CongressEditionPage.objects.filter(pk__in=edition_ids)).in_bulk()
    mentions = [person_node(speakers[pk]) for pk in speaker_ids if pk in speakers]
    mentions += [edition_reference(editions[pk]) for pk in edition_ids if pk in editions]
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
                "datePublished": publication_datetime(page).isoformat(),
                "dateModified": modification_datetime(page).isoformat(),
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
                    for c in page.corrections.all()
                ],
            }
        ),
    }
