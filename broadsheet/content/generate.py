"""Large synthetic sites for benchmarks and scale tests: ``broadsheet demo generate``.

Rows are written with ``bulk_create`` in batches, and the HTML is rendered once per text
variant rather than once per row, so 100,000 articles and 1,000,000 comments take minutes.
Generated articles get no revisions: they were never edited.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from broadsheet.comments.avatars import avatar_key
from broadsheet.comments.models import Comment
from broadsheet.comments.rendering import render_comment
from broadsheet.content.models import Article, Author, Category, Status, Tag, render_body
from broadsheet.core.markup import summarize

BATCH = 5_000
WORDS = (
    "defence ministry frigate army navy treaty alliance security cyber budget procurement "
    "exercise border talks sanctions drone radar brigade garrison logistics intelligence "
    "parliament minister contract shipyard training recruitment reserve deployment patrol"
).split()
COMMENT_TEXTS = [
    "Good piece. The procurement timeline still looks optimistic to me.",
    "Does anyone know when the committee publishes its report?\n\nThanks for the summary.",
    "I served on one of these ships. The crews deserve better than <em>another</em> delay.",
    "The figures in the second table do not add up: see the department's own release.",
    "Fair reporting, though the headline oversells it a little.",
]


@dataclass
class Generated:
    articles: int
    comments: int


def _body(rng: random.Random, number: int) -> str:
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 70))).capitalize() + "."
        for _ in range(4)
    ]
    return f"{paragraphs[0]}\n\n## Background {number}\n\n" + "\n\n".join(paragraphs[1:])


def generate_site(
    articles: int,
    comments: int,
    *,
    seed: int = 1,
    progress: Callable[[str], None] = lambda message: None,
) -> Generated:
    """Add ``articles`` published articles and ``comments`` comments spread over them."""
    rng = random.Random(seed)
    authors = [
        Author.objects.get_or_create(
            slug=f"generated-{n}", defaults={"display_name": f"Staff Writer {n}"}
        )[0]
        for n in range(1, 6)
    ]
    categories = [
        Category.objects.get_or_create(
            slug=f"section-{n}", parent=None, defaults={"name": f"Section {n}"}
        )[0]
        for n in range(1, 11)
    ]
    tags = [
        Tag.objects.get_or_create(slug=f"topic-{n}", defaults={"name": f"Topic {n}"})[0]
        for n in range(1, 51)
    ]
    variants = [_body(rng, n) for n in range(20)]
    rendered = [(text, render_body(text, "markdown")) for text in variants]
    summaries = [summarize(html) for _, html in rendered]
    start = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    now = timezone.now().replace(microsecond=0)
    created_ids: list[int] = []
    for first in range(0, articles, BATCH):
        batch = []
        for number in range(first, min(first + BATCH, articles)):
            text, html = rendered[number % len(rendered)]
            when = now - dt.timedelta(minutes=37 * (articles - number) + 1)
            batch.append(
                Article(
                    title=f"Report {start + number + 1}: {rng.choice(WORDS)} {rng.choice(WORDS)}",
                    slug=f"generated-report-{start + number + 1}",
                    body=text,
                    body_html=html,
                    summary=summaries[number % len(summaries)],
                    author=authors[number % len(authors)],
                    status=Status.PUBLISHED,
                    published_at=when,
                    published_on=timezone.localdate(when),
                )
            )
        with transaction.atomic():
            made = Article.objects.bulk_create(batch)
            ids = [article.pk for article in made]
            Article.categories.through.objects.bulk_create(
                Article.categories.through(article_id=pk, category_id=categories[pk % 10].pk)
                for pk in ids
            )
            Article.tags.through.objects.bulk_create(
                Article.tags.through(article_id=pk, tag_id=tags[(pk * 7 + offset) % 50].pk)
                for pk in ids
                for offset in (0, 1)
            )
        created_ids += ids
        progress(f"articles: {len(created_ids):,}/{articles:,}")
    made_comments = _generate_comments(created_ids, comments, rng, progress)
    return Generated(len(created_ids), made_comments)


class Readers:
    """The generated site's commenters (200 of them) and their stock comments, rendered and
    keyed once: the generator and the benchmarks' top-up build comments the same way."""

    COUNT = 200

    def __init__(self) -> None:
        self.bodies = [(text, render_comment(text)) for text in COMMENT_TEXTS]
        self.keys = [avatar_key(f"reader{n}@example.org") for n in range(self.COUNT)]

    def comment(self, n: int, article_id: int, created_at: dt.datetime) -> Comment:
        """Comment number ``n``: approved, by reader ``n`` modulo their number."""
        text, html = self.bodies[n % len(self.bodies)]
        reader = n % self.COUNT
        return Comment(
            article_id=article_id,
            author_name=f"Reader {reader}",
            author_email=f"reader{reader}@example.org",
            body=text,
            body_html=html,
            avatar_key=self.keys[reader],
            status=Comment.Status.APPROVED,
            created_at=created_at,
        )


def _generate_comments(
    article_ids: list[int], total: int, rng: random.Random, progress: Callable[[str], None]
) -> int:
    """Comments spread evenly over the articles; about one in five answers an earlier
    top-level comment on its article. Top-level comments of a batch are inserted first and
    their replies after, pointing at the new ids: no row is written twice."""
    if not article_ids or total <= 0:
        return 0
    readers = Readers()
    now = timezone.now().replace(microsecond=0)
    last_top: dict[int, Comment] = {}
    made = 0
    while made < total:
        size = min(BATCH, total - made)
        tops: list[Comment] = []
        replies: list[tuple[Comment, Comment]] = []
        for n in range(made, made + size):
            article_id = article_ids[n % len(article_ids)]
            comment = readers.comment(n, article_id, now - dt.timedelta(seconds=total - n))
            parent = last_top.get(article_id)
            if parent is not None and rng.random() < 0.2:
                comment.depth = 2
                replies.append((comment, parent))
            else:
                tops.append(comment)
                last_top[article_id] = comment
        with transaction.atomic():
            Comment.objects.bulk_create(tops)
            for reply, parent in replies:
                reply.parent_id = reply.thread_id = parent.pk
            Comment.objects.bulk_create([reply for reply, _ in replies])
        made += size
        progress(f"comments: {made:,}/{total:,}")
    return made
