"""Webhooks to a real receiver on loopback, verified with the official Standard Webhooks library."""

import datetime
import io
import json
import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from standardwebhooks.webhooks import Webhook
from wagtail.models import Page

from cms.consumers import webhooks
from cms.models import StoredDocument, WebhookDelivery, WebhookEndpoint
from press.models import CommuniquePage


class Receiver:
    """An HTTP server that records every POST and answers `status` (changeable)."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.received: list[tuple[dict, bytes]] = []
        self.status = 200
        self.location: str | None = None  # set: answer 302 to it
        self.answer: bytes | None = None  # set: the body of every answer
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                if receiver.location:
                    self.send_response(302)
                    self.send_header("Location", receiver.location)
                    self.end_headers()
                    return
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(receiver.answer or (b"ok" if receiver.status < 300 else b"boom"))

            do_GET = do_POST  # noqa: N815 (a followed redirect arrives as a GET)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self, secret: str) -> list[dict]:
        """Every payload, after checking its signature as a receiver would."""
        return [Webhook(secret).verify(body, headers) for headers, body in self.received]


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.server.shutdown()


def _publish(communique, committed, title: str) -> None:
    communique.title = title
    with committed():
        communique.save_revision().publish()


def test_command_prints_a_secret_once(db, receiver):
    out = io.StringIO()
    call_command("add_webhook", receiver.url, "--kinds", "communique", stdout=out)
    endpoint = WebhookEndpoint.objects.get()
    assert out.getvalue().strip().splitlines()[-1] == endpoint.secret
    assert endpoint.secret.startswith("whsec_") and endpoint.kinds == ["communique"]


def test_command_refuses_unknown_kinds_and_events(db, receiver):
    with pytest.raises(CommandError, match="nope"):
        call_command("add_webhook", receiver.url, "--kinds", "nope")
    with pytest.raises(CommandError, match="exploded"):
        call_command("add_webhook", receiver.url, "--events", "exploded")


@override_settings(ASSISES={**settings.ASSISES, "WEBHOOKS_ALLOW_PRIVATE": False})
@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/", "http://10.0.0.1/", "http://169.254.169.254/latest", "ftp://x.org/"],
)
def test_targets_inside_the_network_are_refused(db, url):
    with pytest.raises(CommandError):
        call_command("add_webhook", url)
    assert not WebhookEndpoint.objects.exists()


def test_events_are_signed_ordered_and_carry_the_document(db, receiver, communique, committed):
    endpoint = webhooks.subscribe(receiver.url, kinds=["communique"])
    _publish(communique, committed, "Titre mis à jour")
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).unpublish()
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).save_revision().publish()

    events = receiver.events(endpoint.secret)
    assert [e["type"] for e in events] == [
        "communique.updated",
        "communique.unpublished",
        "communique.published",
    ]
    assert events[0]["data"]["document"]["title"] == "Titre mis à jour"
    assert events[1]["data"]["document"] is None
    assert events[1]["data"]["api_url"].endswith(f"/api/v1/communiques/{communique.pk}/")
    seqs = [e["data"]["seq"] for e in events]
    assert seqs == sorted(seqs)
    headers = [h for h, _b in receiver.received]
    assert all(h["webhook-id"].startswith("msg_") for h in headers)
    assert len({h["webhook-id"] for h in headers}) == 3


def test_failure_holds_later_events_back_then_retries_in_order(db, receiver, communique, committed):
    endpoint = webhooks.subscribe(receiver.url, kinds=["communique"])
    receiver.status = 500
    _publish(communique, committed, "Premier")
    _publish(communique, committed, "Second")
    first, second = WebhookDelivery.objects.order_by("seq")
    first.refresh_from_db()
    assert (first.status, first.attempts, first.response_code) == ("pending", 1, 500)
    assert first.response_excerpt == "boom"
    assert first.next_attempt_at > timezone.now()  # the retry waits
    assert second.attempts == 0  # never sent before the first

    receiver.status = 200
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    webhooks.deliver_due()
    assert list(WebhookDelivery.objects.order_by("seq").values_list("status", flat=True)) == [
        "delivered",
        "delivered",
    ]
    ids = [h["webhook-id"] for h, _b in receiver.received]
    assert ids[-2:] == [first.message_id, second.message_id]  # retried with the same id
    assert [e["data"]["seq"] for e in receiver.events(endpoint.secret)][-2:] == sorted(
        [first.seq, second.seq]
    )


def test_endpoint_disabled_after_the_last_retry_with_a_notice(
    db, receiver, communique, committed, django_user_model
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    endpoint = webhooks.subscribe(receiver.url)
    receiver.status = 503
    _publish(communique, committed, "En échec")
    for _ in webhooks.RETRY_DELAYS:
        WebhookDelivery.objects.filter(status="pending").update(
            next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        webhooks.deliver_due()
    endpoint.refresh_from_db()
    assert not endpoint.active and "503" in endpoint.disabled_reason
    assert WebhookDelivery.objects.filter(status="failed").exists()
    assert any("admin@example.org" in message.to for message in mail.outbox)


def test_endpoint_disabled_even_when_the_notice_cannot_be_sent(
    db, receiver, communique, committed, django_user_model, settings, caplog
):
    """An unreachable mail server is logged; the endpoint is disabled all the same."""
    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    endpoint = webhooks.subscribe(receiver.url)
    receiver.status = 503
    _publish(communique, committed, "Sans courrier")
    for _ in webhooks.RETRY_DELAYS:
        WebhookDelivery.objects.filter(status="pending").update(
            next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        webhooks.deliver_due()
    endpoint.refresh_from_db()
    assert not endpoint.active and "503" in endpoint.disabled_reason
    notices = [r for r in caplog.records if r.name == webhooks.logger.name]
    assert len(notices) == 1 and notices[0].exc_info  # to the superusers (no ADMINS here)


def test_dispatch_twice_creates_each_delivery_once(db, receiver, communique, committed):
    receiver.status = 500
    endpoint = webhooks.subscribe(receiver.url, events=["updated"])
    _publish(communique, committed, "Une fois")
    count = WebhookDelivery.objects.filter(endpoint=endpoint).count()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(cursor=0)  # as if a worker raced
    webhooks.dispatch()
    webhooks.dispatch()
    assert WebhookDelivery.objects.filter(endpoint=endpoint, seq__gt=0).count() >= count
    assert not WebhookDelivery.objects.exclude(event_type__endswith=".updated").exists()
    seqs = list(WebhookDelivery.objects.values_list("seq", flat=True))
    assert len(seqs) == len(set(seqs))


def test_redeliver_sends_again(db, receiver, communique, committed):
    endpoint = webhooks.subscribe(receiver.url, kinds=["communique"])
    _publish(communique, committed, "Relivré")
    delivery = WebhookDelivery.objects.get()
    webhooks.redeliver(delivery)
    webhooks.deliver_due()
    assert len(receiver.received) == 2
    assert json.loads(receiver.received[0][1]) == json.loads(receiver.received[1][1])
    assert receiver.events(endpoint.secret)[1]["data"]["document"]["title"] == "Relivré"


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("webmaster", "w@example.org", "pw")
    client.force_login(user)
    return client


def test_admin_adds_a_webhook_and_shows_its_secret_once(admin_client, receiver):
    response = admin_client.post(
        "/admin/webhooks/new/",
        {"url": receiver.url, "description": "Site partenaire", "events": ["published"]},
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.events == ["published"]
    assert endpoint.secret in response.content.decode()
    assert endpoint.secret not in admin_client.get("/admin/webhooks/").content.decode()

    old = endpoint.secret
    response = admin_client.post(f"/admin/webhooks/{endpoint.pk}/rotate/", follow=True)
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in response.content.decode()


@override_settings(ASSISES={**settings.ASSISES, "WEBHOOKS_ALLOW_PRIVATE": False})
def test_admin_refuses_a_private_target(admin_client):
    response = admin_client.post("/admin/webhooks/new/", {"url": "http://192.168.1.10/hook"})
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()
    assert "192.168.1.10" in response.content.decode()


def test_admin_delivery_log_and_redeliver(admin_client, receiver, communique, committed):
    webhooks.subscribe(receiver.url, kinds=["communique"])
    _publish(communique, committed, "Journal des envois")
    delivery = WebhookDelivery.objects.get()
    listing = admin_client.get("/admin/webhook_deliveries/").content.decode()
    assert delivery.event_type in listing and "delivered" in listing.lower()
    assert admin_client.get(f"/admin/webhook_deliveries/inspect/{delivery.pk}/").status_code == 200
    assert admin_client.get("/admin/webhook_deliveries/new/").status_code in (302, 403)
    admin_client.post(f"/admin/webhooks/deliveries/{delivery.pk}/redeliver/")
    assert len(receiver.received) == 2


def test_receiver_down_then_up_loses_nothing(db, communique, committed):
    down = Receiver()
    url = down.url
    down.server.shutdown()
    down.server.server_close()  # connection refused from now on
    endpoint = webhooks.subscribe(url, kinds=["communique"])
    _publish(communique, committed, "Pendant la panne")
    _publish(communique, committed, "Toujours en panne")
    first = WebhookDelivery.objects.order_by("seq").first()
    assert first.status == "pending" and first.response_code is None and first.attempts == 1

    up = Receiver()  # the partner is back (on another port: the subscription is edited)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=up.url)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    webhooks.deliver_due()
    events = up.events(endpoint.secret)
    assert [e["data"]["seq"] for e in events] == sorted(  # every event, in order
        WebhookDelivery.objects.values_list("seq", flat=True)
    )
    # each carries the communiqué as it is when sent: a version replaced meanwhile (a number
    # corrected, a paragraph withdrawn) does not go out late
    assert [e["data"]["document"]["title"] for e in events] == ["Toujours en panne"] * 2
    assert not WebhookDelivery.objects.exclude(status="delivered").exists()
    up.server.shutdown()


def test_slow_receiver_times_out_and_is_retried(db, receiver, communique, committed, monkeypatch):
    """The receiver answers only once the client has given up (no race with the timeout)."""
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 0.5)
    endpoint = webhooks.subscribe(receiver.url, kinds=["communique"])
    original = receiver.server.RequestHandlerClass.do_POST
    given_up, answered = threading.Event(), threading.Event()

    def slow(handler):
        try:
            given_up.wait(timeout=120)
            original(handler)  # its answer goes to a closed connection
        except OSError:
            pass
        finally:
            answered.set()

    receiver.server.RequestHandlerClass.do_POST = slow
    _publish(communique, committed, "Lent")
    given_up.set()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.response_code is None
    assert "timed out" in delivery.response_excerpt
    assert answered.wait(timeout=120)  # the slow request is recorded before the retry

    receiver.server.RequestHandlerClass.do_POST = original
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    webhooks.deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    ids = {h["webhook-id"] for h, _b in receiver.received}
    assert ids == {delivery.message_id}  # the slow first try and the retry: one id
    assert receiver.events(endpoint.secret)[-1]["data"]["document"]["title"] == "Lent"


# -- nothing that is no longer public goes out -------------------------------------------------


def _expire(communique) -> None:
    """The communiqué's expiry passes, and the worker that would unpublish it has not run."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    Page.objects.filter(pk=communique.pk).update(expire_at=past)
    StoredDocument.objects.filter(kind="communique", object_id=str(communique.pk)).update(
        expires_at=past
    )


