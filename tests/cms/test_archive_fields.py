"""Every field of every model an archive bundle holds, with the reason it may leave the site.

A bundle goes to libraries and other hosts: it may hold only what the public already sees.
Each field of the page types and records that the archivers write (`Archiver.page_models`,
`Archiver.record_models`, their child rows; the core archives any page type no plugin
claims) has a decision below, public or excluded, and why. A field added to one of these
models without a decision fails `test_archived_models_every_field_has_a_decision`; a key
written into `data/` that is not decided public fails
`test_archive_data_writes_only_public_fields`.
"""

import json
from typing import Any

from django.apps import apps
from django.db import models
from modelcluster.models import get_all_child_relations
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import get_page_models

from cms.archive.public import editor_only_fields
from cms.archive.registry import archivers

PUBLIC, EXCLUDED = "public", "excluded"


def public(why: str) -> tuple[str, str]:
    return PUBLIC, why


def excluded(why: str) -> tuple[str, str]:
    return EXCLUDED, why


SHOWN = public("because the page's API document and public page show it")
ANOTHER_TABLE = excluded("because it is another table pointing here, not a value of this model")
BOOKKEEPING = excluded("because it is Wagtail's bookkeeping, meaningful in one database only")
ROW_KEY = excluded("because a child row's key and parent are given by its place in the entry")
ROW_ORDER = public("because rows are shown in this order")
RENDERED = public("because the rendered document shows it (and the renderer only public pages)")

# Decisions valid for every model: Wagtail's relations repeated on each page type.
EVERY_MODEL = {
    "_revisions": excluded("because revisions hold drafts and editors' work"),
    "_workflow_states": excluded("because moderation is editors' work"),
    "_specific_workflow_states": excluded("because moderation is editors' work"),
    "index_entries": excluded("because the search index is rebuilt by the importing site"),
    "page_ptr": BOOKKEEPING,
}

PAGE = {
    "id": public("because the API and its URLs carry it (kept on import where free)"),
    "title": SHOWN,
    "slug": public("because it is in the page's public URL"),
    "url_path": public("because it is the page's public URL"),
    "seo_title": public("because it is the public page's <title>"),
    "search_description": public("because it is the public page's meta description"),
    "show_in_menus": public("because it shapes the public menus"),
    "go_live_at": public("because an archived page is live: its go-live moment has passed"),
    "expire_at": public("because the importing site must withdraw the page when the original does"),
    "first_published_at": public("because documents and feeds date the page with it"),
    "last_published_at": public("because documents and feeds date the page with it"),
    "locale": public("because the public page is served in that language"),
    "translation_key": public(
        "because it is a random key that says nothing, and finds the page again on import"
    ),
    "type": public("because the API names the kind of every document (entry key)"),
    "parent": public("because the parent of a public page is in its public URL (entry key)"),
    "draft_title": excluded("because it is the title of an unpublished draft"),
    "has_unpublished_changes": excluded("because it tells of drafts"),
    "latest_revision": excluded("because revisions hold drafts"),
    "latest_revision_created_at": excluded("because it tells of drafts"),
    "live_revision": BOOKKEEPING,
    "live": excluded("because every archived page is public; the import publishes it"),
    "expired": BOOKKEEPING,
    "owner": excluded("because it names an editor's account"),
    "locked": excluded("because locks are editors' work"),
    "locked_at": excluded("because locks are editors' work"),
    "locked_by": excluded("because it names an editor's account"),
    "alias_of": BOOKKEEPING,
    "aliases": ANOTHER_TABLE,
    "content_type": BOOKKEEPING,
    "path": BOOKKEEPING,
    "depth": BOOKKEEPING,
    "numchild": BOOKKEEPING,
    "wagtail_admin_comments": excluded("because editors' comments are internal"),
    "view_restrictions": excluded("because a restricted page is not archived at all"),
    "group_permissions": excluded("because permissions name editors' groups"),
    "subscribers": excluded("because comment subscriptions name editors"),
    "import_records": excluded("because which file made which page is editors' work"),
    "redirect_set": excluded("because redirects are the importing site's own"),
    "sites_rooted_here": excluded("because sites are written apart, in `sites`"),
    "workflowpage": excluded("because moderation is editors' work"),
}

