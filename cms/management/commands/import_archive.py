"""Import an archive bundle, after checking all of it; a bad bundle changes nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.archive.bundle import BundleError
from cms.archive.importer import import_bundle
from cms.pipeline.signals import renders_inline


class Command(BaseCommand):
    help = (  # a plain string: argparse cannot format a lazy translation
        "Import an archive made by export_archive; what already exists is reused, not duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("bundle", help=_("Path of the archive (zip) to import."))

    @renders_inline
    def handle(self, *args, **options):
        try:
            report = import_bundle(options["bundle"])
        except BundleError as error:
            raise CommandError(
                _("The archive was not imported: %(reason)s") % {"reason": error}
            ) from None
        for name, created, kept in report.lines():
            self.stdout.write(
                _("%(what)s: %(created)d created, %(kept)d already present.")
                % {"what": name, "created": created, "kept": kept}
            )
        if report.changed:
            self.stdout.write(self.style.SUCCESS(_("Archive imported.")))
        else:
            self.stdout.write(_("Nothing to import: everything was already here."))
