"""Every article, page, term, author, comment and media field, keyed so two sites compare.

Articles and comments are keyed by primary key (an import keeps WordPress's ids, which links
like ``/archives/123/`` and ``#comment-45`` depend on); pages by their path, since WordPress
numbers pages and posts in one sequence."""

from __future__ import annotations

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article, Author, Category, Page, Tag
from broadsheet.importers.models import Media, PageComment


def site_snapshot() -> dict[str, dict[object, tuple]]:
    return {
        "authors": {a.slug: (a.display_name, a.bio) for a in Author.objects.all()},
        "categories": {
            c.path: (c.name, c.slug, c.description, c.parent.path if c.parent else None)
            for c in Category.objects.select_related("parent")
        },
        "tags": {t.slug: (t.name,) for t in Tag.objects.all()},
        "articles": {
            a.pk: (
                a.title,
                a.slug,
                a.body_format,
                a.body,
                a.body_html,
                a.excerpt,
                a.summary,
                a.featured_image,
                a.featured_image_alt,
                a.author.slug,
                a.status,
                a.published_at,
                a.published_on,
                a.created_at,
                a.sticky,
                a.comments_open,
                sorted(c.path for c in a.categories.all()),
                sorted(t.slug for t in a.tags.all()),
            )
            for a in Article.objects.select_related("author").prefetch_related("categories", "tags")
        },
        "pages": {
            p.path: (
                p.title,
                p.slug,
                p.parent.path if p.parent else None,
                p.body_format,
                p.body,
                p.body_html,
                p.author.slug if p.author else None,
                p.status,
                p.menu_order,
                p.show_in_menu,
            )
            for p in Page.objects.select_related("parent", "author")
        },
        "comments": {
            c.pk: (
                c.article_id,
                c.parent_id,
                c.thread_id,
                c.depth,
                c.author_name,
                c.author_email,
                c.author_url,
                c.body,
                c.body_html,
                c.status,
                c.created_at,
                c.ip_address,
                c.avatar_key,
            )
            for c in Comment.objects.all()
        },
        "page comments": {
            (c.page.path, c.author_name, c.created_at): (
                c.parent.author_name if c.parent else None,
                c.author_email,
                c.author_url,
                c.ip_address,
                c.body,
                c.status,
                c.comment_type,
            )
            for c in PageComment.objects.select_related("parent", "page")
        },
        "media": {
            m.original_url or m.file: (
                m.title,
                m.file,
                m.mime_type,
                m.alt_text,
                m.caption,
                m.description,
                m.author.slug if m.author else None,
                m.uploaded_at,
            )
            for m in Media.objects.select_related("author")
        },
    }


def wipe_site() -> None:
    """Delete everything an import makes, children before parents."""
    from broadsheet.content.models import ArticleRevision
    from broadsheet.importers.models import WordPressObject

    Comment.objects.all().delete()
    PageComment.objects.all().delete()
    ArticleRevision.objects.all().delete()
    Article.objects.all().delete()
    while Page.objects.exists():
        Page.objects.filter(children__isnull=True).delete()
    while Category.objects.exists():
        Category.objects.filter(children__isnull=True).delete()
    Tag.objects.all().delete()
    Media.objects.all().delete()
    Author.objects.all().delete()
    WordPressObject.objects.all().delete()
