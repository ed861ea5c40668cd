"""Zero errors under load: wrk on every public endpoint while an editor publishes every second.

    python -m bench.load --url http://127.0.0.1:8080 --duration 60 --connections 64

(`make load` runs it against a running `make stack` with the stack's environment.) For the
whole duration, one wrk per endpoint — a cached list, a list no cache has seen (a random
`date_from`), a detail, a 304 (`If-None-Match`), a feed, a calendar and a frab schedule —
each with `--connections` connections, all at once, while an "editor" process publishes and
unpublishes a communiqué of its own every second through Wagtail's publish and unpublish (the
admin's code path, the pipeline, the worker, the purges). /healthz is polled meanwhile.

Afterwards, once the worker has caught up: for every list endpoint, every item of the list
(`fields=*`, every page) must have a detail answering 200 with the very same document, and the
editor's communiqué, left unpublished, must be absent from the list, its detail and the feed.

The run fails (exit status 1) on any socket error or timeout, any status other than 200 (and
304 for the conditional endpoint), any failed editor action, or any disagreement left after
`--settle` seconds. It prints a Markdown table; `--json FILE` keeps every number.

The editor needs the site's Django settings and database: run it with the same environment as
the site (`make load` does), or pass `--no-editor` to load a remote site read-only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

LUA = Path(__file__).with_name("load.lua")
EDITOR_SLUG = "essai-de-charge"
LIST_ENDPOINTS = ["series", "editions", "sessions", "speakers", "communiques", "topics", "contacts"]


def get(url: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(url: str) -> dict:
    status, _headers, body = get(url)
    if status != 200:
        raise RuntimeError(f"GET {url} answered {status}")
    return json.loads(body)


def endpoints(base: str) -> dict[str, dict]:
    """The endpoints to load, found on the site itself: name → wrk mode, paths, expected."""
    communiques = get_json(f"{base}/api/v1/communiques/?limit=100")["results"]
    editions = get_json(f"{base}/api/v1/editions/?limit=1")["results"]
    speakers = get_json(f"{base}/api/v1/speakers/?limit=1")["results"]
    if not editions or not speakers:
        raise SystemExit("the site needs at least one edition and one speaker (load the demo)")
    edition = editions[0]["id"]
    details = [f"/api/v1/communiques/{c['id']}/" for c in communiques if c["slug"] != EDITOR_SLUG]
    details = details or [f"/api/v1/editions/{edition}/"]
    conditional = f"/api/v1/speakers/{speakers[0]['id']}/"
    etag = get(base + conditional)[1]["ETag"]
    ok = {"200"}
    return {
        "list (cached)": {"args": ["paths", "-", "/api/v1/communiques/"], "expect": ok},
        "list (cache miss)": {"args": ["miss", "/api/v1/communiques/?limit=20"], "expect": ok},
        "detail": {"args": ["paths", "-", *details], "expect": ok},
        "304": {"args": ["paths", etag, conditional], "expect": {"304", "200"}},
        "feed": {"args": ["paths", "-", "/feeds/communiques.json"], "expect": ok},
        "calendar": {"args": ["paths", "-", f"/calendars/editions/{edition}.ics"], "expect": ok},
        "schedule": {
            "args": ["paths", "-", f"/schedules/editions/{edition}/schedule.json"],
            "expect": ok,
        },
    }


def start_wrk(base: str, args: list[str], duration: int, connections: int) -> subprocess.Popen:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", str(LUA), base, "--", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wrk_result(process: subprocess.Popen, expect: set[str]) -> dict:
    out, err = process.communicate()
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        return {"failed": (err or out)[-500:], "errors": 1, "requests": 0}
    result = json.loads(lines[-1])
    unexpected = sum(n for status, n in result["statuses"].items() if status not in expect)
    result["errors"] = sum(result["socket_errors"].values()) + unexpected
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


class HealthWatch(threading.Thread):
    """Polls /healthz every two seconds: statuses seen and the worst worker lag."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.stop, self.polls = base, threading.Event(), []

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                status, _h, body = get(f"{self.base}/healthz", timeout=10)
                worker = json.loads(body)["checks"].get("worker", {})
                self.polls.append((status, worker.get("lag_seconds", 0.0)))
            except (OSError, ValueError) as error:
                self.polls.append((type(error).__name__, None))
            self.stop.wait(2)

    def summary(self) -> dict:
        lags = [lag for _s, lag in self.polls if lag is not None]
        statuses: dict[str, int] = {}
        for status, _lag in self.polls:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        return {"polls": len(self.polls), "statuses": statuses, "max_worker_lag": max(lags or [0])}


def disagreements(base: str, editor_page: int | None) -> list[str]:
    """Every listed document has an identical detail; the editor's draft is nowhere public."""
    problems = []
    for endpoint in LIST_ENDPOINTS:
        url: str | None = f"{base}/api/v1/{endpoint}/?fields=*&limit=100"
        while url:
            page = get_json(url)
            for item in page["results"]:
                status, _headers, body = get(item["api_url"])
                if status != 200:
                    problems.append(f"{endpoint} {item['id']}: listed, detail {status}")
                elif json.loads(body) != item:
                    problems.append(f"{endpoint} {item['id']}: list and detail differ")
                if endpoint == "communiques" and item["id"] == editor_page:
                    problems.append(f"communiques {editor_page}: unpublished but listed")
            url = page["next"]
    if editor_page is not None:
        status = get(f"{base}/api/v1/communiques/{editor_page}/")[0]
        if status != 404:
            problems.append(f"communiques {editor_page}: unpublished, detail {status}")
        if EDITOR_SLUG.encode() in get(f"{base}/feeds/communiques.json")[2]:
            problems.append("feed: lists the unpublished communiqué")
    return problems


