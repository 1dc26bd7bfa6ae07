"""``export wxr``: WordPress's element names and namespaces, comments with their state and
threading, and a natively written site that comes back unchanged through import."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.utils import timezone

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article, Format, Status
from broadsheet.importers.wordpress.export import export_wxr
from broadsheet.importers.wordpress.importing import import_wxr
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory, TagFactory
from tests.importers.snapshot import site_snapshot, wipe_site

pytestmark = pytest.mark.django_db

WP = "{http://wordpress.org/export/1.2/}"
NAMESPACES = {
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
# What WordPress's exporter writes for every item and comment (wp-admin/includes/export.php).
ITEM_FIELDS = {
    "title",
    "link",
    "pubDate",
    "{%(dc)s}creator",
    "guid",
    "description",
    "{%(content)s}encoded",
    "{%(excerpt)s}encoded",
    "{%(wp)s}post_id",
    "{%(wp)s}post_date",
    "{%(wp)s}post_date_gmt",
    "{%(wp)s}comment_status",
    "{%(wp)s}ping_status",
    "{%(wp)s}post_name",
    "{%(wp)s}status",
    "{%(wp)s}post_parent",
    "{%(wp)s}menu_order",
    "{%(wp)s}post_type",
    "{%(wp)s}post_password",
    "{%(wp)s}is_sticky",
}
COMMENT_FIELDS = {
    "comment_id",
    "comment_author",
    "comment_author_email",
    "comment_author_url",
    "comment_author_IP",
    "comment_date",
    "comment_date_gmt",
    "comment_content",
    "comment_approved",
    "comment_type",
    "comment_parent",
    "comment_user_id",
}


@pytest.fixture
def native_site() -> Article:
    """A site written here: Markdown, nested categories, threads in every state."""
    parent = CategoryFactory(slug="defence", name="Defence", description="Armed forces.")
    child = CategoryFactory(slug="procurement", name="Procurement", parent=parent)
    tag = TagFactory(slug="nato", name="NATO")
    author = AuthorFactory(slug="kim", display_name="Kim Reporter", bio="Covers the MoD.")
    article = ArticleFactory(
        title="Tanks, *finally*",
        body="Intro with **bold**.\n\n## Detail\n\nA [link](https://example.org).",
        excerpt="The short of it.",
        author=author,
        sticky=True,
        featured_image="https://cdn.example.org/tank.jpg",
        featured_image_alt="A tank",
        categories=[child],
        tags=[tag],
    )
    ArticleFactory(
        title="Raw HTML",
        body="<p>Already <em>HTML</em>.</p>",
        body_format=Format.HTML,
        author=author,
        status=Status.DRAFT,
        published_at=None,
    )
    about = PageFactory(slug="about", title="About")
    PageFactory(slug="team", title="Team", parent=about, show_in_menu=False, menu_order=3)
    when = timezone.now() - dt.timedelta(hours=5)
    top = Comment.objects.create(
        article=article,
        author_name="Ann",
        author_email="ann@example.org",
        author_url="https://ann.example.org",
        body="First!\n\n*Great* read.",
        status="approved",
        created_at=when,
        ip_address="192.0.2.7",
    )
    reply = Comment.objects.create(
        article=article,
        parent=top,
        thread=top,
        depth=2,
        author_name="Bob",
        author_email="bob@example.org",
        body="Reply <b>literal</b> & text",
        status="pending",
        created_at=when + dt.timedelta(hours=1),
    )
    Comment.objects.create(
        article=article,
        parent=reply,
        thread=top,
        depth=3,
        author_name="Cy",
        body="Spam?",
        status="spam",
        created_at=when + dt.timedelta(hours=2),
    )
    Comment.objects.create(
        article=article,
        author_name="Dee",
        body="Binned",
        status="trash",
        created_at=when + dt.timedelta(hours=3),
    )
    return article


def exported() -> str:
    out = io.StringIO()
    export_wxr(out)
    return out.getvalue()


def test_the_export_uses_wordpress_element_names_and_namespaces(native_site: Article) -> None:
    root = ElementTree.fromstring(exported().encode())
    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert channel.findtext(f"{WP}wxr_version") == "1.2"
    assert channel.findtext(f"{WP}base_site_url") and channel.findtext(f"{WP}base_blog_url")
    assert {a.findtext(f"{WP}author_login") for a in channel.findall(f"{WP}author")} == {"kim"}
    categories = {
        c.findtext(f"{WP}category_nicename"): c.findtext(f"{WP}category_parent")
        for c in channel.findall(f"{WP}category")
    }
    assert categories == {"defence": "", "procurement": "defence"}
    for item in channel.findall("item"):
        assert {field % NAMESPACES for field in ITEM_FIELDS} <= {child.tag for child in item}
        for comment in item.findall(f"{WP}comment"):
            assert {f"{WP}{name}" for name in COMMENT_FIELDS} <= {child.tag for child in comment}


def test_comments_are_exported_with_their_state_and_threading(native_site: Article) -> None:
    channel = ElementTree.fromstring(exported().encode()).find("channel")
    item = next(i for i in channel.findall("item") if i.findtext("title") == "Tanks, *finally*")
    comments = {
        c.findtext(f"{WP}comment_author"): (
            c.findtext(f"{WP}comment_approved"),
            c.findtext(f"{WP}comment_parent"),
            c.findtext(f"{WP}comment_id"),
        )
        for c in item.findall(f"{WP}comment")
    }
    assert {name: state for name, (state, _, _) in comments.items()} == {
        "Ann": "1",
        "Bob": "0",
        "Cy": "spam",
        "Dee": "trash",
    }
    assert comments["Bob"][1] == comments["Ann"][2]
    assert comments["Cy"][1] == comments["Bob"][2]
    assert comments["Ann"][1] == "0"


def test_a_native_site_survives_export_and_import_unchanged(
    native_site: Article, tmp_path: Path
) -> None:
    before = site_snapshot()
    path = tmp_path / "site.xml"
    path.write_text(exported(), encoding="utf-8")
    wipe_site()
    report = import_wxr(path)
    assert report.failed == 0, report.table()
    after = site_snapshot()
    for kind in before:
        assert after[kind] == before[kind], kind
    article = Article.objects.get(pk=native_site.pk)
    assert article.body_format == "markdown" and article.body == native_site.body
