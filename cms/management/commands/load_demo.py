"""Build the demo site from the seed communiqué; idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from cms.pipeline.signals import renders_inline
from cms.registry import demo_steps


class Command(BaseCommand):
    help = "Load the demo content (APVF, Assises d'Amboise 2024, communiqué of 3 April 2024)."

    @renders_inline
    def handle(self, *args, **options):
        context: dict = {}
        with transaction.atomic():
            for step in demo_steps:
                self.stdout.write(_("Demo: %(step)s…") % {"step": step.name})
                step.build(context)
        self.stdout.write(self.style.SUCCESS(_("Demo content is ready.")))
