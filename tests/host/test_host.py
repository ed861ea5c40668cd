"""Assises installs into someone else's Wagtail site: `run_host.py` for the default combination.

`.ci/run` calls `make host-test` once per Python, Django and database combination, so the main
run (`make test`) skips this test unless ASSISES_HOST_TEST=1 asks for it. HOST_PYTHON,
HOST_DJANGO and HOST_DB choose the combination here too.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN_HOST = Path(__file__).with_name("run_host.py")

pytestmark = [
    pytest.mark.host,
    pytest.mark.skipif(
        os.environ.get("ASSISES_HOST_TEST") != "1",
        reason="the host-site test takes minutes and CI runs it per combination "
        "(`make host-test`); set ASSISES_HOST_TEST=1 to run it here",
    ),
]


def test_assises_installs_into_a_fresh_wagtail_site(tmp_path):
    command = [
        sys.executable,
        str(RUN_HOST),
        "--python",
        os.environ.get("HOST_PYTHON", "python3.11"),
        "--django",
        os.environ.get("HOST_DJANGO", "django>=5.2,<5.3"),
        "--database",
        os.environ.get("HOST_DB", "sqlite"),
        "--workdir",
        str(tmp_path / "host"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    if result.returncode == 3:
        pytest.skip(next(line for line in result.stdout.splitlines() if "SKIPPED" in line))
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
