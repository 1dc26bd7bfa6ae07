"""Does a page cost the same on a large site as on a small one? A benchmark, not a test.

    .venv/bin/python bench/scale_bench.py [--large-articles 100000] [--large-comments 1000000]
        [--small-articles 1000] [--small-comments 10000] [--requests 50]
        [--databases sqlite,postgresql] [--postgres-url URL]

For SQLite and, when it answers, PostgreSQL (a throwaway database created next to the one
--postgres-url names, default $TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test,
dropped afterwards), builds a small and a large site with ``broadsheet init --no-demo`` and
``broadsheet demo generate`` (timed), tops one article up to 100 approved comments, starts
``broadsheet serve`` with BROADSHEET_PAGE_CACHE=off and sends --requests requests to each page
kind one after another on one keep-alive connection (after 5 unmeasured). Prints the median
and 90th percentile per page and size, and the ratio large/small of the medians, which should
stay within 1.5x. The deep page is /page/2000/, or the last page when the site has fewer.
Results: a table, and bench/results/scale-<date>.json (one entry per database).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from lib.load import sequential
from lib.machine import describe_machine, free_port, machine_facts, now_iso, say, write_results
from lib.servers import RunningServer, granian
from lib.sites import Site, page_paths, postgres_answers

KINDS = ("home", "article", "category", "deep", "feed", "atom", "sitemap")
WITHIN = 1.5
DEFAULT_POSTGRES = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small-articles", type=int, default=1000)
    parser.add_argument("--small-comments", type=int, default=10_000)
    parser.add_argument("--large-articles", type=int, default=100_000)
    parser.add_argument("--large-comments", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50, help="measured per page (50)")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests first (5)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--keep", action="store_true", help="keep the sites and server logs")
    return parser.parse_args()


def measure_size(
    options: argparse.Namespace, database: str, size: str, articles: int, comments: int
) -> dict[str, Any]:
    url = options.postgres_url if database == "postgresql" else None
    site = Site(f"scale-{size}", url)
    try:
        say(f"{database}, {size}: generating {articles:,} articles and {comments:,} comments…")
        generate_seconds = site.build(articles, comments)
        info = site.helper("prepare", "--hot-comments", "100")
        say(f"  generate took {generate_seconds:.1f} s")
        paths = {k: v for k, v in page_paths(info).items() if k != "search"}
        environ = {**site.environ, "BROADSHEET_PAGE_CACHE": "off"}
        port = free_port()
        spec = granian(options.workers, 1)  # one thread a worker, as broadsheet serve
        pages = {}
        log = site.work / "serve.log"
        with RunningServer(spec.argv(port), environ, port, log) as server:
            for kind in KINDS:
                timing = sequential(server.base, paths[kind], options.requests, options.warmup)
                pages[kind] = {"path": paths[kind], **timing}
                flag = f"  NOT 200: {timing['not_200']}" if timing["not_200"] else ""
                say(
                    f"  {kind:<9}{timing['median_ms']:>8.1f} ms median {timing['p90_ms']:>8.1f}"
                    f" ms p90  {timing['bytes'] / 1024:>7.1f} KiB  {paths[kind]}{flag}"
                )
        return {
            "articles": info["articles"],
            "comments": info["comments"],
            "database_version": info["database_version"],
            "generate_seconds": round(generate_seconds, 1),
            "server": spec.description + ", BROADSHEET_PAGE_CACHE=off",
            "pages": pages,
        }
    finally:
        if options.keep:
            say(f"  kept {site.work}")
        else:
            site.destroy()


def report(database: str, small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    head = (
        f"{'page':<10}{'small med':>10}{'p90':>8}{'large med':>11}{'p90':>8}{'ratio':>7}  "
        f"within {WITHIN:g}x   large page"
    )
    say(
        f"\n{database}: {small['articles']:,} vs {large['articles']:,} articles "
        f"({small['comments']:,} vs {large['comments']:,} comments), {large['database_version']}"
    )
    say(
        f"generate: {small['generate_seconds']:.1f} s small, {large['generate_seconds']:.1f} s "
        f"large; times in ms, {large['server']}"
    )
    say(head)
    say("-" * len(head))
    ratios = {}
    for kind in KINDS:
        a, b = small["pages"][kind], large["pages"][kind]
        ratio = b["median_ms"] / a["median_ms"] if a["median_ms"] else float("inf")
        ok = ratio <= WITHIN and not a["not_200"] and not b["not_200"]
        ratios[kind] = {"ratio": round(ratio, 2), "within": ok}
        say(
            f"{kind:<10}{a['median_ms']:>10.1f}{a['p90_ms']:>8.1f}{b['median_ms']:>11.1f}"
            f"{b['p90_ms']:>8.1f}{ratio:>7.2f}  {'yes' if ok else 'NO':<12}{b['path']}"
        )
    return ratios


def main() -> None:
    options = parse_args()
    databases = [name.strip() for name in options.databases.split(",") if name.strip()]
    facts = machine_facts()
    say(describe_machine(facts, ", ".join(databases)))
    written = []
    for database in databases:
        if database == "postgresql":
            problem = postgres_answers(options.postgres_url)
            if problem:
                say(f"skipping PostgreSQL: {problem}")
                continue
        elif database != "sqlite":
            raise SystemExit(f"unknown database {database!r}: sqlite or postgresql")
        small = measure_size(
            options, database, "small", options.small_articles, options.small_comments
        )
        large = measure_size(
            options, database, "large", options.large_articles, options.large_comments
        )
        ratios = report(database, small, large)
        result = {
            "date": now_iso(),
            "command": " ".join(["bench/scale_bench.py", *sys.argv[1:]]),
            "machine": facts,
            "database": database,
            "method": (
                f"{options.requests} sequential requests on one keep-alive connection after "
                f"{options.warmup} unmeasured; median and 90th percentile in ms"
            ),
            "within": WITHIN,
            "small": small,
            "large": large,
            "ratio_large_to_small": ratios,
            "all_within": all(r["within"] for r in ratios.values()),
        }
        written.append(write_results("scale", database, result))
    for out in dict.fromkeys(written):
        say(f"wrote {out.relative_to(out.parents[2])}")


if __name__ == "__main__":
    main()
