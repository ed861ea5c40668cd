"""The seed communiqué of 3 April 2024, its two press contacts and the press room.

Beside it, so that a newcomer sees every state in the admin (and can check that none leaks): a
communiqué under embargo (scheduled to go live a week after the demo is loaded) and a draft,
which alone names a third press contact (who therefore stays private).
"""

import datetime
from typing import Any

from django.utils import timezone

from cms.ordering import numbered
from demosite.demo.core import publish
from events.models import PARIS, CongressEditionPage
from press.models import (
    CommuniqueContact,
    CommuniqueEdition,
    CommuniquePage,
    CommuniqueSpeaker,
    CommuniqueTopic,
    DefaultPressContact,
    PressContact,
    PressContactPhone,
    PressIndexPage,
    PressSettings,
)
from press.services import create_contact

CONTACTS = [
    ("André ROBERT", "Délégué général", "arobert@apvf.asso.fr", ["+33145440083", "+33680842753"]),
    ("Marie COULET", "Conseillère", "mcoulet@apvf.asso.fr", ["+33145440083", "+33605395409"]),
]

BODY = [
    (
        "<p>Comme chaque année, l'Association des petites villes de France, présidée par "
        "Christophe Bouillon, ancien Député de Seine-Maritime et Maire de Barentin, et dont "
        "Loïc Hervé, Vice-président du Sénat, est Président délégué, sera la <b>première "
        "association d'élus à organiser son Congrès en 2024.</b></p>"
    ),
    (
        "<p>De fait, les Assises des petites villes de France se dérouleront à Amboise "
        "(Indre-et-Loire, Centre-Val de Loire) les 14 et 15 juin prochains. Le thème retenu cette "
        "année : « <b>Petites villes, le pari de l'intelligence non artificielle - Nos Maires ont "
        "du génie !</b> ». <b>À cette occasion, l'APVF entend mettre en valeur les capacités "
        "d'innovation et de résilience des élus des petites villes face aux crises du logement, "
        "de la désertification médicale et comment, en dépit des contraintes, ils contribuent à "
        "la revitalisation et à l'embellissement de leur collectivité. Les thématiques de la "
        "réindustrialisation, de la transition écologique et du ZAN seront également abordées</b> "
        "au cours des tables rondes qui accueilleront deux grands témoins : <b>Laurent Berger</b>, "
        "ancien secrétaire général de la CFDT le vendredi 14 juin et l'ancien ministre "
        "<b>Jean-Louis Borloo</b> le samedi 15 juin au matin. Les ministres <b>Christophe "
        "Béchu</b>, ministre de la Transition écologique et de la Cohésion des territoires, et "
        "<b>Frédéric Valletoux</b>, ministre délégué chargé de la Santé et de la Prévention, sont "
        "annoncés à ce Congrès qui devrait être clôturé par le Premier ministre <b>Gabriel "
        "Attal</b>.</p>"
    ),
    (
        "<p>Au moment où le contexte budgétaire et financier des collectivités territoriales se "
        "durcit, les Assises de l'APVF seront aussi l'occasion pour les Maires de petites villes "
        "d'interroger et d'interpeller le gouvernement sur les relations financières entre l'État "
        "et les collectivités.</p>"
    ),
]


def build_press(context: dict[str, Any]) -> None:
    home, site = context["home"], context["site"]
    contacts = []
    for name, role, email, phones in CONTACTS:
        contact = PressContact.objects.filter(email=email).first()
        if contact is None:
            contact = PressContact(name=name, role=role, email=email)
            contact.phones = numbered(
                PressContactPhone(number=n, kind="mobile" if n.startswith("+336") else "fixe")
                for n in phones
            )
            create_contact(contact, publish=True)
        contacts.append(contact)
    press_settings = PressSettings.for_site(site)
    if not press_settings.default_contacts.exists():
        for position, contact in enumerate(contacts):
            DefaultPressContact.objects.create(
                settings=press_settings, contact=contact, sort_order=position
            )

    press_room = PressIndexPage.objects.child_of(home).first()
    if press_room is None:
        press_room = home.add_child(instance=PressIndexPage(title="Salle de presse", slug="presse"))
        publish(press_room)
    build_seed_communique(context, press_room, contacts)
    build_scheduled_communique(context, press_room)
    build_draft_communique(context, press_room)


