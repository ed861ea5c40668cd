"""Relational read models of published programmes: sessions, participations, change tracking."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..blocks import PARTICIPANT_ROLES, SESSION_KINDS
from .congress import CongressEditionPage
from .speakers import SpeakerPage


class ProgrammeSession(models.Model):
    """Relational index of published sessions, rebuilt from the programme on each publish.

    It exists so that « every session of this speaker across editions » is one SQL join rather
    than a scan of every edition's JSON. Editors never edit it; `events.services` writes it.
    """

    uuid = models.UUIDField(_("identifier"), unique=True)
    edition = models.ForeignKey(
        CongressEditionPage, on_delete=models.CASCADE, related_name="indexed_sessions"
    )
    sort_order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=SESSION_KINDS)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    room = models.CharField(_("room"), max_length=255, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    topics = models.ManyToManyField("assises_cms.Topic", related_name="sessions", blank=True)

    class Meta:
        ordering = ["start", "sort_order", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    """A speaker's role in one published session, with the function held at the time."""

    session = models.ForeignKey(
        ProgrammeSession, on_delete=models.CASCADE, related_name="participations"
    )
    speaker = models.ForeignKey(
        SpeakerPage, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=PARTICIPANT_ROLES)
    function = models.CharField(_("function at the time"), max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        # parallel sessions start together: their programme order, then one session's rows
        ordering = ["session__start", "session__sort_order", "session_id", "sort_order", "pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.speaker_id} – {self.role} – {self.session_id}"


class SessionState(models.Model):
    """What calendars need to know about a session across publishes: SEQUENCE and CREATED.

    Unlike the index above it is never deleted, so a session that is unpublished and published
    again keeps counting; `sequence` grows when time, place, title or cancellation change, as
    RFC 5545 asks, and `modified_at` moves on any published change (calendars take
    LAST-MODIFIED from the session's stored document, or from here when only the venue moved).
    """

    uuid = models.UUIDField(primary_key=True)
    schedule_fingerprint = models.CharField(max_length=64)
    content_fingerprint = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField()

    class Meta:
        verbose_name = _("session state")
        verbose_name_plural = _("session states")

    def __str__(self) -> str:
        return f"{self.uuid} #{self.sequence}"