def _publish_until(communique, committed, title: str) -> None:
    communique.title = title
    communique.expire_at = timezone.now() + datetime.timedelta(hours=1)
    with committed():
        communique.save_revision().publish()


def test_expired_communique_is_sent_as_a_deletion_when_its_retry_comes(
    db, receiver, communique, committed
):
    endpoint = webhooks.subscribe(receiver.url, kinds=["communique"])
    receiver.status = 500
    _publish_until(communique, committed, "Expire avant le nouvel essai")
    _expire(communique)
    receiver.status = 200
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    webhooks.deliver_due()

    last = receiver.events(endpoint.secret)[-1]
    assert last["type"] == "communique.unpublished"
    assert (last["data"]["document"], last["data"]["url"]) == (None, None)
    assert last["data"]["id"] == str(communique.pk)
    assert b"Expire avant" not in receiver.received[-1][1]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.event_type == "communique.unpublished"
    assert "Expire avant" not in delivery.payload  # the admin log keeps no copy either


def test_expired_communique_is_dispatched_as_a_deletion(db, receiver, communique, committed):
    endpoint = webhooks.subscribe(receiver.url, kinds=["communique"])
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)  # the worker is late
    _publish_until(communique, committed, "Expiré avant l'envoi")
    _expire(communique)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=True)
    webhooks.deliver_due()

    assert [e["type"] for e in receiver.events(endpoint.secret)] == ["communique.unpublished"]
    assert all("Expiré avant".encode() not in body for _h, body in receiver.received)
    assert "Expiré avant" not in WebhookDelivery.objects.get().payload


