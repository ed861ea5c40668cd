"""Sharing a communiqué under embargo, revoking, and reading a journalist's link.

Plain functions called alike by the editor's screen, the `embargo_link` command and the
journalist's views, so that the rules (what may be shared, until when, what a link opens) live in
one place. Whether a communiqué is public is decided by `cms.visibility`, nowhere else.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.models import Revision

from cms.conf import assises_settings
from cms.visibility import page_is_public

from .models import EmbargoLink, EmbargoOpening, Journalist

PARIS = ZoneInfo("Europe/Paris")


def hash_token(token: str) -> str:
    """What is stored of a token: its SHA-256, so that a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def scheduled_revision(page) -> Revision | None:
    """The revision Wagtail will publish at go-live, if one is scheduled."""
    return (
        Revision.page_revisions.filter(object_id=str(page.pk), approved_go_live_at__isnull=False)
        .order_by("-created_at", "-pk")
        .first()
    )


def go_live_at(page) -> datetime | None:
    """When the embargo lifts: the scheduled revision's go-live, else the page's own."""
    revision = scheduled_revision(page)
    if revision is not None:
        return revision.approved_go_live_at
    return page.go_live_at


def embargoed_version(page):
    """The communiqué as it will be published: the scheduled revision, else the latest one."""
    revision = scheduled_revision(page) or page.get_latest_revision()
    return revision.as_object() if revision is not None else page.specific


def embargo_notice(until: datetime | None) -> str:
    """« EMBARGO — ne pas publier avant le 12 mars 2027 à 10:00 » in Paris time, in French."""
    with override("fr"):
        if until is None:
            return _("EMBARGO — do not publish until further notice")
        when = date_format(timezone.localtime(until, PARIS), "j F Y à H:i")
        return _("EMBARGO — do not publish before %(when)s (Paris time)") % {"when": when}


def link_base_url() -> str:
    """Where this Django site answers (the journalists' links are served by the app itself)."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or assises_settings.PUBLIC_URL or ""
    return base.rstrip("/")


def link_url(token: str) -> str:
    return link_base_url() + reverse("embargo_page", args=[token])


@dataclass
class SharedLink:
    """A link just created: the token exists only here and in the journalist's e-mail."""

    link: EmbargoLink
    token: str

    @property
    def url(self) -> str:
        return link_url(self.token)


def share(
    page,
    journalists: list[Journalist],
    *,
    expires_at: datetime | None = None,
    by=None,
    send_email: bool = True,
) -> list[SharedLink]:
    """Give each journalist a personal link to `page`, valid until go-live or `expires_at`.

    Refused (ValidationError, French message) when the communiqué is already public, when an
    expiry lies in the past or after go-live, or when there is neither a go-live date nor an
    expiry: a link must end.
    """
    page = page.specific
    if page_is_public(page):
        raise ValidationError(_("This communiqué is already public: send its public address."))
    now = timezone.now()
    lifts = go_live_at(page)
    if expires_at is not None and expires_at <= now:
        raise ValidationError(_("The expiry must lie in the future."))
    if lifts is not None and lifts <= now:
        raise ValidationError(
            _("The go-live time of this communiqué has passed: publish it instead.")
        )
    if expires_at is None and lifts is None:
        raise ValidationError(
            _("This communiqué has no scheduled go-live: give the link an expiry.")
        )
    if lifts is not None and expires_at is not None and expires_at > lifts:
        raise ValidationError(_("A link cannot outlive the embargo: expire it by go-live."))
    if not journalists:
        raise ValidationError(_("Choose at least one journalist."))
    until = expires_at or lifts
    shared = []
    with transaction.atomic():
        for journalist in journalists:
            token = secrets.token_urlsafe(32)
            link = EmbargoLink.objects.create(
                page=page,
                journalist=journalist,
                token_hash=hash_token(token),
                expires_at=until,
                created_by=by if getattr(by, "pk", None) else None,
            )
            shared.append(SharedLink(link, token))
    if send_email:
        for item in shared:
            send_link_email(page, item, lifts)
    return shared


def send_link_email(page, item: SharedLink, lifts: datetime | None) -> None:
    """The journalist's e-mail: the embargo notice first, then the link and its expiry."""
    version = embargoed_version(page)
    with override("fr"):
        notice = embargo_notice(lifts)
        context = {
            "journalist": item.link.journalist,
            "title": version.title,
            "notice": notice,
            "url": item.url,
            "expires": date_format(timezone.localtime(item.link.expires_at, PARIS), "j F Y à H:i"),
        }
        subject = f"[{notice}] {version.title}"
        body = render_to_string("assises/press/embargo/email.txt", context)
    send_mail(
        subject.replace("\n", " "),
        body,
        assises_settings.EMBARGO_FROM_EMAIL or settings.DEFAULT_FROM_EMAIL,
        [item.link.journalist.email],
    )


def revoke(links) -> int:
    """Close links at once; returns how many were still open."""
    return links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def find_link(token: str) -> EmbargoLink | None:
    """The link a token opens, with its communiqué and journalist, or None."""
    if not token or len(token) > 100:
        return None
    return (
        EmbargoLink.objects.select_related("journalist", "page")
        .filter(token_hash=hash_token(token))
        .first()
    )


def record_opening(link: EmbargoLink, what: str, outcome: str, document=None) -> None:
    EmbargoOpening.objects.create(link=link, what=what, outcome=outcome, document=document)


def attachment_of(version, document_id: int):
    """The document `document_id` if the embargoed version attaches it, else None."""
    for attachment in version.attachments.all():
        if attachment.document_id == document_id:
            return attachment.document
    return None
