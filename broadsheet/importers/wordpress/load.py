"""Plans → database rows, idempotently.

Every object made from WordPress gets a ``WordPressObject`` row keyed on its WordPress id, with
a checksum of its source: a re-run skips what did not change, updates what did, and creates
only what is new. Articles and their comments, the bulk of any site, are written in batches
(``bulk_create`` inside one transaction per batch); a batch that fails is retried one item per
transaction, so a bad item fails alone and the database never holds half an item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article, Author, Category, Page, Tag, make_slug
from broadsheet.importers.models import Media, PageComment, WordPressObject
from broadsheet.importers.wordpress.load_articles import ArticleLoading
from broadsheet.importers.wordpress.load_pages import PageLoading
from broadsheet.importers.wordpress.plan import AttachmentPlan, PostPlan, SkippedItem
from broadsheet.importers.wordpress.records import AuthorRecord, BadItem, Site, TermRecord, _digest
from broadsheet.importers.wordpress.report import Report
from broadsheet.importers.wordpress.rows import ItemFailed, chunks, report_kind, stable_id

Kind = WordPressObject.Kind


@dataclass
class ImportOptions:
    dry_run: bool = False
    media_dir: Path | None = None
    author_map: dict[str, str] = field(default_factory=dict)
    batch_size: int = 1000
    workers: int | None = None  # 1: plan in-process; 2: in a child process; None: by file size


class Loader(ArticleLoading, PageLoading):
    """Writes plans in file order; see the module docstring for the guarantees."""

    def __init__(self, options: ImportOptions, report: Report) -> None:
        self.options = options
        self.report = report
        self.site = Site()
        self.types = {
            model: ContentType.objects.get_for_model(model)
            for model in (Author, Category, Tag, Article, Page, Media, Comment, PageComment)
        }
        self.authors: dict[str, Author] = {}
        self.default_author: Author | None = None
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}
        # A term as items name it (domain, slug, name) → the term: saves making its slug again.
        self.term_refs: dict[tuple[str, str, str], models.Model] = {}
        self.terms: list[TermRecord] = []
        self.terms_done = False
        self.articles: list[PostPlan] = []
        self.pages: dict[int, int] = {}  # WordPress page id → Page pk
        self.article_pks: dict[int, int] = {}  # WordPress post id → Article pk, this batch
        self.article_slugs: dict[int, str] = {}  # WordPress post id → slug given, this batch
        self.held_pages: list[PostPlan] = []
        self.now = timezone.now()

    # -- driving -----------------------------------------------------------------------------
    def load(self, plans: Iterable[object]) -> None:
        """Load every plan. If the stream breaks off (a malformed file), what was read up to
        there is still written, whole item by whole item, before the error goes on up."""
        try:
            self.load_each(plans)
        finally:
            self.flush_terms()
            self.flush_articles()
            self.flush_held_pages()
            self.reset_sequences()

    def load_each(self, plans: Iterable[object]) -> None:
        for plan in plans:
            if isinstance(plan, Site):
                self.site = plan
            elif isinstance(plan, AuthorRecord):
                self.guarded("authors", plan.wp_id, plan.login, self.load_author, plan)
            elif isinstance(plan, TermRecord):
                self.terms.append(plan)
            else:
                self.flush_terms()
                if isinstance(plan, PostPlan) and plan.kind == "post":
                    self.articles.append(plan)
                    if len(self.articles) >= self.options.batch_size:
                        self.flush_articles()
                elif isinstance(plan, PostPlan):
                    self.guarded("pages", plan.record.wp_id, plan.title, self.load_page, plan)
                elif isinstance(plan, AttachmentPlan):
                    self.guarded("media", plan.record.wp_id, plan.title, self.load_media, plan)
                elif isinstance(plan, SkippedItem):
                    self.report.skip(report_kind(plan.kind), plan.reason)
                elif isinstance(plan, BadItem):
                    self.report.fail(
                        report_kind(plan.post_type), plan.wp_id, plan.title, plan.reason
                    )

    def guarded(self, kind: str, wp_id: int | None, title: str, load, *args) -> None:  # type: ignore[no-untyped-def]
        """Run one item's load in its own transaction; a failure is reported, not raised."""
        try:
            with transaction.atomic():
                load(*args)
        except (ItemFailed, DatabaseError, ValueError) as error:
            self.report.fail(kind, wp_id, title, str(error) or type(error).__name__)

    def mapping(self, kind: str, wp_ids: Sequence[int]) -> dict[int, WordPressObject]:
        found: dict[int, WordPressObject] = {}
        for part in chunks(list(wp_ids)):
            for row in WordPressObject.objects.filter(kind=kind, wp_id__in=part):
                found[row.wp_id] = row
        return found

    def remember(self, kind: str, wp_id: int, target: models.Model, **fields: object) -> None:
        WordPressObject.objects.update_or_create(
            kind=kind,
            wp_id=wp_id,
            defaults={
                "content_type": self.types[type(target)],
                "object_id": target.pk,
                **fields,
            },
        )

    # -- authors -------------------------------------------------------------------------------
    def load_author(self, record: AuthorRecord) -> None:
        wp_id = record.wp_id or stable_id("author", record.login)
        checksum = _digest(record)
        existing = self.mapping(Kind.AUTHOR, [wp_id]).get(wp_id)
        display = record.display_name or f"{record.first_name} {record.last_name}".strip()
        display = (display or record.login)[:150]
        extra = {
            "login": record.login,
            "email": record.email,
            "first_name": record.first_name,
            "last_name": record.last_name,
        }
        bio = record.description
        if existing is not None and existing.content_object is not None:
            author = existing.content_object
            if existing.checksum == checksum:
                self.report.skip("authors", "unchanged since the last import")
            else:
                author.display_name, author.bio = display, bio
                author.save()
                self.report.count("authors", "updated")
        elif record.login in self.options.author_map:
            author = self.mapped_author(self.options.author_map[record.login])
            self.report.skip("authors", "matched to an existing author by --author-map")
        else:
            slug = self.free_author_slug(make_slug(record.login, "author"))
            author = Author.objects.create(display_name=display, slug=slug, bio=bio)
            self.report.count("authors", "created")
        self.remember(Kind.AUTHOR, wp_id, author, checksum=checksum, extra=extra)
        self.authors[record.login] = author
        self.default_author = self.default_author or author

    def mapped_author(self, target: str) -> Author:
        from django.contrib.auth import get_user_model

        author = Author.objects.filter(slug=target).first()
        if author is None:
            user = get_user_model().objects.filter(username=target).first()
            if user is None:
                raise ItemFailed(f"--author-map names {target!r}: no such author or user")
            author = Author.objects.for_user(user)
        return author

    @staticmethod
    def free_author_slug(wanted: str) -> str:
        slug, number = wanted, 2
        while Author.objects.filter(slug=slug).exists():
            slug, number = f"{wanted}-{number}", number + 1
        return slug

    def author_for(self, login: str, wp_id: int) -> Author:
        author = self.authors.get(login)
        if author is None:
            cleaned = re.sub(r"[<>\s\"']", "", login)
            author = self.authors.get(cleaned)
            if author is not None:
                self.report.note(f"author “{login}” read as “{cleaned}”", wp_id)
            elif cleaned:
                record = AuthorRecord(login=cleaned, display_name=cleaned)
                self.guarded("authors", None, cleaned, self.load_author, record)
                author = self.authors.get(cleaned)
        if author is None:
            author = self.default_author
        if author is None:
            record = AuthorRecord(login="wordpress", display_name="WordPress")
            self.load_author(record)
            author = self.authors["wordpress"]
        return author

    # -- terms ---------------------------------------------------------------------------------
    def flush_terms(self) -> None:
        if self.terms_done:
            return
        self.terms_done = True
        with transaction.atomic():  # one commit for all terms; each still has its savepoint
            self.load_terms()

    def load_terms(self) -> None:
        remaining = [t for t in self.terms if t.taxonomy in {"category", "post_tag"}]
        for term in self.terms:
            if term.taxonomy not in {"category", "post_tag"}:
                self.report.skip("other", f"taxonomy {term.taxonomy} not imported")
        self.terms = []
        # Parents before children, whatever order the file lists them in.
        while remaining:
            ready = [
                t
                for t in remaining
                if not t.parent_slug
                or t.parent_slug in self.categories
                or t.taxonomy == "post_tag"
                or not any(o.slug == t.parent_slug for o in remaining)
            ]
            if not ready:
                ready = remaining[:1]
            for term in ready:
                kind = "categories" if term.taxonomy == "category" else "tags"
                self.guarded(kind, term.wp_id, term.name, self.load_term, term)
            remaining = [t for t in remaining if t not in ready]

    def load_term(self, term: TermRecord) -> models.Model:
        is_category = term.taxonomy == "category"
        kind = Kind.CATEGORY if is_category else Kind.TAG
        report_kind = "categories" if is_category else "tags"
        known = self.categories if is_category else self.tags
        slug = (make_slug(term.slug) if term.slug else make_slug(term.name, "term"))[:150]
        wp_id = term.wp_id or stable_id(term.taxonomy, slug)
        checksum = _digest(term)
        if slug in known:
            self.report.skip(report_kind, "listed twice in the file")
            return known[slug]
        existing = self.mapping(kind, [wp_id]).get(wp_id)
        target = existing.content_object if existing else None
        parent = self.categories.get(make_slug(term.parent_slug)) if term.parent_slug else None
        if target is not None and existing.checksum == checksum:
            self.report.skip(report_kind, "unchanged since the last import")
        elif target is not None:
            target.name, target.description = term.name[:150], term.description
            if is_category:
                target.parent = parent
            target.save()
            if is_category:
                from broadsheet.content.services import refresh_descendant_paths

                refresh_descendant_paths(target)
            self.report.count(report_kind, "updated")
        else:
            if is_category:
                path = f"{parent.path}/{slug}" if parent else slug
                target = Category.objects.filter(path=path).first()
            else:
                target = Tag.objects.filter(slug=slug).first()
            if target is not None:
                self.report.skip(report_kind, "already on the site")
            elif is_category:
                # Written like articles, without save() and its signals (a page-cache purge
                # per term was most of the cost of the terms): ``wxr_imported`` tells apps.
                # The path is what Category.save() would give it.
                target = Category(
                    name=term.name[:150],
                    slug=slug,
                    parent=parent,
                    path=path,
                    description=term.description,
                )
                Category.objects.bulk_create([target])
                self.report.count(report_kind, "created")
            else:
                target = Tag(name=term.name[:150], slug=slug)
                Tag.objects.bulk_create([target])
                self.report.count(report_kind, "created")
        self.remember(
            kind,
            wp_id,
            target,
            checksum=checksum,
            extra={"description": term.description} if not is_category else {},
        )
        known[slug] = target
        return target

    def term_for(self, domain: str, slug: str, name: str) -> models.Model:
        named = self.term_refs.get((domain, slug, name))
        if named is not None:
            return named
        known = self.categories if domain == "category" else self.tags
        key = make_slug(slug or name, "term")[:150]
        if key not in known:
            taxonomy = "category" if domain == "category" else "post_tag"
            self.load_term(TermRecord(taxonomy, key, name or key))
        self.term_refs[(domain, slug, name)] = known[key]
        return known[key]

    # -- database helpers ----------------------------------------------------------------------
    def taken_pks(self, model: type[models.Model], wanted: Sequence[int]) -> set[int]:
        taken: set[int] = set()
        for part in chunks(list(wanted)):
            taken |= set(model.objects.filter(pk__in=part).values_list("pk", flat=True))
        return taken | {pk for pk in wanted if pk <= 0}

    def reset_sequences(self, models_: list[type[models.Model]] | None = None) -> None:
        statements = connection.ops.sequence_reset_sql(
            no_style(), models_ or [Article, Comment, Page]
        )
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