def test_redeliver_after_unpublishing_sends_a_deletion(db, receiver, communique, committed):
    endpoint = webhooks.subscribe(receiver.url, kinds=["communique"])
    _publish(communique, committed, "Retiré depuis")
    contacts = receiver.events(endpoint.secret)[0]["data"]["document"]["contacts"]
    with committed():
        CommuniquePage.objects.get(pk=communique.pk).unpublish()
    first = WebhookDelivery.objects.order_by("seq").first()
    webhooks.redeliver(first)
    webhooks.deliver_due()

    assert len(receiver.received) == 3
    headers, body = receiver.received[-1]
    assert headers["webhook-id"] == first.message_id  # the same event, sent again
    again = receiver.events(endpoint.secret)[-1]
    assert again["type"] == "communique.unpublished" and again["data"]["document"] is None
    assert again["data"]["seq"] == first.seq
    assert "Retiré depuis".encode() not in body
    assert all(c["email"].encode() not in body for c in contacts if c["email"])
    first.refresh_from_db()
    assert "Retiré depuis" not in first.payload


def test_redeliver_sends_the_current_version(db, receiver, communique, committed):
    endpoint = webhooks.subscribe(receiver.url, kinds=["communique"])
    _publish(communique, committed, "Première version")
    _publish(communique, committed, "Version corrigée")
    first = WebhookDelivery.objects.order_by("seq").first()
    webhooks.redeliver(first)
    webhooks.deliver_due()

    again = receiver.events(endpoint.secret)[-1]
    assert again["data"]["document"]["title"] == "Version corrigée"
    assert again["type"] == first.event_type and again["data"]["seq"] == first.seq
    assert "Première version".encode() not in receiver.received[-1][1]


