"""Tests of the pure programme parser, plain text and CSV (no database)."""

import json
from datetime import date, time
from pathlib import Path

import pytest

from events.parsing import (
    ParsedParticipant,
    ParseError,
    infer_kind,
    parse_programme_csv,
    parse_programme_text,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def slots(programme) -> list[tuple]:
    return [(s.day, s.start, s.end, s.kind, s.title, s.room) for s in programme.sessions]


def test_parse_programme_text_apvf_seed_programme():
    programme = parse_programme_text(read("programme-apvf-amboise-2024.txt"), year=2024)
    friday, saturday = date(2024, 6, 14), date(2024, 6, 15)
    assert programme.title == "Assises des petites villes de France – Amboise"
    assert slots(programme) == [
        (
            friday,
            time(9, 45),
            time(10, 25),
            "table_ronde",
            "Plateau 1 : Les petites villes face au ZAN",
            "",
        ),
        (
            friday,
            time(10, 30),
            time(11, 45),
            "table_ronde",
            "Table ronde : Réindustrialisation et revitalisation",
            "",
        ),
        (
            saturday,
            time(9, 30),
            time(11),
            "table_ronde",
            "Table ronde : Désertification médicale",
            "",
        ),
        (saturday, time(11, 15), time(12), "discours", "Discours de clôture", ""),
    ]
    assert programme.sessions[0].participants == [
        ParsedParticipant(
            "Christophe Béchu",
            "Ministre de la Transition écologique et de la Cohésion des territoires",
            "intervenant",
        ),
        ParsedParticipant("Jeanne Perrot", "journaliste", "moderateur"),
    ]
    assert programme.sessions[1].participants == [
        ParsedParticipant("Laurent Berger", "ancien secrétaire général de la CFDT", "grand_temoin")
    ]
    assert programme.sessions[3].participants == [
        ParsedParticipant("Gabriel Attal", "Premier ministre", "cloture")
    ]
    assert programme.warnings == []


def test_parse_programme_text_uppercase_days_rooms_and_lists():
    programme = parse_programme_text(read("programme-congres-maires-2025.txt"), year=2025)
    tuesday, thursday = date(2025, 11, 18), date(2025, 11, 20)
    assert slots(programme) == [
        (
            tuesday,
            time(9, 30),
            time(11),
            "pleniere",
            "Séance plénière d'ouverture",
            "Grand Auditorium",
        ),
        (
            tuesday,
            time(11, 15),
            time(12, 45),
            "table_ronde",
            "Table ronde : Finances locales, quelle autonomie pour les communes ?",
            "Salle Bordeaux",
        ),
        (tuesday, time(12, 45), None, "pause", "Déjeuner libre", ""),
        (
            tuesday,
            time(14, 30),
            time(16),
            "atelier",
            "Atelier : Sécurité du quotidien et police municipale",
            "Salle 241",
        ),
        (thursday, time(14), None, "discours", "Discours de clôture", ""),
    ]
    opening, round_table, _, workshop, closing = programme.sessions
    assert [(p.name, p.role) for p in opening.participants] == [
        ("Hélène Vasseur", "ouverture"),
        ("Marc Lenoir", "moderateur"),
    ]
    assert round_table.participants == [
        ParsedParticipant("Pierre Aubry", "maire de Riom"),
        ParsedParticipant("Anne Lefèvre", "présidente de la communauté de communes du Pays de Gex"),
        ParsedParticipant("Karim Benali", "économiste"),
    ]
    assert round_table.description == "Les collectivités face à la réforme de la fiscalité locale."
    assert [p.function for p in workshop.participants] == [
        "maire de Pontivy",
        "directeur de la police municipale de Nîmes",
    ]
    assert closing.participants == [ParsedParticipant("Luc Fontaine", "Premier ministre")]
    assert programme.warnings == ["Line 2 ignored: 'Paris, Porte de Versailles'."]


def test_parse_programme_text_amrf_separators_and_roles():
    programme = parse_programme_text(read("programme-assises-amrf-2024.txt"), year=2024)
    assert [(s.start, s.end, s.kind) for s in programme.sessions] == [
        (time(9), time(9, 30), "pause"),
        (time(9, 30), time(10, 30), "ouverture"),
        (time(10, 45), time(12, 15), "table_ronde"),
        (time(12, 30), None, "pause"),
        (time(9, 30), time(11), "atelier"),
        (time(11, 15), time(12), "cloture"),
    ]
    plateau = programme.sessions[2]
    assert plateau.room == "Amphithéâtre Jean Moulin"
    assert [(p.name, p.function, p.role) for p in plateau.participants] == [
        ("Delphine Roux", "géographe, professeure à l'université de Limoges", "grand_temoin"),
        ("Sarah Blanc", "journaliste à Radio Pays", "moderateur"),
        ("Jean Martinez", "maire de Lagrasse", "intervenant"),
        ("Odile Carré", "maire de Saint-Flour", "intervenant"),
    ]
    assert programme.sessions[4].participants[0].role == "rapporteur"
    assert programme.sessions[4].day == date(2024, 9, 28)


def test_parse_programme_text_heading_without_month_uses_default_month():
    programme = parse_programme_text("Jeudi 13\n09h00 Accueil", year=2025, default_month=11)
    assert programme.sessions[0].day == date(2025, 11, 13)


def test_parse_programme_text_heading_without_month_or_default_raises():
    with pytest.raises(ParseError, match="Line 1: .* has no month"):
        parse_programme_text("Jeudi 13\n09h00 Accueil", year=2025)


def test_parse_programme_text_session_before_day_raises():
    with pytest.raises(ParseError, match="Line 2: session '09h00 Accueil'"):
        parse_programme_text("Programme\n09h00 Accueil\nJeudi 13 novembre", year=2025)


def test_parse_programme_text_impossible_day_raises():
    with pytest.raises(ParseError, match="Line 1: 'Lundi 31 juin' is not a valid date"):
        parse_programme_text("Lundi 31 juin\n09h00 Accueil", year=2025)


def test_parse_programme_text_weekday_mismatch_warns():
    programme = parse_programme_text("Lundi 13 novembre\n09h00 Accueil", year=2025)
    assert programme.warnings == [
        "Line 1: 'Lundi 13 novembre' does not match the calendar (2025-11-13 is a jeudi); "
        "check the year."
    ]


def test_parse_programme_text_without_sessions_warns():
    programme = parse_programme_text("Programme à venir", year=2025)
    assert programme.sessions == []
    assert programme.warnings[-1].startswith("No session was found")


def test_parse_programme_text_non_person_bullets_become_description():
    content = "Mardi 18 novembre 2025\n10h Visite\n- Visite du port\n- Salle comble attendue"
    session = parse_programme_text(content, year=2025).sessions[0]
    assert session.participants == []
    assert session.description == "- Visite du port\n- Salle comble attendue"


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Table ronde : Finances", "table_ronde"),
        ("Plateau 2 : Santé", "table_ronde"),
        ("Ateliers pratiques", "atelier"),
        ("Séance plénière", "pleniere"),
        ("Allocution du président", "discours"),
        ("Pause café", "pause"),
        ("Déjeuner", "pause"),
        ("Cocktail de bienvenue", "pause"),
        ("Cérémonie d'ouverture", "ouverture"),
        ("Clôture du congrès", "cloture"),
        ("Visite du marché", "autre"),
    ],
)
def test_infer_kind_keywords(title, kind):
    assert infer_kind(title) == kind


