"""The site as WXR 1.2, in the element names and namespaces WordPress's own exporter uses, so
WordPress's importer (and ours) reads it back. Streams: the file is written as it goes.

What Broadsheet knows that WordPress has no field for travels as post/comment meta with a
``_broadsheet_`` prefix (WordPress keeps such meta and hides it): an article's format and its
Markdown source, and the fact that a comment's text is Broadsheet comment text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from email.utils import format_datetime
from typing import TextIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article, Author, Category, Page, SiteSettings, Tag
from broadsheet.core.text import strip_control_characters
from broadsheet.importers.models import Media, PageComment, WordPressObject
from broadsheet.importers.wordpress.plan import (
    CREATED_META,
    FEATURED_ALT_META,
    FEATURED_META,
    FORMAT_META,
    MARKDOWN_META,
    SHOW_IN_MENU_META,
)

Kind = WordPressObject.Kind
WP = "http://wordpress.org/export/1.2/"
STATUSES = {
    "published": "publish",
    "scheduled": "future",
    "draft": "draft",
    "pending": "pending",
    "private": "private",
}
COMMENT_STATES = {"approved": "1", "pending": "0", "spam": "spam", "trash": "trash"}


def cdata(value: object) -> str:
    text = strip_control_characters(str(value or ""))
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text(value: object) -> str:
    return (
        strip_control_characters(str(value if value is not None else ""))
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def wp_dates(moment: dt.datetime | None) -> tuple[str, str]:
    """(local, GMT) in WordPress's ``Y-m-d H:i:s``; WordPress's zero date when unknown."""
    if moment is None:
        return "0000-00-00 00:00:00", "0000-00-00 00:00:00"
    local = timezone.localtime(moment)
    return f"{local:%Y-%m-%d %H:%M:%S}", f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S}"


class Ids:
    """WordPress ids for every object: the id it came in with, else its own primary key when
    free, else the next unused number (posts, pages and attachments share one sequence)."""

    def __init__(self, kinds: tuple[str, ...]) -> None:
        self.known: dict[tuple[int, int], int] = {}
        for row in WordPressObject.objects.filter(kind__in=kinds).values_list(
            "content_type_id", "object_id", "wp_id"
        ):
            self.known[(row[0], row[1])] = row[2]
        self.used = set(self.known.values())
        self.next = max(self.used, default=0) + 1

    def __call__(self, content_type: ContentType, pk: int) -> int:
        key = (content_type.pk, pk)
        if key not in self.known:
            wanted = pk if pk not in self.used else None
            if wanted is None:
                while self.next in self.used:
                    self.next += 1
                wanted = self.next
            self.known[key] = wanted
            self.used.add(wanted)
        return self.known[key]


def _extras(kinds: tuple[str, ...]) -> dict[tuple[int, int], dict]:
    rows = WordPressObject.objects.filter(kind__in=kinds).exclude(extra={}, guid="")
    return {
        (ct, pk): {**extra, "#guid": guid}
        for ct, pk, extra, guid in rows.values_list("content_type_id", "object_id", "extra", "guid")
    }


class Exporter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.site_url = settings.SITE_URL.rstrip("/")
        self.types = {
            m: ContentType.objects.get_for_model(m)
            for m in (Author, Category, Tag, Article, Page, Media, Comment, PageComment)
        }
        self.post_ids = Ids((Kind.POST, Kind.PAGE, Kind.ATTACHMENT))
        self.comment_ids = Ids((Kind.COMMENT, Kind.PAGE_COMMENT))
        self.term_ids = Ids((Kind.CATEGORY, Kind.TAG))
        self.author_ids = Ids((Kind.AUTHOR,))
        self.extras = _extras(
            (
                Kind.POST,
                Kind.PAGE,
                Kind.ATTACHMENT,
                Kind.AUTHOR,
                Kind.TAG,
                Kind.COMMENT,
                Kind.PAGE_COMMENT,
            )
        )
        self.logins: dict[int, str] = {}
        self.counts: dict[str, int] = {}
        # Articles claim their own numbers first: /archives/<id>/ links depend on them.
        for model in (Article, Page, Media):
            for pk in model.objects.order_by("pk").values_list("pk", flat=True).iterator():
                self.post_ids(self.types[model], pk)

    def extra(self, obj: models.Model) -> dict:
        return self.extras.get((self.types[type(obj)].pk, obj.pk), {})

    def write(self, *parts: str) -> None:
        self.out.write("".join(parts))

    def export(self) -> dict[str, int]:
        site = SiteSettings.objects.get_or_create(pk=1)[0]
        now = timezone.now()
        self.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n',
            f'<!-- generator="Broadsheet" created="{now:%Y-%m-%d %H:%M}" -->\n',
            '<rss version="2.0"\n',
            f'\txmlns:excerpt="{WP}excerpt/"\n',
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n',
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n',
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n',
            f'\txmlns:wp="{WP}"\n>\n<channel>\n',
            f"\t<title>{text(site.title)}</title>\n\t<link>{text(self.site_url)}</link>\n",
            f"\t<description>{text(site.tagline)}</description>\n",
            f"\t<pubDate>{format_datetime(now)}</pubDate>\n",
            f"\t<language>{text(settings.LANGUAGE_CODE)}</language>\n",
            "\t<wp:wxr_version>1.2</wp:wxr_version>\n",
            f"\t<wp:base_site_url>{text(self.site_url)}</wp:base_site_url>\n",
            f"\t<wp:base_blog_url>{text(self.site_url)}</wp:base_blog_url>\n",
        )
        self.authors()
        self.terms()
        self.write("\t<generator>Broadsheet</generator>\n")
        self.media()
        self.pages()
        self.articles()
        self.write("</channel>\n</rss>\n")
        return self.counts

    # -- channel-level ---------------------------------------------------------------------------
    def authors(self) -> None:
        for author in Author.objects.select_related("user").order_by("pk"):
            extra = self.extra(author)
            user = author.user
            login = extra.get("login") or (user.get_username() if user else author.slug)
            self.logins[author.pk] = login
            fields = [
                ("author_id", self.author_ids(self.types[Author], author.pk)),
                ("author_login", cdata(login)),
                ("author_email", cdata(extra.get("email") or (user.email if user else ""))),
                ("author_display_name", cdata(author.display_name)),
                (
                    "author_first_name",
                    cdata(extra.get("first_name") or getattr(user, "first_name", "")),
                ),
                (
                    "author_last_name",
                    cdata(extra.get("last_name") or getattr(user, "last_name", "")),
                ),
            ]
            if author.bio:
                # Not in WordPress's exports (they carry no biography); its importer skips it.
                fields.append(("author_description", cdata(author.bio)))
            self.write(
                "\t<wp:author>",
                *(f"<wp:{name}>{value}</wp:{name}>" for name, value in fields),
                "</wp:author>\n",
            )
        self.counts["authors"] = len(self.logins)

    def terms(self) -> None:
        categories = list(Category.objects.select_related("parent").order_by("path"))
        for category in categories:
            term_id = self.term_ids(self.types[Category], category.pk)
            self.write(
                f"\t<wp:category><wp:term_id>{term_id}</wp:term_id>",
                f"<wp:category_nicename>{cdata(category.slug)}</wp:category_nicename>",
                f"<wp:category_parent>{cdata(category.parent.slug if category.parent else '')}"
                "</wp:category_parent>",
                f"<wp:cat_name>{cdata(category.name)}</wp:cat_name>",
                f"<wp:category_description>{cdata(category.description)}</wp:category_description>",
                "</wp:category>\n",
            )
        tags = list(Tag.objects.order_by("pk"))
        for tag in tags:
            self.write(
                f"\t<wp:tag><wp:term_id>{self.term_ids(self.types[Tag], tag.pk)}</wp:term_id>",
                f"<wp:tag_slug>{cdata(tag.slug)}</wp:tag_slug>",
                f"<wp:tag_name>{cdata(tag.name)}</wp:tag_name>",
                f"<wp:tag_description>{cdata(self.extra(tag).get('description', ''))}"
                "</wp:tag_description>",
                "</wp:tag>\n",
            )
        self.counts["categories"], self.counts["tags"] = len(categories), len(tags)

    # -- items ---------------------------------------------------------------------------------
    def item(
        self,
        obj: models.Model,
        *,
        post_type: str,
        title: str,
        link: str,
        author_pk: int | None,
        content: str,
        excerpt: str,
        date: dt.datetime | None,
        modified: dt.datetime | None,
        status: str,
        slug: str,
        parent: int = 0,
        menu_order: int = 0,
        comment_status: str = "closed",
        sticky: bool = False,
        terms: Iterable[tuple[str, str, str]] = (),
        meta: Iterable[tuple[str, str]] = (),
        comments: Iterable[str] = (),
        attachment_url: str = "",
        floating: bool = False,
    ) -> None:
        wp_id = self.post_ids(self.types[type(obj)], obj.pk)
        extra = self.extra(obj)
        local, gmt = wp_dates(date)
        if floating and date is not None:
            local, gmt = f"{date.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S}", "0000-00-00 00:00:00"
        modified_local, modified_gmt = wp_dates(modified)
        guid = extra.get("#guid") or f"{self.site_url}/?p={wp_id}"
        parts = [
            "\t<item>\n",
            f"\t\t<title>{text(title)}</title>\n",
            f"\t\t<link>{text(link)}</link>\n",
            f"\t\t<pubDate>{format_datetime(date) if date else ''}</pubDate>\n",
            f"\t\t<dc:creator>{cdata(self.logins.get(author_pk, ''))}</dc:creator>\n",
            f'\t\t<guid isPermaLink="false">{text(guid)}</guid>\n',
            "\t\t<description></description>\n",
            f"\t\t<content:encoded>{cdata(content)}</content:encoded>\n",
            f"\t\t<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>\n",
            f"\t\t<wp:post_id>{wp_id}</wp:post_id>\n",
            f"\t\t<wp:post_date>{cdata(local)}</wp:post_date>\n",
            f"\t\t<wp:post_date_gmt>{cdata(gmt)}</wp:post_date_gmt>\n",
            f"\t\t<wp:post_modified>{cdata(modified_local)}</wp:post_modified>\n",
            f"\t\t<wp:post_modified_gmt>{cdata(modified_gmt)}</wp:post_modified_gmt>\n",
            f"\t\t<wp:comment_status>{cdata(comment_status)}</wp:comment_status>\n",
            f"\t\t<wp:ping_status>{cdata(extra.get('ping_status', 'open'))}</wp:ping_status>\n",
            f"\t\t<wp:post_name>{cdata(slug)}</wp:post_name>\n",
            f"\t\t<wp:status>{cdata(status)}</wp:status>\n",
            f"\t\t<wp:post_parent>{parent}</wp:post_parent>\n",
            f"\t\t<wp:menu_order>{menu_order}</wp:menu_order>\n",
            f"\t\t<wp:post_type>{cdata(post_type)}</wp:post_type>\n",
            f"\t\t<wp:post_password>{cdata(extra.get('password', ''))}</wp:post_password>\n",
            f"\t\t<wp:is_sticky>{int(sticky)}</wp:is_sticky>\n",
        ]
        if attachment_url:
            parts.append(f"\t\t<wp:attachment_url>{cdata(attachment_url)}</wp:attachment_url>\n")
        for domain, nicename, name in [*terms, *extra.get("terms", [])]:
            parts.append(
                f'\t\t<category domain="{text(domain)}" nicename="{text(nicename)}">'
                f"{cdata(name)}</category>\n"
            )
        for key, value in [*meta, *extra.get("meta", [])]:
            parts.append(
                f"\t\t<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
                f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>\n"
            )
        parts.extend(comments)
        parts.append("\t</item>\n")
        self.write(*parts)

    def media(self) -> None:
        self.media_ids: dict[str, int] = {}
        count = 0
        for media in Media.objects.order_by("pk").iterator(chunk_size=1000):
            extra = self.extra(media)
            url = media.url if "//" in media.url else f"{self.site_url}{media.url}"
            self.media_ids[media.url] = self.post_ids(self.types[Media], media.pk)
            meta = (
                [("_wp_attached_file", media.file.removeprefix("uploads/"))] if media.file else []
            )
            if media.alt_text:
                meta.append(("_wp_attachment_image_alt", media.alt_text))
            if media.uploaded_at.microsecond:
                meta.append((CREATED_META, media.uploaded_at.isoformat()))
            self.item(
                media,
                post_type="attachment",
                title=media.title,
                link=url,
                author_pk=media.author_id,
                content=media.description,
                excerpt=media.caption,
                date=media.uploaded_at,
                modified=media.uploaded_at,
                status="inherit",
                slug="",
                parent=int(extra.get("parent", 0)),
                meta=meta,
                attachment_url=url,
            )
            count += 1
        self.counts["media"] = count

    def pages(self) -> None:
        pages = list(Page.objects.order_by("pk"))
        by_page: dict[int, list[PageComment]] = {}
        for comment in PageComment.objects.order_by("created_at", "pk"):
            by_page.setdefault(comment.page_id, []).append(comment)
        for page in pages:
            parent = self.post_ids(self.types[Page], page.parent_id) if page.parent_id else 0
            self.item(
                page,
                post_type="page",
                title=page.title,
                link=self.site_url + page.get_absolute_url(),
                author_pk=page.author_id,
                content=page.body if page.body_format == "html" else page.body_html,
                excerpt="",
                date=page.updated_at,
                modified=page.updated_at,
                status=STATUSES[page.status],
                slug=page.slug,
                parent=parent,
                menu_order=page.menu_order,
                meta=[
                    *_format_meta(page.body_format, page.body),
                    *([(SHOW_IN_MENU_META, "0")] if not page.show_in_menu else []),
                ],
                comments=self.comments(by_page.get(page.pk, []), PageComment),
            )
        self.counts["pages"] = len(pages)
        self.counts["page comments"] = sum(len(c) for c in by_page.values())

    def articles(self) -> None:
        comments = _grouped(
            Comment.objects.order_by("article_id", "created_at", "pk").iterator(chunk_size=5000)
        )
        pending = next(comments, None)
        count = comment_count = 0
        articles = Article.objects.prefetch_related("categories", "tags").order_by("pk")
        for article in articles.iterator(chunk_size=1000):
            own: list[Comment] = []
            while pending is not None and pending[0] <= article.pk:
                if pending[0] == article.pk:
                    own = pending[1]
                pending = next(comments, None)
            terms = [("category", c.slug, c.name) for c in article.categories.all()]
            terms += [("post_tag", t.slug, t.name) for t in article.tags.all()]
            meta = list(_format_meta(article.body_format, article.body))
            if article.featured_image in self.media_ids:
                meta.append(("_thumbnail_id", str(self.media_ids[article.featured_image])))
            if article.featured_image:
                meta.append((FEATURED_META, article.featured_image))
                meta.append((FEATURED_ALT_META, article.featured_image_alt))
            meta.append((CREATED_META, article.created_at.isoformat()))
            self.item(
                article,
                post_type="post",
                title=article.title,
                link=self.site_url + article.get_absolute_url(),
                author_pk=article.author_id,
                content=article.body if article.body_format == "html" else article.body_html,
                excerpt=article.excerpt,
                date=article.published_at or article.created_at,
                modified=article.updated_at,
                status=STATUSES[article.status],
                slug=article.slug,
                comment_status="open" if article.comments_open else "closed",
                sticky=article.sticky,
                terms=terms,
                meta=meta,
                comments=self.comments(own, Comment),
                floating=article.published_at is None,
            )
            count += 1
            comment_count += len(own)
        self.counts["articles"], self.counts["comments"] = count, comment_count

    def comments(self, comments: list, model: type[models.Model]) -> Iterator[str]:
        content_type = self.types[model]
        for comment in comments:
            extra = self.extra(comment)
            local, gmt = wp_dates(comment.created_at)
            parent = self.comment_ids(content_type, comment.parent_id) if comment.parent_id else 0
            meta = [("_broadsheet_format", "text"), *extra.get("meta", [])]
            if comment.created_at.microsecond:  # WXR dates stop at the second
                meta.append((CREATED_META, comment.created_at.isoformat()))
            kind = getattr(comment, "comment_type", None)
            kind = extra.get("type", "comment") if kind is None else kind
            fields = [
                ("comment_id", self.comment_ids(content_type, comment.pk)),
                ("comment_author", cdata(comment.author_name)),
                ("comment_author_email", cdata(comment.author_email)),
                ("comment_author_url", cdata(comment.author_url)),
                ("comment_author_IP", cdata(comment.ip_address or "")),
                ("comment_date", cdata(local)),
                ("comment_date_gmt", cdata(gmt)),
                ("comment_content", cdata(comment.body)),
                ("comment_approved", cdata(COMMENT_STATES[comment.status])),
                ("comment_type", cdata(kind)),
                ("comment_parent", parent),
                ("comment_user_id", int(extra.get("user_id", 0))),
            ]
            yield "".join(
                [
                    "\t\t<wp:comment>\n",
                    *(f"\t\t\t<wp:{name}>{value}</wp:{name}>\n" for name, value in fields),
                    *(
                        f"\t\t\t<wp:commentmeta><wp:meta_key>{cdata(k)}</wp:meta_key>"
                        f"<wp:meta_value>{cdata(v)}</wp:meta_value></wp:commentmeta>\n"
                        for k, v in meta
                    ),
                    "\t\t</wp:comment>\n",
                ]
            )


def _format_meta(body_format: str, body: str) -> Iterator[tuple[str, str]]:
    yield FORMAT_META, body_format
    if body_format == "markdown":
        yield MARKDOWN_META, body


def _grouped(comments: Iterator[Comment]) -> Iterator[tuple[int, list[Comment]]]:
    group: list[Comment] = []
    for comment in comments:
        if group and comment.article_id != group[0].article_id:
            yield group[0].article_id, group
            group = []
        group.append(comment)
    if group:
        yield group[0].article_id, group


def export_wxr(out: TextIO) -> dict[str, int]:
    """Write the whole site to ``out``; returns how many of each kind were written."""
    return Exporter(out).export()
