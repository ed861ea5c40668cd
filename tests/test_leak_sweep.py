"""The leak sweep: every road of the site, against every state in which content is not public.

A press office promises that nothing of a communiqué reaches anyone before it is public, nor
after it stopped being. Each road a reader can take — every URL pattern of the demo's URLconf
(with media served by the app, as the demo and the stack do), the archive bundle and webhook
bodies — is listed in `ROADS` with how to fill it from the scenario, or in `NOT_CONTENT` with why
it serves no content. A new pattern left out of both fails `test_every_url_pattern_is_classified`,
so no road can be added without being swept.

For each state (`STATES`), one scenario is built once, in a transaction rolled back at its end: a
communiqué whose title, slug, lead, body, contact's e-mail, attachment (file name and content)
and photo (file name, title and content) all carry a marker unique to the state, and a speaker of
the same name in the same state, named in the live Amboise programme. Every road is then read
anonymously with the content hidden, and again with it public: the marker must be absent from the
first and present in the second (the positive control, so that the sweep cannot pass because it
looked in the wrong place). An expired page is read once the scheduler has run (`expired`) and
before it does (`expired_late`). States reached from public content (expired, private,
unpublished, deleted, moved out) are read public first, then hidden — and a webhook
« redeliver » of every earlier delivery, as an editor may press it, is part of the hidden phase.
"""

import datetime
import functools
import importlib.util
import io
import json
import sys
import tempfile
import threading
import urllib.parse
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from PIL import Image, PngImagePlugin

# Database tests: the test database is only set up for sessions that hold some.
pytestmark = pytest.mark.django_db

STATES = (
    "draft",
    "scheduled",
    "expired",
    "expired_late",
    "private",
    "unpublished",
    "deleted",
    "moved_out",
)
# Reached from public content: read public first (the control), then hidden.
FROM_PUBLIC = {"expired", "expired_late", "private", "unpublished", "deleted", "moved_out"}
API_ENDPOINTS = ("topics", "organisation", "series", "editions", "sessions", "speakers")
PRIVATE_SECTION = "espace-adherents"


# -- the roads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Road:
    """How to reach content by one URL pattern: the URLs to read, given the scenario.

    `shows` is False for a road that never shows a page's content to an anonymous reader (a
    password form, a preview without its token): it is swept, but has no positive control.
    `files` marks roads serving a stored file under a name: a 200 for a URL naming the marker is
    a leak even when the bytes do not carry it.
    """

    urls: Callable[[SimpleNamespace], list[str]]
    shows: bool = True
    files: bool = False


def _pages(s: SimpleNamespace) -> list[str]:
    listed = ["/", "/presse/", "/intervenants/", "/assises/amboise-2024/", "/en/"]
    return listed + s.news_paths + s.speaker_paths + [f"/{PRIVATE_SECTION}/"]


def _lists(s: SimpleNamespace) -> list[str]:
    return [f"/api/v1/{e}/?limit=100" for e in (*API_ENDPOINTS, "communiques", "contacts")]


def _details(s: SimpleNamespace) -> list[str]:
    return [
        f"/api/v1/communiques/{s.news_pk}/",
        f"/api/v1/speakers/{s.speaker_pk}/",
        f"/api/v1/contacts/{s.contact_pk}/",
        f"/api/v1/editions/{s.amboise_pk}/",
        f"/api/v1/series/{s.series_pk}/",
    ]


def _filtered(endpoint: str, *queries: str) -> Callable[[SimpleNamespace], list[str]]:
    """The router's own patterns answer whatever carries parameters."""

    def urls(s: SimpleNamespace) -> list[str]:
        base = f"/api/v1/{endpoint}/"
        return [base + "?" + q.format(s=s) for q in ("limit=100&fields=*", *queries)]

    return urls


def _detail(endpoint: str, attribute: str) -> Callable[[SimpleNamespace], list[str]]:
    return lambda s: [f"/api/v1/{endpoint}/{getattr(s, attribute)}/?fields=*"]


def _media(s: SimpleNamespace) -> list[str]:
    return [f"/media/{name}" for name in s.media_names]


