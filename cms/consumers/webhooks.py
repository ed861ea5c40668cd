"""Webhooks: the change log's events pushed to partners, signed per Standard Webhooks 1.0.

Dispatch turns new change-log entries into one `WebhookDelivery` per subscribed endpoint, in log
order, advancing the endpoint's cursor in the same transaction (so two workers never create an
event twice). Delivery runs in the django-tasks worker, never in a publishing request: each
endpoint's pending deliveries are sent in order under a short lease; a failure stops the queue
of that endpoint (ordering is preserved) and is retried on Svix's schedule — 5 s, 5 min, 30 min,
2 h, 5 h, 10 h, 10 h, about a day in all. When the last retry fails the endpoint is disabled and
the administrators are told by e-mail.

Headers follow the specification: `webhook-id` (the same on every retry of an event),
`webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>` computed by
the `standardwebhooks` library with the endpoint's `whsec_…` secret; receivers verify with any
of the official libraries. Payload: `{"type": "<kind>.<event>", "timestamp", "data": {...}}`
where data carries the event id, kind, id, locale, URLs and the document (null on removal).

Events: `published` (a document appears), `updated`, `unpublished` (removed for any reason but
deletion: unpublished, expired, made private, moved out), `deleted` (its page or snippet was
deleted, whether live — Wagtail unpublishes it on the way out — or withdrawn before), and
`archived` (an upsert of an archived edition). An upsert superseded before dispatch is coalesced
into the later one. `data.id` is the document's `id` as a string, the one its `api_url` answers.

What goes out is decided by the visibility rule (`cms.visibility`) at the moment of sending, not
when the event was queued: a retry, or a redelivery from the admin, carries the document as it
is stored now, and an event whose document is no longer visible (expired with the worker late,
unpublished, deleted) goes out as a deletion — `<kind>.unpublished` with a null document, what
the change feed sends as a tombstone. The event keeps its `webhook-id` and `seq` (they name the
change-log entry, not the bytes), so ordering and deduplication work as before; the stored
payload is replaced by what was sent, so the delivery log keeps no copy of withdrawn content.

Targets on loopback, private, link-local or otherwise reserved addresses are refused, when
subscribing and again at each delivery (DNS can change), unless
`ASSISES["WEBHOOKS_ALLOW_PRIVATE"]` is set (the tests deliver to loopback). A delivery resolves
the host once, checks every address and connects to the checked address itself (with the
host's name in `Host` and TLS SNI), so a DNS answer that changes between check and connection
(rebinding) cannot reach inside. Redirects are never followed: a 3xx is a failed delivery.
"""

import base64
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import ssl
import time
from datetime import datetime, timedelta
from urllib.parse import SplitResult, urlsplit

import orjson
from django.contrib.auth import get_user_model
from django.core.mail import mail_admins, send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from ..api.router import endpoints as api_endpoints
from ..conf import assises_settings
from ..models import ChangeLogEntry, StoredDocument, WebhookDelivery, WebhookEndpoint
from ..pipeline import changelog
from ..visibility import document_is_visible, settle, visible_documents
from .changes import api_url_for

logger = logging.getLogger(__name__)

RETRY_DELAYS = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
]
TIMEOUT_SECONDS = 10
LEASE = timedelta(seconds=120)
DISPATCH_CHUNK = 500


class TargetRefused(ValueError):
    """The URL may not receive webhooks (scheme, or an address inside our network)."""


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def address_allowed(address: str) -> bool:
    """Whether webhooks may connect to this IP address: global unicast only, unless the setting
    lets targets inside the network (tests, an internal consumer) receive them."""
    if assises_settings.WEBHOOKS_ALLOW_PRIVATE:
        return True
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id is not part of it
    return ip.is_global and not ip.is_multicast


