"""Loading articles and comments in batches: the bulk of any site. Mixed into
:class:`~broadsheet.importers.wordpress.load.Loader`.

A batch is written with fast multi-row inserts inside one transaction; if it fails, it is
written again one item per transaction, so that the bad item fails alone and no item is ever
half-written. Articles and comments keep their WordPress ids as primary keys where free.
"""

from __future__ import annotations

from collections import Counter
from functools import partial

from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article, ArticleRevision, make_slug
from broadsheet.importers.models import WordPressObject
from broadsheet.importers.wordpress.bulk import insert_rows
from broadsheet.importers.wordpress.convert import comment_html
from broadsheet.importers.wordpress.plan import CommentPlan, PostPlan
from broadsheet.importers.wordpress.rows import (
    ItemFailed,
    chunks,
    comment_extra,
    post_extra,
)
from broadsheet.importers.wordpress.search_index import IndexedArticle, index_articles

Kind = WordPressObject.Kind


class ArticleLoading:
    """Articles and their comments, a batch at a time."""

    def flush_articles(self) -> None:
        plans, self.articles = self.articles, []
        if not plans:
            return
        existing = self.mapping(Kind.POST, [p.record.wp_id for p in plans])
        new = [p for p in plans if p.record.wp_id not in existing]
        self.article_pks, self.article_slugs = {}, {}
        if new:
            # Authors and terms first, committed on their own: a batch rolled back below must
            # not take with it rows that the loader has already cached.
            for plan in new:
                self.author_for(plan.record.creator, plan.record.wp_id)
                self.terms_of(plan)
            try:
                with transaction.atomic():
                    outcome = self.create_articles(new)
                written = new
            except (ItemFailed, DatabaseError, ValueError):
                outcome, written = Counter(), []
                for plan in new:  # again, one item per transaction: the bad one fails alone
                    try:
                        with transaction.atomic():
                            outcome += self.create_articles([plan])
                        written.append(plan)
                    except (ItemFailed, DatabaseError, ValueError) as error:
                        self.report.fail("articles", plan.record.wp_id, plan.title, str(error))
            for (kind, result), number in outcome.items():
                self.report.count(kind, result, number)
            indexed = [
                IndexedArticle(
                    self.article_pks[p.record.wp_id],
                    p.title,
                    self.article_slugs[p.record.wp_id],
                    p.status,
                    p.published_at,
                    p.body_html,
                )
                for p in written
            ]
            transaction.on_commit(partial(index_articles, indexed))
            for plan in written:
                for note in plan.notes:
                    self.report.note(note, plan.record.wp_id)
                for comment in plan.comments:
                    for note in comment.notes:
                        self.report.note(note, comment.record.wp_id)
        for plan in plans:
            row = existing.get(plan.record.wp_id)
            if row is not None:
                self.guarded(
                    "articles", plan.record.wp_id, plan.title, self.update_article, plan, row
                )

    def create_articles(self, plans: list[PostPlan]) -> Counter[tuple[str, str]]:
        """Write new articles with their revision, terms, mapping rows and comments."""
        outcome: Counter[tuple[str, str]] = Counter()
        taken = self.taken_pks(Article, [p.record.wp_id for p in plans])
        days = {timezone.localdate(p.published_at) for p in plans if p.published_at}
        used: set[tuple[object, str]] = set()
        for part in chunks(sorted(days)):
            rows = Article.objects.filter(published_on__in=part).values_list("published_on", "slug")
            used |= set(rows)
        fields_of: list[dict[str, object]] = []
        for plan in plans:
            record = plan.record
            day = timezone.localdate(plan.published_at) if plan.published_at else None
            slug = plan.slug or make_slug(plan.title)
            if day is not None:
                base, number = slug, 2
                while (day, slug) in used:
                    slug, number = f"{base[:190]}-{number}", number + 1
                used.add((day, slug))
            self.article_slugs[record.wp_id] = slug
            fields_of.append(
                {
                    "title": plan.title,
                    "slug": slug,
                    "body_format": plan.body_format,
                    "body": plan.body,
                    "body_html": plan.body_html,
                    "excerpt": plan.excerpt,
                    "summary": plan.summary,
                    "featured_image": plan.featured_image,
                    "featured_image_alt": plan.featured_image_alt,
                    "author_id": self.author_for(record.creator, record.wp_id).pk,
                    "status": plan.status,
                    "published_at": plan.published_at,
                    "published_on": day,
                    "created_at": plan.created_at or record.date or self.now,
                    "sticky": record.sticky,
                    "comments_open": record.comment_status == "open",
                }
            )
        pks = self.insert_keeping_ids(
            Article, [(p.record.wp_id, f) for p, f in zip(plans, fields_of, strict=True)], taken
        )
        self.article_pks.update((p.record.wp_id, pk) for p, pk in zip(plans, pks, strict=True))
        insert_rows(
            ArticleRevision,
            [
                {
                    "article_id": pk,
                    "title": f["title"],
                    "body_format": f["body_format"],
                    "body": f["body"],
                    "excerpt": f["excerpt"],
                    "saved_at": self.now,
                }
                for pk, f in zip(pks, fields_of, strict=True)
            ],
        )
        category_links, tag_links = [], []
        for plan, pk in zip(plans, pks, strict=True):
            categories, tags = self.terms_of(plan)
            category_links += [{"article_id": pk, "category_id": c.pk} for c in categories]
            tag_links += [{"article_id": pk, "tag_id": t.pk} for t in tags]
        insert_rows(Article.categories.through, category_links)
        insert_rows(Article.tags.through, tag_links)
        insert_rows(
            WordPressObject,
            [
                {
                    "kind": Kind.POST,
                    "wp_id": p.record.wp_id,
                    "content_type_id": self.types[Article].pk,
                    "object_id": pk,
                    "guid": p.record.guid[:500],
                    "old_path": p.old_path,
                    "checksum": p.checksum,
                    "extra": post_extra(p.record),
                }
                for p, pk in zip(plans, pks, strict=True)
            ],
        )
        outcome[("articles", "created")] += len(plans)
        outcome += self.create_comments(
            [(pk, plan.comments) for plan, pk in zip(plans, pks, strict=True)], {}
        )
        return outcome

    def insert_keeping_ids(
        self,
        model: type[models.Model],
        rows: list[tuple[int, dict[str, object]]],
        taken: set[int],
    ) -> list[int]:
        """Insert rows under their WordPress id where that id is free here (so /archives/123/
        and #comment-45 keep working), else under a new one; returns the ids, in order."""
        free = [{"id": wp_id, **fields} for wp_id, fields in rows if wp_id not in taken]
        insert_rows(model, free)
        if free and connection.vendor == "postgresql":
            self.reset_sequences([model])
        others = [model(**fields) for wp_id, fields in rows if wp_id in taken]
        model.objects.bulk_create(others)
        renumbered = iter(other.pk for other in others)
        return [wp_id if wp_id not in taken else next(renumbered) for wp_id, _ in rows]

    def terms_of(self, plan: PostPlan) -> tuple[list[models.Model], list[models.Model]]:
        categories, tags = {}, {}
        for ref in plan.record.terms:
            if ref.domain == "category":
                term = self.term_for("category", ref.slug, ref.name)
                categories[term.pk] = term
            elif ref.domain == "post_tag":
                term = self.term_for("post_tag", ref.slug, ref.name)
                tags[term.pk] = term
        return list(categories.values()), list(tags.values())

    def update_article(self, plan: PostPlan, row: WordPressObject) -> None:
        article = Article.objects.filter(pk=row.object_id).first()
        if article is None:
            raise ItemFailed("the article made from it was deleted here; not re-created")
        if row.checksum != plan.checksum:
            record = plan.record
            article.title, article.body_format, article.body = (
                plan.title,
                plan.body_format,
                plan.body,
            )
            article.excerpt, article.status = plan.excerpt, plan.status
            article.published_at, article.sticky = plan.published_at, record.sticky
            article.comments_open = record.comment_status == "open"
            article.featured_image = plan.featured_image
            article.featured_image_alt = plan.featured_image_alt
            article.author = self.author_for(record.creator, record.wp_id)
            if plan.slug != article.slug:
                article.slug = plan.slug
            article.save()
            categories, tags = self.terms_of(plan)
            article.categories.set(categories)
            article.tags.set(tags)
            row.checksum, row.old_path, row.extra = (
                plan.checksum,
                plan.old_path,
                post_extra(record),
            )
            row.save()
            self.report.count("articles", "updated")
            for note in plan.notes:
                self.report.note(note, record.wp_id)
        else:
            self.report.skip("articles", "unchanged since the last import")
        existing = self.mapping(Kind.COMMENT, [c.record.wp_id for c in plan.comments])
        outcome = self.create_comments([(article.pk, plan.comments)], existing)
        for (kind, result), number in outcome.items():
            self.report.count(kind, result, number)
        for comment in plan.comments:
            for note in comment.notes:
                self.report.note(note, comment.record.wp_id)

    # -- comments ------------------------------------------------------------------------------
    def create_comments(
        self,
        groups: list[tuple[int, list[CommentPlan]]],
        existing: dict[int, WordPressObject],
    ) -> Counter[tuple[str, str]]:
        """Comments of several articles: new ones inserted a thread level at a time (parents
        before replies), changed ones updated in place, unchanged ones skipped."""
        outcome: Counter[tuple[str, str]] = Counter()
        placed: dict[int, tuple[int, int | None, int]] = {}  # wp id → (pk, thread pk, depth)
        if existing:
            rows = Comment.objects.filter(pk__in=[r.object_id for r in existing.values()])
            by_pk = {
                pk: (pk, thread, depth)
                for pk, thread, depth in rows.values_list("pk", "thread_id", "depth")
            }
            placed = {wp: by_pk[r.object_id] for wp, r in existing.items() if r.object_id in by_pk}
        levels: list[list[tuple[int, CommentPlan]]] = []
        for article_pk, plans in groups:
            known = {c.record.wp_id for c in plans}
            depth: dict[int, int] = {}
            for plan in plans:  # parents before replies: ordered by the planner
                parent = plan.record.parent_wp_id
                if parent in depth:
                    level = depth[parent] + 1
                elif parent in placed:
                    level = placed[parent][2] + 1
                else:
                    level = 1
                    if parent and parent not in known:
                        self.report.note(
                            "reply to a comment not in the file: shown at the top level",
                            plan.record.wp_id,
                        )
                depth[plan.record.wp_id] = level
                while len(levels) < level:
                    levels.append([])
                levels[level - 1].append((article_pk, plan))
        fresh_ids = [
            p.record.wp_id for level in levels for _, p in level if p.record.wp_id not in existing
        ]
        taken = self.taken_pks(Comment, fresh_ids)
        mapping_rows: list[dict[str, object]] = []
        comment_kind, comment_type = str(Kind.COMMENT), self.types[Comment].pk
        for level in levels:
            new_rows: list[tuple[int, dict[str, object]]] = []
            new_plans: list[CommentPlan] = []
            for article_pk, plan in level:
                record = plan.record
                parent = placed.get(record.parent_wp_id)
                fields = {
                    "article_id": article_pk,
                    "parent_id": parent[0] if parent else None,
                    "thread_id": (parent[1] or parent[0]) if parent else None,
                    "depth": parent[2] + 1 if parent else 1,
                    "author_name": plan.author_name,
                    "author_email": plan.author_email,
                    "author_url": plan.author_url,
                    "body": plan.body,
                    "status": plan.state,
                    "created_at": plan.created_at,
                    "ip_address": plan.ip_address,
                    "avatar_key": plan.avatar_key,
                }
                row = existing.get(record.wp_id)
                if row is None:
                    fields["body_html"] = comment_html(plan.body)
                    new_rows.append((record.wp_id, fields))
                    new_plans.append(plan)
                    continue
                placed[record.wp_id] = (row.object_id, fields["thread_id"], fields["depth"])
                if row.checksum == plan.checksum:
                    outcome[("comments", "skipped")] += 1
                    self.report.skipped["unchanged since the last import"] += 1
                    continue
                fields["body_html"] = comment_html(plan.body)
                # update() skips auto_now; every write to a comment sets updated_at
                # (comments/listing.py relies on it).
                Comment.objects.filter(pk=row.object_id).update(**fields, updated_at=timezone.now())
                row.checksum, row.extra = plan.checksum, comment_extra(plan)
                row.save()
                outcome[("comments", "updated")] += 1
            pks = self.insert_keeping_ids(Comment, new_rows, taken)
            for (wp_id, fields), pk, plan in zip(new_rows, pks, new_plans, strict=True):
                placed[wp_id] = (pk, fields["thread_id"], fields["depth"])  # type: ignore[assignment]
                mapping_rows.append(
                    {
                        "kind": comment_kind,
                        "wp_id": wp_id,
                        "content_type_id": comment_type,
                        "object_id": pk,
                        "guid": "",
                        "old_path": "",
                        "checksum": plan.checksum,
                        "extra": comment_extra(plan),
                    }
                )
        insert_rows(WordPressObject, mapping_rows)
        if mapping_rows:
            outcome[("comments", "created")] += len(mapping_rows)
        return outcome
