import pytest
from django.core.exceptions import ValidationError

from press.models import CommuniquePage, PressContactPhone, normalise_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01 45 44 00 83", "+33145440083"),
        ("06.80.84.27.53", "+33680842753"),
        ("+33 (0)1 45 44 00 83", "+33145440083"),
        ("+32 2 555 12 12", "+3225551212"),
    ],
)
def test_normalise_phone_gives_e164(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["not a number", "01 45", ""])
def test_normalise_phone_refuses_garbage(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


def test_phone_national_format():
    assert PressContactPhone(number="+33145440083").national == "01 45 44 00 83"
    assert PressContactPhone(number="+3221234567").national == "+32 2 123 45 67"
    assert PressContactPhone(number="+262262123456").national == "0262 12 34 56"


def test_communique_boilerplate_override_wins(communique):
    communique.boilerplate = "<p>Autre paragraphe.</p>"
    assert communique.effective_boilerplate() == "<p>Autre paragraphe.</p>"


def test_communique_without_contacts_uses_press_office_defaults(press_room):
    import datetime

    page = CommuniquePage(title="Sans contact", publication_date=datetime.date(2024, 5, 1))
    press_room.add_child(instance=page)
    assert [c.name for c in page.effective_contacts()] == ["André ROBERT", "Marie COULET"]


def test_communique_page_renders_contacts_and_boilerplate(client, communique):
    response = client.get(communique.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "André ROBERT" in html
    assert "01 45 44 00 83" in html
    assert "fédère depuis 1990" in html
    assert "<b>Laurent Berger</b>" in html