def resolve_target(url: str) -> list[str]:
    """The addresses a delivery to `url` may connect to: resolved once, every one checked.

    Raises `TargetRefused` when the URL is not http(s), the host does not resolve, or any of
    its addresses is inside the network (one bad answer is enough: a resolver may rotate).
    """
    parts = _split(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(
            parts.hostname, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (socket.gaierror, UnicodeError) as error:
        raise TargetRefused(_("The host does not resolve: %(error)s") % {"error": error}) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        if not address_allowed(address):
            raise TargetRefused(
                _("%(address)s is a private, loopback or reserved address.") % {"address": address}
            )
    return addresses


def check_target(url: str) -> None:
    """Refuse URLs that could reach our own network (SSRF), unless the setting allows it.

    Said when subscribing; a delivery checks again (`resolve_target`), DNS answers change.
    """
    _split(url)
    if not assises_settings.WEBHOOKS_ALLOW_PRIVATE:
        resolve_target(url)


def _split(url: str) -> SplitResult:
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 (raises on a port out of range)
    except ValueError:
        raise TargetRefused(_("The port of this URL is not valid.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(_("Only http and https URLs with a host can receive webhooks."))
    return parts


def start(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Give a new endpoint its secret and start it at the log's head: events from now on."""
    endpoint.secret = new_secret()
    endpoint.cursor = changelog.head().seq
    endpoint.save()
    return endpoint


def subscribe(
    url: str, events: list[str] | None = None, kinds: list[str] | None = None, description=""
) -> WebhookEndpoint:
    """A new active endpoint that receives events from now on (its secret is on the object)."""
    check_target(url)
    unknown = sorted(set(events or []) - set(WebhookEndpoint.EVENTS))
    if unknown:
        raise ValueError(
            _("Unknown event %(event)s; use: %(events)s.")
            % {"event": unknown[0], "events": ", ".join(WebhookEndpoint.EVENTS)}
        )
    return start(
        WebhookEndpoint(url=url, description=description, events=events or [], kinds=kinds or [])
    )


# -- dispatch -----------------------------------------------------------------------------------


def _event_type(entry: ChangeLogEntry, previous: ChangeLogEntry | None, doc: dict | None) -> str:
    if entry.operation == ChangeLogEntry.DELETE:
        return "deleted" if entry.reason == "deleted" else "unpublished"
    if doc is not None and doc.get("archived") is True:  # a kind that archives (editions)
        return "archived"
    if previous is None or previous.operation == ChangeLogEntry.DELETE:
        return "published"
    return "updated"


def _payload(entry: ChangeLogEntry, event: str, body: dict | None) -> str:
    return _message(
        f"{entry.kind}.{event}",
        entry.created_at.isoformat(),
        {
            "seq": entry.seq,
            "kind": entry.kind,
            "id": entry.object_id,
            "locale": entry.locale,
            "api_url": api_url_for(entry.kind, entry.object_id),
        },
        body,
    )


def _message(event_type: str, timestamp: str, identity: dict, body: dict | None) -> str:
    """The JSON body of an event: its identity (seq, kind, id…) and the document or null."""
    data = {
        "event_id": f"evt_{identity['seq']}",
        "seq": identity["seq"],
        "kind": identity["kind"],
        "id": identity["id"],
        "locale": identity["locale"],
        "api_url": (body or {}).get("api_url") or identity["api_url"],
        "url": (body or {}).get("url"),
        "document": body,
    }
    return json.dumps(
        {"type": event_type, "timestamp": timestamp, "data": data}, ensure_ascii=False
    )


def current_event(delivery: WebhookDelivery) -> tuple[str, str]:
    """(event type, payload) of a delivery as it may be sent now, under the visibility rule.

    An event that carries a document carries its current stored version when that is still
    visible, and becomes a deletion (`<kind>.unpublished`, null document) when it is not; a
    deletion stays as it was (nothing in it to withhold). Identity (`seq`, kind, id, locale,
    timestamp) is kept, so the `webhook-id` and the order of the queue are unchanged.
    """
    message = json.loads(delivery.payload)
    data = message["data"]
    if data["document"] is None:
        return delivery.event_type, delivery.payload
    kind = data["kind"]
    body = (
        visible_documents(StoredDocument.objects.filter(kind=kind, object_id=data["id"]))
        .values_list("body", flat=True)
        .first()
    )
    identity = {name: data[name] for name in ("seq", "kind", "id", "locale", "api_url")}
    if body is None:
        event_type, document = f"{kind}.unpublished", None
        identity["api_url"] = _api_url(kind, data["id"], data["api_url"])
    else:
        event_type, document = delivery.event_type, orjson.loads(bytes(body))
    return event_type, _message(event_type, message["timestamp"], identity, document)


def _api_url(kind: str, object_id: str, fallback: str) -> str:
    try:
        return api_url_for(kind, object_id)
    except StopIteration:  # a kind whose endpoint is gone since
        return fallback


def dispatch() -> int:
    """Create the deliveries of every new change-log entry, for every active endpoint."""
    created = 0
    settle(None, changelog.head())  # a passed expiry goes out as a deletion, dependents updated
    for endpoint_id in WebhookEndpoint.objects.filter(active=True).values_list("pk", flat=True):
        created += _dispatch_endpoint(endpoint_id)
    return created


def _dispatch_endpoint(endpoint_id: int) -> int:
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
        entries = list(
            ChangeLogEntry.objects.filter(seq__gt=endpoint.cursor).order_by("seq")[:DISPATCH_CHUNK]
        )
        if not entries:
            return 0
        documents = _current_documents(entries)
        now = timezone.now()
        deliveries = []
        kinds = set(api_endpoints.values())
        for entry in entries:
            if entry.kind not in kinds or (endpoint.kinds and entry.kind not in endpoint.kinds):
                continue
            body = None
            if entry.operation == ChangeLogEntry.UPSERT:
                current = documents.get((entry.kind, entry.object_id))
                if current is None or current[0] != entry.etag:
                    continue  # superseded: the later entry carries the document
                if not document_is_visible(current[2], now):
                    # expired before the worker unpublished it: a deletion, as the API sees it
                    event = "unpublished"
                    if endpoint.events and event not in endpoint.events:
                        continue
                    deliveries.append(_delivery(endpoint, entry, event, None))
                    continue
                body = orjson.loads(current[1])
            previous = (
                ChangeLogEntry.objects.filter(
                    kind=entry.kind, object_id=entry.object_id, seq__lt=entry.seq
                )
                .order_by("-seq")
                .first()
            )
            event = _event_type(entry, previous, body)
            if endpoint.events and event not in endpoint.events:
                continue
            deliveries.append(_delivery(endpoint, entry, event, body))
        WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        endpoint.cursor = entries[-1].seq
        endpoint.save(update_fields=["cursor"])
    return len(deliveries)


def _delivery(
    endpoint: WebhookEndpoint, entry: ChangeLogEntry, event: str, body: dict | None
) -> WebhookDelivery:
    return WebhookDelivery(
        endpoint=endpoint,
        seq=entry.seq,
        event_type=f"{entry.kind}.{event}",
        payload=_payload(entry, event, body),
        next_attempt_at=timezone.now(),
    )


def _current_documents(
    entries: list[ChangeLogEntry],
) -> dict[tuple[str, str], tuple[str, bytes, datetime | None]]:
    """Each upserted document's current (etag, body, expires_at): expired ones included, so
    that an expired document is told apart from a superseded one."""
    condition = Q()
    for entry in entries:
        if entry.operation == ChangeLogEntry.UPSERT:
            condition |= Q(kind=entry.kind, object_id=entry.object_id)
    if not condition:
        return {}
    return {
        (kind, object_id): (etag, bytes(body), expires_at)
        for kind, object_id, etag, body, expires_at in StoredDocument.objects.filter(
            condition
        ).values_list("kind", "object_id", "etag", "body", "expires_at")
    }


# -- delivery -----------------------------------------------------------------------------------


def _claim(endpoint: WebhookEndpoint) -> bool:
    now = timezone.now()
    return bool(
        WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + LEASE)
    )


def _release(endpoint: WebhookEndpoint) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(locked_until=None)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to an address already resolved and checked, never to a fresh DNS answer."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address; the certificate is verified for the host's name (SNI)."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST to `url` through a connection to a checked address; the answer is not followed."""
    parts = _split(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    error: OSError | None = None
    for address in resolve_target(url):
        connection = connection_class(parts.hostname, port, address, TIMEOUT_SECONDS)
        try:
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            if 300 <= response.status < 400:
                location = (response.getheader("Location") or "")[:200]
                return response.status, (
                    _("Redirects are not followed (Location: %(location)s).")
                    % {"location": location or "-"}
                ).encode()
            return response.status, response.read(500)
        except ConnectionRefusedError as refused:  # try the host's next address
            error = refused
        finally:
            connection.close()
    raise error or OSError(_("No address to connect to."))


def send(delivery: WebhookDelivery) -> tuple[int | None, str, int]:
    """POST one delivery: (status code or None, response excerpt, duration in ms).

    The excerpt is the target's answer only when a checked address answered; a refused target
    or a failed connection records our own message.
    """
    endpoint = delivery.endpoint
    timestamp = timezone.now()
    signature = Webhook(endpoint.secret).sign(delivery.message_id, timestamp, delivery.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Assises-Webhooks/1.0",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature,
    }
    started = time.monotonic()
    try:
        code, excerpt = _post(endpoint.url, delivery.payload.encode(), headers)
    except (OSError, http.client.HTTPException, TargetRefused) as error:
        code, excerpt = None, (str(error) or type(error).__name__).encode()
    duration = int((time.monotonic() - started) * 1000)
    return code, excerpt.decode("utf-8", "replace")[:500], duration


def deliver(endpoint: WebhookEndpoint, now: datetime | None = None) -> int:
    """Send the endpoint's due deliveries in order; stop at the first failure. Returns sent."""
    if not _claim(endpoint):
        return 0  # another worker is on it
    sent = 0
    try:
        pending = WebhookDelivery.objects.filter(
            endpoint=endpoint, status=WebhookDelivery.PENDING
        ).order_by("seq")
        for delivery in pending.select_related("endpoint"):
            now = now or timezone.now()
            if delivery.next_attempt_at and delivery.next_attempt_at > now:
                break  # waiting for its retry: later events wait behind it
            # what may go out is decided now, not when the event was queued
            delivery.event_type, delivery.payload = current_event(delivery)
            code, excerpt, duration = send(delivery)
            delivery.attempts += 1
            delivery.response_code, delivery.response_excerpt = code, excerpt
            delivery.duration_ms = duration
            if code is not None and 200 <= code < 300:
                delivery.status, delivery.delivered_at = WebhookDelivery.DELIVERED, timezone.now()
                delivery.next_attempt_at = None
                delivery.save()
                sent += 1
                continue
            if delivery.attempts > len(RETRY_DELAYS):
                delivery.status, delivery.next_attempt_at = WebhookDelivery.FAILED, None
                delivery.save()
                _disable(endpoint, delivery)
            else:
                delivery.next_attempt_at = timezone.now() + RETRY_DELAYS[delivery.attempts - 1]
                delivery.save()
            break
    finally:
        _release(endpoint)
    return sent


def redeliver(delivery: WebhookDelivery) -> None:
    """Send a delivery again (from the admin): back in the queue, due now.

    It goes out as its object is now (`current_event`): the current version, or a deletion if
    the object is no longer public — never the payload frozen when it was first queued.
    """
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.PENDING, next_attempt_at=timezone.now(), attempts=0
    )


def _disable(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> None:
    reason = _("Event %(id)s failed %(attempts)d times; last answer: %(code)s %(excerpt)s") % {
        "id": delivery.message_id,
        "attempts": delivery.attempts,
        "code": delivery.response_code or "-",
        "excerpt": delivery.response_excerpt[:100],
    }
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        active=False, disabled_reason=reason[:255]
    )
    subject = _("Webhook disabled: %(url)s") % {"url": endpoint.url}
    _notify(lambda: mail_admins(subject, reason))
    emails = list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if emails:
        _notify(lambda: send_mail(subject, reason, None, emails))


def _notify(send) -> None:
    """A notice that cannot be sent never stops the delivery loop (what `fail_silently` did,
    deprecated since Django 6.1); it is logged instead. SMTP errors are OSErrors."""
    try:
        send()
    except OSError:
        logger.warning("Could not send the webhook notice by e-mail", exc_info=True)


def deliver_due() -> int:
    """Dispatch new events, then send what is due for every active endpoint (worker, scheduler)."""
    dispatch()
    sent = 0
    for endpoint in WebhookEndpoint.objects.filter(active=True):
        sent += deliver(endpoint)
    return sent
