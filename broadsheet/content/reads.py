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
from broadsheet.core.sql import Columns, Read, moment, quoted, run, run_together

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


def _all_fields_but(*names: str) -> list[str]:
    return [f.name for f in Article._meta.concrete_fields if f.name not in names]


LISTED = Columns(Article, "a", _all_fields_but("body", "excerpt", "body_html"))  # the summary
LISTED_FULL = Columns(Article, "a", _all_fields_but("body", "excerpt"))  # lists of whole text
RELATED = Columns(Article, "a", ["id", "title", "slug", "summary", "published_at", "published_on"])
NO_COUNT = "CAST(NULL AS BIGINT)"  # a neighbour's place for a related candidate's count
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
    """The article (newest first if several match) with its author, categories and tags, in
    one statement: the article's row, then a row per category and per tag in the columns
    after it (a statement costs PostgreSQL about 100 µs of CPU, client and server, whatever
    it does)."""
    width = len(ARTICLE) + len(AUTHOR)
    blank_article = ", ".join(["NULL"] * width)
    blank_term = ", ".join(["NULL"] * len(CATEGORY))
    terms = _terms_sql(f"1, {blank_article}", f"2, {blank_article}", '(SELECT "id" FROM "found")')
    sql = (
        f'WITH "found" AS (SELECT "a"."id" FROM {ARTICLES} "a" WHERE {condition}'
        f"{NEWEST_FIRST} LIMIT 1) "
        f'SELECT 0, {ARTICLE.sql()}, {AUTHOR.sql()}, {blank_term} FROM {ARTICLES} "a" '
        f'INNER JOIN {AUTHORS} "au" ON "au"."id" = "a"."author_id" '
        f'WHERE "a"."id" IN (SELECT "id" FROM "found") UNION ALL {terms}{_terms_order(1 + width)}'
    )
    rows = run(sql, params)
    if not rows or rows[0][0] != 0:
        return None
    article = ARTICLE.load(rows[0], 1)
    AUTHOR_OF.set_cached_value(article, AUTHOR.load(rows[0], 1 + len(ARTICLE)))
    term_rows: dict[int, list[tuple]] = {1: [], 2: []}
    for row in rows[1:]:
        term_rows[row[0]].append(row)
    article.category_list = CATEGORY.load_all(term_rows[1], 1 + width)
    article.tag_list = TAG.load_all(term_rows[2], 1 + width)
    return article


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


def _terms_sql(category_lead: str, tag_lead: str | None, articles: str) -> str:
    """The categories (and, given ``tag_lead``, the tags) of the articles whose ids are in
    ``articles`` (an SQL list or subquery): a row each, ``category_lead`` or ``tag_lead`` and
    then the term's columns (a tag's padded to a category's). Order with ``_terms_order``."""
    sql = (
        f'SELECT {category_lead}, {CATEGORY.sql()} FROM {FILED_IN} "l" '
        f'INNER JOIN {CATEGORIES} "t" ON "t"."id" = "l"."category_id" '
        f'WHERE "l"."article_id" IN {articles}'
    )
    if tag_lead is not None:
        padding = ", NULL" * (len(CATEGORY) - len(TAG))
        sql += (
            f' UNION ALL SELECT {tag_lead}, {TAG.sql()}{padding} FROM {TAGGED} "l" '
            f'INNER JOIN {TAGS} "t" ON "t"."id" = "l"."tag_id" WHERE "l"."article_id" IN {articles}'
        )
    return sql


def _terms_order(start: int) -> str:
    """ORDER BY for ``_terms_sql`` rows whose term columns begin at index ``start`` (the kind
    first): categories by path and tags by name, as the models order them, then id."""
    return f" ORDER BY 1, {start + 5}, {start + 2}, {start + 1}"


def attach_terms(articles: Sequence[Article], *, tags: bool = True) -> None:
    """Each article's ``category_list`` (and ``tag_list``), for all of them in one query,
    in the models' own orders (categories by path, tags by name)."""
    if not articles:
        return
    marks = ", ".join(["%s"] * len(articles))
    ids = [article.pk for article in articles]
    lead = '"l"."article_id"'
    sql = _terms_sql(f"0, {lead}", f"1, {lead}" if tags else None, f"({marks})")
    params = ids + ids if tags else ids
    found: dict[int, tuple[list, list]] = {pk: ([], []) for pk in ids}
    rows = run(f"{sql}{_terms_order(2)}", params)
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


