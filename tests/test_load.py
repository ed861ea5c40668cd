"""Zero errors under load, in miniature: bench.load against real gunicorn and task workers.

A few seconds of wrk on every public endpoint while the editor process publishes and
unpublishes every second, then list and detail must agree and the unpublished communiqué must
be nowhere. The full run (60 s, 64 connections per endpoint, through Varnish) is `make load`
against `make stack`; its results are in docs/benchmarks.md.
"""

import json
import shutil
import subprocess
import sys

import pytest

from tests.services import missing_gunicorn, skip_if
from tests.test_end_to_end import ROOT
from tests.test_processes import Stack

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk not installed (apt install wrk)"),
    skip_if(missing_gunicorn()),
]


def test_load_every_endpoint_while_an_editor_publishes_has_no_error(tmp_path):
    stack = Stack(tmp_path)
    try:
        stack.start()
        report_file = tmp_path / "load.json"
        result = subprocess.run(
            [sys.executable, "-m", "bench.load", "--url", stack.base, "--duration", "4"]
            + ["--connections", "4", "--settle", "30", "--json", str(report_file)],
            cwd=ROOT,
            env=stack.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        stack.stop()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(report_file.read_text())
    assert report["errors"] == 0
    assert report["disagreements"] == []
    assert report["editor"]["actions"] >= 3
    assert set(report["endpoints"]) == {
        "list (cached)", "list (cache miss)", "detail", "304", "feed", "calendar", "schedule"
    }  # fmt: skip
    for name, endpoint in report["endpoints"].items():
        assert endpoint["requests"] > 0, name
    assert report["endpoints"]["304"]["statuses"].get("304", 0) > 0
    assert set(report["health"]["statuses"]) == {"200"}
