"""Demo congresses built from the seed communiqué: Amboise 2024 and a past edition, Uzès 2019."""

import datetime
import uuid
from typing import Any

from cms.frenchtext import de
from events.models import CongressEditionPage, CongressSeriesPage, SpeakerIndexPage, SpeakerPage
from events.services import archive_edition

from .core import demo_image, publish

# given, family, honorific, function (as in the seed), organisation
SPEAKERS = [
    ("Laurent", "Berger", "M.", "Ancien secrétaire général de la CFDT", "CFDT"),
    ("Jean-Louis", "Borloo", "M.", "Ancien ministre", ""),
    (
        "Christophe",
        "Béchu",
        "M.",
        "Ministre de la Transition écologique et de la Cohésion des territoires",
        "Gouvernement",
    ),
    (
        "Frédéric",
        "Valletoux",
        "M.",
        "Ministre délégué chargé de la Santé et de la Prévention",
        "Gouvernement",
    ),
    ("Gabriel", "Attal", "M.", "Premier ministre", "Gouvernement"),
    ("Christophe", "Bouillon", "M.", "Président de l'APVF, maire de Barentin", "APVF"),
    ("Loïc", "Hervé", "M.", "Vice-président du Sénat, président délégué de l'APVF", "Sénat"),
    ("André", "Robert", "M.", "Délégué général de l'APVF", "APVF"),
]

# A stable namespace so that session UUIDs are the same in every demo database.
DEMO_NS = uuid.UUID("6f1c2a52-7d0e-4c55-9b43-3a1f0e2d9c11")


def _participant(speakers: dict, slug: str, role: str, function: str = "") -> dict:
    return {"speaker": speakers[slug].pk, "role": role, "function": function}


def _items(key: str, values) -> list[dict]:
    """ListBlock items in block format, with ids stable from one demo database to the next."""
    return [
        {"type": "item", "id": str(uuid.uuid5(DEMO_NS, f"{key}-{i}")), "value": value}
        for i, value in enumerate(values)
    ]


def _session(key, day, start, end, kind, title, topics=(), participants=(), room="", desc=""):
    return {
        "type": "session",
        "id": str(uuid.uuid5(DEMO_NS, key)),
        "value": {
            "title": title,
            "kind": kind,
            "date": day.isoformat(),
            "start_time": start,
            "end_time": end,
            "room": room,
            "description": desc,
            "topics": _items(f"{key}-topic", topics),
            "participants": _items(f"{key}-participant", participants),
            "cancelled": False,
        },
    }


def amboise_programme(speakers: dict, topics: dict) -> list[dict]:
    d1, d2 = datetime.date(2024, 6, 14), datetime.date(2024, 6, 15)
    p, t = speakers, topics
    hall = "Salle plénière"
    return [
        _session(
            "amboise-ouverture",
            d1,
            "09:30",
            "10:00",
            "ouverture",
            "Ouverture des Assises",
            room=hall,
            participants=[
                _participant(
                    p, "christophe-bouillon", "ouverture", "Président de l'APVF, maire de Barentin"
                ),
                _participant(
                    p,
                    "loic-herve",
                    "ouverture",
                    "Vice-président du Sénat, président délégué de l'APVF",
                ),
            ],
        ),
        _session(
            "amboise-logement",
            d1,
            "10:00",
            "11:30",
            "table_ronde",
            "Crise du logement : les petites villes en première ligne",
            room=hall,
            topics=[t["logement"].pk, t["revitalisation"].pk],
            participants=[
                _participant(
                    p,
                    "christophe-bechu",
                    "intervenant",
                    "Ministre de la Transition écologique et de la Cohésion des territoires",
                ),
                _participant(p, "andre-robert", "moderateur", "Délégué général de l'APVF"),
            ],
        ),
        _session(
            "amboise-berger",
            d1,
            "11:30",
            "12:30",
            "discours",
            "Grand témoin : le dialogue au service des territoires",
            room=hall,
            participants=[
                _participant(
                    p, "laurent-berger", "grand_temoin", "Ancien secrétaire général de la CFDT"
                )
            ],
        ),
        _session("amboise-dejeuner", d1, "12:30", "14:00", "pause", "Déjeuner"),
        _session(
            "amboise-sante",
            d1,
            "14:00",
            "15:30",
            "table_ronde",
            "Désertification médicale : les maires ont du génie",
            room=hall,
            topics=[t["desertification-medicale"].pk],
            participants=[
                _participant(
                    p,
                    "frederic-valletoux",
                    "intervenant",
                    "Ministre délégué chargé de la Santé et de la Prévention",
                ),
                _participant(p, "andre-robert", "moderateur", "Délégué général de l'APVF"),
            ],
        ),
        _session(
            "amboise-industrie",
            d1,
            "15:45",
            "17:15",
            "atelier",
            "Réindustrialisation : accueillir l'industrie dans les petites villes",
            room="Salle François Ier",
            topics=[t["reindustrialisation"].pk],
        ),
        _session(
            "amboise-borloo",
            d2,
            "09:00",
            "10:00",
            "discours",
            "Grand témoin : le génie des maires",
            room=hall,
            participants=[_participant(p, "jean-louis-borloo", "grand_temoin", "Ancien ministre")],
        ),
        _session(
            "amboise-zan",
            d2,
            "10:00",
            "11:15",
            "table_ronde",
            "Transition écologique et ZAN : concilier sobriété foncière et développement",
            room=hall,
            topics=[t["transition-ecologique"].pk, t["zan"].pk],
            participants=[
                _participant(
                    p,
                    "christophe-bechu",
                    "intervenant",
                    "Ministre de la Transition écologique et de la Cohésion des territoires",
                )
            ],
        ),
        _session(
            "amboise-finances",
            d2,
            "11:15",
            "12:00",
            "table_ronde",
            "Relations financières entre l'État et les collectivités",
            room=hall,
            topics=[t["finances-locales"].pk],
            participants=[
                _participant(
                    p,
                    "christophe-bouillon",
                    "intervenant",
                    "Président de l'APVF, maire de Barentin",
                )
            ],
        ),
        _session(
            "amboise-cloture",
            d2,
            "12:00",
            "12:45",
            "cloture",
            "Discours de clôture",
            room=hall,
            participants=[_participant(p, "gabriel-attal", "cloture", "Premier ministre")],
        ),
    ]


