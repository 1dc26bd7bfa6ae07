"""HTTP benchmark of the production server: pages/s and latency, cached and uncached, against
nginx serving the same bytes, plus comment posts/s. A benchmark, not a test.

    .venv/bin/python bench/http_bench.py [--articles 1000] [--comments 10000]
        [--connections 16,64] [--duration 5] [--repeat 3] [--warmup 2] [--workers 2]
        [--kinds home,article,...] [--servers] [--no-posts] [--database-url URL] [--quick]

Needs ``wrk`` and ``nginx`` (installed with apt-get when missing; that needs root). Builds a
throwaway site (``broadsheet init --no-demo`` and ``demo generate``; SQLite in a temporary data
directory, or PostgreSQL in a database created next to the one DATABASE_URL or --database-url
names and dropped afterwards), tops one article up to 100 approved comments, and starts
``broadsheet serve`` twice: with the page cache on (cached) and BROADSHEET_PAGE_CACHE=off
(uncached). For each page kind, cache mode and connection count, wrk runs once to warm up
(thrown away) and then --repeat times (``wrk -t2 -cC -dDs --latency``); the table shows the
medians of requests/s, p50 and p99. The cached article is measured in turns with a private
nginx serving its exact bytes, the physical reference (article, nginx, article, nginx…, so the
share holds when the machine's speed drifts); then a threaded client posts comments (each
with its own author and email) to count posts/s and check that every 303 is a stored row.
``--servers`` adds granian (also with 1 and 4 threads a worker) vs gunicorn (sync, gthread)
vs uvicorn on the article and home.
Results: a table, and bench/results/http-<date>.json (one entry per database).
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lib.load import fetch, post_comments, read_form, wrk, wrk_pairs, wrk_series
from lib.machine import (
    describe_machine,
    ensure_packages,
    free_port,
    machine_facts,
    now_iso,
    say,
    write_results,
)
from lib.servers import RunningServer, ServerSpec, granian, nginx_serving, production_servers
from lib.sites import BIN, Site, page_paths

KINDS = ("home", "article", "category", "deep", "feed", "atom", "sitemap", "search")
P99_GOAL_MS = 10.0
PAGE_GOAL_BYTES = 60_000  # "under 60 KB", read in decimal kilobytes: the stricter reading


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000, help="default 1,000")
    parser.add_argument(
        "--comments",
        type=int,
        default=10_000,
        help="spread evenly by demo generate (default 10,000); one article is topped up",
    )
    parser.add_argument("--hot-comments", type=int, default=100, help="on the article (100)")
    parser.add_argument("--connections", default="16,64", help="comma-separated (16,64)")
    parser.add_argument("--duration", type=float, default=5, help="seconds a run (5)")
    parser.add_argument("--repeat", type=int, default=3, help="runs measured (3)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up (2)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="(cores)")
    parser.add_argument(
        "--threads", type=int, default=1, help="granian blocking threads (1, as broadsheet serve)"
    )
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"of {','.join(KINDS)}")
    parser.add_argument("--post-connections", type=int, default=16)
    parser.add_argument("--no-posts", action="store_true", help="skip the comment posts")
    parser.add_argument("--servers", action="store_true", help="compare production servers")
    parser.add_argument("--servers-connections", type=int, default=64)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--quick", action="store_true", help="a trial: 2 s runs, 1 repeat, 1 s warm-up"
    )
    parser.add_argument("--keep", action="store_true", help="keep the site and server logs")
    options = parser.parse_args()
    if options.quick:
        options.duration, options.repeat, options.warmup = 2, 1, 1
    options.connections = [int(c) for c in options.connections.split(",")]
    options.kinds = [kind.strip() for kind in options.kinds.split(",") if kind.strip()]
    unknown = set(options.kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown page kinds: {', '.join(sorted(unknown))}")
    return options


def look_at_pages(server: RunningServer, paths: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each page fetched twice (the second from the page cache when it is on): status, size,
    gzipped size as served, content type and the X-Cache header of the second answer."""
    pages = {}
    for kind, path in paths.items():
        fetch(server.base, path)
        status, headers, body = fetch(server.base, path)
        zipped_status, zipped_headers, zipped = fetch(
            server.base, path, {"Accept-Encoding": "gzip"}
        )
        served_gzip = zipped_headers.get("content-encoding") == "gzip"
        pages[kind] = {
            "path": path,
            "status": status,
            "bytes": len(body),
            "gzip_bytes": len(zipped) if served_gzip else len(gzip.compress(body, 6)),
            "gzip_served": served_gzip,
            "content_type": headers.get("content-type", ""),
            "x_cache": headers.get("x-cache", ""),
            "body": body,
        }
    return pages


