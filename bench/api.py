"""Benchmark: our API against Wagtail's API v2 and against precomputed bytes, in one run.

    python -m bench.api [--pages 2000] [--runs 200]   (or `make bench`)

It builds a throwaway SQLite database, loads the demo, generates `--pages` rich communiqués
(body, image, topics, contacts, people, edition, correction), then measures in-process, for
each request: SQL queries, and median / p95 latency over `--runs` requests. Times are compared
as ratios measured in the same run, because absolute times on shared machines mean little.
Targets (from the product's issue): list ≤ 3 queries whatever the page size, detail ≤ 2; list
at least 20× faster than Wagtail v2 and within 3× of the precomputed view; a 304 within 1.5×
of the precomputed view.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from tqdm import tqdm  # noqa: E402

from bench import urls as bench_urls  # noqa: E402
from bench.content import expose_to_wagtail_api, generate_communiques  # noqa: E402
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="communiqués to generate")
    parser.add_argument("--runs", type=int, default=200, help="timed requests per row")
    args = parser.parse_args(argv)

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    with transaction.atomic():
        generate_communiques(args.pages, progress=tqdm(total=args.pages, desc="pages"))
    expose_to_wagtail_api()

    client = Client()
    from press.models import CommuniquePage

    sample = CommuniquePage.objects.live().order_by("-pk").first()
    ours = {
        "list": "/api/v1/communiques/?fields=*&limit=20",
        "detail": f"/api/v1/communiques/{sample.pk}/",
        "filtered list": "/api/v1/communiques/?topic=zan&date_from=2020-01-01"
        "&date_to=2026-12-31&fields=*&limit=20",
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
        if name in wagtail:
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
    return report(rows, args)


def report(rows, args) -> int:
    print(f"\n{args.pages} generated communiqués, {args.runs} timed requests per row (ms)\n")
    header = (
        f"{'request':<22}{'queries':>8}{'median':>9}{'p95':>9}"
        f"{'wagtail v2':>12}{'w queries':>10}{'× faster':>10}{'precomp.':>10}{'× floor':>9}"
    )
    print(header)
    print("-" * len(header))
    verdicts = []
    for name, mine, floor, base in rows:
        speedup = base["median"] / mine["median"] if base else None
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
                ("list ≥ 20× faster than Wagtail v2", speedup >= 20),
                ("list within 3× of precomputed", to_floor <= 3),
            ]
        if name == "detail":
            verdicts.append(("detail ≤ 2 queries", mine["queries"] <= 2))
        if name == "304 revalidation":
            verdicts.append(("304 within 1.5× of precomputed", to_floor <= 1.5))
    print()
    for label, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for _label, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