def test_parse_programme_csv_comma_iso_dates():
    programme = parse_programme_csv(read("programme-congres-maires-2025.csv"))
    assert slots(programme) == [
        (
            date(2025, 11, 18),
            time(9, 30),
            time(11),
            "pleniere",
            "Séance plénière d'ouverture",
            "Grand Auditorium",
        ),
        (
            date(2025, 11, 18),
            time(11, 15),
            time(12, 45),
            "table_ronde",
            "Table ronde : Finances locales",
            "Salle Bordeaux",
        ),
        (date(2025, 11, 18), time(12, 45), None, "pause", "Déjeuner libre", ""),
        (date(2025, 11, 20), time(14), None, "discours", "Discours de clôture", "Grand Auditorium"),
    ]
    assert programme.sessions[0].participants == [
        ParsedParticipant("Hélène Vasseur", "présidente de l'AMF", "ouverture"),
        ParsedParticipant("Marc Lenoir", "journaliste", "moderateur"),
    ]
    assert programme.sessions[1].participants == [
        ParsedParticipant("Pierre Aubry", "maire de Riom", "intervenant"),
        ParsedParticipant("Karim Benali", "", "intervenant"),
    ]
    assert programme.sessions[1].description == "Les collectivités face à la réforme, enfin ?"


def test_parse_programme_csv_semicolon_french_dates_with_bom():
    programme = parse_programme_csv("\ufeff" + read("programme-assises-amrf-2024.csv"))
    assert [(s.day, s.start, s.kind) for s in programme.sessions] == [
        (date(2024, 9, 27), time(9), "pause"),
        (date(2024, 9, 27), time(10, 45), "table_ronde"),
        (date(2024, 9, 28), time(11, 15), "cloture"),
    ]
    assert [p.role for p in programme.sessions[1].participants] == [
        "grand_temoin",
        "moderateur",
        "intervenant",
    ]


