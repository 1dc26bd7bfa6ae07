"""The Django side of the HTTP benchmarks, run as a child process with a throwaway site's
environment (``Site.helper``); prints one JSON object.

    python bench/lib/prepare_site.py prepare [--hot-comments 100] [--post-bench]
    python bench/lib/prepare_site.py count-comments --email-prefix bench-r1-

``prepare`` gives one article exactly ``--hot-comments`` approved comments: ``demo generate``
spreads comments evenly (10 an article at its defaults), so it tops one up, two in three new
comments replies, so that all 100 fit on the article page (50 threads a page by default).
``--post-bench`` lifts the per-IP and per-email limits (all bench traffic comes from 127.0.0.1).
It answers with the addresses of the page kinds and the site's facts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import sys
from typing import Any

SEARCH_WORD = "frigate"  # one of generate.py's WORDS: found in most articles


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    import django

    django.setup()


def top_up(article_id: int, wanted: int) -> int:
    """Add approved comments to the article until it has ``wanted``; returns how many it has."""
    from django.db import transaction
    from django.utils import timezone

    from broadsheet.comments.models import Comment
    from broadsheet.content.generate import Readers

    have = Comment.objects.approved().filter(article_id=article_id).count()
    readers = Readers()
    now = timezone.now().replace(microsecond=0)
    last_top = (
        Comment.objects.approved()
        .filter(article_id=article_id, thread=None)
        .order_by("-pk")
        .first()
    )
    with transaction.atomic():
        for n in range(have, wanted):
            comment = readers.comment(n, article_id, now - dt.timedelta(seconds=wanted - n))
            if n % 3 != 0 and last_top is not None:
                comment.parent_id = comment.thread_id = last_top.pk
                comment.depth = 2
            # bulk_create: Comment.save() would re-render and re-key what is given here.
            (comment,) = Comment.objects.bulk_create([comment])
            if comment.thread_id is None:
                last_top = comment
    return Comment.objects.approved().filter(article_id=article_id).count()


def settle_postgresql(connection: Any) -> None:
    """Statistics and the visibility map brought up to date after the top-up (what autovacuum,
    PostgreSQL's default but off on this machine's server, would do), and the build's dirty
    pages written out, so that no checkpoint of them lands in the middle of a measurement."""
    from django.db import DatabaseError

    from broadsheet.core.database import refresh_planner_statistics

    refresh_planner_statistics()
    with connection.cursor() as cursor:
        try:
            cursor.execute("CHECKPOINT")  # superuser or pg_checkpoint; skipped without
        except DatabaseError:
            pass


def prepare(hot_comments: int, post_bench: bool) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count, Q

    from broadsheet.comments.models import Comment, DiscussionSettings
    from broadsheet.content.models import Article, SiteSettings

    published = Article.objects.published().order_by("pk")
    total = published.count()
    if total < 3:
        raise SystemExit("the site needs at least 3 published articles")
    # The hot article: in the middle of the site, so it is on no front page.
    candidates = published.annotate(
        approved=Count("comments", filter=Q(comments__status="approved"))
    )
    middle = candidates[total // 2]
    hot = middle
    if middle.approved > hot_comments:
        hot = candidates.filter(approved__lte=hot_comments).order_by("-approved", "pk").first()
        hot = hot or middle
    count = top_up(hot.pk, hot_comments)
    threads = Comment.objects.approved().filter(article_id=hot.pk, thread=None).count()
    post_target = published.exclude(pk=hot.pk)[total // 3]

    options, _ = DiscussionSettings.objects.get_or_create(pk=1)
    relaxed: dict[str, tuple[int, int]] = {}
    if post_bench:
        relaxed = {
            "flood_seconds": (options.flood_seconds, 0),
            "hourly_limit_per_ip": (options.hourly_limit_per_ip, 0),
        }
        options.flood_seconds = 0
        options.hourly_limit_per_ip = 0
        options.save()  # its post_save handler forgets the cached copy

    if connection.vendor == "postgresql":
        settle_postgresql(connection)
    per_page = SiteSettings.objects.get_or_create(pk=1)[0].posts_per_page
    last_page = max(1, math.ceil(total / per_page))
    category = hot.categories.order_by("pk").first()
    database = connection.vendor
    if database == "sqlite":
        import sqlite3

        version = f"SQLite {sqlite3.sqlite_version}"
    else:
        number = connection.cursor().connection.info.server_version  # 150020 for 15.20
        version = f"PostgreSQL {number // 10000}.{number % 10000}"
    return {
        "database": "postgresql" if database == "postgresql" else "sqlite",
        "database_version": version,
        "articles": total,
        "comments": Comment.objects.count(),
        "posts_per_page": per_page,
        "last_page": last_page,
        "hot_article": {
            "id": hot.pk,
            "url": hot.get_absolute_url(),
            "approved_comments": count,
            "threads": threads,
        },
        "threads_per_page": options.threads_per_page,
        "post_article": {"id": post_target.pk, "url": post_target.get_absolute_url()},
        "category_url": category.get_absolute_url() if category else None,
        "search_url": f"/search/?q={SEARCH_WORD}",
        "min_seconds_to_write": options.min_seconds_to_write,
        "moderation": options.moderation,
        "relaxed_for_bench": {
            name: {"was": was, "now": now} for name, (was, now) in relaxed.items()
        },
    }


def count_comments(email_prefix: str) -> dict[str, Any]:
    from django.db.models import Count

    from broadsheet.comments.models import Comment

    rows = (
        Comment.objects.filter(author_email__startswith=email_prefix)
        .values("status")
        .annotate(n=Count("pk"))
    )
    by_status = {row["status"]: row["n"] for row in rows}
    return {"total": sum(by_status.values()), "by_status": by_status}


def writes(rounds: int) -> dict[str, Any]:
    """Time what editors do while readers load the site: publishing an article (and taking
    it down again) and approving a held comment, each with the purges it triggers."""
    import time

    from broadsheet.comments.models import Comment
    from broadsheet.comments.moderation import set_status
    from broadsheet.content.models import Article
    from broadsheet.content.services import publish_article, unpublish_article

    article = Article.objects.published().order_by("-published_at", "-pk")[5]
    post_to = Article.objects.published().order_by("pk").first()
    timings: dict[str, list[float]] = {"publish": [], "unpublish": [], "approve_comment": []}
    for n in range(rounds):
        started = time.perf_counter()
        unpublish_article(article)
        timings["unpublish"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        publish_article(article, when=article.published_at)
        timings["publish"].append((time.perf_counter() - started) * 1000)
        held = Comment.objects.create(
            article=post_to,
            author_name=f"Writer {n}",
            author_email=f"writes-{n}@example.org",
            body=f"Held comment number {n}, approved while readers load the site.",
            status=Comment.Status.PENDING,
        )
        started = time.perf_counter()
        set_status(held, Comment.Status.APPROVED)
        timings["approve_comment"].append((time.perf_counter() - started) * 1000)
    return {
        name: {
            "median_ms": round(statistics.median(values), 2),
            "max_ms": round(max(values), 2),
            "rounds": len(values),
        }
        for name, values in timings.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    actions = parser.add_subparsers(dest="action", required=True)
    prep = actions.add_parser("prepare")
    prep.add_argument("--hot-comments", type=int, default=100)
    prep.add_argument("--post-bench", action="store_true")
    count = actions.add_parser("count-comments")
    count.add_argument("--email-prefix", required=True)
    write = actions.add_parser("writes")
    write.add_argument("--rounds", type=int, default=20)
    options = parser.parse_args()
    setup()
    if options.action == "prepare":
        answer = prepare(options.hot_comments, options.post_bench)
    elif options.action == "writes":
        answer = writes(options.rounds)
    else:
        answer = count_comments(options.email_prefix)
    sys.stdout.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    main()