def build_seed_communique(
    context: dict[str, Any], press_room: PressIndexPage, contacts: list[PressContact]
) -> None:
    """The communiqué of 3 April 2024, published."""
    topics = context["topics"]
    slug = "les-petites-villes-en-congres-a-amboise"
    if CommuniquePage.objects.child_of(press_room).filter(slug=slug).exists():
        return
    amboise = CongressEditionPage.objects.get(slug="amboise-2024")
    link = (
        f'<p><a linktype="page" id="{amboise.pk}">'
        "Retrouvez le programme des Assises d'Amboise.</a></p>"
    )
    body = [{"type": "paragraph", "value": html} for html in [*BODY[1:], link]]
    speakers = context["speakers"]
    communique = CommuniquePage(
        title="Les petites villes en Congrès à Amboise les 14 et 15 juin prochains",
        slug=slug,
        dateline_place="Paris",
        publication_date=datetime.date(2024, 4, 3),
        lead=(
            "Comme chaque année, l'Association des petites villes de France sera la première "
            "association d'élus à organiser son Congrès en 2024."
        ),
        body=[{"type": "paragraph", "value": BODY[0]}, *body],
        hero_image=amboise.hero_image,
    )
    communique.related_editions = numbered([CommuniqueEdition(edition=amboise)])
    communique.mentioned_speakers = numbered(
        CommuniqueSpeaker(speaker=speakers[s])
        for s in [
            "laurent-berger",
            "jean-louis-borloo",
            "christophe-bechu",
            "frederic-valletoux",
            "gabriel-attal",
            "christophe-bouillon",
            "loic-herve",
        ]
    )
    communique.topic_links = numbered(
        CommuniqueTopic(topic=topics[t])
        for t in [
            "logement",
            "desertification-medicale",
            "reindustrialisation",
            "transition-ecologique",
            "zan",
            "finances-locales",
        ]
    )
    communique.contacts = numbered(CommuniqueContact(contact=c) for c in contacts)
    press_room.add_child(instance=communique)
    publish(communique)


SCHEDULED_SLUG = "finances-locales-les-propositions-des-petites-villes"
DRAFT_SLUG = "bilan-des-assises-d-amboise"
DRAFT_CONTACT = (
    "Camille DURAND",
    "Attachée de presse",
    "camille.durand@example.org",
    "+33612345678",
)


def embargo_until(now: datetime.datetime | None = None) -> datetime.datetime:
    """A week from now, at 9:00 in Paris: when the demo's embargoed communiqué goes live."""
    now = (now or timezone.now()).astimezone(PARIS)
    day = (now + datetime.timedelta(days=7)).date()
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=PARIS)


def build_scheduled_communique(context: dict[str, Any], press_room: PressIndexPage) -> None:
    """Under embargo: published with a go-live date in the future, as an editor schedules it."""
    if CommuniquePage.objects.child_of(press_room).filter(slug=SCHEDULED_SLUG).exists():
        return
    go_live = embargo_until()
    page = CommuniquePage(
        title="Finances locales : les propositions des petites villes",
        slug=SCHEDULED_SLUG,
        dateline_place="Paris",
        publication_date=go_live.date(),
        lead=(
            "Sous embargo : l'APVF présentera ses propositions sur les relations financières "
            "entre l'État et les petites villes."
        ),
        body=[
            {
                "type": "paragraph",
                "value": "<p>Texte de démonstration d'un communiqué programmé : il sera publié "
                "automatiquement à la date de mise en ligne.</p>",
            }
        ],
        live=False,
        go_live_at=go_live,
    )
    page.topic_links = numbered([CommuniqueTopic(topic=context["topics"]["finances-locales"])])
    press_room.add_child(instance=page)
    page.save_revision().publish()  # a future go-live date: scheduled, not live


def build_draft_communique(context: dict[str, Any], press_room: PressIndexPage) -> None:
    """A draft, never published, naming a contact that only it uses."""
    if CommuniquePage.objects.child_of(press_room).filter(slug=DRAFT_SLUG).exists():
        return
    name, role, email, phone = DRAFT_CONTACT
    contact = PressContact.objects.filter(email=email).first()
    if contact is None:
        contact = PressContact(name=name, role=role, email=email)
        contact.phones = numbered([PressContactPhone(number=phone, kind="mobile")])
        create_contact(contact, publish=True)
    page = CommuniquePage(
        title="Bilan des Assises d'Amboise",
        slug=DRAFT_SLUG,
        dateline_place="Amboise",
        publication_date=datetime.date(2024, 6, 16),
        lead="Brouillon : le bilan des Assises, à relire avant publication.",
        body=[{"type": "paragraph", "value": "<p>Texte de démonstration d'un brouillon.</p>"}],
        live=False,
    )
    page.contacts = numbered([CommuniqueContact(contact=contact)])
    page.mentioned_speakers = numbered(
        [CommuniqueSpeaker(speaker=context["speakers"]["gabriel-attal"])]
    )
    press_room.add_child(instance=page)
    page.save_revision()
