"""Benchmark through real HTTP: gunicorn and the shared cache, measured with wrk, at growing sizes.

    python -m bench.http [--pages 1000,10000,100000] [--database URL] [--workers 2]
                         [--connections 16] [--duration 10] [--redis redis://127.0.0.1:6379/7]
    python -m bench.http --url http://127.0.0.1:8000   (a running `make stack`, as it is)

Without `--url` it builds the benchmark database as `bench.api` does (SQLite in a temporary
directory, or the PostgreSQL database of `--database`, emptied first unless `--reuse`), and at
each size starts gunicorn with `--workers` sync workers on a free loopback port (settings
`bench.settings`, the shared cache in Redis when `--redis` is given, as in production), then
runs wrk against, in this order and in the same run:

- `floor list`: a view serving the cached list's exact bytes with no work (bench/urls.py),
  through the same middleware; `list`: our cached list; `list 304`: its revalidation;
- `list miss`: a filtered list whose query changes on every request (date and topic), so that
  every request misses the list cache: filter, count and page in SQL;
- `floor detail` and `detail`: a communiqué, the floor serving the same bytes;
- `floor feed`/`feed` (JSON Feed) and `floor calendar`/`calendar` (an edition's iCalendar);
- `wagtail v2`: Wagtail's API v2 list for reference (a short run: it is slow, and it only sees
  the real pages, not the cloned documents).

With `--url` nothing is built or started for the measured endpoints: they are those of the
running site, at whatever size it holds; the floors are served by a local gunicorn with the
same number of workers (their bytes fetched from the site first).

It prints a table per size with req/s, p50 and p99 latency and the ratio to the floor, checks
the targets of the scale issue (cached list ≥ 70 % of the floor's req/s, detail ≥ 70 % of its
floor, 304 ≥ 90 % of the list floor, cache-missing list ≥ 30 %, p50 latency at the largest size
within 1.5× of the smallest), writes every figure to `--json` and plots them (`bench.plot`).
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# The benchmark's own database and folders must be known before Django starts, and shared with
# the gunicorn it starts.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("ASSISES_BENCH_DIR", tempfile.mkdtemp(prefix="assises-bench-"))

from bench.scale import use_database_argument  # noqa: E402

use_database_argument(sys.argv)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MISS_SCRIPT = """
-- every request a different filtered list: a date in a ten-year window and a topic
local topics = {"logement", "zan", "finances-locales", "revitalisation", "reindustrialisation"}
local counter = 0
local offset = 0
function setup(thread)
  offset = offset + 7919
  thread:set("offset", offset)
end
function init(args)
  counter = tonumber(offset) or 0
