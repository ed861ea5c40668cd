"""Generated content for the benchmark: rich communiqués, like the ones the press office writes."""

import datetime
import random
import uuid

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


# -- bulk generation at scale -----------------------------------------------------------------

# Cloned documents take object ids from here up, far above any page id of the demo.
CLONE_ID_BASE = 10_000_000
CLONE_SOURCE = "bench.clone"
CLONE_BATCH = 2000


def _rename(value, replacements: dict):
    """`value` with every string equal to a key of `replacements` replaced, recursively."""
    if isinstance(value, str):
        return replacements.get(value, value)
    if isinstance(value, list):
        return [_rename(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _rename(v, replacements) for k, v in value.items()}
    return value


def _shift(text: str | None, days: int) -> str | None:
    """An ISO date or datetime string moved by `days` (None and other values unchanged)."""
    if not isinstance(text, str) or len(text) < 10:
        return text
    try:
        day = datetime.date.fromisoformat(text[:10])
    except ValueError:
        return text
    return (day + datetime.timedelta(days=days)).isoformat() + text[10:]


def clone_communiques(total: int, progress=None, search_index: bool = False) -> int:
    """Bring the communiqué documents up (or down) to `total` by cloning rendered ones; returns
    how many were added (removed, when negative).

    Rendering costs ~5 ms a document and creating a page through treebeard far more, so a
    100,000-document archive is made from the few hundred communiqués really generated and
    rendered (`generate_communiques` + the pipeline): each clone is a template's stored document
    with a new id, slug, title, URLs and publication date (its date columns and JSON-LD moved
    alike), its filter links (topics, edition, speakers) and an `upsert` entry in the change
    log, written with bulk inserts in batches of 2,000 inside the pipeline's lock. The API,
    feeds and channels serve clones exactly as rendered documents: they only read stored rows.
    Clones have no page (`source` is `bench.clone:<n>`): `rebuild_api_documents` removes them
    as orphans, so they belong to throwaway benchmark databases only. They are not added to
    the full-text index unless `search_index` (it doubles the time on PostgreSQL): `search=`
    then finds the real communiqués only.
    """
    import orjson
    from django.db import transaction
    from wagtail.search.backends import get_search_backend

    from cms.http import strong_etag
    from cms.models import ChangeLogEntry, DocumentLink, StoredDocument
    from cms.pipeline import changelog, writer

    templates = list(
        StoredDocument.objects.filter(kind="communique")
        .exclude(source__startswith=CLONE_SOURCE)
        .order_by("pk")
    )
    existing = StoredDocument.objects.filter(kind="communique").count()
    missing = total - existing
    if missing < 0:  # a smaller size on a reused database: drop the newest clones
        clones = StoredDocument.objects.filter(source__startswith=CLONE_SOURCE)
        extra = list(clones.order_by("-pk").values_list("pk", "object_id")[:-missing])
        with transaction.atomic():
            changelog.lock()
            ChangeLogEntry.objects.filter(
                kind="communique", object_id__in=[object_id for _pk, object_id in extra]
            ).delete()
            StoredDocument.objects.filter(pk__in=[pk for pk, _id in extra]).delete()
        return missing
    if missing == 0 or not templates:
        return 0
    links: dict[int, list[tuple[str, str]]] = {}
    for document_id, key, value in DocumentLink.objects.filter(document__in=templates).values_list(
        "document_id", "key", "value"
    ):
        links.setdefault(document_id, []).append((key, value))
    parsed = [
        (t, orjson.loads(bytes(t.body)), list(orjson.loads(bytes(t.item)))) for t in templates
    ]
    start = StoredDocument.objects.filter(source__startswith=CLONE_SOURCE).count()
    now = timezone.now()
    added = 0
    while added < missing:
        batch = min(CLONE_BATCH, missing - added)
        documents, entries, new_links = [], [], []  # links as rows: bulk_create costs more
        for n in range(start + added, start + added + batch):
            template, body, item_fields = parsed[n % len(parsed)]
            new_id = CLONE_ID_BASE + n
            days = (n * 7919) % 2400 - 1200  # spread over some seven years around the template
            slug = f"{body['slug']}-{n}"
            title = f"{body['title']} ({n})"
            replacements = {
                body["url"]: body["url"].replace(f"/{body['slug']}/", f"/{slug}/"),
                body["api_url"]: body["api_url"].replace(f"/{body['id']}/", f"/{new_id}/"),
                body["title"]: title,
            }
            # top-level fields and the JSON-LD are where a document names itself
            clone = {
                k: replacements.get(v, v) if isinstance(v, str) else v for k, v in body.items()
            }
            clone["jsonld"] = _rename(body.get("jsonld"), replacements)
            clone.update(
                id=new_id,
                slug=slug,
                translation_key=str(uuid.UUID(int=new_id)),
                publication_date=_shift(body["publication_date"], days),
                published_at=_shift(body["published_at"], days),
                date_modified=_shift(body["date_modified"], days),
            )
            for key in ("datePublished", "dateModified"):
                if isinstance(clone.get("jsonld"), dict) and key in clone["jsonld"]:
                    clone["jsonld"][key] = _shift(clone["jsonld"][key], days)
            raw = orjson.dumps(clone)
            delta = datetime.timedelta(days=days)
            sort_date = template.sort_date + delta if template.sort_date else None
            documents.append(
                StoredDocument(
                    kind="communique",
                    object_id=str(new_id),
                    source=f"{CLONE_SOURCE}:{n}",
                    locale=template.locale,
                    body=raw,
                    item=orjson.dumps({name: clone[name] for name in item_fields}),
                    etag=strong_etag(raw),
                    last_modified=now,
                    path=template.path.replace(f"/{body['slug']}/", f"/{slug}/"),
                    title=title[:255],
                    sort_title=(template.sort_title + f" ({n})")[:255],
                    sort_date=sort_date,
                    date_start=template.date_start + delta if template.date_start else None,
                    date_end=template.date_end + delta if template.date_end else None,
                    year=sort_date.year if sort_date else template.year,
                    archived=template.archived,
                    expires_at=template.expires_at,
                    search_text=template.search_text.replace(body["title"], title),
                )
            )
        with transaction.atomic():
            changelog.lock()
            StoredDocument.objects.bulk_create(documents, batch_size=500)
            for n, document in enumerate(documents, start=start + added):
                template = parsed[n % len(parsed)][0]
                new_links += [(document.pk, k, v) for k, v in links.get(template.pk, [])]
                entries.append(
                    ChangeLogEntry(
                        kind="communique",
                        object_id=document.object_id,
                        locale=document.locale,
                        operation=ChangeLogEntry.UPSERT,
                        etag=document.etag,
                        source=document.source,
                        reason="bench",
                        created_at=now,
                    )
                )
            writer._insert(DocumentLink, ("document_id", "key", "value"), new_links)
            ChangeLogEntry.objects.bulk_create(entries, batch_size=2000)
            if search_index:  # what the pipeline does per batch (`cms.pipeline.writer`)
                get_search_backend().add_bulk(StoredDocument, documents)
        added += batch
        if progress is not None:
            progress.update(batch)
    return added
