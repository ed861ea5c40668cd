"""Event logic shared by the admin, commands and signal receivers."""

import hashlib
import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .models import (
    CongressEditionPage,
    Participation,
    ProgrammeSession,
    SessionState,
    SpeakerPage,
)


def _fingerprint(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def track_session_changes(edition: CongressEditionPage) -> None:
    """Bump SEQUENCE / LAST-MODIFIED of the edition's sessions whose published form changed."""
    now = timezone.now()
    states = {
        str(s.uuid): s
        for s in SessionState.objects.filter(uuid__in=[s["id"] for s in edition.sessions])
    }
    for session in edition.sessions:
        value = session["value"]
        schedule = _fingerprint(
            [
                session["start"].isoformat(),
                session["end"].isoformat(),
                value["room"],
                value["title"],
                bool(value["cancelled"]),
                edition.venue_name,
                edition.venue_address,
                edition.host_town,
            ]
        )
        content = _fingerprint([schedule, session["raw"]])
        state = states.get(str(session["id"]))
        if state is None:
            SessionState.objects.create(
                uuid=session["id"],
                schedule_fingerprint=schedule,
                content_fingerprint=content,
                modified_at=now,
            )
            continue
        if state.content_fingerprint == content:
            continue
        if state.schedule_fingerprint != schedule:
            state.sequence += 1
            state.schedule_fingerprint = schedule
        state.content_fingerprint = content
        state.modified_at = now
        state.save()


@transaction.atomic
def refresh_programme_index(edition: CongressEditionPage) -> int:
    """Rebuild the relational index of an edition's sessions from its live programme.

    Called on publish; the index reflects what the public sees, never a draft. Returns the
    number of indexed sessions.
    """
    ProgrammeSession.objects.filter(edition_id=edition.pk).delete()
    if not edition.live:
        return 0
    track_session_changes(edition)
    speaker_ids = {
        participant["speaker"].pk
        for session in edition.sessions
        for participant in session["value"]["participants"]
        if participant["speaker"] is not None
    }
    existing = set(SpeakerPage.objects.filter(pk__in=speaker_ids).values_list("pk", flat=True))
    participations = []
    for order, session in enumerate(edition.sessions):
        value = session["value"]
        indexed = ProgrammeSession.objects.create(
            uuid=session["id"],
            edition=edition,
            sort_order=order,
            title=value["title"],
            kind=value["kind"],
            start=session["start"],
            end=session["end"],
            room=value["room"] or "",
            cancelled=bool(value["cancelled"]),
        )
        topics = [topic for topic in value["topics"] if topic is not None]
        if topics:
            indexed.topics.set(topics)
        for position, participant in enumerate(value["participants"]):
            speaker = participant["speaker"]
            if speaker is None or speaker.pk not in existing:
                continue
            participations.append(
                Participation(
                    session=indexed,
                    speaker_id=speaker.pk,
                    role=participant["role"],
                    function=participant["function"] or "",
                    sort_order=position,
                )
            )
    Participation.objects.bulk_create(participations)
    return len(edition.sessions)


def clear_programme_index(edition_id: int) -> None:
    """Drop an edition's sessions from the index (unpublished or deleted)."""
    ProgrammeSession.objects.filter(edition_id=edition_id).delete()


# -- archiving ------------------------------------------------------------------------------

ARCHIVE_PERMISSION = "assises_events.archive_congresseditionpage"


class ArchiveError(Exception):
    """An edition that cannot be archived or unarchived now; the message is for the editor."""


def can_archive(user) -> bool:
    return bool(user and user.is_active and user.has_perm(ARCHIVE_PERMISSION))


def check_archivable(edition: CongressEditionPage) -> None:
    """Raise ArchiveError unless `edition` is a published, past, not yet archived edition."""
    if edition.archived:
        raise ArchiveError(_("This edition is already archived."))
    if not edition.live:
        raise ArchiveError(_("Only a published edition can be archived."))
    if edition.has_unpublished_changes:
        raise ArchiveError(
            _("This edition has unpublished changes: publish or discard them before archiving it.")
        )
    if edition.status != "past":
        raise ArchiveError(
            _("Only a past edition can be archived: %(title)s ends on %(date)s.")
            % {"title": edition.title, "date": date_format(edition.end_date)}
        )


def _publish(edition: CongressEditionPage, user) -> None:
    # The archive permission is what this action needs, not the page's publish permission.
    revision = edition.save_revision(user=user, log_action=False)
    revision.publish(user=user, skip_permission_checks=True)


@transaction.atomic
def archive_edition(edition: CongressEditionPage, user) -> CongressEditionPage:
    """Freeze a past edition: published again with `archived`, locked, logged; URLs unchanged.

    The pipeline re-renders its documents with `archived: true` when the transaction commits;
    from then on the API, calendars, schedules and feeds of the edition are served long-lived
    (and still revalidated: archived content can change, see `cms.http`).
    """
    if user is not None and not can_archive(user):
        raise PermissionDenied
    edition = CongressEditionPage.objects.select_for_update().get(pk=edition.pk)
    check_archivable(edition)
    edition.archived = True
    _publish(edition, user)
    CongressEditionPage.objects.filter(pk=edition.pk).update(
        locked=True, locked_by=user, locked_at=timezone.now()
    )
    edition.refresh_from_db()
    log(instance=edition, action="assises_events.archive", user=user)
    return edition


@transaction.atomic
def unarchive_edition(edition: CongressEditionPage, user) -> CongressEditionPage:
    """Undo `archive_edition`: unlocked and published again without the flag."""
    if user is not None and not can_archive(user):
        raise PermissionDenied
    edition = CongressEditionPage.objects.select_for_update().get(pk=edition.pk)
    if not edition.archived:
        raise ArchiveError(_("This edition is not archived."))
    edition.archived = False
    edition.locked, edition.locked_by, edition.locked_at = False, None, None
    CongressEditionPage.objects.filter(pk=edition.pk).update(
        locked=False, locked_by=None, locked_at=None
    )
    _publish(edition, user)
    edition.refresh_from_db()
    log(instance=edition, action="assises_events.unarchive", user=user)
    return edition
