"""The article page's and the lists' reads, in SQL written once (see ``core/sql.py`` for
why): the article with its author, the categories and tags of a whole page of articles, the
neighbours, the candidates for related articles and a list page's rows (the home page's ids
come from ``home_positions.py``) —
none of them built by the ORM on the request.

"Published" means what ``ArticleQuerySet.published`` says; ``tests/content/test_reads.py``
holds both to the same answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from broadsheet.content.models import Article, Author, Category, Status, Tag
from broadsheet.core.sql import Columns, moment, quoted, run

ARTICLES = quoted(Article._meta.db_table)
AUTHORS = quoted(Author._meta.db_table)
CATEGORIES = quoted(Category._meta.db_table)
TAGS = quoted(Tag._meta.db_table)
FILED_IN = quoted(Article.categories.through._meta.db_table)
TAGGED = quoted(Article.tags.through._meta.db_table)

ARTICLE = Columns(Article, "a")
AUTHOR = Columns(Author, "au")
CATEGORY = Columns(Category, "t", ["id", "name", "slug", "parent", "path", "description"])
TAG = Columns(Tag, "t", ["id", "name", "slug"])
LINKED = Columns(Article, "a", ["id", "title", "slug", "published_at", "published_on"])


def _all_fields_but(*names: str) -> list[str]:
    return [f.name for f in Article._meta.concrete_fields if f.name not in names]


LISTED = Columns(Article, "a", _all_fields_but("body", "excerpt", "body_html"))  # the summary
LISTED_FULL = Columns(Article, "a", _all_fields_but("body", "excerpt"))  # lists of whole text
RELATED = Columns(Article, "a", ["id", "title", "slug", "summary", "published_at", "published_on"])
BIGGEST_ID = 2**63 - 1
AUTHOR_OF = Article._meta.get_field("author")

LIVE = f'("a"."status" = \'{Status.PUBLISHED}\' OR "a"."status" = \'{Status.SCHEDULED}\')'
NEWEST_FIRST = ' ORDER BY "a"."published_at" DESC, "a"."id" DESC'


def _with_authors(
    columns: Columns[Article], condition: str, params: Sequence[object], tail: str = ""
) -> list[Article]:
    """Articles matching ``condition``, each with its author from the same query."""
    sql = (
        f'SELECT {columns.sql()}, {AUTHOR.sql()} FROM {ARTICLES} "a" '
        f'INNER JOIN {AUTHORS} "au" ON "au"."id" = "a"."author_id" WHERE {condition}{tail}'
    )
    rows = run(sql, params)
    articles = columns.load_all(rows)
    for article, author in zip(articles, AUTHOR.load_all(rows, len(columns)), strict=True):
        AUTHOR_OF.set_cached_value(article, author)
    return articles


def _one_article(condition: str, params: Sequence[object]) -> Article | None:
    """The article (newest first if several match) with its author, categories and tags."""
    found = _with_authors(ARTICLE, condition, params, f"{NEWEST_FIRST} LIMIT 1")
    attach_terms(found)
    return found[0] if found else None


def article_on_day(day: dt.date, slug: str) -> Article | None:
    return _one_article(
        '"a"."published_on" = %s AND "a"."slug" = %s',
        [connection.ops.adapt_datefield_value(day), slug],
    )


def article_in_month(year: int, month: int, slug: str) -> Article | None:
    first = dt.date(year, month, 1)
    after = (first + dt.timedelta(days=31)).replace(day=1)
    adapt = connection.ops.adapt_datefield_value
    return _one_article(
        '"a"."published_on" >= %s AND "a"."published_on" < %s AND "a"."slug" = %s',
        [adapt(first), adapt(after), slug],
    )


def article_by_id(pk: int) -> Article | None:
    if pk > BIGGEST_ID:  # the database could not even compare it
        return None
    return _one_article('"a"."id" = %s', [pk])


def dated_article_by_slug(slug: str) -> Article | None:
    """``/%postname%/`` addresses: any article with a publication date and that slug."""
    return _one_article('"a"."published_on" IS NOT NULL AND "a"."slug" = %s', [slug])


def attach_terms(articles: Sequence[Article], *, tags: bool = True) -> None:
    """Each article's ``category_list`` (and ``tag_list``), for all of them in one query,
    in the models' own orders (categories by path, tags by name)."""
    if not articles:
        return
    marks = ", ".join(["%s"] * len(articles))
    ids = [article.pk for article in articles]
    sql = (
        f'SELECT 0, "l"."article_id", {CATEGORY.sql()} FROM {FILED_IN} "l" '
        f'INNER JOIN {CATEGORIES} "t" ON "t"."id" = "l"."category_id" '
        f'WHERE "l"."article_id" IN ({marks})'
    )
    params = ids
    if tags:
        sql += (
            f' UNION ALL SELECT 1, "l"."article_id", {TAG.sql()}, NULL, NULL, NULL '
            f'FROM {TAGGED} "l" INNER JOIN {TAGS} "t" ON "t"."id" = "l"."tag_id" '
            f'WHERE "l"."article_id" IN ({marks})'
        )
        params = ids + ids
    found: dict[int, tuple[list, list]] = {pk: ([], []) for pk in ids}
    rows = run(f"{sql} ORDER BY 1, 7, 4, 3", params)
    categories = [row for row in rows if row[0] == 0]
    for row, category in zip(categories, CATEGORY.load_all(categories, 2), strict=True):
        found[row[1]][0].append(category)
    tagged = [row for row in rows if row[0] == 1]
    for row, tag in zip(tagged, TAG.load_all(tagged, 2), strict=True):
        found[row[1]][1].append(tag)
    for article in articles:
        article.category_list = found[article.pk][0]
        if tags:
            article.tag_list = found[article.pk][1]