def uzes_programme(speakers: dict, topics: dict) -> list[dict]:
    d1, d2 = datetime.date(2019, 9, 19), datetime.date(2019, 9, 20)
    return [
        _session(
            "uzes-ouverture",
            d1,
            "14:00",
            "14:30",
            "ouverture",
            "Ouverture des Assises",
            participants=[
                _participant(speakers, "andre-robert", "ouverture", "Délégué général de l'APVF")
            ],
        ),
        _session(
            "uzes-revitalisation",
            d1,
            "14:30",
            "16:30",
            "table_ronde",
            "Revitaliser les centres-villes",
            topics=[topics["revitalisation"].pk],
        ),
        _session(
            "uzes-finances",
            d2,
            "09:30",
            "11:30",
            "table_ronde",
            "Finances locales : quelle autonomie ?",
            topics=[topics["finances-locales"].pk],
        ),
    ]


def build_events(context: dict[str, Any]) -> None:
    home, topics = context["home"], context["topics"]
    index = SpeakerIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=SpeakerIndexPage(title="Intervenants", slug="intervenants"))
        publish(index)
    speakers = {}
    for given, family, honorific, function, organisation in SPEAKERS:
        page = (
            SpeakerPage.objects.child_of(index).filter(given_name=given, family_name=family).first()
        )
        if page is None:
            page = SpeakerPage(
                given_name=given,
                family_name=family,
                honorific=honorific,
                current_function=function,
                organisation=organisation,
                photo=demo_image(
                    f"Portrait {given} {family}",
                    (90, 90, 110),
                    "APVF",
                    f"Portrait {de(f'{given} {family}')}",
                ),
                biography=f"<p>{given} {family} — {function}.</p>",
            )
            page.title = page.build_title()
            index.add_child(instance=page)
            publish(page)
        speakers[page.slug] = page

    series = CongressSeriesPage.objects.child_of(home).first()
    if series is None:
        series = home.add_child(
            instance=CongressSeriesPage(
                title="Assises des petites villes de France",
                slug="assises",
                short_name="Assises",
                organiser="Association des petites villes de France",
                description="<p>Le congrès annuel de l'Association des petites villes "
                "de France.</p>",
            )
        )
        publish(series)

    editions = [
        dict(
            slug="amboise-2024",
            number=26,
            title="Assises des petites villes de France — Amboise 2024",
            theme="Petites villes, le pari de l'intelligence non artificielle - "
            "Nos Maires ont du génie !",
            tagline="Première association d'élus à réunir son congrès en 2024",
            start_date=datetime.date(2024, 6, 14),
            end_date=datetime.date(2024, 6, 15),
            host_town="Amboise",
            host_town_insee="37003",
            departement="Indre-et-Loire",
            region="Centre-Val de Loire",
            venue_name="Centre de congrès d'Amboise",
            venue_address="Amboise",
            venue_latitude="47.411800",
            venue_longitude="0.982900",
            summary="Les élus des petites villes face aux crises du logement et de la "
            "désertification médicale, la réindustrialisation, la transition "
            "écologique et le ZAN.",
            image=("Amboise 2024", (30, 90, 140)),
            programme=amboise_programme,
        ),
        dict(
            slug="uzes-2019",
            number=22,
            title="Assises des petites villes de France — Uzès 2019",
            theme="Les petites villes au cœur des territoires",
            tagline="",
            start_date=datetime.date(2019, 9, 19),
            end_date=datetime.date(2019, 9, 20),
            host_town="Uzès",
            host_town_insee="30334",
            departement="Gard",
            region="Occitanie",
            venue_name="Uzès",
            venue_address="Uzès",
            venue_latitude=None,
            venue_longitude=None,
            summary="Les 22es Assises des petites villes de France à Uzès.",
            image=("Uzès 2019", (140, 90, 40)),
            programme=uzes_programme,
        ),
    ]
    for spec in editions:
        if CongressEditionPage.objects.child_of(series).filter(slug=spec["slug"]).exists():
            continue
        image_title, colour = spec.pop("image")
        build_programme = spec.pop("programme")
        edition = CongressEditionPage(
            **spec,
            hero_image=demo_image(image_title, colour, "APVF", f"Vue {de(spec['host_town'])}"),
            programme=build_programme(speakers, topics),
            body=[
                {
                    "type": "paragraph",
                    "value": "<p>Chaque année, les Assises réunissent les maires des petites "
                    "villes de France, des ministres et des grands témoins autour des défis "
                    "des territoires.</p>",
                }
            ],
        )
        series.add_child(instance=edition)
        publish(edition)
    archive_past_edition(series, "uzes-2019")
    context.update(series=series, speakers=speakers, speaker_index=index)


def archive_past_edition(series: CongressSeriesPage, slug: str) -> None:
    """Archive a past edition with the service the admin's « Archiver » button calls, so that a
    newcomer sees an archived, locked edition in the admin and `archived: true` in the API."""
    edition = CongressEditionPage.objects.child_of(series).filter(slug=slug).first()
    if edition is not None and not edition.archived and edition.status == "past":
        archive_edition(edition, None)
