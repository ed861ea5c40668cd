"""Tests of the pure communiqué parser: seed, realistic variants and malformed input (no DB)."""

import json
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from press.parsing import (
    ParsedContact,
    ParsedPerson,
    ParsedPhone,
    ParseError,
    extract_text,
    parse_communique,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"
SEED = FIXTURES / "communique-2024-04-03-assises-amboise.md"  # copy of the shared seed


def parse_file(path: Path, **options):
    fmt, content = extract_text(path.read_bytes(), path.name)
    return parse_communique(content, fmt, **options)


@pytest.fixture
def seed():
    return parse_file(SEED)


def people_by_name(parsed) -> dict[str, str]:
    return {person.name: person.function for person in parsed.people}


def html_tree(fragment: str):
    return lxml.html.fragment_fromstring(fragment, create_parent="div")


def test_parse_communique_seed_dateline_and_title(seed):
    assert (seed.place, seed.date) == ("Paris", date(2024, 4, 3))
    assert seed.title == "Les petites villes en Congrès à Amboise les 14 et 15 juin prochains"
    assert seed.lead.startswith("Comme chaque année, l'Association des petites villes de France")
    assert seed.warnings == []


def test_parse_communique_seed_body_keeps_bold_and_link(seed):
    tree = html_tree(seed.body_html)
    bold = [element.text_content() for element in tree.iter("strong", "b")]
    assert "Laurent Berger" in bold and "Gabriel Attal" in bold
    links = [(a.text_content(), a.get("href")) for a in tree.iter("a")]
    assert links == [("Retrouvez le programme des Assises d'Amboise.", "#")]


def test_parse_communique_seed_body_excludes_contacts_and_boilerplate(seed):
    text = html_tree(seed.body_html).text_content()
    assert "arobert@apvf.asso.fr" not in text
    assert "Contact Presse" not in text
    assert "fédère depuis 1990" not in text


def test_parse_communique_seed_contacts(seed):
    assert seed.contacts == [
        ParsedContact(
            "André ROBERT",
            "Délégué général",
            "arobert@apvf.asso.fr",
            [ParsedPhone("+33145440083", "fixe"), ParsedPhone("+33680842753", "mobile")],
        ),
        ParsedContact(
            "Marie COULET",
            "Conseillère",
            "mcoulet@apvf.asso.fr",
            [ParsedPhone("+33145440083", "fixe"), ParsedPhone("+33605395409", "mobile")],
        ),
    ]


def test_parse_communique_seed_boilerplate_without_reference(seed):
    assert seed.boilerplate_text.startswith("Association des petites villes de France")
    assert "« Porter la voix des maires des petites villes »" in seed.boilerplate_text
    assert seed.boilerplate_text.endswith("France métropolitaine et d'outre-mer.")


def test_parse_communique_seed_boilerplate_with_older_reference():
    reference = (FIXTURES / "boilerplate-apvf.txt").read_text().replace("2.500 à 25.000", "3.000")
    parsed = parse_file(SEED, boilerplate_reference=reference)
    assert parsed.boilerplate_text.startswith("Association des petites villes de France")
    assert "1200 adhérents" in parsed.boilerplate_text
    assert parsed.warnings == []


def test_parse_communique_seed_edition_mention(seed):
    edition = seed.edition
    assert edition is not None
    assert (edition.town, edition.start_date, edition.end_date) == (
        "Amboise",
        date(2024, 6, 14),
        date(2024, 6, 15),
    )
    assert edition.number is None


def test_parse_communique_seed_people_and_functions(seed):
    functions = people_by_name(seed)
    assert {
        name: functions.get(name)
        for name in (
            "Laurent Berger",
            "Jean-Louis Borloo",
            "Christophe Béchu",
            "Frédéric Valletoux",
            "Gabriel Attal",
            "Christophe Bouillon",
        )
    } == {
        "Laurent Berger": "ancien secrétaire général de la CFDT",
        "Jean-Louis Borloo": "ancien ministre",
        "Christophe Béchu": (
            "ministre de la Transition écologique et de la Cohésion des territoires"
        ),
        "Frédéric Valletoux": "ministre délégué chargé de la Santé et de la Prévention",
        "Gabriel Attal": "Premier ministre",
        "Christophe Bouillon": "ancien Député de Seine-Maritime et Maire de Barentin",
    }


def test_parse_communique_seed_people_have_sentence_context(seed):
    attal = next(person for person in seed.people if person.name == "Gabriel Attal")
    assert attal.context.endswith("clôturé par le Premier ministre Gabriel Attal.")


def test_parse_communique_to_dict_is_json_serialisable(seed):
    data = json.loads(json.dumps(seed.to_dict()))
    assert data["date"] == "2024-04-03"
    assert data["edition"]["start_date"] == "2024-06-14"
    assert data["contacts"][0]["phones"][1] == {"e164": "+33680842753", "kind": "mobile"}


def test_parse_communique_text_multiline_contacts_and_about_section():
    parsed = parse_file(FIXTURES / "communique-2013-02-07-amf.txt")
    assert (parsed.place, parsed.date) == ("Paris", date(2013, 2, 7))
    assert parsed.title == "Rythmes scolaires : les maires demandent du temps et des moyens"
    assert parsed.contacts == [
        ParsedContact(
            "Thomas Martin",
            "Chargé de communication",
            "tmartin@amf.asso.fr",
            [ParsedPhone("+33144181414", "fixe")],
        ),
        ParsedContact(
            "Sophie Lenoir",
            "Attachée de presse",
            "slenoir@amf.asso.fr",
            [ParsedPhone("+33144181359", "fixe"), ParsedPhone("+33671234567", "mobile")],
        ),
    ]
    assert parsed.boilerplate_text.startswith("À propos de l'AMF")
    assert (parsed.edition.number, parsed.edition.town) == (96, "Paris")
    assert (parsed.edition.start_date, parsed.edition.end_date) == (
        date(2013, 11, 19),
        date(2013, 11, 21),
    )
    assert people_by_name(parsed) == {
        "Jacques Delmas": "président de l'AMF et maire de Villeneuve-sur-Lot",
        "Nadia Perrin": "première vice-présidente de l'AMF",
    }


def test_parse_communique_markdown_weekday_dateline_and_inline_contact():
    parsed = parse_file(FIXTURES / "communique-2019-10-02-uzes.md")
    assert (parsed.place, parsed.date) == ("Uzès", date(2019, 10, 2))
    assert parsed.title == "Les 22èmes Assises des petites villes : retour sur Uzès"
    assert parsed.contacts == [
        ParsedContact(
            "Marie Coulet",
            "Conseillère",
            "mcoulet@apvf.asso.fr",
            [ParsedPhone("+33145440083", "fixe"), ParsedPhone("+33605395409", "mobile")],
        )
    ]
    edition = parsed.edition
    assert (edition.town, edition.number) == ("Uzès", 22)
    assert (edition.start_date, edition.end_date) == (date(2019, 9, 19), date(2019, 9, 20))
    assert [li.text_content() for li in html_tree(parsed.body_html).iter("li")] == [
        "Revitalisation des centres-villes",
        "Accès aux soins",
        "Mobilités du quotidien",
    ]
    assert people_by_name(parsed)["Hélène Marchand"] == "ministre de la Cohésion des territoires"


def test_parse_communique_boilerplate_reference_matches_older_variant():
    reference = (FIXTURES / "boilerplate-apvf.txt").read_text()
    parsed = parse_file(FIXTURES / "communique-2019-10-02-uzes.md", boilerplate_reference=reference)
    assert parsed.boilerplate_text.startswith("Association des petites villes de France")
    assert "fédère depuis 1990" not in parsed.body_html


def test_parse_communique_boilerplate_reference_absent_warns():
    reference = "La Fédération des amis des moulins à vent réunit les meuniers depuis 1950."
    parsed = parse_file(FIXTURES / "communique-2013-02-07-amf.txt", boilerplate_reference=reference)
    assert "The reference boilerplate was not found at the end of the text." in parsed.warnings
    assert parsed.boilerplate_text.startswith("À propos de l'AMF")


def test_parse_communique_html_is_sanitised():
    parsed = parse_file(FIXTURES / "communique-2021-07-01-amrf.html")
    tree = html_tree(parsed.body_html)
    assert not list(tree.iter("script", "style"))
    assert not [name for el in tree.iter() for name in el.attrib if name.startswith("on")]
    assert not [el for el in tree.iter() if "style" in el.attrib or "target" in el.attrib]
    assert [a.get("href") for a in tree.iter("a")] == ["https://www.amrf.fr/assises-2021"]
    assert "injected" not in parsed.body_html and "alert" not in parsed.body_html
    assert "Ne cliquez pas" in tree.text_content()


def test_parse_communique_html_dateline_after_label_and_international_phones():
    parsed = parse_file(FIXTURES / "communique-2021-07-01-amrf.html")
    assert (parsed.place, parsed.date) == ("Paris", date(2021, 7, 1))
    assert parsed.title == "Les maires ruraux réunis à Sainte-Foy-la-Grande pour leurs Assises"
    assert parsed.contacts == [
        ParsedContact(
            "Cédric Szabo",
            "Directeur",
            "cedric.szabo@amrf.fr",
            [ParsedPhone("+33147429400", "fixe"), ParsedPhone("+33607080910", "mobile")],
        )
    ]
    assert parsed.boilerplate_text.startswith("À propos de l'AMRF")
    assert parsed.edition.town == "Sainte-Foy-la-Grande"
    assert parsed.edition.start_date == date(2021, 9, 24)
    assert people_by_name(parsed) == {
        "Paul Granger": "maire de Cérilly",
        "Luc Fontaine": "Premier ministre",
    }


def test_parse_communique_html_title_before_dateline_and_roman_edition():
    parsed = parse_file(FIXTURES / "communique-2025-09-10-saint-malo.html")
    assert parsed.title == "XXVe Assises de Villes de France à Saint-Malo"
    assert (parsed.place, parsed.date) == ("Saint-Malo", date(2025, 9, 10))
    edition = parsed.edition
    assert (edition.number, edition.town) == (25, "Saint-Malo")
    assert (edition.start_date, edition.end_date) == (date(2025, 11, 13), date(2025, 11, 15))
    assert parsed.contacts[0].phones == [ParsedPhone("+33145449961", "fixe")]  # fax skipped
    assert parsed.boilerplate_text.startswith("Villes de France\n\nVilles de France regroupe")
    assert [h.text_content() for h in html_tree(parsed.body_html).iter("h2")] == [
        "Un programme dense"
    ]


def test_parse_communique_contact_split_over_paragraphs():
    parsed = parse_file(FIXTURES / "communique-2018-05-16-villes.md")
    assert parsed.title == "Finances locales : les petites villes inquiètes"
    assert parsed.contacts == [
        ParsedContact(
            "André Robert",
            "Délégué général",
            "arobert@apvf.asso.fr",
            [ParsedPhone("+33145440083", "fixe")],
        )
    ]
    assert parsed.people == [
        ParsedPerson(
            "Olivier Garnier",
            "secrétaire d'État",
            "Les maires des petites villes ont fait part de leur inquiétude au secrétaire "
            "d'État Olivier Garnier lors d'une rencontre le 15 mai.",
        ),
        ParsedPerson(
            "Sylvie Béranger",
            "maire de Lodève et vice-présidente de l'APVF",
            "« Nous ne pouvons pas continuer ainsi », a déclaré Sylvie Béranger, maire de "
            "Lodève et vice-présidente de l'APVF, le mardi 15 mai.",
        ),
    ]


def test_parse_communique_yearless_dateline_uses_default_year():
    parsed = parse_file(FIXTURES / "communique-no-year.txt", default_year=2021)
    assert (parsed.place, parsed.date) == ("Paris", date(2021, 7, 1))
    assert parsed.date_flagged is False


def test_parse_communique_yearless_dateline_infers_year_and_flags_it():
    content = "Paris, le 1er juillet\n\nLes Assises 2021 de la ruralité\n\nLe texte du communiqué."
    parsed = parse_communique(content, "text")
    assert parsed.date == date(2021, 7, 1)
    assert parsed.date_flagged is True
    assert [item.field for item in parsed.review][0] == "publication_date"
    assert "taken from the title" in parsed.review[0].message


def test_parse_communique_yearless_dateline_weekday_confirms_year():
    content = "Lundi 13 juillet\n\nUn titre assez long ici\n\nAvant le 20 septembre 2020, rien."
    parsed = parse_communique(content, "text")
    assert (parsed.date, parsed.date_flagged) == (date(2020, 7, 13), False)


def test_parse_communique_no_date_imports_with_flagged_date():
    parsed = parse_file(FIXTURES / "communique-no-date.md")
    assert parsed.date_flagged is True
    assert parsed.review[0].field == "publication_date"
    assert "No publication date was found" in parsed.review[0].message


def test_parse_communique_event_date_is_never_the_publication_date():
    content = (
        "Communiqué de presse\n\nLe président s'exprimera jeudi 19 septembre 2019 à 12h.\n\n"
        "Les Assises auront lieu du 7 au 9 novembre 2018 à Uzès."
    )
    parsed = parse_communique(content, "text")
    assert parsed.date not in (date(2019, 9, 19), date(2018, 11, 7), date(2018, 11, 9))
    assert parsed.date_flagged is True
    assert parsed.lead.startswith("Le président s'exprimera")


def test_parse_communique_future_date_is_flagged():
    parsed = parse_communique("Paris, le 3 mars 2099\n\nUn titre assez long\n\nTexte.", "text")
    assert (parsed.date, parsed.date_flagged) == (date(2099, 3, 3), True)
    assert "in the future" in parsed.review[0].message


def test_parse_communique_title_loses_bidi_and_zero_width_characters():
    content = "Paris, le 3 mars 2024\n\nLes maires\u200b \u202einterpellent\u202c l'État\n\nTexte."
    parsed = parse_communique(content, "text")
    assert parsed.title == "Les maires interpellent l'État"
    assert any(item.field == "title" and "Invisible" in item.message for item in parsed.review)


def test_parse_communique_edition_month_before_dateline_is_next_year():
    content = (
        "Paris, le 20 novembre 2024\n\nLes Assises 2025 à Vichy\n\n"
        "Les Assises se tiendront à Vichy les 13 et 14 février prochains."
    )
    edition = parse_communique(content, "text").edition
    assert (edition.town, edition.start_date, edition.end_date) == (
        "Vichy",
        date(2025, 2, 13),
        date(2025, 2, 14),
    )


def test_parse_communique_without_contacts_warns():
    parsed = parse_communique("Paris, 3 avril 2024\n\nUn titre assez long\n\nLe corps.", "text")
    assert parsed.contacts == []
    assert parsed.lead == "Le corps."
    assert "No 'Contact presse' block was found." in parsed.warnings


def test_parse_communique_unknown_format_raises():
    with pytest.raises(ParseError, match="Unknown format"):
        parse_communique("Paris, 3 avril 2024", "rtf")


def test_parse_communique_blank_html_raises():
    with pytest.raises(ParseError, match="no text"):
        parse_communique("<script>alert(1)</script>", "html")


def test_parse_communique_long_first_paragraph_is_not_a_title():
    content = "Paris, 3 avril 2024\n\n" + "Les maires " * 40 + "\n\nSuite du texte."
    parsed = parse_communique(content, "text")
    assert parsed.title == ""
    assert parsed.lead.startswith("Les maires")
    assert "No title was found after the dateline." in parsed.warnings


def test_parse_communique_contact_role_line_with_phone_and_relations_presse_heading():
    content = (
        "Lyon, le 5 mars 2024\n\nUn titre de communiqué\n\nLe texte.\n\n"
        "Relations presse :\nClaire Morin\nChargée de mission – 06 12 34 56 78\n"
        "Courriel : c.morin@example.org"
    )
    assert parse_communique(content, "text").contacts == [
        ParsedContact(
            "Claire Morin",
            "Chargée de mission",
            "c.morin@example.org",
            [ParsedPhone("+33612345678", "mobile")],
        )
    ]


def test_parse_communique_contact_without_details_warns():
    content = "Lyon, le 5 mars 2024\n\nUn titre de communiqué\n\nLe texte.\n\n"
    content += "Contact presse : Claire Morin"
    parsed = parse_communique(content, "text")
    assert parsed.contacts == [ParsedContact("Claire Morin")]
    assert "Contact Claire Morin has neither phone nor e-mail." in parsed.warnings


def test_parse_communique_dateline_at_the_end_keeps_the_text_above_it():
    content = (
        "Un titre de communiqué ici\n\nLe texte du communiqué, assez long pour un chapeau.\n\n"
        "Fait à Paris, le 3 avril 2024"
    )
    parsed = parse_communique(content, "text")
    assert (parsed.place, parsed.date, parsed.date_flagged) == ("Paris", date(2024, 4, 3), False)
    assert parsed.lead == "Le texte du communiqué, assez long pour un chapeau."


def test_parse_communique_agenda_entry_is_not_a_dateline():
    content = (
        "Paris, le 2 mars 2021\n\nUn titre de communiqué ici\n\nLe texte du communiqué.\n\n"
        "Jeudi 18 mars 2021 – Assemblée générale à Chambéry"
    )
    parsed = parse_communique(content, "text")
    assert parsed.date == date(2021, 3, 2)
    assert "Assemblée générale" in parsed.body_html
