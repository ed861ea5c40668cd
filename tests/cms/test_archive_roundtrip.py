"""Round trip: the demo exported, imported into an empty database, exported again.

The empty database is a throwaway SQLite file migrated by a real `manage.py` process (as in
tests/test_end_to_end.py), where `load_demo` never ran: only Wagtail's root and welcome page.
"""

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from events.models import EditionDocument
from events.services import archive_edition
from tests.archive_helpers import export, manifest, members

ROOT = Path(__file__).resolve().parents[2]
COUNTS = (
    "from wagtail.models import Page, Revision; from demosite.models import CreditedImage; "
    "from cms.models import StoredDocument; from events.models import CongressEditionPage as E; "
    "print(Page.objects.count(), Revision.objects.count(), CreditedImage.objects.count(), "
    "StoredDocument.objects.count(), list(E.objects.filter(locked=True, archived=True)"
    ".values_list('slug', flat=True)))"
)

FRENCH_NAMES = "from demosite.demo.core import french_admin_names; french_admin_names({})"


def _manage(tmp_path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="demosite.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        ASSISES_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _bag_manifest(path: Path) -> dict[str, str]:
    """The BagIt payload manifest (SHA-256), by payload path."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/manifest-sha256.txt"))
        lines = archive.read(name).decode().splitlines()
    return {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in lines}


def test_roundtrip_into_an_empty_database_gives_the_same_bundle(
    tmp_path, amboise, committed, django_user_model
):
    # An edition document and an archived edition make the trip too.
    document = get_document_model()(title="Programme officiel")
    document.file.save("programme-amboise.txt", ContentFile(b"Programme des Assises\n"))
    amboise.documents = [EditionDocument(document=document, kind="programme")]
    admin = django_user_model.objects.create_superuser("archiviste", "a@example.org", "pw")
    with committed():
        amboise.save_revision().publish()
    with committed():
        archive_edition(amboise, admin)
    first = export(tmp_path / "first.zip", "--all")

    _manage(tmp_path, "migrate", "--no-input")
    # An empty demo site: its root collection is named in French, as the first one's is (the
    # names of Wagtail's root objects are the site's data, set by the demo, not a migration).
    _manage(tmp_path, "shell", "-c", FRENCH_NAMES)
    imported = _manage(tmp_path, "import_archive", str(first))
    assert "Archive imported" in imported or "Archive importée" in imported
    _manage(tmp_path, "export_archive", str(tmp_path / "second.zip"), "--all", "--no-progress")
    verified = _manage(tmp_path, "verify_archive", str(tmp_path / "second.zip"), "--no-progress")
    assert "bagit" in verified and "warcio" in verified
    before = _manage(tmp_path, "shell", "-c", COUNTS).strip().splitlines()[-1]
    again = _manage(tmp_path, "import_archive", str(first))
    after = _manage(tmp_path, "shell", "-c", COUNTS).strip().splitlines()[-1]

    one, two = manifest(first), manifest(tmp_path / "second.zip")
    assert one.pop("created_at") and two.pop("created_at")
    assert one["files"] == two["files"]
    assert one == two
    assert one["counts"]["documents"] == 1 and one["counts"]["editions"] == 2

    # The imported site's API documents are the original's, byte for byte.
    # So does the bag's payload manifest, but for the two dated files: our manifest (its
    # created_at) and the WARC capture (the date of each record).
    bag_one, bag_two = _bag_manifest(first), _bag_manifest(tmp_path / "second.zip")
    dated = {"data/manifest.json", "data/site.warc.gz"}
    assert set(bag_one) == set(bag_two) and dated <= set(bag_one)
    assert {k: v for k, v in bag_one.items() if k not in dated} == {
        k: v for k, v in bag_two.items() if k not in dated
    }

    original, copy = members(first), members(tmp_path / "second.zip")
    api = sorted(name for name in original if name.startswith("api/"))
    assert len(api) > 20
    assert api == sorted(name for name in copy if name.startswith("api/"))
    for name in api:
        assert json.loads(copy[name]) == json.loads(original[name]), name
    assert json.loads(copy[f"api/edition/{amboise.pk}.json"])["archived"] is True

    # A second import finds everything in place: no new page, revision, image or document.
    assert before == after
    assert after.endswith("['amboise-2024', 'uzes-2019']")  # the demo archives Uzès
    assert not re.search(r"\b[1-9][0-9]* (created|créé)", again), again
