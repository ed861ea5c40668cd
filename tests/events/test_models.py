import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import CongressEditionPage, Participation, ProgrammeSession, SpeakerPage
from events.services import refresh_programme_index


def _edition(series, **overrides) -> CongressEditionPage:
    fields = dict(
        title="Assises 2030",
        slug="assises-2030",
        number=99,
        start_date=datetime.date(2030, 6, 1),
        end_date=datetime.date(2030, 6, 2),
        host_town="Blois",
    )
    fields.update(overrides)
    edition = CongressEditionPage(**fields)
    edition._validation_parent = series
    return edition


def _session(day: str, start="10:00", end="11:00", title="Table ronde") -> dict:
    return {
        "type": "session",
        "value": {
            "title": title,
            "kind": "table_ronde",
            "date": day,
            "start_time": start,
            "end_time": end,
            "room": "",
            "description": "",
            "topics": [],
            "participants": [],
            "cancelled": False,
        },
    }


def test_edition_end_before_start_is_refused(series):
    edition = _edition(series, end_date=datetime.date(2030, 5, 31))
    with pytest.raises(ValidationError) as excinfo:
        edition.full_clean(exclude=["path", "depth"])
    assert excinfo.value.message_dict["end_date"] == [
        "La date de fin doit être égale ou postérieure à la date de début."
    ]


def test_edition_number_must_be_unique_in_its_series(series, amboise):
    edition = _edition(series, number=amboise.number)
    with pytest.raises(ValidationError) as excinfo:
        edition.full_clean(exclude=["path", "depth"])
    assert "number" in excinfo.value.message_dict


def test_edition_same_number_in_another_series_is_allowed(series, home):
    from events.models import CongressSeriesPage

    other = home.add_child(instance=CongressSeriesPage(title="Autre congrès", slug="autre"))
    edition = _edition(other, number=26)
    edition.full_clean(exclude=["path", "depth"])


def test_edition_session_outside_dates_is_refused(series):
    edition = _edition(series, programme=[_session("2030-06-03", title="Hors dates")])
    with pytest.raises(ValidationError) as excinfo:
        edition.full_clean(exclude=["path", "depth"])
    assert "Hors dates" in excinfo.value.message_dict["programme"][0]


def test_edition_session_inside_dates_is_accepted(series):
    edition = _edition(series, programme=[_session("2030-06-02")])
    edition.full_clean(exclude=["path", "depth"])


def test_session_block_end_before_start_is_refused():
    from events.blocks import SessionBlock

    block = SessionBlock()
    value = block.to_python(_session("2030-06-01", start="11:00", end="10:00")["value"])
    with pytest.raises(ValidationError):
        block.clean(value)


@pytest.mark.parametrize(
    ("today", "expected"),
    [("2024-06-13", "upcoming"), ("2024-06-14", "ongoing"), ("2024-06-16", "past")],
)
def test_edition_status_is_derived_from_dates(amboise, monkeypatch, today, expected):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date.fromisoformat(today))
    assert amboise.status == expected


def test_edition_status_archived_wins(amboise):
    amboise.archived = True
    assert amboise.status == "archived"


def test_edition_sessions_are_in_paris_time(amboise):
    first = amboise.sessions[0]
    assert first["start"].isoformat() == "2024-06-14T09:30:00+02:00"


def test_speaker_title_is_built_from_names(speaker_index):
    speaker = SpeakerPage(given_name="Marie", family_name="Curie")
    speaker_index.add_child(instance=speaker)
    assert speaker.title == "Marie Curie"
    assert speaker.slug == "marie-curie"


def test_programme_index_follows_publication(amboise):
    assert ProgrammeSession.objects.filter(edition=amboise).count() == 10
    amboise.unpublish()
    assert ProgrammeSession.objects.filter(edition=amboise).count() == 0
    amboise.save_revision().publish()
    assert ProgrammeSession.objects.filter(edition=amboise).count() == 10


def test_programme_index_ignores_unpublished_draft_changes(amboise):
    amboise.programme = amboise.programme.raw_data[:1]
    amboise.save_revision()  # a draft: the public programme is unchanged
    assert ProgrammeSession.objects.filter(edition=amboise).count() == 10


def test_speaker_participations_across_editions_are_one_query(
    django_assert_num_queries, speaker_index
):
    andre = SpeakerPage.objects.get(slug="andre-robert")
    with django_assert_num_queries(1):
        editions = set(
            Participation.objects.filter(speaker=andre).values_list(
                "session__edition__slug", flat=True
            )
        )
    assert editions == {"amboise-2024", "uzes-2019"}


def test_refresh_programme_index_skips_deleted_speakers(amboise):
    SpeakerPage.objects.get(slug="gabriel-attal").delete()
    refresh_programme_index(amboise)
    speakers = set(
        Participation.objects.filter(session__edition=amboise).values_list(
            "speaker__slug", flat=True
        )
    )
    assert "gabriel-attal" not in speakers
    assert "laurent-berger" in speakers


def test_session_sequence_grows_only_when_time_place_or_title_change(amboise):
    from events.models import SessionState

    first = amboise.sessions[0]
    state = SessionState.objects.get(uuid=first["id"])
    assert state.sequence == 0
    raw = amboise.programme.raw_data
    # A description change: LAST-MODIFIED moves, SEQUENCE does not.
    raw[0]["value"]["description"] = "<p>Accueil café.</p>"
    amboise.programme = raw
    amboise.save_revision().publish()
    state.refresh_from_db()
    assert state.sequence == 0
    modified = state.modified_at
    # A time change: SEQUENCE grows.
    raw[0]["value"]["start_time"] = "09:15:00"
    amboise.programme = raw
    amboise.save_revision().publish()
    state.refresh_from_db()
    assert state.sequence == 1
    assert state.modified_at >= modified
    # Republishing unchanged: nothing moves.
    amboise.save_revision().publish()
    state.refresh_from_db()
    assert state.sequence == 1