def run_reads(
    server: RunningServer,
    pages: dict[str, dict[str, Any]],
    cache: str,
    options: argparse.Namespace,
) -> list[dict[str, Any]]:
    rows = []
    for kind, page in pages.items():
        if page["status"] != 200:
            say(f"  {kind}: {page['path']} answers {page['status']}, not measured")
            continue
        for connections in options.connections:
            series = wrk_series(
                server.base + page["path"],
                connections,
                options.duration,
                options.repeat,
                options.warmup,
                options.wrk_threads,
            )
            rows.append(read_row(kind, page["path"], cache, connections, page["bytes"], series))
    return rows


def read_row(
    kind: str, path: str, cache: str, connections: int, size: int, series: dict[str, Any]
) -> dict[str, Any]:
    """One row of the reads table (a measured series and what it measured), said as it comes."""
    say(
        f"  {kind:<9}{cache:<9}{connections:>4} conns  {series['rps']:>8.0f} req/s  "
        f"p50 {series['p50_ms']:.1f} ms  p99 {series['p99_ms']:.1f} ms"
        + (f"  {series['errors']} ERRORS" if series["errors"] else "")
    )
    row = {"kind": kind, "path": path, "cache": cache, "connections": connections}
    return {**row, **series, "bytes": size}


def run_article_against_nginx(
    server: RunningServer, article: dict[str, Any], options: argparse.Namespace, log_dir: Path
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The cached article and nginx serving its very bytes, measured in turns (``wrk_pairs``):
    rows for the article, and rows for nginx, each run's share of nginx kept in the latter."""
    reference, prefix = nginx_serving(article["body"], article["content_type"], free_port())
    rows: list[dict[str, Any]] = []
    nginx: list[dict[str, Any]] = []
    try:
        with reference:
            for connections in options.connections:
                pair = wrk_pairs(
                    {
                        "article": server.base + article["path"],
                        "nginx": reference.base + "/page.html",
                    },
                    connections,
                    options.duration,
                    options.repeat,
                    options.warmup,
                    options.wrk_threads,
                )
                mine, theirs = pair["article"], pair["nginx"]
                shares = [
                    100 * a["rps"] / n["rps"]
                    for a, n in zip(mine["runs"], theirs["runs"], strict=True)
                    if n["rps"]
                ]
                size = article["bytes"]
                rows.append(read_row("article", article["path"], "cached", connections, size, mine))
                nginx_row = read_row("nginx", "article bytes", "static", connections, size, theirs)
                nginx_row["article_share_pct_by_run"] = [round(share, 1) for share in shares]
                nginx.append(nginx_row)
                by_run = ", ".join(f"{share:.0f} %" for share in shares)
                say(f"  run by run, the article's share of nginx: {by_run}")
    finally:
        if (prefix / "error.log").exists():
            shutil.copy(prefix / "error.log", log_dir / "nginx-error.log")
        shutil.rmtree(prefix, ignore_errors=True)
    return rows, nginx


def run_posts(
    server: RunningServer, site: Site, info: dict[str, Any], options: argparse.Namespace
) -> dict[str, Any]:
    status, _, html = fetch(server.base, info["post_article"]["url"])
    if status != 200:
        raise SystemExit(f"the article to post comments on answered {status}")
    action, form = read_form(html)
    # The signed form token refuses posts sooner than min_seconds_to_write after the page was
    # made; wait that long once, as a person would (the token is good for every post after).
    time.sleep(info["min_seconds_to_write"] + 0.5)
    tag = f"bench-{int(time.time())}-"
    results = post_comments(
        server.base, action, form, options.post_connections, options.duration * 2, tag
    )
    stored = site.helper("count-comments", "--email-prefix", tag)
    accepted = results.statuses.get(303, 0)
    latencies = sorted(results.latencies_ms) or [0.0]
    return {
        "connections": options.post_connections,
        "seconds": round(results.seconds, 2),
        "posts": sum(results.statuses.values()),
        "accepted_303": accepted,
        "posts_per_second": accepted / results.seconds if results.seconds else 0.0,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "statuses": {str(code): n for code, n in sorted(results.statuses.items())},
        "client_errors": results.errors[:10],
        "rows_stored": stored["total"],
        "rows_by_status": stored["by_status"],
        "none_lost": stored["total"] == accepted,
        "relaxed_for_bench": info["relaxed_for_bench"],
        "moderation": info["moderation"],
    }


def run_writes(server: RunningServer, site: Site, pages: dict[str, Any]) -> dict[str, Any]:
    """Publishing and approving while 16 readers load the home page and the article (wrk in
    the background): how long the writes take, and what the readers got meanwhile."""
    readers = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            kind: pool.submit(wrk, server.base + pages[kind]["path"], 8, 12)
            for kind in ("home", "article")
            if kind in pages
        }
        time.sleep(1)
        writes = site.helper("writes", "--rounds", "20")
        for kind, future in futures.items():
            run = future.result()
            readers[kind] = {key: run[key] for key in ("rps", "p50_ms", "p99_ms", "non_2xx_3xx")}
    return {"writes": writes, "readers_meanwhile": readers}


