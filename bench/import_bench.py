"""Benchmark: import a generated WordPress export of 20,000 articles and 200,000 comments.

    .venv/bin/python bench/import_bench.py [--articles N] [--comments-per-article N]
                                           [--database-url URL] [--keep]

Generates the WXR file (seeded, so every run imports the same bytes), creates a fresh site
(SQLite in a temporary data directory unless --database-url is given), runs the real command
``broadsheet import wxr FILE`` in a child process, and reports wall time, articles/s,
comments/s and the child's peak resident memory. Results are printed as a table and written
to bench/results/import-<date>.json (one entry per database). The target: 1,000 articles/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROADSHEET = Path(sys.executable).with_name("broadsheet")
WORDS = (
    "defence ministry procurement budget army navy air force brigade regiment exercise "
    "deployment alliance treaty minister parliament committee report contract tank frigate "
    "helicopter drone training reserve veterans housing equipment review strategy security "
    "border patrol cyber intelligence logistics support readiness funding programme delay "
    "capability spending audit official spokesman statement briefing operation mission"
).split()
TARGET_ARTICLES_PER_SECOND = 1000


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentence(rng: random.Random, low: int = 8, high: int = 20) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def article_body(rng: random.Random, number: int, base: str) -> str:
    """Classic-editor content: paragraphs split by blank lines, now and then a link, an
    image caption or a list, about 2.5 KB."""
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(6)]
    if number % 5 == 0:
        paragraphs[1] += (
            f' See <a href="{base}/archives/{max(1, number - 3)}">our earlier report</a>.'
        )
    if number % 7 == 0:
        paragraphs.insert(
            2,
            (
                f'[caption id="attachment_1" align="aligncenter" width="640"]<img src="{base}'
                f'/wp-content/uploads/2020/01/photo-{number}.jpg" alt="On exercise" width="640" '
                'height="480" /> Troops on exercise[/caption]'
            ),
        )
    if number % 11 == 0:
        paragraphs.append(
            "<ul>\n<li>" + "</li>\n<li>".join(sentence(rng) for _ in range(3)) + "</li>\n</ul>"
        )
    return "\n\n".join(paragraphs)


def comment_body(rng: random.Random, number: int) -> str:
    text = " ".join(sentence(rng, 6, 16) for _ in range(rng.randint(1, 3)))
    if number % 20 == 0:
        text += " More here: https://example.org/analysis"
    if number % 9 == 0:
        text += "\n\nSecond paragraph: " + sentence(rng)
    return text


def generate(path: Path, articles: int, comments_per_article: int, seed: int = 2026) -> int:
    """Write the WXR file; returns the number of comments written."""
    rng = random.Random(seed)
    base = "https://old.example.org"
    start = dt.datetime(2012, 1, 1, 8, 0, tzinfo=dt.UTC)
    comment_id = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            f"\t<title>Bench Blog</title>\n\t<link>{base}</link>\n"
            "\t<description>Generated for the import benchmark</description>\n"
            "\t<language>en-GB</language>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{base}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{base}</wp:base_blog_url>\n"
        )
        for number in range(1, 21):
            out.write(
                f"\t<wp:author><wp:author_id>{number}</wp:author_id>"
                f"<wp:author_login>{cdata(f'writer{number}')}</wp:author_login>"
                f"<wp:author_email>writer{number}@example.org</wp:author_email>"
                f"<wp:author_display_name>{cdata(f'Writer {number}')}</wp:author_display_name>"
                "<wp:author_first_name></wp:author_first_name>"
                "<wp:author_last_name></wp:author_last_name></wp:author>\n"
            )
        for number in range(1, 51):
            parent = f"section-{(number - 1) // 10 * 10 + 1}" if number % 10 != 1 else ""
            out.write(
                f"\t<wp:category><wp:term_id>{number}</wp:term_id>"
                f"<wp:category_nicename>section-{number}</wp:category_nicename>"
                f"<wp:category_parent>{parent}</wp:category_parent>"
                f"<wp:cat_name>{cdata(f'Section {number}')}</wp:cat_name></wp:category>\n"
            )
        for number in range(1, 201):
            out.write(
                f"\t<wp:tag><wp:term_id>{1000 + number}</wp:term_id>"
                f"<wp:tag_slug>topic-{number}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(f'Topic {number}')}</wp:tag_name></wp:tag>\n"
            )
        for number in range(1, articles + 1):
            when = start + dt.timedelta(hours=number * 3)
            stamp = f"{when:%Y-%m-%d %H:%M:%S}"
            slug = f"story-{number}"
            title = sentence(rng, 4, 9).rstrip(".")
            comments = []
            first_id = comment_id + 1
            for index in range(comments_per_article):
                comment_id += 1
                parent = 0
                if index and rng.random() < 0.3:
                    parent = rng.randint(first_id, comment_id - 1)
                posted = when + dt.timedelta(minutes=10 * (index + 1))
                state = rng.choices(["1", "0", "spam", "trash"], [90, 5, 4, 1])[0]
                fields = {
                    "comment_id": comment_id,
                    "comment_author": cdata(f"Reader {rng.randint(1, 5000)}"),
                    "comment_author_email": cdata(f"reader{rng.randint(1, 5000)}@example.net"),
                    "comment_author_url": "",
                    "comment_author_IP": cdata(f"198.51.100.{rng.randint(1, 254)}"),
                    "comment_date": cdata(f"{posted:%Y-%m-%d %H:%M:%S}"),
                    "comment_date_gmt": cdata(f"{posted:%Y-%m-%d %H:%M:%S}"),
                    "comment_content": cdata(comment_body(rng, comment_id)),
                    "comment_approved": cdata(state),
                    "comment_type": cdata("comment"),
                    "comment_parent": parent,
                    "comment_user_id": 0,
                }
                comments.append(
                    "\t\t<wp:comment>\n"
                    + "".join(f"\t\t\t<wp:{k}>{v}</wp:{k}>\n" for k, v in fields.items())
                    + "\t\t</wp:comment>\n"
                )
            terms = (
                f'\t\t<category domain="category" nicename="section-{rng.randint(1, 50)}">'
                f"{cdata('Section')}</category>\n"
                + "".join(
                    f'\t\t<category domain="post_tag" nicename="topic-{tag}">'
                    f"{cdata(f'Topic {tag}')}</category>\n"
                    for tag in rng.sample(range(1, 201), 2)
                )
            )
            out.write(
                "\t<item>\n"
                f"\t\t<title>{cdata(title)}</title>\n"
                f"\t\t<link>{base}/{when:%Y/%m/%d}/{slug}/</link>\n"
                f"\t\t<pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate>\n"
                f"\t\t<dc:creator>{cdata(f'writer{number % 20 + 1}')}</dc:creator>\n"
                f'\t\t<guid isPermaLink="false">{base}/?p={number}</guid>\n'
                "\t\t<description></description>\n"
                f"\t\t<content:encoded>{cdata(article_body(rng, number, base))}</content:encoded>\n"
                f"\t\t<excerpt:encoded>{cdata('')}</excerpt:encoded>\n"
                f"\t\t<wp:post_id>{number}</wp:post_id>\n"
                f"\t\t<wp:post_date>{cdata(stamp)}</wp:post_date>\n"
                f"\t\t<wp:post_date_gmt>{cdata(stamp)}</wp:post_date_gmt>\n"
                f"\t\t<wp:comment_status>{cdata('open')}</wp:comment_status>\n"
                f"\t\t<wp:ping_status>{cdata('open')}</wp:ping_status>\n"
                f"\t\t<wp:post_name>{cdata(slug)}</wp:post_name>\n"
                f"\t\t<wp:status>{cdata('publish')}</wp:status>\n"
                "\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n"
                f"\t\t<wp:post_type>{cdata('post')}</wp:post_type>\n"
                f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n"
                "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
                f"{terms}"
                "\t\t<wp:postmeta><wp:meta_key>_edit_last</wp:meta_key>"
                "<wp:meta_value>1</wp:meta_value></wp:postmeta>\n"
                f"{''.join(comments)}\t</item>\n"
            )
        out.write("</channel>\n</rss>\n")
    return comment_id


def run(command: list[str], environ: dict[str, str], logs: Path) -> tuple[float, float, float]:
    """Run a child to completion: (wall seconds, CPU seconds of it and its planning process,
    peak RSS in MiB of the largest of them)."""
    with (logs / "stdout.txt").open("w") as out, (logs / "stderr.txt").open("w") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=environ, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write((logs / "stderr.txt").read_text()[-5000:])
        raise SystemExit(f"{' '.join(command)} failed")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--comments-per-article", type=int, default=10)
    parser.add_argument("--database-url", help="import into this database (emptied first)")
    parser.add_argument("--keep", action="store_true", help="keep the generated file and site")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    wxr = work / "bench.xml"
    started = time.perf_counter()
    comments = generate(wxr, options.articles, options.comments_per_article)
    generated = time.perf_counter() - started
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(
        BROADSHEET_DATA_DIR=str(work / "site"), DJANGO_SETTINGS_MODULE="broadsheet.settings"
    )
    if options.database_url:
        environ["DATABASE_URL"] = options.database_url
        subprocess.run([str(BROADSHEET), "flush", "--no-input"], env=environ, check=True)
    subprocess.run([str(BROADSHEET), "migrate", "-v0"], env=environ, check=True)
    report_path = work / "report.json"
    command = [
        str(BROADSHEET),
        "import",
        "wxr",
        str(wxr),
        "--no-progress",
        "--report-json",
        str(report_path),
    ]
    load_before = os.getloadavg()[0]
    seconds, cpu_seconds, peak_rss_mib = run(command, environ, work)
    report = json.loads(report_path.read_text())
    counts = report["counts"]
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["broadsheet", "import", "wxr", "bench.xml"]),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "database": "postgresql" if options.database_url else "sqlite",
        "file_mib": round(wxr.stat().st_size / 2**20, 1),
        "articles": counts["articles"].get("created", 0),
        "comments": counts["comments"].get("created", 0),
        "failed": sum(c.get("failed", 0) for c in counts.values()),
        "generate_seconds": round(generated, 2),
        "import_seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "load_average_before": round(load_before, 2),
        "articles_per_second": round(options.articles / seconds),
        "comments_per_second": round(comments / seconds),
        "peak_rss_mib": round(peak_rss_mib, 1),
        "target_articles_per_second": TARGET_ARTICLES_PER_SECOND,
    }
    rows = [
        (
            "file",
            f"{result['file_mib']} MiB ({options.articles:,} articles, {comments:,} comments)",
        ),
        ("database", result["database"]),
        ("import time", f"{seconds:.1f} s (whole command, start-up included)"),
        (
            "articles/s",
            f"{result['articles_per_second']:,} (target {TARGET_ARTICLES_PER_SECOND:,})",
        ),
        ("comments/s", f"{result['comments_per_second']:,}"),
        (
            "CPU time",
            f"{cpu_seconds:.1f} s over {os.cpu_count()} CPUs (load {load_before:.2f} before start)",
        ),
        ("peak RSS", f"{result['peak_rss_mib']} MiB"),
        ("failed items", str(result["failed"])),
    ]
    width = max(len(name) for name, _ in rows)
    sys.stdout.write("\n".join(f"{name.ljust(width)}  {value}" for name, value in rows) + "\n")
    out = ROOT / "bench" / "results" / f"import-{dt.date.today():%Y-%m-%d}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    # One file a day, one entry per database: a PostgreSQL run keeps the SQLite one.
    runs = json.loads(out.read_text()).get("runs", {}) if out.exists() else {}
    runs[result["database"]] = result
    out.write_text(json.dumps({"runs": runs}, indent=2) + "\n")
    sys.stdout.write(f"wrote {out.relative_to(ROOT)}\n")
    if not options.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
