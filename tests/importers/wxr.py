"""Small WXR documents for tests, built from keyword arguments in WordPress's own layout."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

WP = "http://wordpress.org/export/1.2/"
BASE = "http://old.example.org"
FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "wxr"
THEME_UNIT_TEST = FIXTURES / "themeunittestdata.wordpress.xml"


def cdata(value: object) -> str:
    return "<![CDATA[" + str(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class C:
    """A comment."""

    id: int
    content: str = "A fine article."
    author: str = "Reader"
    email: str = "reader@example.org"
    url: str = ""
    ip: str = "192.0.2.1"
    date: str = "2020-01-02 10:00:00"
    approved: str = "1"
    parent: int = 0
    type: str = "comment"
    meta: list[tuple[str, str]] = field(default_factory=list)

    def xml(self) -> str:
        meta = "".join(
            f"<wp:commentmeta><wp:meta_key>{cdata(k)}</wp:meta_key>"
            f"<wp:meta_value>{cdata(v)}</wp:meta_value></wp:commentmeta>"
            for k, v in self.meta
        )
        return f"""
		<wp:comment>
			<wp:comment_id>{self.id}</wp:comment_id>
			<wp:comment_author>{cdata(self.author)}</wp:comment_author>
			<wp:comment_author_email>{cdata(self.email)}</wp:comment_author_email>
			<wp:comment_author_url>{cdata(self.url)}</wp:comment_author_url>
			<wp:comment_author_IP>{cdata(self.ip)}</wp:comment_author_IP>
			<wp:comment_date>{cdata(self.date)}</wp:comment_date>
			<wp:comment_date_gmt>{cdata(self.date)}</wp:comment_date_gmt>
			<wp:comment_content>{cdata(self.content)}</wp:comment_content>
			<wp:comment_approved>{cdata(self.approved)}</wp:comment_approved>
			<wp:comment_type>{cdata(self.type)}</wp:comment_type>
			<wp:comment_parent>{self.parent}</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>{meta}
		</wp:comment>"""


@dataclass
class P:
    """A post (or page, or attachment: ``type``)."""

    id: int
    title: str = "A post"
    slug: str = ""
    content: str = "Hello, world."
    excerpt: str = ""
    type: str = "post"
    status: str = "publish"
    date: str = "2020-01-01 12:00:00"
    date_gmt: str | None = None
    creator: str = "editor"
    parent: int = 0
    menu_order: int = 0
    sticky: bool = False
    comment_status: str = "open"
    password: str = ""
    link: str | None = None
    attachment_url: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    meta: list[tuple[str, str]] = field(default_factory=list)
    comments: list[C] = field(default_factory=list)

    def xml(self) -> str:
        slug = self.slug or f"post-{self.id}"
        link = (
            self.link
            if self.link is not None
            else f"{BASE}/{self.date[:10].replace('-', '/')}/{slug}/"
        )
        terms = "".join(
            f'<category domain="category" nicename="{s}">{cdata(n)}</category>'
            for s, n in self.categories
        ) + "".join(
            f'<category domain="post_tag" nicename="{s}">{cdata(n)}</category>'
            for s, n in self.tags
        )
        meta = "".join(
            f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key>"
            f"<wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
            for k, v in self.meta
        )
        gmt = self.date if self.date_gmt is None else self.date_gmt
        attachment = (
            f"<wp:attachment_url>{cdata(self.attachment_url)}</wp:attachment_url>"
            if self.attachment_url
            else ""
        )
        return f"""
	<item>
		<title>{cdata(self.title)}</title>
		<link>{link}</link>
		<pubDate>Wed, 01 Jan 2020 12:00:00 +0000</pubDate>
		<dc:creator>{cdata(self.creator)}</dc:creator>
		<guid isPermaLink="false">{BASE}/?p={self.id}</guid>
		<description></description>
		<content:encoded>{cdata(self.content)}</content:encoded>
		<excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>
		<wp:post_id>{self.id}</wp:post_id>
		<wp:post_date>{cdata(self.date)}</wp:post_date>
		<wp:post_date_gmt>{cdata(gmt)}</wp:post_date_gmt>
		<wp:comment_status>{cdata(self.comment_status)}</wp:comment_status>
		<wp:ping_status>{cdata("open")}</wp:ping_status>
		<wp:post_name>{cdata(slug)}</wp:post_name>
		<wp:status>{cdata(self.status)}</wp:status>
		<wp:post_parent>{self.parent}</wp:post_parent>
		<wp:menu_order>{self.menu_order}</wp:menu_order>
		<wp:post_type>{cdata(self.type)}</wp:post_type>
		<wp:post_password>{cdata(self.password)}</wp:post_password>
		<wp:is_sticky>{int(self.sticky)}</wp:is_sticky>
		{attachment}{terms}{meta}{"".join(c.xml() for c in self.comments)}
	</item>"""


def document(
    *items: P,
    authors: tuple[tuple[int, str, str], ...] = ((1, "editor", "The Editor"),),
    categories: tuple[tuple[int, str, str, str], ...] = (),  # (id, slug, name, parent slug)
    tags: tuple[tuple[int, str, str], ...] = (),
    descriptions: dict[str, str] | None = None,  # author login or term slug → description
    version: str = "1.2",
    namespace: str = WP,
    base: str = BASE,
) -> str:
    """A whole WXR file as text."""
    described = descriptions or {}

    def description(element: str, key: str) -> str:
        return f"<wp:{element}>{cdata(described[key])}</wp:{element}>" if key in described else ""

    author_xml = "".join(
        f"<wp:author><wp:author_id>{i}</wp:author_id><wp:author_login>{cdata(login)}"
        f"</wp:author_login><wp:author_email>{login}@example.org</wp:author_email>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name>"
        "<wp:author_first_name></wp:author_first_name><wp:author_last_name></wp:author_last_name>"
        f"{description('author_description', login)}</wp:author>"
        for i, login, name in authors
    )
    category_xml = "".join(
        f"<wp:category><wp:term_id>{i}</wp:term_id><wp:category_nicename>{slug}"
        f"</wp:category_nicename><wp:category_parent>{parent}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name>"
        f"{description('category_description', slug)}</wp:category>"
        for i, slug, name, parent in categories
    )
    tag_xml = "".join(
        f"<wp:tag><wp:term_id>{i}</wp:term_id><wp:tag_slug>{slug}</wp:tag_slug>"
        f"<wp:tag_name>{cdata(name)}</wp:tag_name>{description('tag_description', slug)}</wp:tag>"
        for i, slug, name in tags
    )
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="{namespace}excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="{namespace}">
<channel>
	<title>Old Blog</title>
	<link>{base}</link>
	<description>Just another WordPress site</description>
	<language>en-US</language>
	<wp:wxr_version>{version}</wp:wxr_version>
	<wp:base_site_url>{base}</wp:base_site_url>
	<wp:base_blog_url>{base}</wp:base_blog_url>
	{author_xml}{category_xml}{tag_xml}
	<generator>https://wordpress.org/?v=6.4</generator>
	{"".join(item.xml() for item in items)}
</channel>
</rss>
"""


def write(tmp_path: Path, text: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