def run_servers(
    specs: list[ServerSpec],
    site: Site,
    paths: dict[str, str],
    options: argparse.Namespace,
    log_dir: Path,
) -> list[dict[str, Any]]:
    rows = []
    for spec in specs:
        for cache, extra in (("cached", {}), ("uncached", {"BROADSHEET_PAGE_CACHE": "off"})):
            port = free_port()
            environ = {**site.environ, **extra}
            with RunningServer(spec.argv(port), environ, port, log_dir / f"{spec.name}.log") as srv:
                for kind in ("article", "home"):
                    series = wrk_series(
                        srv.base + paths[kind],
                        options.servers_connections,
                        options.duration,
                        options.repeat,
                        options.warmup,
                        options.wrk_threads,
                    )
                    rows.append(
                        {
                            "server": spec.name,
                            "description": spec.description,
                            "cache": cache,
                            "kind": kind,
                            "connections": options.servers_connections,
                            **series,
                        }
                    )
                    say(
                        f"  {spec.name:<22}{cache:<9}{kind:<8}{series['rps']:>8.0f} req/s  "
                        f"p50 {series['p50_ms']:.1f} ms  p99 {series['p99_ms']:.1f} ms"
                        + (f"  {series['errors']} ERRORS" if series["errors"] else "")
                    )
    return rows


