"""Ids and events that mean what they say, in documents, the change feed and webhooks.

A topic's `id` was its slug in the change feed and a number in its document, and
`/api/v1/topics/<that number>/` was a 404; deleting a live page was announced as
`communique.unpublished`, never `.deleted`. Each kind now has one id — its document's, its
change-feed entries', its webhook events' and its API URL's — and a deletion says so.
"""

import datetime

import pytest
from wagtail.models import Page

from cms.api.router import endpoints
from cms.consumers import webhooks
from cms.models import ChangeLogEntry, StoredDocument
from cms.pipeline import changelog
from cms.pipeline.store import all_sources, process
from cms.pipeline.writer import delete_documents
from press.models import CommuniquePage
from tests.cms.test_changes import _live, _replay
from tests.cms.test_webhooks import Receiver

KINDS = sorted(set(endpoints.values()))


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.server.shutdown()


def _feed_since(api, seq: int) -> list[dict]:
    from cms.consumers.changes import _encode

    return _replay_items(api, _encode(f"L{seq}"))


def _replay_items(api, cursor: str) -> list[dict]:
    items = []
    while True:
        page = api.get(f"/api/v1/changes/?since={cursor}&limit=1000").json_body
        items.extend(page["items"])
        cursor = page["next"]
        if not page["has_more"]:
            return items


def test_every_kind_has_one_id_in_its_document_feed_webhook_and_url(api, receiver, committed):
    """Every document written again from scratch: each kind's upserts go to the feed and to a
    subscriber, and each names the document by the id its API URL answers."""
    assert {"topic", "series", "edition", "session", "speaker", "communique", "contact"} <= set(
        KINDS
    )
    endpoint = webhooks.subscribe(receiver.url)
    seq = changelog.head().seq
    with committed():
        delete_documents(
            list(StoredDocument.objects.all()), "test", datetime.datetime.now(datetime.UTC)
        )
    with committed():
        process(list(all_sources()))
    feed = {
        (item["kind"], item["id"]): item
        for item in _feed_since(api, seq)
        if item["operation"] == "upsert"
    }
    events = {
        (event["data"]["kind"], event["data"]["id"]): event
        for event in receiver.events(endpoint.secret)
        if event["data"]["document"] is not None
    }
    prefixes = {kind: prefix for prefix, kind in endpoints.items()}
    seen = set()
    rows = StoredDocument.objects.filter(kind__in=KINDS).values_list("kind", "object_id")
    for kind, object_id in rows:
        document = api.get(f"/api/v1/{prefixes[kind]}/{object_id}/").json_body
        assert document is not None and str(document["id"]) == object_id, (kind, object_id)
        item = feed[(kind, object_id)]
        assert item["id"] == str(item["document"]["id"]) == object_id
        assert item["api_url"].endswith(f"/api/v1/{prefixes[kind]}/{object_id}/")
        data = events[(kind, object_id)]["data"]
        assert data["id"] == str(data["document"]["id"]) == object_id
        detail = api.get(f"/api/v1/{prefixes[kind]}/{data['id']}/")
        assert detail.status_code == 200 and detail.json_body == data["document"]
        seen.add(kind)
    assert seen == set(KINDS)


def test_a_topic_is_addressed_by_its_slug_everywhere(api, communique):
    document = api.get(f"/api/v1/communiques/{communique.pk}/").json_body
    ref = document["topics"][0]
    assert ref["id"] == ref["slug"]
    topic = api.get(f"/api/v1/topics/{ref['id']}/")
    assert topic.status_code == 200 and topic.json_body["id"] == ref["slug"]
    assert ref["api_url"] == topic.json_body["api_url"]
    listed = api.get(f"/api/v1/communiques/?topic={ref['id']}").json_body["results"]
    assert communique.pk in [item["id"] for item in listed]


def _deleted(api, receiver, endpoint, seq: int, pk: int) -> tuple[list, list]:
    tombstones = [
        (item["reason"], item["document"])
        for item in _feed_since(api, seq)
        if (item["kind"], item["id"], item["operation"]) == ("communique", str(pk), "delete")
    ]
    types = [
        event["type"]
        for event in receiver.events(endpoint.secret)
        if event["data"]["id"] == str(pk)
    ]
    return tombstones, types


def test_deleting_a_live_page_is_a_deletion_in_the_feed_and_webhooks(
    api, receiver, communique, committed
):
    endpoint = webhooks.subscribe(receiver.url, kinds=["communique"])
    seq = changelog.head().seq
    with committed():
        Page.objects.get(pk=communique.pk).delete()
    tombstones, types = _deleted(api, receiver, endpoint, seq, communique.pk)
    assert tombstones == [("deleted", None)]
    assert types == ["communique.deleted"]
    assert api.get(f"/api/v1/communiques/{communique.pk}/").status_code == 404


def test_deleting_a_page_unpublished_before_says_deleted_too(api, receiver, communique, committed):
    endpoint = webhooks.subscribe(receiver.url, kinds=["communique"])
    seq = changelog.head().seq
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).unpublish()
    with committed():
        Page.objects.get(pk=communique.pk).delete()
    tombstones, types = _deleted(api, receiver, endpoint, seq, communique.pk)
    assert tombstones == [("unpublished", None), ("deleted", None)]
    assert types == ["communique.unpublished", "communique.deleted"]
    # said once: rendering the deleted source again adds nothing
    head = changelog.head().seq
    with committed():
        process([f"page:{communique.pk}"], {f"page:{communique.pk}": "deleted"})
    assert changelog.head().seq == head


def test_deleting_a_page_never_published_says_nothing(api, press_room, committed):
    draft = CommuniquePage(title="Jamais publié", publication_date=datetime.date(2024, 5, 1))
    with committed():
        press_room.add_child(instance=draft)
        draft.save_revision()
    seq = changelog.head().seq
    with committed():
        Page.objects.get(pk=draft.pk).delete()
    assert not ChangeLogEntry.objects.filter(seq__gt=seq, object_id=str(draft.pk)).exists()


def test_a_replica_following_deletions_converges(api, communique, press_room, committed):
    state, cursor = _replay(api)
    extra = CommuniquePage(
        title="Retiré puis supprimé", publication_date=datetime.date(2024, 5, 1), lead="Chapô."
    )
    with committed():
        press_room.add_child(instance=extra)
        extra.save_revision().publish()
    with committed():
        CommuniquePage.objects.get(pk=extra.pk).unpublish()
    with committed():
        Page.objects.get(pk=extra.pk).delete()
    with committed():
        Page.objects.get(pk=communique.pk).delete()
    state, _cursor = _replay(api, state, cursor, limit="3")
    assert state == _live()
    assert _replay(api)[0] == _live()
    assert ("communique", str(communique.pk)) not in state
