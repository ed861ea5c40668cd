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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from tqdm import tqdm  # noqa: E402

from bench import urls as bench_urls  # noqa: E402
from bench.content import expose_to_wagtail_api, generate_communiques  # noqa: E402


def timed(client: Client, url: str, runs: int, headers: dict | None = None) -> dict:
    headers = {"HTTP_HOST": "localhost", **(headers or {})}
    response = client.get(url, **headers)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url, **headers)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(queries),
        "median": statistics.median(samples),
        "p95": samples[min(len(samples) - 1, int(len(samples) * 0.95))],
        "content": response.content,
    }


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
        runs = args.runs
        mine = timed(client, url, runs)
        assert mine["status"] == 200, (url, mine["status"], mine["content"][:300])
        bench_urls.PRECOMPUTED[name] = mine["content"]
        floor = timed(client, f"/precomputed/{name}/", runs)
        base = timed(client, wagtail[name], max(10, runs // 10)) if name in wagtail else None
        rows.append((name, mine, floor, base))
    etag = client.get(ours["list"], HTTP_HOST="localhost")["ETag"]
    revalidation = timed(client, ours["list"], args.runs, {"HTTP_IF_NONE_MATCH": etag})
    assert revalidation["status"] == 304
    rows.append(("304 revalidation", revalidation, rows[0][2], None))
    return report(rows, args)


def report(rows, args) -> int:
    print(f"\n{args.pages} generated communiqués, {args.runs} timed requests per row (ms)\n")
    header = (
        f"{'request':<18}{'queries':>8}{'median':>9}{'p95':>9}"
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
            f"{name:<18}{mine['queries']:>8}{mine['median']:>9.3f}{mine['p95']:>9.3f}"
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