def table(rows: list[dict[str, Any]], pages: dict[str, dict[str, Any]]) -> str:
    head = (
        f"{'page kind':<10}{'path':<40}{'cache':<10}{'conns':>6}{'req/s':>9}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}{'KiB':>8}{'gz KiB':>8}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        page = pages.get(row["kind"], {})
        gz = f"{page['gzip_bytes'] / 1024:.1f}" if page else ""
        path = row["path"] if len(row["path"]) <= 38 else row["path"][:35] + "..."
        lines.append(
            f"{row['kind']:<10}{path:<40}{row['cache']:<10}{row['connections']:>6}"
            f"{row['rps']:>9.0f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}{row['errors']:>8}"
            f"{row['bytes'] / 1024:>8.1f}{gz:>8}"
        )
    return "\n".join(lines)


def summary(
    rows: list[dict[str, Any]],
    nginx: list[dict[str, Any]],
    pages: dict[str, dict[str, Any]],
    posts: dict[str, Any] | None,
    info: dict[str, Any],
) -> tuple[list[str], dict[str, Any]]:
    lines: list[str] = []
    facts: dict[str, Any] = {}
    article = pages.get("article")
    if article:
        how = "as served" if article["gzip_served"] else "gzip -6 here; the server sent none"
        hot = info["hot_article"]
        under = article["bytes"] < PAGE_GOAL_BYTES
        facts["article_bytes_under_60kb"] = under
        lines.append(
            f"article page: {article['bytes']:,} bytes of HTML "
            f"({'under' if under else 'NOT under'} {PAGE_GOAL_BYTES:,}), {article['gzip_bytes']:,} "
            f"gzipped ({how}); {hot['approved_comments']} approved comments in "
            f"{hot['threads']} threads ({info['threads_per_page']} threads a page); "
            f"{article['path']}"
        )
    cached = {
        r["connections"]: r for r in rows if r["kind"] == "article" and r["cache"] == "cached"
    }
    for reference in nginx:
        mine = cached.get(reference["connections"])
        if mine and reference["rps"]:
            share = 100 * mine["rps"] / reference["rps"]
            facts[f"cached_article_vs_nginx_pct_{reference['connections']}"] = round(share, 1)
            by_run = ", ".join(f"{s:.0f}" for s in reference.get("article_share_pct_by_run", []))
            lines.append(
                f"cached article at {reference['connections']} connections: {mine['rps']:,.0f} "
                f"req/s = {share:.0f}% of nginx's {reference['rps']:,.0f} req/s on the same bytes"
                + (f" (run by run, measured in turns: {by_run} %)" if by_run else "")
            )
    if 64 in cached:
        p99 = cached[64]["p99_ms"]
        facts["cached_article_p99_ms_64"] = round(p99, 2)
        facts["cached_article_p99_under_10ms_64"] = p99 < P99_GOAL_MS
        lines.append(
            f"cached article p99 at 64 connections: {p99:.1f} ms "
            f"({'under' if p99 < P99_GOAL_MS else 'NOT under'} {P99_GOAL_MS:.0f} ms)"
        )
    not_hits = [k for k, p in pages.items() if p["x_cache"] != "hit"]
    if not_hits:
        lines.append(f"not served from the page cache when on: {', '.join(not_hits)}")
    errors = [f"{r['kind']}/{r['cache']}/{r['connections']}" for r in rows if r["errors"]]
    if errors:
        lines.append(f"ERRORS (status >= 400 or socket errors) in: {', '.join(errors)}")
    if posts:
        relaxed = ", ".join(
            f"{name} {v['was']} -> {v['now']}" for name, v in posts["relaxed_for_bench"].items()
        )
        lines.append(
            f"comment posts: {posts['posts_per_second']:.1f}/s accepted (303) over "
            f"{posts['connections']} connections, p50 {posts['p50_ms']:.0f} ms, "
            f"p99 {posts['p99_ms']:.0f} ms; statuses {posts['statuses']}"
        )
        lines.append(
            f"  303s {posts['accepted_303']} vs rows stored {posts['rows_stored']} "
            f"{posts['rows_by_status']}: "
            + ("none lost" if posts["none_lost"] else "MISMATCH")
            + f"; discussion settings relaxed for the bench: {relaxed or 'none'}; other defences "
            f"(honeypot, form token, Origin, duplicates, moderation={posts['moderation']}) on"
        )
    return lines, facts


def main() -> None:
    options = parse_args()
    installed = ensure_packages({"wrk": "wrk", "nginx": "nginx-light"})
    site = Site("http-bench", options.database_url)
    log_dir = site.work / "logs"
    log_dir.mkdir()
    try:
        say(f"building a site of {options.articles:,} articles, {options.comments:,} comments…")
        generate_seconds = site.build(options.articles, options.comments)
        info = site.helper("prepare", "--hot-comments", str(options.hot_comments), "--post-bench")
        say(f"  generate took {generate_seconds:.1f} s; {info['database_version']}")
        paths = {kind: path for kind, path in page_paths(info).items() if kind in options.kinds}
        facts = machine_facts(
            [["wrk", "--version"], ["nginx", "-v"], [str(BIN / "granian"), "--version"]]
        )
        say(describe_machine(facts, info["database_version"]))
        spec = granian(options.workers, options.threads)
        rows: list[dict[str, Any]] = []
        nginx: list[dict[str, Any]] = []
        posts = None
        writes: dict[str, Any] = {}

        port = free_port()
        say(f"\ncached: {spec.description}")
        with RunningServer(spec.argv(port), site.environ, port, log_dir / "cached.log") as server:
            pages = look_at_pages(server, paths)
            others = {kind: page for kind, page in pages.items() if kind != "article"}
            if "article" in pages:
                say("article, in turns with the physical reference: nginx serving its bytes")
                rows, nginx = run_article_against_nginx(server, pages["article"], options, log_dir)
            rows += run_reads(server, others, "cached", options)
            if not options.no_posts:
                say(f"comment posts, {options.post_connections} connections…")
                posts = run_posts(server, site, info, options)
            say("writes under readers: publish, unpublish, approve a comment, 20 rounds…")
            writes = run_writes(server, site, pages)

        port = free_port()
        say(f"\nuncached (BROADSHEET_PAGE_CACHE=off): {spec.description}")
        uncached_env = {**site.environ, "BROADSHEET_PAGE_CACHE": "off"}
        with RunningServer(spec.argv(port), uncached_env, port, log_dir / "uncached.log") as server:
            uncached_pages = look_at_pages(server, paths)
            rows += run_reads(server, uncached_pages, "uncached", options)

        servers: list[dict[str, Any]] = []
        skipped: list[str] = []
        if options.servers:
            specs, skipped = production_servers(options.workers, options.threads)
            say(f"\nproduction servers, {options.servers_connections} connections")
            for message in skipped:
                say(f"  skipped {message}")
            servers = run_servers(specs, site, paths, options, log_dir)

        rows.sort(key=lambda r: (KINDS.index(r["kind"]), r["cache"], r["connections"]))
        say(f"\n{describe_machine(facts, info['database_version'])}")
        say(
            f"site: {info['articles']:,} articles, {info['comments']:,} comments; server: "
            f"{spec.description}; wrk -t{options.wrk_threads}, {options.repeat} x "
            f"{options.duration:g} s after {options.warmup:g} s warm-up, medians\n"
        )
        say(table(rows + nginx, pages))
        lines, headline = summary(rows, nginx, pages, posts, info)
        say("\n" + "\n".join(lines))
        if writes:
            done = ", ".join(
                f"{name} {w['median_ms']:.1f} ms (max {w['max_ms']:.1f})"
                for name, w in writes["writes"].items()
            )
            met = ", ".join(
                f"{kind} {r['rps']:,.0f} req/s p99 {r['p99_ms']:.1f} ms"
                for kind, r in writes["readers_meanwhile"].items()
            )
            say(f"writes under 16 readers (medians of 20): {done}; readers meanwhile: {met}")
        if servers:
            say(f"\n{'server':<24}{'cache':<10}{'page':<9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
            for row in servers:
                say(
                    f"{row['server']:<24}{row['cache']:<10}{row['kind']:<9}{row['rps']:>9.0f}"
                    f"{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
                    + (f"  {row['errors']} errors" if row["errors"] else "")
                )
        result = {
            "date": now_iso(),
            "command": " ".join(["bench/http_bench.py", *sys.argv[1:]]),
            "machine": facts,
            "installed_packages": installed,
            "database": info["database"],
            "database_version": info["database_version"],
            "site": {
                "articles": info["articles"],
                "comments": info["comments"],
                "generate_seconds": round(generate_seconds, 1),
                "hot_article": info["hot_article"],
            },
            "server": spec.description,
            "method": {
                "wrk_threads": options.wrk_threads,
                "duration_s": options.duration,
                "repeat": options.repeat,
                "warmup_s": options.warmup,
                "statistic": "median over the repeats of rps, p50, p99",
            },
            "pages": {
                kind: {k: v for k, v in page.items() if k != "body"} for kind, page in pages.items()
            },
            "reads": rows,
            "nginx": nginx,
            **headline,
            "comment_posts": posts,
            "writes_under_readers": writes,
            "servers": servers,
            "servers_skipped": skipped,
        }
        out = write_results("http", info["database"], result)
        say(f"\nwrote {out.relative_to(out.parents[2])}")
        if options.keep:
            say(f"kept the site and logs in {site.work}")
    finally:
        if not options.keep:
            site.destroy()


if __name__ == "__main__":
    main()