def settle(base: str, editor_page: int | None, seconds: float) -> tuple[list[str], float]:
    """Wait for the worker and the purges, then for agreement; the disagreements left."""
    started = time.monotonic()
    while True:
        problems = disagreements(base, editor_page)
        elapsed = time.monotonic() - started
        if not problems or elapsed > seconds:
            return problems, elapsed
        time.sleep(1)


def run_editor(duration: float, interval: float) -> None:
    """Publish and unpublish a communiqué of our own, as an editor in the admin would."""
    import django

    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        raise SystemExit("the editor needs the site's settings: DJANGO_SETTINGS_MODULE and co.")
    django.setup()
    from press.models import CommuniquePage, PressIndexPage

    page = CommuniquePage.objects.filter(slug=EDITOR_SLUG).first()
    if page is None:
        page = CommuniquePage(
            title="Essai de charge",
            slug=EDITOR_SLUG,
            publication_date=datetime_today(),
            lead="Communiqué publié et dépublié chaque seconde par bench.load.",
            live=False,
        )
        PressIndexPage.objects.get().add_child(instance=page)
    actions, errors, timings = 0, [], []
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            page = CommuniquePage.objects.get(pk=page.pk)
            if page.live:
                page.unpublish()
            else:
                page.title = f"Essai de charge n° {actions}"
                page.save_revision().publish()
            actions += 1
        except Exception as error:  # noqa: BLE001 — every failure is reported, none stops it
            errors.append(f"{type(error).__name__}: {error}"[:300])
        timings.append(time.monotonic() - started)
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
    page = CommuniquePage.objects.get(pk=page.pk)
    if page.live:
        page.unpublish()
    timings.sort()
    print(
        json.dumps(
            {
                "page": page.pk,
                "actions": actions,
                "errors": errors,
                "median_action_s": timings[len(timings) // 2] if timings else None,
                "max_action_s": timings[-1] if timings else None,
            }
        )
    )


def datetime_today():
    from django.utils import timezone

    return timezone.localdate()


def markdown(results: dict[str, dict], connections: int, duration: int) -> str:
    lines = [
        f"| endpoint ({connections} connections each, {duration} s, all at once) | requests "
        "| req/s | p50 ms | p99 ms | max ms | statuses | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for name, r in results.items():
        if "failed" in r:
            lines.append(f"| {name} | wrk failed: {r['failed']!r} | | | | | | 1 |")
            continue
        lat = r["latency_us"]
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(r["statuses"].items()))
        lines.append(
            f"| {name} | {r['requests']} | {r['rps']:.0f} | {lat['p50'] / 1000:.1f} "
            f"| {lat['p99'] / 1000:.1f} | {lat['max'] / 1000:.0f} | {statuses} | {r['errors']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--url", required=True, help="the site, e.g. http://127.0.0.1:8080")
    parser.add_argument("--duration", type=int, default=60, help="seconds (60)")
    parser.add_argument("--connections", type=int, default=64, help="per endpoint (64)")
    parser.add_argument("--settle", type=float, default=60, help="seconds to agree after (60)")
    parser.add_argument("--no-editor", action="store_true", help="no publishing meanwhile")
    parser.add_argument("--json", help="write every number to this file")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt install wrk)")
    base = args.url.rstrip("/")

    targets = endpoints(base)
    editor = None
    if not args.no_editor:
        editor = subprocess.Popen(
            [sys.executable, "-m", "bench.load", "editor", "--duration", str(args.duration)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    watch = HealthWatch(base)
    watch.start()
    wrks = {
        name: start_wrk(base, target["args"], args.duration, args.connections)
        for name, target in targets.items()
    }
    results = {name: wrk_result(process, targets[name]["expect"]) for name, process in wrks.items()}
    editing = {"actions": 0, "errors": [], "page": None}
    if editor is not None:
        out, err = editor.communicate(timeout=args.duration + 120)
        lines = [line for line in out.splitlines() if line.startswith("{")]
        editing = json.loads(lines[-1]) if lines else {"actions": 0, "errors": [err[-2000:]]}
    watch.stop.set()
    watch.join()
    problems, settled = settle(base, editing.get("page"), args.settle)

    report = {
        "url": base,
        "duration": args.duration,
        "connections_per_endpoint": args.connections,
        "endpoints": results,
        "editor": editing,
        "health": watch.summary(),
        "disagreements": problems,
        "agreement_after_s": round(settled, 1),
        "errors": sum(r["errors"] for r in results.values()) + len(editing["errors"]),
    }
    print(markdown(results, args.connections, args.duration))
    print(
        f"\ntotal: {sum(r['requests'] for r in results.values())} requests, "
        f"{sum(r.get('rps', 0) for r in results.values()):.0f} req/s, "
        f"errors: {report['errors']}; editor: {editing['actions']} publish/unpublish, "
        f"{len(editing['errors'])} failed; /healthz: {report['health']}; "
        f"list/detail disagreements: {len(problems)} (checked after {settled:.1f} s)"
    )
    for line in problems[:20] + editing["errors"][:5]:
        print("  -", line)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=list))
    return 1 if report["errors"] or problems else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "editor":
        editor_args = argparse.ArgumentParser()
        editor_args.add_argument("--duration", type=float, default=60)
        editor_args.add_argument("--interval", type=float, default=1.0)
        options = editor_args.parse_args(sys.argv[2:])
        run_editor(options.duration, options.interval)
    else:
        sys.exit(main())
