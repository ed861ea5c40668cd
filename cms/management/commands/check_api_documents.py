"""Report every stored document that differs from a fresh render; exit 1 if any does."""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from cms.models import StoredDocument
from cms.pipeline.store import all_sources, check_source, count_sources


class Command(BaseCommand):
    help = "Compare stored API documents with a fresh render, without writing anything."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **options):
        differences = []
        sources = set()
        with tqdm(
            total=count_sources(),
            unit="doc",
            desc=_("Checking"),
            file=self.stderr,
            disable=options["no_progress"],
        ) as bar:
            for key in all_sources():
                sources.add(key)
                differences.extend(check_source(key))
                bar.update(1)
        for kind, object_id in StoredDocument.objects.exclude(source__in=sources).values_list(
            "kind", "object_id"
        ):
            differences.extend(check_source_orphan(kind, object_id))
        for difference in differences:
            self.stdout.write(f"{difference.document}: {difference.reason}")
        self.stdout.write(_("%(count)d difference(s).") % {"count": len(differences)})
        if differences:
            sys.exit(1)


def check_source_orphan(kind: str, object_id: str):
    from cms.pipeline.store import Difference

    return [Difference(f"{kind}:{object_id}", _("stored but its source is not published"))]