DECISIONS: dict[str, dict[str, tuple[str, str]]] = {
    "wagtailcore.page": PAGE,
    "wagtailcore.site": {
        "id": BOOKKEEPING,
        "hostname": public("because the public site answers under it"),
        "port": public("because the public site answers on it"),
        "site_name": public("because public pages and feeds print it"),
        "root_page": public("because it is the public home page"),
        "is_default_site": excluded("because the importing site keeps its own default"),
        "group_permissions": excluded("because permissions name editors' groups"),
        "redirects": excluded("because redirects are the importing site's own"),
        "organisationsettings": public("because it is written with the site (`organisations`)"),
        "presssettings": public("because it is written with the site (`press_settings`)"),
        "previewsettings": excluded("because preview addresses are for editors"),
    },
    "assises_cms.organisationsettings": {
        "id": excluded("because it is a row number: the organisation goes with its site"),
        "site": BOOKKEEPING,
        "site_root": public("because it is the public home page (entry key)"),
        **{
            name: public("because the organisation's API document shows it")
            for name in (
                "name",
                "acronym",
                "tagline",
                "boilerplate",
                "logo",
                "website",
                "email",
                "street_address",
                "postal_code",
                "locality",
                "country",
            )  # fmt: skip
        },
    },
    "assises_cms.topic": {
        "id": public("because topic documents are addressed by it"),
        "name": public("because topic documents show it"),
        "slug": public("because topic documents show it"),
        "description": public("because topic documents show it"),
        "sessions": ANOTHER_TABLE,
    },
    "demosite.creditedimage": {
        "id": public("because rendition URLs and documents refer to it"),
        "file": public("because the original is served under this name"),
        "file_hash": public("because it is computed from the public file"),
        "file_size": public("because it is the public file's size"),
        "width": public("because the public image has it"),
        "height": public("because the public image has it"),
        "title": public("because public pages use it as the image's caption"),
        "description": public("because it is the public image's alternative text"),
        "credit": public("because public pages print it under the image"),
        "focal_point_x": public("because the public renditions are cut around it"),
        "focal_point_y": public("because the public renditions are cut around it"),
        "focal_point_width": public("because the public renditions are cut around it"),
        "focal_point_height": public("because the public renditions are cut around it"),
        "created_at": excluded("because only the admin's media library shows it"),
        "collection": excluded("because collections are how editors file media"),
        "tags": excluded("because only the admin's media library shows them"),
        "tagged_items": excluded("because only the admin's media library shows them"),
        "uploaded_by_user": excluded("because it names an editor's account"),
        "renditions": public("because the public documents point at these renditions"),
    },
    "demosite.creditedrendition": {
        "id": BOOKKEEPING,
        "image": ROW_KEY,
        "file": public("because the rendition is served under this name"),
        "filter_spec": public("because it is in the public rendition's name"),
        "focal_point_key": public("because it is in the public rendition's name"),
        "width": public("because the public rendition has it"),
        "height": public("because the public rendition has it"),
    },
    "wagtaildocs.document": {
        "id": public("because the document's public URL carries it"),
        "file": public("because the document is served under this name"),
        "file_hash": public("because it is computed from the public file"),
        "file_size": public("because it is the public file's size"),
        "title": public("because public pages show it as the link's text"),
        "created_at": excluded("because only the admin's document library shows it"),
        "collection": excluded("because collections are how editors file documents"),
        "tags": excluded("because only the admin's document library shows them"),
        "tagged_items": excluded("because only the admin's document library shows them"),
        "uploaded_by_user": excluded("because it names an editor's account"),
    },
    "demosite.homepage": {"intro": SHOWN},
    "assises_events.congressseriespage": {
        "short_name": SHOWN,
        "description": SHOWN,
        "organiser": SHOWN,
    },
    "assises_events.congresseditionpage": {
        **{
            name: SHOWN
            for name in (
                "number",
                "theme",
                "tagline",
                "start_date",
                "end_date",
                "host_town",
                "host_town_insee",
                "departement",
                "region",
                "venue_name",
                "venue_address",
                "venue_latitude",
                "venue_longitude",
                "summary",
                "body",
                "hero_image",
                "archived",
            )  # fmt: skip
        },
        "programme": public(
            "because sessions are all shown; participants only with a public speaker page"
        ),
        "documents": SHOWN,
        "communique_links": ANOTHER_TABLE,
        "indexed_sessions": excluded("because it is rebuilt from the programme on publish"),
    },
    "assises_events.editiondocument": {
        "id": ROW_KEY,
        "page": ROW_KEY,
        "sort_order": ROW_ORDER,
        "document": SHOWN,
        "kind": SHOWN,
        "title": SHOWN,
    },
    "assises_events.speakerindexpage": {"intro": SHOWN},
    "assises_events.speakerpage": {
        **{
            name: SHOWN
            for name in (
                "honorific",
                "given_name",
                "family_name",
                "current_function",
                "organisation",
                "photo",
                "biography",
                "past_functions",
                "links",
            )  # fmt: skip
        },
        "participations": excluded("because it is rebuilt from programmes on publish"),
        "communique_links": ANOTHER_TABLE,
    },
    "assises_events.speakerfunction": {
        "id": ROW_KEY,
        "page": ROW_KEY,
        "sort_order": ROW_ORDER,
        "function": SHOWN,
        "organisation": SHOWN,
        "start_date": SHOWN,
        "end_date": SHOWN,
    },
    "assises_events.speakerlink": {
        "id": ROW_KEY,
        "page": ROW_KEY,
        "sort_order": ROW_ORDER,
        "label": SHOWN,
        "url": SHOWN,
    },
    "assises_events.sessionstate": {
        "uuid": public("because calendars give it as the session's UID"),
        "sequence": public("because calendars give it as SEQUENCE"),
        "created_at": public("because calendars give it as CREATED"),
        "modified_at": public("because calendars give it as LAST-MODIFIED"),
        "schedule_fingerprint": public(
            "because it is a one-way digest of the session's public time and place"
        ),
        "content_fingerprint": public(
            "because it is a one-way digest that no text can be read back from"
        ),
    },
    "assises_press.pressindexpage": {"intro": SHOWN},
    "assises_press.communiquepage": {
        "embargo_links": excluded(
            "because journalists' embargoed links are private access, never public"
        ),
        **{
            name: SHOWN
            for name in (
                "dateline_place",
                "publication_date",
                "lead",
                "body",
                "hero_image",
                "boilerplate",
                "attachments",
                "corrections",
                "contacts",
                "topic_links",
            )  # fmt: skip
        },
        "related_editions": public("because the document links the public editions only"),
        "mentioned_speakers": public("because the document names the public people only"),
        "import_review": excluded("because it is the import's checklist for editors"),
    },
    "assises_press.communiqueedition": {
        "id": ROW_KEY,
        "page": ROW_KEY,
        "sort_order": ROW_ORDER,
        "edition": RENDERED,
    },  # fmt: skip
    "assises_press.communiquespeaker": {
        "id": ROW_KEY,
        "page": ROW_KEY,
        "sort_order": ROW_ORDER,
        "speaker": RENDERED,
    },  # fmt: skip
    "assises_press.communiquetopic": {
        "id": ROW_KEY,
        "page": ROW_KEY,
        "sort_order": ROW_ORDER,
        "topic": SHOWN,
    },  # fmt: skip
    "assises_press.communiquecontact": {
        "id": ROW_KEY,
        "page": ROW_KEY,
        "sort_order": ROW_ORDER,
        "contact": SHOWN,
    },  # fmt: skip
    "assises_press.communiqueattachment": {
        "id": ROW_KEY,
        "page": ROW_KEY,
        "sort_order": ROW_ORDER,
        "document": SHOWN,
        "title": SHOWN,
    },  # fmt: skip
    "assises_press.communiquecorrection": {
        "id": ROW_KEY,
        "page": ROW_KEY,
        "sort_order": ROW_ORDER,
        "date": SHOWN,
        "note": SHOWN,
    },  # fmt: skip
    "assises_press.presscontact": {
        "id": public("because contact documents are addressed by it"),
        "name": public("because the contact's document shows it"),
        "role": public("because the contact's document shows it"),
        "email": public("because the contact's document shows it"),
        "phones": public("because the contact's document shows them"),
        "index_entries": EVERY_MODEL["index_entries"],
        # Drafts and revisions: only published contacts are archived (their row is the
        # published version), and the importing site publishes them again.
        "_revisions": EVERY_MODEL["_revisions"],
        **{
            name: excluded(
                "because only published contacts are archived; the draft state and "
                "its schedule are editors' work, redone by the importing site"
            )
            for name in (
                "latest_revision",
                "live",
                "has_unpublished_changes",
                "first_published_at",
                "last_published_at",
                "live_revision",
                "go_live_at",
                "expire_at",
                "expired",
            )
        },
    },  # fmt: skip
    "assises_press.presscontactphone": {
        "id": ROW_KEY,
        "contact": ROW_KEY,
        "sort_order": ROW_ORDER,
        "number": public("because the contact's document shows it"),
        "kind": public("because the contact's document shows it"),
    },
    "assises_press.presssettings": {
        "id": BOOKKEEPING,
        "site": BOOKKEEPING,
        "site_root": public("because it is the public home page (entry key)"),
        "default_contacts": public("because communiqués without contacts show them"),
    },
    "assises_press.defaultpresscontact": {
        "id": ROW_KEY,
        "settings": ROW_KEY,
        "sort_order": ROW_ORDER,
        "contact": SHOWN,
    },  # fmt: skip
}