ROADS: dict[str, Road] = {
    # Public pages (Wagtail's serve), French at the root, English under /en/.
    "wagtail_serve": Road(_pages),
    # The password form of a view restriction: it names no content.
    "wagtailcore_authenticate_with_password": Road(
        lambda s: [
            f"/_util/authenticate_with_password/{r}/{p}/"
            for r, p in s.restrictions or [(0, s.news_pk)]
        ],
        shows=False,
    ),
    # Documents (attachments) by id and file name, as linked from the API and the pages.
    "wagtaildocs_serve": Road(lambda s: [s.document_url], files=True),
    # Originals and renditions, served by the app in the demo and the stack.
    r"^media/original_images/(?P<path>.+)$": Road(_media, files=True),
    r"^media/(?P<path>images/.*)$": Road(_media, files=True),
    # The API: the hot lists and details, then the router's patterns (parameters, extra routes).
    "api-hot-list": Road(_lists),
    "api-hot-detail": Road(_details),
    "api-root": Road(lambda s: ["/api/v1/"], shows=False),
    "api-find": Road(lambda s: [f"/api/v1/find/?path={p}" for p in s.news_paths + s.speaker_paths]),
    "api-changes": Road(lambda s: ["/api/v1/changes/?limit=1000", "/api/v1/changes/?since=0"]),
    # Without a token the preview opens nothing; tokens are handed to partners by editors.
    "api-preview": Road(
        lambda s: ["/api/v1/preview/", "/api/v1/preview/?token=forged"], shows=False
    ),
    "api-jsonld": Road(
        lambda s: [
            f"/api/v1/communiques/{s.news_pk}.jsonld",
            f"/api/v1/speakers/{s.speaker_pk}.jsonld",
            f"/api/v1/editions/{s.amboise_pk}.jsonld",
        ]
    ),
    "topic-list": Road(_filtered("topics"), shows=False),
    "topic-detail": Road(_detail("topics", "topic_slug"), shows=False),
    "organisation-list": Road(_filtered("organisation"), shows=False),
    "organisation-detail": Road(lambda s: ["/api/v1/organisation/1/?fields=*"], shows=False),
    # Names editions, not the communiqué nor its people: swept, no control.
    "series-list": Road(_filtered("series"), shows=False),
    # Names editions, not the communiqué nor its people: swept, no control.
    "series-detail": Road(_detail("series", "series_pk"), shows=False),
    "edition-list": Road(_filtered("editions", "speaker={s.speaker_pk}", "search={s.marker}")),
    # The current edition is not Amboise in the demo: swept, no control.
    "edition-current": Road(lambda s: ["/api/v1/editions/current/"], shows=False),
    "edition-detail": Road(_detail("editions", "amboise_pk")),
    "session-list": Road(_filtered("sessions", "speaker={s.speaker_pk}", "search={s.marker}")),
    "session-detail": Road(_detail("sessions", "session_uuid")),
    "speaker-list": Road(_filtered("speakers", "search={s.marker}")),
    "speaker-detail": Road(_detail("speakers", "speaker_pk")),
    "communique-list": Road(
        _filtered(
            "communiques",
            "search={s.marker}",
            "topic={s.topic_slug}",
            "edition={s.amboise_pk}",
            "speaker={s.speaker_pk}",
            "ordering=-publication_date",
        )
    ),
    "communique-detail": Road(_detail("communiques", "news_pk")),
    "contact-list": Road(_filtered("contacts", "search={s.marker}")),
    "contact-detail": Road(_detail("contacts", "contact_pk")),
    # Sitemaps, feeds, calendars, schedules.
    "sitemap": Road(lambda s: ["/sitemap.xml"]),
    "sitemap_news": Road(lambda s: ["/sitemap-news.xml"]),
    "communiques_feed_json": Road(lambda s: ["/feeds/communiques.json"]),
    "communiques_feed_rss": Road(lambda s: ["/feeds/communiques.rss"]),
    "communiques_feed_atom": Road(lambda s: ["/feeds/communiques.atom"]),
    **{
        f"communiques_topic_feed_{fmt}": Road(
            lambda s, fmt=fmt: [f"/feeds/communiques/topics/{s.topic_slug}.{fmt}"]
        )
        for fmt in ("json", "rss", "atom")
    },
    **{
        f"communiques_edition_feed_{fmt}": Road(
            lambda s, fmt=fmt: [f"/feeds/communiques/editions/{s.amboise_pk}.{fmt}"]
        )
        for fmt in ("json", "rss", "atom")
    },
    "edition_ical": Road(lambda s: [f"/calendars/editions/{s.amboise_pk}.ics"]),
    "session_ical": Road(lambda s: [f"/calendars/sessions/{s.session_uuid}.ics"]),
    "speaker_ical": Road(lambda s: [f"/calendars/speakers/{s.speaker_pk}.ics"]),
    "series_ical": Road(lambda s: [f"/calendars/series/{s.series_pk}.ics"]),
    "edition_schedule_xml": Road(lambda s: [f"/schedules/editions/{s.amboise_pk}/schedule.xml"]),
    "edition_schedule_json": Road(lambda s: [f"/schedules/editions/{s.amboise_pk}/schedule.json"]),
    # Journalists' embargo links: a forged token opens nothing (a link's own communiqué is
    # reachable only with its token, a credential; tests/press/test_embargo.py covers revoked,
    # expired and other communiqués' links).
    "embargo_page": Road(lambda s: ["/embargo/forged-token/"], shows=False),
    "embargo_photo": Road(lambda s: ["/embargo/forged-token/photo/"], shows=False),
    "embargo_file": Road(
        lambda s: [f"/embargo/forged-token/fichiers/{s.document_pk}/"], shows=False
    ),
}

