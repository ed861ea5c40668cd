"""The change feed: replaying it from an empty cursor reaches exactly the live state."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.api.router import endpoints
from cms.models import ChangeLogEntry, StoredDocument
from cms.pipeline.compaction import compact
from cms.visibility import visible_documents
from events.models import SpeakerPage
from press.models import CommuniquePage


def _replay(api, state: dict | None = None, cursor: str = "", **params) -> tuple[dict, str]:
    """Follow `next` until `has_more` is false; apply every item to `state`."""
    state = {} if state is None else state
    for _ in range(1000):
        query = "&".join(f"{k}={v}" for k, v in {"since": cursor, **params}.items() if v)
        response = api.get(f"/api/v1/changes/?{query}")
        assert response.status_code == 200, response.json_body
        page = response.json_body
        for item in page["items"]:
            key = (item["kind"], item["id"])
            if item["operation"] == "delete":
                assert item["document"] is None
                state.pop(key, None)
            else:
                state[key] = item["etag"]
        cursor = page["next"]
        if not page["has_more"]:
            return state, cursor
    raise AssertionError("the feed never ended")


def _live() -> dict:
    kinds = set(endpoints.values())
    return {
        (kind, object_id): etag
        for kind, object_id, etag in visible_documents(
            StoredDocument.objects.filter(kind__in=kinds)
        ).values_list("kind", "object_id", "etag")
    }


def test_initial_sync_is_the_live_state_paged(api):
    state, _cursor = _replay(api, limit="7")
    assert state == _live()
    assert ("page", "3") not in state  # index pages have no endpoint


def test_replaying_after_changes_reaches_the_live_state(api, communique, committed):
    state, cursor = _replay(api)
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    berger.family_name = "Berger-Renommé"
    with committed():
        berger.save_revision().publish()
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).unpublish()
    with committed():
        PageViewRestriction.objects.create(
            page=SpeakerPage.objects.get(slug="christophe-bechu"),
            restriction_type=PageViewRestriction.PASSWORD,
            password="x",
        )
    page = api.get(f"/api/v1/changes/?since={cursor}").json_body
    tombstones = {(i["kind"], i["id"]) for i in page["items"] if i["operation"] == "delete"}
    assert ("communique", str(communique.pk)) in tombstones
    bechu = SpeakerPage.objects.get(slug="christophe-bechu")
    assert ("speaker", str(bechu.pk)) in tombstones
    renamed = [i for i in page["items"] if i["id"] == str(berger.pk) and i["kind"] == "speaker"]
    assert renamed[-1]["document"]["family_name"] == "Berger-Renommé"

    state, _cursor = _replay(api, state, cursor, limit="5")
    assert state == _live()
    assert _replay(api)[0] == _live()  # and from scratch as well


def test_republishing_without_changes_adds_nothing(api, communique, committed):
    _state, cursor = _replay(api)
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).save_revision().publish()
    assert api.get(f"/api/v1/changes/?since={cursor}").json_body["items"] == []


def test_kind_filter(api):
    state, _cursor = _replay(api, kind="communique,contact")
    assert {kind for kind, _id in state} == {"communique", "contact"}
    assert api.get("/api/v1/changes/?kind=nope").status_code == 400


@pytest.mark.parametrize("cursor", ["nope", "TDk5OTk5OTk5", "x" * 100, "Uy0x", "TC01", "U3g"])
def test_invalid_cursor_is_a_400_naming_since(api, cursor):
    response = api.get(f"/api/v1/changes/?since={cursor}")
    assert response.status_code == 400
    assert response.json_body["errors"][0]["parameter"] == "since"


def test_compacted_cursor_is_gone(api, communique, committed):
    _state, cursor = _replay(api)
    for title in ("Un", "Deux"):
        communique.title = title
        with committed():
            communique.save_revision().publish()
    ChangeLogEntry.objects.update(created_at=timezone.now() - datetime.timedelta(days=60))
    assert compact(datetime.timedelta(days=30)).removed > 0
    response = api.get(f"/api/v1/changes/?since={cursor}")
    assert response.status_code == 410
    assert response.json_body["errors"][0]["parameter"] == "since"
    assert _replay(api)[0] == _live()  # starting again works


def test_expired_document_is_sent_as_its_tombstone_at_once(api, communique, committed):
    _state, cursor = _replay(api)
    communique.title = "Bientôt expiré"
    communique.expire_at = timezone.now() + datetime.timedelta(hours=1)
    with committed():
        communique.save_revision().publish()
    Page.objects.filter(pk=communique.pk).update(
        expire_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    StoredDocument.objects.filter(kind="communique").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = api.get(f"/api/v1/changes/?since={cursor}")
    mine = [i for i in response.json_body["items"] if i["kind"] == "communique"]
    # the scheduler has not run: the feed's reader wrote the tombstone itself
    assert [i["operation"] for i in mine] == ["delete"]
    assert b"Bient" not in response.content


def test_change_feed_is_in_the_openapi_document(api):
    schema = api.get("/api/v1/schema/?format=json").json_body
    operation = schema["paths"]["/api/v1/changes/"]["get"]
    assert {"200", "400", "410"} <= set(operation["responses"])


def test_replay_after_delete_move_embargo_and_expiry(
    api, press_room, home, communique, committed, monkeypatch
):
    from press.models import PressIndexPage

    before, cursor = _replay(api)
    other_room = PressIndexPage(title="Archives de presse", slug="archives-presse")
    with committed():
        home.add_child(instance=other_room)
        other_room.save_revision().publish()
    extra = CommuniquePage(
        title="À supprimer", publication_date=datetime.date(2024, 5, 1), lead="Chapô."
    )
    with committed():
        press_room.add_child(instance=extra)
        extra.save_revision().publish()
    with committed():  # move
        CommuniquePage.objects.get(pk=communique.pk).move(other_room, pos="last-child")
    with committed():  # delete
        CommuniquePage.objects.get(pk=extra.pk).delete()
    embargoed = CommuniquePage(
        title="Sous embargo", publication_date=datetime.date(2024, 5, 2), lead="Chapô."
    )
    with committed():  # embargo: scheduled, not live
        press_room.add_child(instance=embargoed)
        embargoed.go_live_at = timezone.now() + datetime.timedelta(hours=1)
        embargoed.save_revision().publish()
    berger = SpeakerPage.objects.get(slug="laurent-berger")
    berger.expire_at = timezone.now() + datetime.timedelta(minutes=30)
    with committed():
        berger.save_revision().publish()
    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    from django.core.management import call_command

    with committed():  # the embargo ends, the speaker expires
        call_command("run_scheduler", "--once")

    state, _cursor = _replay(api, before, cursor)  # a consumer that followed along
    assert state == _live()
    assert _replay(api)[0] == _live()  # one that starts now
    assert ("speaker", str(berger.pk)) not in state
    assert ("communique", str(embargoed.pk)) in state
    assert ("communique", str(extra.pk)) not in state


def test_fields_give_sparse_documents(api):
    page = api.get("/api/v1/changes/?kind=communique&fields=id,title").json_body
    item = page["items"][0]
    assert set(item["document"]) == {"id", "title"} and item["api_url"]
    assert "fields=id,title" in page["next_url"]
    assert api.get("/api/v1/changes/?fields=,").status_code == 400


def test_next_url_is_a_uri_whatever_the_fields_asked(api):
    """A field name is the client's text: `next_url` carries it percent-encoded."""
    page = api.get("/api/v1/changes/?fields=id,%C3%98").json_body
    assert page["next_url"].isascii() and page["next_url"].endswith("&fields=id,%C3%98")