def test_parse_programme_csv_malformed_date_names_line_and_column():
    with pytest.raises(ParseError, match=r"Line 3, column 'date': '2025-13-45' is not a date"):
        parse_programme_csv(read("programme-malformed.csv"))


def test_parse_programme_csv_unknown_role_names_column():
    with pytest.raises(ParseError, match=r"Line 2, column 'participants'"):
        parse_programme_csv(read("programme-bad-role.csv"))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2025-11-18,midi,,,Déjeuner", r"Line 2, column 'start': 'midi' is not a time"),
        ("2025-11-18,10h00,09h00,,Table ronde", r"Line 2, column 'end': .*ends before"),
        ("2025-11-18,10h00,,soirée,Dîner", r"Line 2, column 'kind': 'soirée' is not one of"),
        ("2025-11-18,10h00,,,", r"Line 2, column 'title': the title is empty"),
        ("2025-11-18,10h00,,,Titre,Salle,x,,extra", r"Line 2: more fields than columns"),
        ('2025-11-18,10h00,,,"Titre', r"Line 2: malformed CSV"),
    ],
)
def test_parse_programme_csv_bad_rows_raise(row, message):
    header = "date,start,end,kind,title,room,description,participants\n"
    with pytest.raises(ParseError, match=message):
        parse_programme_csv(header + row + "\n")


def test_parse_programme_csv_missing_required_column_raises():
    with pytest.raises(ParseError, match="missing column"):
        parse_programme_csv("date,title\n2025-11-18,Accueil\n")


def test_parse_programme_csv_unknown_column_warns():
    programme = parse_programme_csv("date,start,title,speaker\n2025-11-18,9h,Accueil,x\n")
    assert programme.warnings == ["Ignored column(s): speaker."]


def test_parse_programme_to_dict_is_json_serialisable():
    programme = parse_programme_text(read("programme-apvf-amboise-2024.txt"), year=2024)
    data = json.loads(json.dumps(programme.to_dict()))
    first = data["sessions"][0]
    assert (first["day"], first["start"], first["end"]) == ("2024-06-14", "09:45:00", "10:25:00")
    assert first["participants"][1] == {
        "name": "Jeanne Perrot",
        "function": "journaliste",
        "role": "moderateur",
    }


def starts(programme) -> list[tuple]:
    return [(s.day, s.start, s.end, s.title) for s in programme.sessions]


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        ("9h Ouverture", time(9), None),
        ("9H30 – 11H Ouverture", time(9, 30), time(11)),
        ("16h30 Ouverture", time(16, 30), None),
        ("9h30-11h Ouverture", time(9, 30), time(11)),
        ("de 9 h 30 à 11 h : Ouverture", time(9, 30), time(11)),
        ("14 heures : Ouverture", time(14), None),
        ("9:30 - 11:00 Ouverture", time(9, 30), time(11)),
    ],
)
def test_parse_programme_text_time_forms(line, start, end):
    programme = parse_programme_text(f"Jeudi 7 novembre\n{line}", year=2024)
    assert starts(programme) == [(date(2024, 11, 7), start, end, "Ouverture")]


def test_parse_programme_text_number_and_colon_is_never_a_time():
    """The reported bug: « Plateau / » then « 1 : … » gave one session at 01:00."""
    content = "Congrès 2025\nJeudi 2 octobre\nPlateau /\n1 : L'avenir des services publics\n"
    programme = parse_programme_text(content, year=2025)
    assert programme.sessions == []
    assert programme.warnings[-1].startswith("No session was found")


def test_parse_programme_text_time_alone_then_title():
    content = "Jeudi 7 novembre\n\n8h30\nAccueil des participants\n\n9h30\nOuverture\n"
    assert [(s.start, s.title) for s in parse_programme_text(content, year=2024).sessions] == [
        (time(8, 30), "Accueil des participants"),
        (time(9, 30), "Ouverture"),
    ]


@pytest.mark.parametrize(
    ("heading", "day"),
    [
        ("Jeudi 7 novembre", date(2024, 11, 7)),
        ("JEUDI 7 NOVEMBRE 2024", date(2024, 11, 7)),
        ("Mercredi 6/11", date(2024, 11, 6)),
        ("Jour 1 – Mercredi 6 novembre", date(2024, 11, 6)),
        ("Jour 2", date(2024, 11, 7)),
        ("### Jeudi 7 novembre 2024", date(2024, 11, 7)),
        ("7 novembre 2024", date(2024, 11, 7)),
    ],
)
def test_parse_programme_text_day_headings(heading, day):
    programme = parse_programme_text(
        f"{heading}\n9h Accueil", year=2024, days=(date(2024, 11, 6), date(2024, 11, 7))
    )
    assert programme.sessions[0].day == day