# Roads that are not URL patterns: read by the sweep all the same.
EXTRA_ROADS = ("archive", "webhooks")

NOT_CONTENT: dict[str, str] = {
    "healthz": "health check: a fixed status, no content",
    "api-schema": "OpenAPI schema: generated from code, no content",
    "api-docs": "API documentation page: generated from code, no content",
    "api-redoc": "API documentation page: generated from code, no content",
    r"^(?:api|feeds|calendars|schedules)/": "fixed JSON 404 for unknown machine paths",
    "wagtailcore_login": "login form of view restrictions, no content",
    "wagtaildocs_authenticate_with_password": "password form of a private collection",
}
# Whole subtrees that are not content roads: editors only, behind a login.
NOT_CONTENT_PREFIXES: dict[str, str] = {
    "admin/": "Wagtail admin: editors only, behind login",
    "django-admin/": "Django admin: staff only, behind login",
}

# Leaks found and not fixed yet: (road, state) -> reason, each a strict xfail (none today).
KNOWN_LEAKS: dict[tuple[str, str], str] = {}


# -- the URLconf ----------------------------------------------------------------------------


@functools.cache
def sweep_urlconf() -> ModuleType:
    """The demo's URLconf as the demo and the stack run it: media served by the app."""
    import demosite.urls as demo

    spec = importlib.util.spec_from_file_location("tests._leak_sweep_urls", demo.__file__)
    module = importlib.util.module_from_spec(spec)
    with override_settings(ASSISES_SERVE_MEDIA=True):
        spec.loader.exec_module(module)
    sys.modules[spec.name] = module
    return module


