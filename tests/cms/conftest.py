"""Fixtures shared by the archive tests of this folder."""

import pytest

from tests.archive_helpers import export
from tests.archive_helpers import members as payload_members


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, django_db_setup, django_db_blocker):
    """The Amboise edition exported once per test module (each module reads its own copy)."""
    path = tmp_path_factory.mktemp("archive") / "amboise.zip"
    with django_db_blocker.unblock():
        export(path, "--edition", "amboise-2024")
    return path


@pytest.fixture(scope="module")
def members(bundle):
    """The bundle's payload members by name."""
    return payload_members(bundle)