end
function request()
  counter = counter + 1
  local day = counter % 3650
  local topic = topics[(math.floor(counter / 3650) % #topics) + 1]
  local date = os.date("!%Y-%m-%d", 1420070400 + day * 86400)
  return wrk.format("GET", "/api/v1/communiques/?topic=" .. topic .. "&date_from=" .. date
    .. "&fields=*&limit=20")
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Gunicorn:
    """gunicorn on a free loopback port with `workers` sync workers; `stop()` ends it."""

    def __init__(self, workers: int, env: dict) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [str(BIN / "gunicorn"), "demosite.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(workers), "--backlog", "2048", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        for _ in range(300):
            try:
                if fetch(self.url + "/api/v1/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def wrk(
    url: str, connections: int, duration: int, headers: dict | None = None, script: str = ""
) -> dict:
    """One wrk run: requests per second, p50 and p99 latency (ms), errors."""
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        path = Path(os.environ["ASSISES_BENCH_DIR"]) / "miss.lua"
        path.write_text(script)
        command += ["-s", str(path)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return {
        "rps": rps,
        "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "errors": errors,
    }


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def endpoints(base: str) -> dict[str, str]:
    """The measured URLs of a running site (a sample communiqué and edition found through it)."""
    communiques = json.loads(fetch(base + "/api/v1/communiques/?limit=1")[2])
    editions = json.loads(fetch(base + "/api/v1/editions/?limit=1")[2])
    return {
        "list": "/api/v1/communiques/?fields=*&limit=20",
        "detail": f"/api/v1/communiques/{communiques['results'][0]['id']}/",
        "feed": "/feeds/communiques.json",
        "calendar": f"/calendars/editions/{editions['results'][0]['id']}.ics",
        "wagtail v2": "/api/v2/pages/?type=press.CommuniquePage&fields=*&limit=20",
        "count": communiques["count"],
    }


def write_floors(base: str, urls: dict, folder: Path) -> dict[str, str]:
    """Fetch the bytes each floor serves; returns the list's ETag for the 304 run."""
    folder.mkdir(parents=True, exist_ok=True)
    etags = {}
    for name in ("list", "detail", "feed", "calendar"):
        status, headers, body = fetch(base + urls[name])
        assert status == 200, (urls[name], status, body[:300])
        (folder / name).write_bytes(body)
        (folder / f"{name}.type").write_text(headers.get("Content-Type", "application/json"))
        etags[name] = headers.get("ETag", "")
    return etags


def measure(site: str, floor: str, urls: dict, etags: dict, args) -> dict[str, dict]:
    """Every row of one size, each endpoint right after its floor."""
    c, d = args.connections, args.duration
    rows = {}
    plan = [
        ("floor list", floor + "/precomputed/list/", {}, ""),
        ("list", site + urls["list"], {}, ""),
        ("list 304", site + urls["list"], {"If-None-Match": etags["list"]}, ""),
        ("list miss", site + "/", {}, MISS_SCRIPT),
        ("floor detail", floor + "/precomputed/detail/", {}, ""),
        ("detail", site + urls["detail"], {}, ""),
        ("floor feed", floor + "/precomputed/feed/", {}, ""),
        ("feed", site + urls["feed"], {}, ""),
        ("floor calendar", floor + "/precomputed/calendar/", {}, ""),
        ("calendar", site + urls["calendar"], {}, ""),
    ]
    for name, url, headers, script in plan:
        wrk(url, c, 1, headers, script)  # warm every worker's memory level
        rows[name] = wrk(url, c, d, headers, script)
        print(f"  {name:<16}{rows[name]['rps']:>10.0f} req/s", flush=True)
    if not args.no_wagtail:
        status = fetch(site + urls["wagtail v2"])[0]
        if status == 200:
            rows["wagtail v2"] = wrk(site + urls["wagtail v2"], 4, max(3, d // 3))
    return rows


TARGETS = [
    # row, its floor, minimum share of the floor's req/s
    ("list", "floor list", 0.70),
    ("detail", "floor detail", 0.70),
    ("list 304", "floor list", 0.90),
    ("list miss", "floor list", 0.30),
]


def report(size: int, rows: dict[str, dict]) -> list[tuple[str, bool]]:
    print(f"\n{size} communiqués\n")
    header = f"{'request':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'× floor':>9}"
    print(header)
    print("-" * len(header))
    floors = {
        "list": "floor list",
        "list 304": "floor list",
        "list miss": "floor list",
        "detail": "floor detail",
        "feed": "floor feed",
        "calendar": "floor calendar",
        "wagtail v2": "floor list",
    }
    for name, row in rows.items():
        floor = rows.get(floors.get(name, ""))
        share = f"{row['rps'] / floor['rps']:.2f}" if floor else ""
        print(
            f"{name:<16}{row['rps']:>9.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
            f"{row['errors']:>8}{share:>9}"
        )
    verdicts = []
    for name, floor, share in TARGETS:
        ok = rows[name]["rps"] >= share * rows[floor]["rps"]
        verdicts.append((f"{size}: {name} ≥ {share:.0%} of {floor}", ok))
    verdicts.append((f"{size}: no errors", all(row["errors"] == 0 for row in rows.values())))
    return verdicts


def growth(results: dict[int, dict]) -> list[tuple[str, bool]]:
    small, large = min(results), max(results)
    verdicts = []
    for name in ("list", "list 304", "list miss", "detail", "feed", "calendar"):
        ratio = results[large][name]["p50_ms"] / results[small][name]["p50_ms"]
        verdicts.append(
            (f"{name}: p50 at {large} = {ratio:.2f}× p50 at {small} (≤ 1.5×)", ratio <= 1.5)
        )
    return verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running site (`make stack`) instead of our own gunicorn")
    parser.add_argument("--pages", default="1000,10000,100000", help="growing sizes")
    parser.add_argument("--real", type=int, default=300, help="communiqués rendered for real")
    parser.add_argument("--database", default="sqlite", help="sqlite, or a PostgreSQL URL")
    parser.add_argument("--reuse", action="store_true", help="keep a PostgreSQL database")
    parser.add_argument("--redis", default="", help="the shared cache (e.g. redis://…/7)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--no-wagtail", action="store_true", help="skip Wagtail's API v2")
    parser.add_argument("--json", default="var/bench/http.json", help="results file")
    parser.add_argument("--plot", default="", help="write the plot there (PNG)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench-http installs it)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    if args.redis:
        env["ASSISES_BENCH_REDIS_URL"] = args.redis
    floor_dir = Path(os.environ["ASSISES_BENCH_DIR"]) / "floor"
    env["ASSISES_BENCH_FLOOR_DIR"] = str(floor_dir)

    import django

    django.setup()
    from django.db import connection

    from bench.scale import grow, in_growing_order, prepare

    engine = "url" if args.url else connection.vendor
    results: dict[int, dict] = {}
    verdicts: list[tuple[str, bool]] = []
    sizes = [0] if args.url else sorted(int(size) for size in args.pages.split(","))
    if not args.url:
        prepare(min(args.real, max(sizes)), reset=not args.reuse)
        sizes = in_growing_order(sizes)
        connection.close()
    for size in sizes:
        servers = []
        try:
            if args.url:
                site = args.url.rstrip("/")
            else:
                grow(size)
                connection.close()
                if args.redis:
                    from django.core.cache import cache

                    cache.clear()  # the benchmark's own Redis database
                servers.append(Gunicorn(args.workers, env))
                site = servers[0].url
            urls = endpoints(site)
            size = size or urls["count"]
            etags = write_floors(site, urls, floor_dir)
            if args.url:
                servers.append(Gunicorn(args.workers, env))
            floor = servers[-1].url
            print(f"{size} communiqués, {engine}, {args.workers} workers", flush=True)
            results[size] = measure(site, floor, urls, etags, args)
        finally:
            for server in servers:
                server.stop()
        verdicts += report(size, results[size])
    if len(results) > 1:
        verdicts += growth(results)
    print()
    for label, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    save(results, engine, args)
    return 0 if all(ok for _label, ok in verdicts) else 1


def save(results: dict[int, dict], engine: str, args) -> None:
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(path.read_text()) if path.exists() else {}
    for size, rows in results.items():
        data.setdefault(engine, {})[str(size)] = rows
    path.write_text(json.dumps(data, indent=1))
    if args.plot:
        from bench.plot import plot

        plot(data, args.plot)
        print(f"plot written to {args.plot}")


if __name__ == "__main__":
    sys.exit(main())
