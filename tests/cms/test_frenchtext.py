"""Unit tests for the shared French text helpers (no database)."""

from datetime import date, time

import pytest

from cms.frenchtext import (
    ParseError,
    looks_like_name,
    match_leading_time_range,
    month_number,
    normalise_name,
    normalise_text,
    parse_french_date,
    parse_ordinal,
    parse_time,
    search_french_date,
    strip_honorific,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Paris, 3 avril 2024", date(2024, 4, 3)),
        ("Paris, le 7 février 2013", date(2013, 2, 7)),
        ("Paris, le 7 fevrier 2013", date(2013, 2, 7)),
        ("Uzès, mercredi 2 octobre 2019", date(2019, 10, 2)),
        ("Communiqué de presse – Paris, 1er juillet 2021", date(2021, 7, 1)),
        ("JEUDI 13 NOVEMBRE 2025", date(2025, 11, 13)),
        ("le 15 aout 2020", date(2020, 8, 15)),
        ("le 15 août 2020", date(2020, 8, 15)),
        ("Noël, 25 decembre 2020", date(2020, 12, 25)),
        ("Lyon, 03/04/2024", date(2024, 4, 3)),
    ],
)
def test_parse_french_date_written_forms(text, expected):
    assert parse_french_date(text) == expected


def test_parse_french_date_without_year_uses_default_year():
    assert parse_french_date("1er juillet", default_year=2021) == date(2021, 7, 1)
    assert parse_french_date("Jeudi 13 novembre", default_year=2025) == date(2025, 11, 13)


def test_parse_french_date_without_year_or_default_is_none():
    assert parse_french_date("Paris, 1er juillet") is None


def test_parse_french_date_impossible_date_is_skipped():
    assert parse_french_date("le 31 février 2024, puis le 2 mars 2024") == date(2024, 3, 2)


def test_search_french_date_reports_span_and_year_presence():
    found = search_french_date("Paris, le 7 février 2013 — suite")
    assert found is not None
    assert (found.start, found.end, found.has_year) == (10, 24, True)


def test_search_french_date_require_year_skips_yearless_dates():
    found = search_french_date("les 14 et 15 juin, puis le 3 mai 2024", require_year=True)
    assert found is not None
    assert found.value == date(2024, 5, 3)


def test_month_number_accepts_accents_and_abbreviations():
    assert [month_number(m) for m in ("février", "fevrier", "aout", "Déc.", "foo")] == [
        2,
        2,
        8,
        12,
        None,
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09h45", time(9, 45)),
        ("9h", time(9, 0)),
        ("09H45", time(9, 45)),
        ("14 heures", time(14, 0)),
        ("14 heures 30", time(14, 30)),
        ("14h00", time(14, 0)),
        ("9:30", time(9, 30)),
    ],
)
def test_parse_time_written_forms(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25h", "midi", "9h75", ""])
def test_parse_time_invalid_is_none(text):
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("line", "start", "end", "rest"),
    [
        ("09h45 – 10h25 Plateau 1 : ZAN", time(9, 45), time(10, 25), "Plateau 1 : ZAN"),
        ("09H45-11H45 Table ronde : x", time(9, 45), time(11, 45), "Table ronde : x"),
        ("9h — 9h30 : Café", time(9), time(9, 30), "Café"),
        ("9h30 à 10h30 : Ouverture", time(9, 30), time(10, 30), "Ouverture"),
        ("de 9h à 10h Accueil", time(9), time(10), "Accueil"),
        ("14 heures : Discours de clôture", time(14), None, "Discours de clôture"),
        ("12h30 Déjeuner", time(12, 30), None, "Déjeuner"),
    ],
)
def test_match_leading_time_range_separators(line, start, end, rest):
    found = match_leading_time_range(line)
    assert found is not None
    assert (found.start, found.end, found.rest) == (start, end, rest)


def test_match_leading_time_range_plain_line_is_none():
    assert match_leading_time_range("Animé par Marc Lenoir") is None


def test_normalise_name_matches_case_accents_hyphens_and_honorifics():
    expected = "jean louis borloo"
    for written in (
        "Jean-Louis BORLOO",
        "jean louis borloo",
        "M. Jean-Louis Borloo",
        "Monsieur Jéan Louis  Borloo",
    ):
        assert normalise_name(written) == expected
    assert normalise_name("Mme Marie-Anne d'Orléans") == normalise_name("marie anne d orleans")


def test_strip_honorific_keeps_the_name():
    assert strip_honorific("Madame Marie Coulet") == "Marie Coulet"
    assert strip_honorific("Dr Anne Lefèvre") == "Anne Lefèvre"
    assert strip_honorific("Marc Lenoir") == "Marc Lenoir"


def test_normalise_text_ignores_punctuation_and_case():
    assert normalise_text("« Porter la voix » des Maires !") == "porter la voix des maires"


@pytest.mark.parametrize(
    ("token", "expected"),
    [("22èmes", 22), ("22e", 22), ("1ère", 1), ("XXIIe", 22), ("XIVe", 14), ("xxe", None)],
)
def test_parse_ordinal_arabic_and_roman(token, expected):
    assert parse_ordinal(token) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jean-Louis Borloo", True),
        ("Marie COULET", True),
        ("Valéry Giscard d'Estaing", True),
        ("M. Jean Dupont", True),
        ("Le Premier", False),
        ("Les Assises", False),
        ("Vice-président du Sénat", False),
        ("Amboise", False),
        ("Plateau 1", False),
    ],
)
def test_looks_like_name_people_versus_other_capitals(text, expected):
    assert looks_like_name(text) is expected


def test_parse_error_is_a_value_error():
    assert issubclass(ParseError, ValueError)