def _name(field: Any) -> str:
    return field.get_accessor_name() if isinstance(field, models.ForeignObjectRel) else field.name


def archived_models() -> list[type[models.Model]]:
    """Every page type (the core archives those no plugin claims), the records the archivers
    write, and their child rows."""
    pending = [*get_page_models(), *(m for a in archivers for m in a.record_models)]
    found: list[type[models.Model]] = []
    while pending:
        model = pending.pop()
        if model not in found:
            found.append(model)
            pending += [
                r.related_model
                for r in get_all_child_relations(model)
                if decision(model, r.get_accessor_name())[0] == PUBLIC
            ]
    return found


def decision(model: type[models.Model], name: str) -> tuple[str, str] | None:
    """The decision for `name` on `model` or the model it inherits it from."""
    for klass in model.__mro__:
        meta = getattr(klass, "_meta", None)
        if meta is not None and name in DECISIONS.get(meta.label_lower, {}):
            return DECISIONS[meta.label_lower][name]
    return EVERY_MODEL.get(name)


def _undecided(model: type[models.Model]) -> list[str]:
    missing = []
    for field in model._meta.get_fields():
        if isinstance(field, models.OneToOneRel) and field.parent_link:
            continue  # the link from Page to a page type's own table
        if decision(model, _name(field)) is None:
            missing.append(f"{model._meta.label_lower}.{_name(field)}")
    return missing


