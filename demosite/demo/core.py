"""The shared part of the demo: site root, organisation, topics, and Pillow-made images.

Every builder is idempotent: objects are looked up by a natural key (slug, title) and created
only when missing, so running `load_demo` twice changes nothing.
"""

import io
from typing import Any

from django.apps import apps
from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.models import Locale, Page, Site

from cms.models import OrganisationSettings, Topic
from demosite.models import CreditedImage, HomePage

TOPICS = [
    ("Logement", "Crise du logement, parcours résidentiels, rénovation."),
    ("Désertification médicale", "Accès aux soins, maisons de santé, installation des médecins."),
    ("Réindustrialisation", "Retour de l'industrie dans les territoires."),
    ("Transition écologique", "Sobriété, énergie, adaptation au changement climatique."),
    ("ZAN", "Zéro artificialisation nette des sols."),
    ("Finances locales", "Relations financières entre l'État et les collectivités."),
    ("Revitalisation", "Centres-villes, commerces, embellissement."),
]

BOILERPLATE = (
    "<p><b>Association des petites villes de France</b></p>"
    "<p>« Porter la voix des maires des petites villes »</p>"
    "<p>L'Association des petites villes de France fédère depuis 1990 les petites villes de "
    "2.500 à 25.000 habitants, pour promouvoir leur rôle spécifique dans l'aménagement du "
    "territoire. Elle compte aujourd'hui près de 1200 adhérents, présents dans tous les "
    "départements de France métropolitaine et d'outre-mer.</p>"
)


def demo_image(title: str, colour: tuple[int, int, int], credit: str, alt: str) -> CreditedImage:
    """Return the image called `title`, drawing it with Pillow the first time."""
    existing = CreditedImage.objects.filter(title=title).first()
    if existing:
        if existing.description != alt:  # a demo built before the alt text was corrected
            existing.description = alt
            existing.save(update_fields=["description"])
        return existing
    canvas = PILImage.new("RGB", (960, 540), colour)
    draw = ImageDraw.Draw(canvas)
    for step in range(0, 540, 30):
        shade = tuple(min(255, c + step // 8) for c in colour)
        draw.rectangle([0, step, 960, step + 30], fill=shade)
    draw.text((48, 480), title, fill=(255, 255, 255))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    image = CreditedImage(title=title, credit=credit, description=alt)
    image.file = ImageFile(buffer, name=f"{slugify(title)}.png")
    image.save()
    return image


def publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


# Names Wagtail creates in English, shown as such in the French admin. They are the demo site's
# data: a host keeps its own (only names still as Wagtail created them are changed).
FRENCH_ADMIN_NAMES = [
    ("wagtailcore", "Page", "title", "Root", "Racine", {"depth": 1}),
    ("wagtailcore", "Collection", "name", "Root", "Racine", {"depth": 1}),
    (
        "wagtailcore",
        "Workflow",
        "name",
        "Moderators approval",
        "Validation par les modérateurs",
        {},
    ),
    ("wagtailcore", "Task", "name", "Moderators approval", "Validation par les modérateurs", {}),
]


def french_admin_names(context: dict[str, Any]) -> None:
    """The root page, root collection and default workflow named in French."""
    for app, model, field, english, french, extra in FRENCH_ADMIN_NAMES:
        manager = apps.get_model(app, model).objects
        manager.filter(**{field: english}, **extra).update(**{field: french})


def build_site(context: dict[str, Any]) -> None:
    """Site root, organisation settings and topics."""
    locale = Locale.get_default()
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(depth=2, locale=locale).first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Association des petites villes de France",
                slug="accueil",
                intro="<p>Les congrès et la salle de presse de l'APVF.</p>",
                locale=locale,
            )
        )
        publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "APVF"
        site.save()
    # Wagtail's initial welcome page is replaced by our home page.
    Page.objects.filter(depth=2, slug="home").exclude(pk=home.pk).delete()

    org = OrganisationSettings.for_site(site)
    if not org.name:
        org.name = "Association des petites villes de France"
        org.acronym = "APVF"
        org.tagline = "Porter la voix des maires des petites villes"
        org.boilerplate = BOILERPLATE
        org.website = "https://www.apvf.asso.fr"
        org.email = "contact@apvf.asso.fr"
        org.street_address = "42 boulevard Raspail"
        org.postal_code = "75007"
        org.locality = "Paris"
        org.logo = demo_image("Logo APVF", (20, 60, 120), "APVF", "Logo de l'APVF")
        org.save()

    topics = {}
    for name, description in TOPICS:
        topic, _created = Topic.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )
        topics[topic.slug] = topic
    context.update(home=home, site=site, topics=topics)
