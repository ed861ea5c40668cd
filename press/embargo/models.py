"""Accredited journalists, their personal embargo links and every opening of those links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class Journalist(index.Indexed, models.Model):
    """Someone the press office trusts with communiqués before they go live.

    Kept apart from press contacts: contacts are public (printed on every communiqué), the
    accredited journalists' list is the office's own and never rendered into any document.
    """

    name = models.CharField(_("name"), max_length=255)
    outlet = models.CharField(_("outlet"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("outlet"),
        index.SearchField("email"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("accredited journalist")
        verbose_name_plural = _("accredited journalists")

    def __str__(self) -> str:
        return f"{self.name} ({self.outlet})" if self.outlet else self.name

    def save(self, *args, **kwargs) -> None:
        # one journalist per address, whatever the case it was typed in
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class EmbargoLink(models.Model):
    """One journalist's personal link to one communiqué before it goes live.

    Only the SHA-256 of the token is stored: a copy of the database opens nothing.
    """

    page = models.ForeignKey(
        "assises_press.CommuniquePage",
        verbose_name=_("communiqué"),
        on_delete=models.CASCADE,
        related_name="embargo_links",
    )
    journalist = models.ForeignKey(
        Journalist,
        verbose_name=_("journalist"),
        on_delete=models.CASCADE,
        related_name="embargo_links",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("embargo link")
        verbose_name_plural = _("embargo links")

    def __str__(self) -> str:
        return f"{self.journalist} — {self.page_id}"

    def is_open(self, now=None) -> bool:
        """Neither revoked nor past its expiry."""
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class EmbargoOpening(models.Model):
    """A request made with a link: who (the link's journalist), when, what, and what they got."""

    PAGE = "page"
    PHOTO = "photo"
    FILE = "file"
    WHAT = [(PAGE, _("communiqué")), (PHOTO, _("photo")), (FILE, _("attachment"))]
    SHOWN = "shown"
    REFUSED = "refused"
    PUBLIC = "public"
    OUTCOMES = [
        (SHOWN, _("shown under embargo")),
        (REFUSED, _("refused (revoked or expired)")),
        (PUBLIC, _("sent to the public page")),
    ]

    link = models.ForeignKey(
        EmbargoLink, verbose_name=_("link"), on_delete=models.CASCADE, related_name="openings"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    what = models.CharField(_("what"), max_length=10, choices=WHAT)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("attachment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=OUTCOMES)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("opening")
        verbose_name_plural = _("openings")

    def __str__(self) -> str:
        return f"{self.link} — {self.what} — {self.opened_at:%Y-%m-%d %H:%M}"
