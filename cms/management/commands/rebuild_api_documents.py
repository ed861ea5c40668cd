"""Re-render every API document from the published content (after a deploy, a data fix…)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from cms.pipeline.store import (
    BATCH_SIZE,
    all_sources,
    count_sources,
    remove_orphans,
    store_batch,
)


class Command(BaseCommand):
    help = "Re-render every stored API document; unchanged documents keep their ETag."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **options):
        sources: set[str] = set()
        written = 0
        with tqdm(
            total=count_sources(),
            unit="doc",
            desc=_("Rendering"),
            file=self.stderr,
            disable=options["no_progress"],
        ) as bar:
            chunk: list[str] = []
            for key in [*all_sources(), None]:  # None flushes the last chunk
                if key is not None:
                    sources.add(key)
                    chunk.append(key)
                if chunk and (key is None or len(chunk) == BATCH_SIZE):
                    written += len(store_batch(chunk, dict.fromkeys(chunk, "rebuild")))
                    bar.update(len(chunk))
                    chunk = []
        removed = remove_orphans(sources)
        self.stdout.write(
            _("%(sources)d sources rendered, %(written)d documents written, %(removed)d removed.")
            % {"sources": len(sources), "written": written, "removed": removed}
        )
