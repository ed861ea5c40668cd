"""Build the demo site from the seed communiqué; idempotent."""

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from cms.pipeline.signals import renders_inline
from demosite.demo import core, events, press

STEPS: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("admin names", core.french_admin_names),
    ("site", core.build_site),
    ("events", events.build_events),
    ("press", press.build_press),
]


class Command(BaseCommand):
    help = "Load the demo content (APVF, Assises d'Amboise 2024, communiqué of 3 April 2024)."

    @renders_inline
    def handle(self, *args, **options):
        context: dict = {}
        with transaction.atomic():
            for name, build in STEPS:
                self.stdout.write(_("Demo: %(step)s…") % {"step": name})
                build(context)
        self.stdout.write(self.style.SUCCESS(_("Demo content is ready.")))