def test_archived_models_every_field_has_a_decision():
    missing = [name for model in archived_models() for name in _undecided(model)]
    assert missing == []


def test_archived_models_editor_only_fields_are_excluded():
    for model in archived_models():
        for name in editor_only_fields(model):
            assert decision(model, name)[0] == EXCLUDED, (model, name)


def test_archived_models_decisions_all_give_a_reason():
    for fields in [*DECISIONS.values(), EVERY_MODEL]:
        for verdict, why in fields.values():
            assert verdict in (PUBLIC, EXCLUDED) and why.startswith("because "), why


def _written_keys(model: type[models.Model], record: dict[str, Any]) -> list[tuple[type, str]]:
    """(model, key) for every key of a record of `model`, its values and child rows."""
    keys = [(model, key) for key in record if key != "fields"]
    values = record.get("fields", record)
    children = {r.get_accessor_name(): r.related_model for r in get_all_child_relations(model)}
    if model is get_image_model():
        children["renditions"] = model.get_rendition_model()
    for key, value in values.items():
        if values is not record:
            keys.append((model, key))
        if key in children and isinstance(value, list):
            for row in value:
                if isinstance(row, dict):  # default contacts are listed by id
                    keys += _written_keys(children[key], row)
    return keys


def _records(members: dict[str, bytes]) -> list[tuple[type[models.Model], dict[str, Any]]]:
    """Every record of the bundle's `data/` files with the model it stands for."""
    data = {name: json.loads(members[f"data/{name}.json"]) for name in ("cms", "events", "press")}
    found = [(get_image_model(), r) for r in json.loads(members["data/images.json"])]
    found += [(get_document_model(), r) for r in json.loads(members["data/documents.json"])]
    pages = data["cms"]["pages"] + data["press"]["press_indexes"] + data["press"]["communiques"]
    for name in ("speaker_indexes", "speakers", "series", "editions"):
        pages += data["events"][name]
    found += [(apps.get_model(entry["type"]), entry) for entry in pages]
    by_model = {
        "wagtailcore.site": data["cms"]["sites"],
        "assises_cms.organisationsettings": data["cms"]["organisations"],
        "assises_cms.topic": data["cms"]["topics"],
        "assises_events.sessionstate": data["events"]["session_states"],
        "assises_press.presscontact": data["press"]["contacts"],
        "assises_press.presssettings": data["press"]["press_settings"],
    }
    for label, records in by_model.items():
        found += [(apps.get_model(label), record) for record in records]
    return found


def test_archive_data_writes_only_public_fields(db, members):
    records = _records(members)
    pages = {model for a in archivers for model in a.page_models}
    assert {model for model, _record in records} >= {get_image_model(), *pages}
    written = {(m, key) for model, record in records for m, key in _written_keys(model, record)}
    assert len(written) > 100
    not_public = sorted(
        f"{model._meta.label_lower}.{key}"
        for model, key in written
        if (decision(model, key) or (None,))[0] != PUBLIC
    )
    assert not_public == []