def _neighbours_sql(article: Article) -> tuple[list[str], list[object]]:
    """Statements (kinds 0 and 1) for the published articles just before and just after
    this one, in ``AROUND``'s columns."""
    if article.published_at is None:
        return [], []
    now = timezone.now()
    if article.published_at <= now:
        earlier, earlier_param = '"a"."published_at" < %s', article.published_at
    else:  # a preview of a scheduled article: everything live is earlier
        earlier, earlier_param = '"a"."published_at" <= %s', now
    parts = [
        f'SELECT 0, {RELATED.sql()}, {NO_COUNT} FROM {ARTICLES} "a" WHERE {LIVE} AND {earlier} '
        'ORDER BY "a"."published_at" DESC LIMIT 1',
        f'SELECT 1, {RELATED.sql()}, {NO_COUNT} FROM {ARTICLES} "a" WHERE {LIVE} '
        'AND "a"."published_at" > %s AND "a"."published_at" <= %s '
        'ORDER BY "a"."published_at" LIMIT 1',
    ]
    return parts, [moment(earlier_param), moment(article.published_at), moment(now)]


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


def _related_sql(
    article: Article,
    tag_ids: Sequence[int],
    category_ids: Sequence[int],
    *,
    recent: int,
    best: int,
) -> tuple[list[str], list[object]]:
    """The statement (kind 2) for published articles sharing the most terms with this one,
    with how many they share: among the ``recent`` newest links of each term (the link tables
    are written in article order, so their id is a recency proxy), the ``best`` by count.
    One index walk per term: asked for several terms at once, PostgreSQL sorted every link
    of them all (3.6 ms at 100,000 articles)."""
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
        return [], []
    sql = (
        f'SELECT 2, {RELATED.sql()}, "s"."shared" FROM (SELECT "article_id", COUNT(*) AS '
        f'"shared" FROM ({" UNION ALL ".join(parts)}) "links" GROUP BY "article_id" '
        f'ORDER BY "shared" DESC, "article_id" DESC LIMIT {int(best)}) "s" '
        f'INNER JOIN {ARTICLES} "a" ON "a"."id" = "s"."article_id" '
        f'WHERE {LIVE} AND "a"."published_at" <= %s'
    )
    return [sql], [*params, moment(timezone.now())]


@dataclass(slots=True)
class Around:
    """What an article page shows around the article: its neighbours in time and the
    candidates for its related articles."""

    previous: Article | None
    next: Article | None
    related_candidates: list[RelatedCandidate]


def around(
    article: Article,
    tag_ids: Sequence[int] = (),
    category_ids: Sequence[int] = (),
    *,
    recent: int = 0,
    best: int = 0,
    along: Read | None = None,
) -> Around:
    """The published articles just before and just after this one (by time) and, given its
    terms, the candidates for related articles (see ``_related_sql``) — in one statement: on
    PostgreSQL a statement costs about 90 µs of CPU between client and server whatever it
    does, and these two need only the article. ``along`` (another read of the page that needs
    only the article) rides in the same statement (``core.sql.run_together``); its rows are
    left in ``along.rows``."""
    parts, params = _neighbours_sql(article)
    related_parts, related_params = _related_sql(
        article, tag_ids, category_ids, recent=recent, best=best
    )
    parts, params = parts + related_parts, params + related_params
    found = Around(None, None, [])
    if not parts:
        if along is not None:
            run_together(along, None)
        return found
    sql = " UNION ALL ".join(f'SELECT * FROM ({part}) "u{n}"' for n, part in enumerate(parts))
    width = len(RELATED)
    read = Read(sql, params, 2 + width)
    run_together(read, along)
    for row in read.rows:
        if row[0] == 0:
            found.previous = RELATED.load(row, 1)
        elif row[0] == 1:
            found.next = RELATED.load(row, 1)
        else:
            # RELATED is id, title, slug, summary, …: text needs no converting on either database.
            found.related_candidates.append(
                RelatedCandidate(row[1], row[2], row[4], row[1 + width], row[1:])
            )
    return found
