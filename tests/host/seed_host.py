"""Pages a host's editors would create, under the host's own home page (`wagtail start`'s `home`).

Run by `run_host.py` inside the host project as ``python manage.py shell < seed_host.py``: it
uses only Assises's public models, as the admin would, and prints one JSON line with the ids
and titles that the HTTP checks then look for.
"""

import datetime
import json
import uuid

from wagtail.models import Page

from events.models import CongressEditionPage, CongressSeriesPage, SpeakerIndexPage, SpeakerPage
from press.models import CommuniqueEdition, CommuniquePage, CommuniqueSpeaker, PressIndexPage

home = Page.objects.get(depth=2).specific
assert type(home).__name__ == "HomePage" and home._meta.app_label == "home", home


def publish(page):
    page.save_revision().publish()
    return page


speakers = publish(home.add_child(instance=SpeakerIndexPage(title="Intervenants", slug="orateurs")))
speaker = SpeakerPage(
    given_name="Hortense",
    family_name="Hôtelière",
    honorific="Mme",
    current_function="Maire de Villehôte",
    organisation="Association des villes hôtes",
    biography="<p>Hortense Hôtelière, maire de Villehôte.</p>",
)
speaker.title = speaker.build_title()
publish(speakers.add_child(instance=speaker))

series = publish(
    home.add_child(
        instance=CongressSeriesPage(
            title="Congrès des villes hôtes",
            slug="congres",
            short_name="Congrès",
            organiser="Association des villes hôtes",
            description="<p>Le congrès annuel des villes hôtes.</p>",
        )
    )
)


def session(key, day, start, end, kind, title, participants=()):
    return {
        "type": "session",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"host-{key}")),
        "value": {
            "title": title,
            "kind": kind,
            "date": day.isoformat(),
            "start_time": start,
            "end_time": end,
            "room": "Salle des fêtes",
            "description": "",
            "topics": [],
            "participants": [
                {"type": "item", "id": str(uuid.uuid4()), "value": value} for value in participants
            ],
            "cancelled": False,
        },
    }


day1, day2 = datetime.date(2030, 6, 13), datetime.date(2030, 6, 14)
opening_speaker = {"speaker": speaker.pk, "role": "ouverture", "function": "Maire de Villehôte"}
edition = CongressEditionPage(
    title="Congrès des villes hôtes — Villehôte 2030",
    slug="villehote-2030",
    number=1,
    theme="Accueillir",
    start_date=day1,
    end_date=day2,
    host_town="Villehôte",
    venue_name="Salle des fêtes de Villehôte",
    summary="Le premier congrès des villes hôtes.",
    programme=[
        session(
            "opening",
            day1,
            "09:30",
            "10:00",
            "ouverture",
            "Ouverture du congrès hôte",
            [opening_speaker],
        ),
        session("round", day1, "10:00", "11:30", "table_ronde", "Table ronde des hôtes"),
        session("closing", day2, "12:00", "12:30", "cloture", "Clôture du congrès hôte"),
    ],
)
publish(series.add_child(instance=edition))

press_room = publish(home.add_child(instance=PressIndexPage(title="Presse", slug="salle-presse")))
communique = CommuniquePage(
    title="Le congrès des villes hôtes se tiendra à Villehôte",
    slug="congres-a-villehote",
    dateline_place="Villehôte",
    publication_date=datetime.date(2030, 3, 1),
    lead="Le premier congrès des villes hôtes se tiendra à Villehôte les 13 et 14 juin 2030.",
    body=[{"type": "paragraph", "value": "<p>Le programme est en ligne.</p>"}],
)
communique.related_editions = [CommuniqueEdition(edition=edition)]
communique.mentioned_speakers = [CommuniqueSpeaker(speaker=speaker)]
publish(press_room.add_child(instance=communique))

draft = CommuniquePage(
    title="Brouillon secret du congrès hôte",
    slug="brouillon-secret",
    dateline_place="Villehôte",
    publication_date=datetime.date(2030, 3, 2),
    lead="Ce brouillon ne doit apparaître nulle part.",
    live=False,
)
press_room.add_child(instance=draft)
draft.save_revision()  # saved, never published

print(
    "SEED "
    + json.dumps(
        {
            "speaker": {"id": speaker.pk, "title": speaker.title},
            "series": {"id": series.pk, "title": series.title},
            "edition": {"id": edition.pk, "title": edition.title},
            "sessions": [block.value["title"] for block in edition.programme],
            "communique": {"id": communique.pk, "title": communique.title},
            "draft": {"id": draft.pk, "title": draft.title},
        }
    )
)
