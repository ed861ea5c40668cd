"""Generated content for the benchmark: rich communiqués, like the ones the press office writes."""

import datetime
import random

from django.utils import timezone
from wagtail.api import APIField

from cms.models import Topic
from events.models import CongressEditionPage, SpeakerPage
from press.models import (
    CommuniqueContact,
    CommuniqueCorrection,
    CommuniqueEdition,
    CommuniquePage,
    CommuniqueSpeaker,
    CommuniqueTopic,
    PressContact,
    PressIndexPage,
)

WORDS = [
    "petites",
    "villes",
    "logement",
    "désertification",
    "médicale",
    "réindustrialisation",
    "transition",
    "écologique",
    "sobriété",
    "foncière",
    "maires",
    "finances",
    "locales",
    "revitalisation",
    "commerce",
    "école",
    "mobilité",
    "santé",
    "culture",
    "patrimoine",
]


def paragraph(rng: random.Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(60))
    return f"<p>Les <b>{rng.choice(WORDS)}</b> {words}.</p>"


def generate_communiques(count: int, progress=None, publish: bool = True, mention=None) -> None:
    """Create `count` communiqués; the pipeline renders them when the caller commits.

    `publish=False` makes them live without revisions or rendering (fast, for measuring the
    rebuild itself); `mention=(speaker, n)` makes the first `n` of them name that speaker.
    """
    rng = random.Random(2024)
    press_room = PressIndexPage.objects.get()
    edition = CongressEditionPage.objects.get(slug="amboise-2024")
    topics = list(Topic.objects.all())
    speakers = list(SpeakerPage.objects.live())
    contacts = list(PressContact.objects.all())
    start = datetime.date(2020, 1, 1)
    now = timezone.now()
    for i in range(count):
        page = CommuniquePage(
            title=f"Communiqué n° {i} sur les {rng.choice(WORDS)}",
            slug=f"communique-{i}",
            publication_date=start + datetime.timedelta(days=i % 2000),
            lead=" ".join(rng.choice(WORDS) for _ in range(30)),
            body=[{"type": "paragraph", "value": paragraph(rng)} for _ in range(6)],
            hero_image=edition.hero_image,
        )
        page.related_editions = [CommuniqueEdition(edition=edition)]
        page.topic_links = [CommuniqueTopic(topic=t) for t in rng.sample(topics, 3)]
        named = rng.sample(speakers, 3)
        if mention is not None:
            named = [s for s in named if s.pk != mention[0].pk][:2]
            if i < mention[1]:
                named.append(mention[0])
        page.mentioned_speakers = [CommuniqueSpeaker(speaker=s) for s in named]
        page.contacts = [CommuniqueContact(contact=c) for c in contacts]
        page.corrections = [CommuniqueCorrection(date=page.publication_date, note="Coquille.")]
        if not publish:
            page.live, page.has_unpublished_changes = True, False
            page.first_published_at = page.last_published_at = now
        press_room.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        if progress is not None:
            progress.update(1)


def expose_to_wagtail_api() -> None:
    """Give Wagtail's API v2 the same fields our documents carry (`?fields=*`)."""
    CommuniquePage.api_fields = [
        APIField(name)
        for name in (
            "dateline_place", "publication_date", "lead", "body", "hero_image", "boilerplate",
            "related_editions", "mentioned_speakers", "topic_links", "contacts", "attachments",
            "corrections",
        )
    ]  # fmt: skip
    CommuniqueEdition.api_fields = [APIField("edition")]
    CommuniqueSpeaker.api_fields = [APIField("speaker")]
    CommuniqueTopic.api_fields = [APIField("topic")]
    CommuniqueContact.api_fields = [APIField("contact")]
    CommuniqueCorrection.api_fields = [APIField("date"), APIField("note")]