def url_patterns() -> list[tuple[str, str, str]]:
    """(key, route, view) of every pattern: the key is its name, or its route when unnamed."""

    def walk(patterns, prefix: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                view = f"{pattern.callback.__module__}.{pattern.callback.__name__}"
                yield pattern.name or str(pattern.pattern), route, view

    return list(walk(sweep_urlconf().urlpatterns, ""))


def classify(key: str, route: str) -> str | None:
    if key in ROADS:
        return "road"
    if key in NOT_CONTENT:
        return NOT_CONTENT[key]
    for prefix, reason in NOT_CONTENT_PREFIXES.items():
        if route.startswith(prefix):
            return reason
    return None


# -- a webhook receiver on loopback ---------------------------------------------------------


class Receiver:
    """Records every body POSTed to it, answering 200."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                receiver.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def take(self) -> list[bytes]:
        bodies, self.bodies = self.bodies, []
        return bodies


# -- the scenario -------------------------------------------------------------------------


def committed():
    """Run on-commit callbacks (the publish pipeline, the webhook dispatch) as a commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def _png(marker: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", marker)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _relative(page) -> str:
    from demosite.models import HomePage

    home = HomePage.objects.get(depth=2)
    return page.url_path[len(home.url_path) - 1 :]


def build(state: str, receiver: Receiver) -> SimpleNamespace:
    """The communiqué, its files and contact, and a speaker named in the Amboise programme."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from cms.consumers import webhooks
    from cms.models import Topic
    from events.models import CongressEditionPage, CongressSeriesPage, SpeakerIndexPage, SpeakerPage
    from press.models import (
        CommuniqueAttachment,
        CommuniqueContact,
        CommuniqueEdition,
        CommuniquePage,
        CommuniqueTopic,
        PressContact,
        PressIndexPage,
    )

    marker = f"fuitezq{state.replace('_', '')}x"  # no marker is the prefix of another
    now = timezone.now()
    with committed():
        endpoint = webhooks.subscribe(receiver.url)
        image = get_image_model()(title=f"Photo {marker}")
        image.file = ImageFile(io.BytesIO(_png(marker)), name=f"{marker}.png")
        image.save()
        document = get_document_model()(title=f"Dossier {marker}")
        document.file.save(
            f"{marker}.pdf", ContentFile(f"%PDF-1.4\n% {marker}\n%%EOF\n".encode()), save=False
        )
        document.save()
        contact = PressContact.objects.create(name=f"Contact {marker}", email=f"{marker}@ex.org")

    amboise = CongressEditionPage.objects.get(slug="amboise-2024")
    topic = Topic.objects.get(slug="finances-locales")
    speaker = SpeakerPage(given_name="Zorglub", family_name=marker.title(), live=False)
    news = CommuniquePage(
        title=f"Communiqué {marker}",
        slug=marker,
        live=False,
        publication_date=now.date(),
        lead=f"Chapô {marker}.",
        body=[{"type": "paragraph", "value": f"<p>Corps {marker}.</p>"}],
        hero_image=image,
    )
    if state.startswith("expired"):
        news.expire_at = speaker.expire_at = now + datetime.timedelta(hours=1)
    with committed():
        SpeakerIndexPage.objects.get().add_child(instance=speaker)
        PressIndexPage.objects.get().add_child(instance=news)
        CommuniqueContact.objects.create(page=news, contact=contact)
        CommuniqueAttachment.objects.create(page=news, document=document)
        CommuniqueTopic.objects.create(page=news, topic=topic)
        CommuniqueEdition.objects.create(page=news, edition=amboise)
        programme = list(amboise.programme.raw_data)
        participant = {"speaker": speaker.pk, "role": "intervenant", "function": marker}
        programme[0]["value"]["participants"].append(
            {"type": "item", "id": str(uuid.uuid4()), "value": participant}
        )
        amboise.programme = programme
        amboise.save_revision().publish()
    speaker = SpeakerPage.objects.get(pk=speaker.pk)
    news = CommuniquePage.objects.get(pk=news.pk)
    with committed():
        for page in (speaker, news):
            if state == "scheduled":
                page.go_live_at = now + datetime.timedelta(days=3)
            revision = page.save_revision()
            if state != "draft":
                revision.publish()
    return SimpleNamespace(
        state=state,
        marker=marker,
        endpoint=endpoint,
        news=news,
        speaker=speaker,
        news_pk=news.pk,
        speaker_pk=speaker.pk,
        contact_pk=contact.pk,
        document_pk=document.pk,
        document_url=document.url,
        image=image,
        amboise_pk=amboise.pk,
        series_pk=CongressSeriesPage.objects.get(slug="assises").pk,
        topic_slug=topic.slug,
        session_uuid=programme[0]["id"],
        news_paths=[_relative(news)],
        speaker_paths=[_relative(speaker)],
        restrictions=[],
        media_names=[],
    )


def show(s: SimpleNamespace) -> None:
    """Publish a draft or a scheduled page now."""
    with committed():
        for page in (s.news, s.speaker):
            page = type(page).objects.get(pk=page.pk)
            page.go_live_at = None
            page.save_revision().publish()


def hide(s: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bring public pages to the state, as an editor (or the passing of time) does."""
    from wagtail.models import Page, PageViewRestriction

    from cms.consumers import webhooks
    from cms.models import WebhookDelivery
    from demosite.models import HomePage

    pages = [Page.objects.get(pk=s.news_pk).specific, Page.objects.get(pk=s.speaker_pk).specific]
    with committed():
        if s.state.startswith("expired"):
            later = timezone.now() + datetime.timedelta(hours=2)
            monkeypatch.setattr(timezone, "now", lambda: later)
            if s.state == "expired":  # `expired_late`: the scheduler has not run yet
                call_command("run_scheduler", "--once", stdout=io.StringIO())
        elif s.state == "private":
            for page in pages:
                PageViewRestriction.objects.create(
                    page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
                )
        elif s.state == "unpublished":
            for page in pages:
                page.unpublish()
        elif s.state == "deleted":
            for page in pages:
                page.delete()
        elif s.state == "moved_out":
            section = Page(title="Espace adhérents", slug=PRIVATE_SECTION)
            HomePage.objects.get(depth=2).add_child(instance=section)
            PageViewRestriction.objects.create(
                page=section, restriction_type=PageViewRestriction.PASSWORD, password="secret"
            )
            for page in pages:
                page.move(section, pos="last-child")
    s.restrictions = list(PageViewRestriction.objects.values_list("pk", "page_id"))
    for pk, paths in ((s.news_pk, s.news_paths), (s.speaker_pk, s.speaker_paths)):
        page = Page.objects.filter(pk=pk).first()
        if page is not None and _relative(page) not in paths:
            paths.append(_relative(page))
    # The worker catching up, and an editor pressing « redeliver » on every past delivery.
    with committed():
        webhooks.dispatch()
        for delivery in WebhookDelivery.objects.filter(endpoint=s.endpoint):
            webhooks.redeliver(delivery)
        webhooks.deliver_due()


# -- reading every road ---------------------------------------------------------------------


@dataclass
class Reading:
    """What one road gave in one phase: the URLs that leaked the marker, whether any showed it."""

    leaks: list[str] = field(default_factory=list)
    shown: bool = False


def _found(marker: bytes, body: bytes, url: str) -> int:
    """Where the marker is in `body`, once an echo of the request itself is taken out."""
    body = body.lower()
    for echo in (url, urllib.parse.unquote(url), urllib.parse.quote(url, safe="")):
        body = body.replace(echo.lower().encode(), b"")
    return body.find(marker)


def _read_urls(s: SimpleNamespace, client: Client) -> dict[str, Reading]:
    s.media_names = [s.image.file.name] + [r.file.name for r in s.image.renditions.all()]
    marker = s.marker.encode()
    readings: dict[str, Reading] = {}
    for key, road in ROADS.items():
        reading = readings[key] = Reading()
        for url in road.urls(s):
            response = client.get(url)
            body = (
                b"".join(response.streaming_content)
                if response.streaming
                else bytes(response.content)
            )
            at = _found(marker, body, url)
            if at >= 0 or (road.files and response.status_code == 200 and s.marker in url):
                reading.shown = True
                excerpt = body[max(0, at - 60) : at + 60] if at >= 0 else b"(the file itself)"
                reading.leaks.append(f"{url} [{response.status_code}]: …{excerpt!r}…")
    return readings


def _read_archive(s: SimpleNamespace) -> Reading:
    reading = Reading()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bundle.zip"
        call_command(
            "export_archive", str(path), "--edition", "amboise-2024", "--no-progress",
            stdout=io.StringIO(),
        )  # fmt: skip
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                data = name.encode() + b"\n" + archive.read(name)
                at = data.lower().find(s.marker.encode())
                if at >= 0:
                    reading.shown = True
                    reading.leaks.append(f"{name}: …{data[max(0, at - 60) : at + 60]!r}…")
    return reading


def _read_webhooks(s: SimpleNamespace, receiver: Receiver) -> Reading:
    reading = Reading()
    for body in receiver.take():
        at = body.lower().find(s.marker.encode())
        if at >= 0:
            reading.shown = True
            event = json.loads(body).get("type")
            reading.leaks.append(f"{event}: …{body[max(0, at - 60) : at + 60]!r}…")
    return reading


def read_everything(s: SimpleNamespace, receiver: Receiver) -> dict[str, Reading]:
    client = Client()
    with override_settings(ROOT_URLCONF=sweep_urlconf().__name__):
        readings = _read_urls(s, client)
    readings["archive"] = _read_archive(s)
    readings["webhooks"] = _read_webhooks(s, receiver)
    return readings


def scenario(state: str, receiver: Receiver) -> dict[str, dict[str, Reading]]:
    """Build the state once, read every road hidden and public, and roll everything back."""
    from cms.api import listcache

    phases: dict[str, dict[str, Reading]] = {}
    with pytest.MonkeyPatch.context() as monkeypatch, transaction.atomic():
        cache.clear()
        listcache.clear()
        receiver.take()
        s = build(state, receiver)
        if state in FROM_PUBLIC:
            phases["public"] = read_everything(s, receiver)
            hide(s, monkeypatch)
            phases["hidden"] = read_everything(s, receiver)
        else:
            phases["hidden"] = read_everything(s, receiver)
            show(s)
            phases["public"] = read_everything(s, receiver)
        transaction.set_rollback(True)
    cache.clear()
    listcache.clear()
    return phases


@pytest.fixture(scope="module")
def sweeps(django_db_setup, django_db_blocker):
    """Each state's readings, built the first time a test asks for that state."""
    receiver = Receiver()
    done: dict[str, dict[str, dict[str, Reading]]] = {}

    def get(state: str) -> dict[str, dict[str, Reading]]:
        if state not in done:
            with django_db_blocker.unblock():
                done[state] = scenario(state, receiver)
        return done[state]

    yield get
    receiver.server.shutdown()


# -- the tests ------------------------------------------------------------------------------


def test_every_url_pattern_is_classified():
    unclassified = [
        f"{key!r} (route {route!r}, view {view})"
        for key, route, view in url_patterns()
        if classify(key, route) is None
    ]
    assert unclassified == [], (
        "URL patterns the leak sweep does not know. Add each to ROADS in "
        "tests/test_leak_sweep.py with the URLs that reach content from the scenario (its "
        "`urls` reads the scenario's ids, slugs and paths), or to NOT_CONTENT with the reason "
        "it can show no page content (admin, static, health…): " + "; ".join(unclassified)
    )


def test_every_classified_pattern_still_exists():
    keys = {key for key, _route, _view in url_patterns()}
    stale = sorted(set(ROADS) - keys) + sorted(set(NOT_CONTENT) - keys)
    assert stale == [], f"classified in the sweep but no longer in the URLconf: {stale}"


def _cases(check: str) -> list:
    cases = []
    for state in STATES:
        for road in (*ROADS, *EXTRA_ROADS):
            marks = ()
            if check == "hidden" and (road, state) in KNOWN_LEAKS:
                marks = pytest.mark.xfail(strict=True, reason=KNOWN_LEAKS[road, state])
            cases.append(pytest.param(road, state, marks=marks, id=f"{state}-{road}"))
    return cases


@pytest.mark.parametrize(("road", "state"), _cases("hidden"))
def test_road_shows_nothing_of_non_public_content(sweeps, road, state):
    leaks = sweeps(state)["hidden"][road].leaks
    assert leaks == [], f"{road} leaks {state} content: " + " | ".join(leaks)


def _controls() -> list:
    shown = [r for r in ROADS if ROADS[r].shows]
    return [
        pytest.param(road, state, id=f"{state}-{road}")
        for state in STATES
        for road in (*shown, *EXTRA_ROADS)
    ]


@pytest.mark.parametrize(("road", "state"), _controls())
def test_road_shows_the_same_content_once_public(sweeps, road, state):
    assert sweeps(state)["public"][road].shown, f"{road} never showed the public {state} content"
