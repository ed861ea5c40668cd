"""Event logic shared by the admin, commands and signal receivers."""

from django.db import transaction

from .models import CongressEditionPage, Participation, ProgrammeSession, SpeakerPage


@transaction.atomic
def refresh_programme_index(edition: CongressEditionPage) -> int:
    """Rebuild the relational index of an edition's sessions from its live programme.

    Called on publish; the index reflects what the public sees, never a draft. Returns the
    number of indexed sessions.
    """
    ProgrammeSession.objects.filter(edition_id=edition.pk).delete()
    if not edition.live:
        return 0
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