def test_parse_programme_text_prose_with_a_date_is_not_a_heading():
    content = "Jeudi 7 novembre\n9h Accueil\n7 novembre, les maires se retrouvent à Tours.\n"
    programme = parse_programme_text(content, year=2024)
    assert programme.sessions[0].description == "7 novembre, les maires se retrouvent à Tours."


def test_parse_programme_text_parallel_workshops_replace_their_umbrella():
    content = (
        "Samedi 28 septembre 2024\n"
        "10h45 – 12h15 Ateliers en parallèle\n"
        "Atelier 1 : Santé – Salle des fêtes\n"
        "Atelier 2 : Écoles\n"
        "14h Atelier A : Finances / Atelier B : Urbanisme\n"
    )
    programme = parse_programme_text(content, year=2024)
    assert [(s.start, s.end, s.title, s.room, s.kind) for s in programme.sessions] == [
        (time(10, 45), time(12, 15), "Atelier 1 : Santé", "Salle des fêtes", "atelier"),
        (time(10, 45), time(12, 15), "Atelier 2 : Écoles", "", "atelier"),
        (time(14), None, "Atelier A : Finances", "", "atelier"),
        (time(14), None, "Atelier B : Urbanisme", "", "atelier"),
    ]


def test_parse_programme_text_plateau_split_over_lines():
    content = (
        "Vendredi 14 juin\n"
        "09h45 – 10h25 Plateau /\n1 : Les petites villes face au ZAN\n"
        "10h30 Plateau / 2 :\nRéindustrialisation\n"
    )
    titles = [s.title for s in parse_programme_text(content, year=2024).sessions]
    assert titles == [
        "Plateau 1 : Les petites villes face au ZAN",
        "Plateau 2 : Réindustrialisation",
    ]


def test_parse_programme_text_speakers_on_following_lines():
    content = (
        "Mardi 12 mars 2024\n10h Ouverture\n"
        "Jean Dupont, maire de Saint-Dié\n"
        "– Marie Martin, présidente du syndicat des eaux\n"
        "Anne Leroy\nPrésidente de la communauté d'agglomération\n"
    )
    session = parse_programme_text(content, year=2024).sessions[0]
    assert [(p.name, p.function) for p in session.participants] == [
        ("Jean Dupont", "maire de Saint-Dié"),
        ("Marie Martin", "présidente du syndicat des eaux"),
        ("Anne Leroy", "Présidente de la communauté d'agglomération"),
    ]
    assert session.description == ""


def test_parse_programme_text_flattened_pdf_is_split_on_times():
    content = (
        "Congrès 2024 PROGRAMME Mercredi 19 juin 2024 8h30 Accueil 9h30 - 10h15 Ouverture "
        "Animée par Pascal Riou, journaliste 12h00 Déjeuner Jeudi 20 juin 2024 9h00 Clôture"
    )
    programme = parse_programme_text(content, year=2024)
    assert [(s.day.day, s.start, s.title) for s in programme.sessions] == [
        (19, time(8, 30), "Accueil"),
        (19, time(9, 30), "Ouverture"),
        (19, time(12), "Déjeuner"),
        (20, time(9), "Clôture"),
    ]
    assert programme.sessions[1].participants[0].name == "Pascal Riou"


def test_parse_programme_text_times_in_prose_do_not_split_a_line():
    content = "Jeudi 7 novembre\n14h Visite\nDépart à 14h15 puis retour vers 17h au palais.\n"
    programme = parse_programme_text(content, year=2024)
    assert len(programme.sessions) == 1
    assert programme.sessions[0].description.startswith("Départ à 14h15")


def test_parse_programme_text_one_day_edition_without_heading_is_flagged():
    day = date(2024, 11, 25)
    programme = parse_programme_text("9h Accueil\n10h Table ronde", year=2024, days=(day, day))
    assert [s.day for s in programme.sessions] == [day, day]
    assert programme.sessions[0].flags == ["no day heading: the edition's only day was used"]


def test_parse_programme_text_sessions_carry_their_source_line():
    content = "Jeudi 7 novembre\n\n8h30\nAccueil\n10h Ouverture\n"
    assert [s.line for s in parse_programme_text(content, year=2024).sessions] == [3, 5]


def test_parse_programme_text_journee_du_slash_ranges_and_trailing_times():
    content = (
        "Journée du jeudi 28 août\n"
        "9h30/10h00 Accueil\n"
        "Déjeuner de clôture ........................ 12h30\n"
    )
    programme = parse_programme_text(content, year=2025)
    assert starts(programme) == [
        (date(2025, 8, 28), time(9, 30), time(10), "Accueil"),
        (date(2025, 8, 28), time(12, 30), None, "Déjeuner de clôture"),
    ]
