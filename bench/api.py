"""Benchmark: our API against Wagtail's API v2 and against precomputed bytes, in one run.

    python -m bench.api [--pages 1000,10000,100000] [--runs 200] [--database URL]
    (or `make bench`)

It builds a throwaway database (SQLite in a temporary directory, or the PostgreSQL database of
`--database postgres://…/NAME`, emptied first: its name must contain `bench`), loads the demo,
generates and renders `--real` rich communiqués (body, image, topics, contacts, people,
edition, correction), then grows the archive to each size of `--pages` in turn by cloning their
stored documents (`bench.content.clone_communiques`) and measures in-process, at each size and
for each request: SQL queries, and median / p95 latency over `--runs` requests. Times are
compared as ratios measured in the same run, because absolute times on shared machines mean
little. Targets (from the product's issues): list ≤ 3 queries whatever the page size, detail
≤ 2; list at least 20× faster than Wagtail v2 and within 3× of the precomputed view; a 304
within 1.5× of the precomputed view; a cold filtered list within 3× of it; latency at the
largest size within 1.5× of the smallest. Wagtail's API v2 only sees the real pages (clones
have none), so its figures do not grow with the size.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
from bench.scale import use_database_argument  # noqa: E402

use_database_argument(sys.argv)  # the database must be known before Django starts

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import urls as bench_urls  # noqa: E402
from bench.scale import grow, in_growing_order, prepare  # noqa: E402
from cms.api import listcache  # noqa: E402


def first_request(client: Client, url: str, headers: dict) -> tuple:
    """One cold request (empty cache): its response and the SQL queries it ran."""
    cache.clear()
    listcache.clear()  # the in-process level too: versions no longer live in the cache
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return response, len(captured)  # count now: the next request resets the query log


def measure(client: Client, specs: list[tuple], runs: int) -> list[dict]:
    """Time the requests of `specs` in turn, A B A B …, so that drift hits them alike.

    Each spec is (url, extra headers, cold); a cold request empties the cache first (outside
    the timing).
    """
    samples: list[list[float]] = [[] for _ in specs]
    firsts = []
    for url, headers, _cold in specs:
        headers = {"HTTP_HOST": "localhost", **headers}
        firsts.append(first_request(client, url, headers))
        client.get(url, **headers)  # warm
    for _ in range(runs):
        for i, (url, headers, cold) in enumerate(specs):
            if cold:
                cache.clear()
                listcache.clear()
            start = time.perf_counter()
            client.get(url, HTTP_HOST="localhost", **headers)
            samples[i].append((time.perf_counter() - start) * 1000)
    results = []
    for (response, queries), times in zip(firsts, samples, strict=True):
        times.sort()
        results.append(
            {
                "status": response.status_code,
                "queries": queries,
                "median": statistics.median(times),
                "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
                "content": response.content,
            }
        )
    return results


def round_trip(runs: int) -> dict:
    """`SELECT 1`: what one query costs before it does anything, the floor of any request
    that must read a version from the database (on a loaded machine, the wait for the
    database process to be scheduled)."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            start = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "status": 200,
        "queries": 1,
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
        "content": b"",
    }


def explain(client: Client, url: str) -> str:
    """EXPLAIN ANALYZE of every query a cold request for `url` runs (PostgreSQL)."""
    cache.clear()
    listcache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url, HTTP_HOST="localhost")
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append(f"{query['sql']}\n{plan}")
    return "\n\n".join(plans)