def listed_articles(ids: Sequence[int], *, full_text: bool) -> list[Article]:
    """The articles of a list page, in the order of ``ids``, with authors and categories;
    ``full_text`` adds the body HTML (sites whose lists show whole articles)."""
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    listed = _with_authors(LISTED_FULL if full_text else LISTED, f'"a"."id" IN ({marks})', ids)
    found = {article.pk: article for article in listed}
    articles = [found[pk] for pk in ids if pk in found]
    attach_terms(articles, tags=False)
    return articles


def neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """The published articles just before and just after this one (title, slug, time)."""
    if article.published_at is None:
        return None, None
    now = timezone.now()
    if article.published_at <= now:
        earlier, earlier_param = '"a"."published_at" < %s', article.published_at
    else:  # a preview of a scheduled article: everything live is earlier
        earlier, earlier_param = '"a"."published_at" <= %s', now
    sql = (
        f'SELECT * FROM (SELECT 0, {LINKED.sql()} FROM {ARTICLES} "a" WHERE {LIVE} AND {earlier} '
        'ORDER BY "a"."published_at" DESC LIMIT 1) "p" UNION ALL '
        f'SELECT * FROM (SELECT 1, {LINKED.sql()} FROM {ARTICLES} "a" WHERE {LIVE} '
        'AND "a"."published_at" > %s AND "a"."published_at" <= %s '
        'ORDER BY "a"."published_at" LIMIT 1) "n"'
    )
    found: list[Article | None] = [None, None]
    for row in run(sql, [moment(earlier_param), moment(article.published_at), moment(now)]):
        found[row[0]] = LINKED.load(row, 1)
    return found[0], found[1]


@dataclass(slots=True)
class RelatedCandidate:
    """A candidate for related articles as its row came back: what ranking reads (title,
    summary, terms shared) without building an instance; ``article()`` builds the few shown
    (twelve instances were a quarter of the related articles' cost)."""

    pk: int
    title: str
    summary: str
    shared: int
    row: tuple

    def article(self) -> Article:
        return RELATED.load(self.row)


def related_candidates(
    article: Article, tag_ids: list[int], category_ids: list[int], *, recent: int, best: int
) -> list[RelatedCandidate]:
    """Published articles sharing the most terms with this one, with how many they share:
    among the ``recent`` newest links of each term (the link tables are written in article
    order, so their id is a recency proxy), the ``best`` by count, then newest. One index walk
    per term: asked for several terms at once, PostgreSQL sorted every link of them all
    (3.6 ms at 100,000 articles)."""
    parts, params = [], []
    for table, column, ids in (
        (TAGGED, "tag_id", tag_ids),
        (FILED_IN, "category_id", category_ids),
    ):
        for term_id in ids:
            parts.append(
                f'SELECT * FROM (SELECT "l"."article_id" FROM {table} "l" '
                f'WHERE "l"."{column}" = %s AND "l"."article_id" <> %s '
                f'ORDER BY "l"."id" DESC LIMIT {int(recent)}) "k{len(parts)}"'
            )
            params += [term_id, article.pk]
    if not parts:
        return []
    sql = (
        f'SELECT {RELATED.sql()}, "s"."shared" FROM (SELECT "article_id", COUNT(*) AS "shared" '
        f'FROM ({" UNION ALL ".join(parts)}) "links" GROUP BY "article_id" '
        f'ORDER BY "shared" DESC, "article_id" DESC LIMIT {int(best)}) "s" '
        f'INNER JOIN {ARTICLES} "a" ON "a"."id" = "s"."article_id" '
        f'WHERE {LIVE} AND "a"."published_at" <= %s'
    )
    rows = run(sql, [*params, moment(timezone.now())])
    width = len(RELATED)
    # RELATED is id, title, slug, summary, …: text needs no converting on either database.
    return [RelatedCandidate(row[0], row[1], row[3], row[width], row) for row in rows]
