"""The benchmark's plot: throughput and latency of each request against the archive's size.

python -m bench.plot var/bench/http.json docs/benchmarks.png
"""

import sys

ROWS = ["floor list", "list", "list 304", "list miss", "floor detail", "detail", "feed", "calendar"]
STYLES = {"postgresql": "-", "sqlite": "--", "url": ":"}


def plot(data: dict, path: str) -> None:
    """Two panels, req/s and p50 latency against size (log scale), one line per engine and row."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (throughput, latency) = plt.subplots(1, 2, figsize=(13, 5.5))
    colours = plt.get_cmap("tab10")
    for engine, sizes in sorted(data.items()):
        ordered = sorted(sizes, key=int)
        for i, row in enumerate(ROWS):
            points = [(int(size), sizes[size][row]) for size in ordered if row in sizes[size]]
            if not points:
                continue
            xs = [size for size, _ in points]
            style = dict(color=colours(i), linestyle=STYLES.get(engine, "-"), marker="o")
            throughput.plot(xs, [r["rps"] for _, r in points], label=f"{row} ({engine})", **style)
            latency.plot(xs, [r["p50_ms"] for _, r in points], **style)
    for axis, title, unit in (
        (throughput, "Throughput", "requests per second"),
        (latency, "Median latency", "ms (p50)"),
    ):
        axis.set_xscale("log")
        axis.set_xlabel("communiqué documents")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.grid(True, which="both", alpha=0.3)
    latency.set_yscale("log")
    throughput.legend(fontsize=7, ncol=2)
    figure.suptitle("Assises through gunicorn, measured with wrk (same run per size)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


if __name__ == "__main__":
    import json

    with open(sys.argv[1]) as results:
        plot(json.load(results), sys.argv[2])