def measure_size(client: Client, args) -> list[tuple]:
    """The rows of one size: ours against the floor (and Wagtail's API v2) in the same run."""
    from press.models import CommuniquePage

    sample = CommuniquePage.objects.live().order_by("-pk").first()
    ours = {
        "list": "/api/v1/communiques/?fields=*&limit=20",
        "detail": f"/api/v1/communiques/{sample.pk}/",
        "filtered list": FILTERED,
        "search": "/api/v1/communiques/?search=logement&fields=*&limit=20",
    }
    wagtail = {
        "list": "/api/v2/pages/?type=press.CommuniquePage&fields=*&limit=20",
        "detail": f"/api/v2/pages/{sample.pk}/",
        "search": "/api/v2/pages/?type=press.CommuniquePage&search=logement&fields=*&limit=20",
    }
    rows = []
    for name, url in ours.items():
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        bench_urls.PRECOMPUTED[name] = response.content
        floor_url = f"/precomputed/{name}/"
        mine, floor = measure(client, [(url, {}, False), (floor_url, {}, False)], args.runs)
        base = None
        if name in wagtail and not args.no_wagtail:
            base = measure(client, [(wagtail[name], {}, False)], max(10, args.runs // 20))[0]
        rows.append((name, mine, floor, base))
        if name in ("list", "filtered list"):
            # the same request when the list cache is empty: filter, count, page in SQL
            cold, floor = measure(client, [(url, {}, True), (floor_url, {}, False)], args.runs)
            rows.append((f"{name} (cold)", cold, floor, base))
        if name == "list":
            etag = {"HTTP_IF_NONE_MATCH": response["ETag"]}
            revalidation, floor = measure(
                client, [(url, etag, False), (floor_url, {}, False)], args.runs
            )
            assert revalidation["status"] == 304
            rows.append(("304 revalidation", revalidation, floor, None))
    return rows


FILTERED = (
    "/api/v1/communiques/?topic=zan&date_from=2020-01-01&date_to=2026-12-31&fields=*&limit=20"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages",
        default="1000,10000,100000",
        help="communiqué documents, one size or several growing ones (1000,10000,100000)",
    )
    parser.add_argument("--real", type=int, default=300, help="communiqués rendered for real")
    parser.add_argument("--runs", type=int, default=200, help="timed requests per row")
    parser.add_argument("--database", default="sqlite", help="sqlite, or a PostgreSQL URL")
    parser.add_argument("--reuse", action="store_true", help="keep a PostgreSQL database")
    parser.add_argument("--no-wagtail", action="store_true", help="skip Wagtail's API v2")
    parser.add_argument("--explain", action="store_true", help="print the cold lists' plans")
    parser.add_argument("--json", help="append the rows, per size, to this JSON file")
    args = parser.parse_args(argv)
    args.sizes = sorted(int(size) for size in args.pages.split(","))

    prepare(min(args.real, max(args.sizes)), reset=not args.reuse)
    client = Client()
    results: dict[int, list] = {}
    status = 0
    for size in in_growing_order(args.sizes):
        grow(size)
        if args.explain and connection.vendor == "postgresql":
            for url in ("/api/v1/communiques/?fields=*&limit=20", FILTERED):
                print(f"\n-- {url} at {size} documents\n{explain(client, url)}\n")
        rows = measure_size(client, args)
        rows.append(("database round trip", round_trip(args.runs), None, None))
        results[size] = rows
        status |= report(rows, size, args)
    if len(args.sizes) > 1:
        status |= report_growth(results, args)
    if args.json:
        save(results, args)
    return status


def save(results: dict[int, list], args) -> None:
    """Medians and p95 per size and row, for `bench.plot` and docs/benchmarks.md."""
    import json

    engine = connection.vendor
    data = {}
    if os.path.exists(args.json):
        with open(args.json) as existing:
            data = json.load(existing)
    for size, rows in results.items():
        data.setdefault(engine, {})[str(size)] = {
            name: {
                "queries": mine["queries"],
                "median_ms": mine["median"],
                "p95_ms": mine["p95"],
                "floor_ms": floor["median"] if floor else None,
                "wagtail_ms": base["median"] if base else None,
            }
            for name, mine, floor, base in rows
        }
    with open(args.json, "w") as out:
        json.dump(data, out, indent=1)


def report_growth(results: dict[int, list], args) -> int:
    """Latency at the largest size against the smallest: the scale target (≤ 1.5×)."""
    small, large = min(results), max(results)
    print(f"\nLatency at {large} against {small} documents (median, ms)\n")
    verdicts = []
    by_name = {name: mine for name, mine, _floor, _base in results[small]}
    for name, mine, _floor, _base in results[large]:
        ratio = mine["median"] / by_name[name]["median"]
        print(f"{name:<22}{by_name[name]['median']:>9.3f}{mine['median']:>9.3f}{ratio:>7.2f}×")
        # full-text ranking grows with the matches (docs/benchmarks.md); a round trip is no row
        if name not in ("search", "database round trip"):
            verdicts.append((f"{name}: ≤ 1.5× at {large}", ratio <= 1.5))
    print()
    for label, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for _label, ok in verdicts) else 1


def report(rows, size: int, args) -> int:
    engine = connection.vendor
    print(f"\n{size} communiqués on {engine}, {args.runs} timed requests per row (ms)\n")
    header = (
        f"{'request':<22}{'queries':>8}{'median':>9}{'p95':>9}"
        f"{'wagtail v2':>12}{'w queries':>10}{'× faster':>10}{'precomp.':>10}{'× floor':>9}"
    )
    print(header)
    print("-" * len(header))
    verdicts = []
    for name, mine, floor, base in rows:
        speedup = base["median"] / mine["median"] if base else None
        floor = floor or {"median": float("nan")}
        to_floor = mine["median"] / floor["median"]
        base_median = f"{base['median']:.2f}" if base else "n/a"
        base_queries = str(base["queries"]) if base else "n/a"
        faster = f"{speedup:.1f}" if speedup else "n/a"
        print(
            f"{name:<22}{mine['queries']:>8}{mine['median']:>9.3f}{mine['p95']:>9.3f}"
            f"{base_median:>12}{base_queries:>10}{faster:>10}"
            f"{floor['median']:>10.3f}{to_floor:>9.2f}"
        )
        if name == "list":
            verdicts += [
                ("list ≤ 3 queries", mine["queries"] <= 3),
                ("list within 3× of precomputed", to_floor <= 3),
            ]
            if speedup is not None:
                verdicts.append(("list ≥ 20× faster than Wagtail v2", speedup >= 20))
        if name == "filtered list (cold)":
            verdicts.append(("cold filtered list within 3× of precomputed", to_floor <= 3))
        if name == "detail":
            verdicts.append(("detail ≤ 2 queries", mine["queries"] <= 2))
            verdicts.append(("detail within 3× of precomputed", to_floor <= 3))
        if name == "304 revalidation":
            verdicts.append(("304 within 1.5× of precomputed", to_floor <= 1.5))
    print()
    for label, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for _label, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