# -- the network: no redirects, every connection checked -----------------------------------------


def test_redirect_is_a_failed_delivery_never_followed(db, receiver, communique, committed):
    internal = Receiver()  # a service inside the network that must stay out of reach
    internal.answer = b"internal secret"
    receiver.location = internal.url
    webhooks.subscribe(receiver.url, kinds=["communique"])
    _publish(communique, committed, "Redirigé")
    internal.server.shutdown()

    assert internal.received == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("pending", 302, 1)
    assert "internal secret" not in delivery.response_excerpt
    assert delivery.next_attempt_at > timezone.now()  # retried like any failure


def _refused_at_delivery(url: str, receiver, communique, committed) -> WebhookDelivery:
    webhooks.subscribe(url, kinds=["communique"])  # allowed when subscribing (tests' setting)
    receiver.answer = b"answer of a loopback service"
    with override_settings(ASSISES={**settings.ASSISES, "WEBHOOKS_ALLOW_PRIVATE": False}):
        _publish(communique, committed, "Vers une adresse interne")
    return WebhookDelivery.objects.get()


def test_loopback_target_is_refused_at_delivery(db, receiver, communique, committed):
    delivery = _refused_at_delivery(receiver.url, receiver, communique, committed)
    assert receiver.received == []
    assert (delivery.status, delivery.response_code) == ("pending", None)
    assert "127.0.0.1" in delivery.response_excerpt
    assert "loopback service" not in delivery.response_excerpt


def test_hostname_resolving_to_loopback_is_refused_at_delivery(db, receiver, communique, committed):
    url = receiver.url.replace("127.0.0.1", "localhost")
    delivery = _refused_at_delivery(url, receiver, communique, committed)
    assert receiver.received == []
    assert delivery.response_code is None and "loopback service" not in delivery.response_excerpt


@override_settings(ASSISES={**settings.ASSISES, "WEBHOOKS_ALLOW_PRIVATE": False})
def test_address_connected_to_is_the_address_checked(
    db, receiver, communique, committed, monkeypatch
):
    """DNS rebinding: a name that resolves to a public address when checked, then to loopback."""
    real = socket.getaddrinfo
    answers = []

    def rebinding(host, port, *args, **kwargs):
        if host != "partner.invalid":
            return real(host, port, *args, **kwargs)
        address = "93.184.215.14" if not answers else "127.0.0.1"
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 0.3)
    port = receiver.server.server_address[1]
    webhooks.subscribe(f"http://partner.invalid:{port}/hook", kinds=["communique"])
    answers.clear()
    _publish(communique, committed, "Rebinding")

    assert receiver.received == []
    assert answers == ["93.184.215.14"]  # resolved once, and that address is the one tried
    assert WebhookDelivery.objects.get().response_code is None


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl makes the test certificate")
def test_https_target_is_verified_for_its_name_at_the_checked_address(
    db, communique, committed, tmp_path, monkeypatch
):
    """The connection goes to the resolved address, TLS is verified for the URL's host."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost"],
        check=True,
        capture_output=True,
    )
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    receiver = Receiver(tls)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the only certificate the sender trusts
    url = receiver.url.replace("127.0.0.1", "localhost")
    endpoint = webhooks.subscribe(url, kinds=["communique"])
    _publish(communique, committed, "Par TLS")
    receiver.server.shutdown()

    assert [e["data"]["document"]["title"] for e in receiver.events(endpoint.secret)] == ["Par TLS"]
    assert receiver.received[0][0]["host"] == url.split("/")[2]
    assert WebhookDelivery.objects.get().status == "delivered"


def test_delivery_reads_the_current_document_once_per_event(db, receiver, communique, committed):
    endpoint = webhooks.subscribe(receiver.url, kinds=["communique"])
    receiver.status = 500
    for title in ("Un", "Deux", "Trois"):
        _publish(communique, committed, title)
    receiver.status = 200
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        assert webhooks.deliver(endpoint) == 3
    reads = [q["sql"] for q in queries if "assises_cms_storeddocument" in q["sql"]]
    assert len(reads) == 3  # one read per event at send time, no more
