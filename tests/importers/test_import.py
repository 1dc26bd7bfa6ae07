"""Loading a WXR file into the site: what each WordPress field becomes, idempotent re-runs,
dry runs, and bad items that fail alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article, ArticleRevision, Author, Category, Page
from broadsheet.importers.models import Media, WordPressObject
from broadsheet.importers.wordpress.importing import import_wxr
from broadsheet.importers.wordpress.load import ImportOptions
from tests.factories import AuthorFactory
from tests.html import parse_html
from tests.importers.wxr import BASE, C, P, document, write

pytestmark = pytest.mark.django_db


def run(tmp_path: Path, *items: P, **kwargs: object):  # type: ignore[no-untyped-def]
    options = kwargs.pop("options", None)
    return import_wxr(write(tmp_path, document(*items, **kwargs)), options)  # type: ignore[arg-type]


def test_wordpress_statuses_map_to_broadsheet_statuses(tmp_path: Path) -> None:
    run(
        tmp_path,
        P(1, status="publish"),
        P(2, status="future", date="2099-01-01 00:00:00"),
        P(3, status="draft", date_gmt="0000-00-00 00:00:00"),
        P(4, status="pending"),
        P(5, status="private"),
    )
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses == {1: "published", 2: "scheduled", 3: "draft", 4: "pending", 5: "private"}
    assert Article.objects.get(pk=3).published_at is None


def test_sticky_comment_status_excerpt_author_and_terms_come_across(tmp_path: Path) -> None:
    run(
        tmp_path,
        P(
            1,
            sticky=True,
            comment_status="closed",
            excerpt="The short of it.",
            categories=[("defence", "Defence")],
            tags=[("nato", "NATO")],
        ),
        categories=((3, "news", "News", ""), (4, "defence", "Defence", "news")),
        tags=((5, "nato", "NATO"),),
    )
    article = Article.objects.get()
    assert (article.sticky, article.comments_open) == (True, False)
    assert article.excerpt == "The short of it."
    assert article.summary == "The short of it."
    assert article.author.display_name == "The Editor"
    assert [c.path for c in article.categories.all()] == ["news/defence"]
    assert [t.name for t in article.tags.all()] == ["NATO"]


def test_imported_bodies_are_sanitized_html_with_their_revision(tmp_path: Path) -> None:
    report = run(tmp_path, P(1, content="Hi\n\n<script>alert(1)</script>"))
    article = Article.objects.get()
    assert article.body_format == "html"
    assert not parse_html(article.body_html).find_all("script")
    assert list(report.notes["HTML element <script> not kept"]) == [1]
    assert ArticleRevision.objects.filter(article=article, body=article.body).count() == 1


def test_comments_keep_threading_state_and_website_and_emails_stay_private(
    tmp_path: Path, client: Client
) -> None:
    run(
        tmp_path,
        P(
            1,
            comments=[
                C(10, author="Ann", email="ann@example.org", url="https://ann.example.org"),
                C(11, parent=10, author="Bob", email="bob@example.org", date="2020-01-03 10:00:00"),
                C(12, parent=11, author="Cy", date="2020-01-04 10:00:00"),
                C(13, approved="0"),
                C(14, approved="spam"),
                C(15, approved="trash"),
            ],
        ),
    )
    comments = {c.pk: c for c in Comment.objects.all()}
    assert (comments[11].parent_id, comments[11].thread_id, comments[11].depth) == (10, 10, 2)
    assert (comments[12].parent_id, comments[12].thread_id, comments[12].depth) == (11, 10, 3)
    assert comments[10].author_url == "https://ann.example.org"
    assert {pk: c.status for pk, c in comments.items() if pk >= 13} == {
        13: "pending",
        14: "spam",
        15: "trash",
    }
    page = client.get(Article.objects.get().get_absolute_url())
    assert page.status_code == 200
    document_ = parse_html(page.content)
    shown = document_.text + " ".join(
        str(value) for element in document_.iter() for value in element.attrs.values()
    )
    assert "Bob" in shown and "ann@example.org" not in shown and "bob@example.org" not in shown


def test_pingbacks_are_comments_that_remember_their_type(tmp_path: Path) -> None:
    run(tmp_path, P(1, comments=[C(10, type="pingback", author="Other Blog")]))
    row = WordPressObject.objects.get(kind="comment", wp_id=10)
    assert row.extra["type"] == "pingback"


def test_running_the_same_file_twice_duplicates_nothing(tmp_path: Path) -> None:
    items = (P(1, comments=[C(10), C(11, parent=10)], categories=[("news", "News")]), P(2))
    first = run(tmp_path, *items)
    second = run(tmp_path, *items)
    assert first.counts["articles"]["created"] == 2
    assert second.counts["articles"] == {"skipped": 2}
    assert second.counts["comments"] == {"skipped": 2}
    assert (Article.objects.count(), Comment.objects.count(), Category.objects.count()) == (2, 2, 1)
    assert ArticleRevision.objects.count() == 2


def test_a_rerun_updates_what_changed_and_adds_what_is_new(tmp_path: Path) -> None:
    run(tmp_path, P(1, title="Old", comments=[C(10, content="First")]))
    report = run(
        tmp_path, P(1, title="New", comments=[C(10, content="Edited"), C(11, content="Later")])
    )
    assert report.counts["articles"]["updated"] == 1
    assert report.counts["comments"] == {"updated": 1, "created": 1}
    assert Article.objects.get().title == "New"
    assert dict(Comment.objects.values_list("pk", "body")) == {10: "Edited", 11: "Later"}


@pytest.mark.usefixtures("no_page_cache")
def test_a_comment_edited_in_wordpress_shows_edited_after_a_rerun(tmp_path: Path) -> None:
    """The rerun writes the comment without a model save; the article page must not go on
    showing the list it built before (comments/listing.py keys lists on updated_at)."""
    run(tmp_path, P(1, comments=[C(10, content="Before the edit")]))
    article = Article.objects.get()
    assert "Before the edit" in Client().get(article.get_absolute_url()).text
    run(tmp_path, P(1, comments=[C(10, content="After the edit")]))
    shown = Client().get(article.get_absolute_url()).text
    assert "After the edit" in shown and "Before the edit" not in shown


def test_a_dry_run_reports_the_same_and_changes_nothing(tmp_path: Path) -> None:
    items = (P(1, comments=[C(10)]), P(2, type="page", title="About", slug="about"))
    dry = run(tmp_path, *items, options=ImportOptions(dry_run=True))
    assert (Article.objects.count(), Page.objects.count(), Author.objects.count()) == (0, 0, 0)
    assert not WordPressObject.objects.exists()
    real = run(tmp_path, *items)
    assert dry.as_dict()["counts"] == real.as_dict()["counts"]


def test_an_item_repeated_in_the_file_fails_alone_and_leaves_nothing_half_written(
    tmp_path: Path,
) -> None:
    report = run(
        tmp_path,
        P(1, title="First", comments=[C(10)]),
        P(2, title="Second"),
        P(1, title="Copy of first", comments=[C(20), C(21)]),
    )
    assert [(f.wp_id, f.title) for f in report.failures] == [(1, "Copy of first")]
    assert sorted(Article.objects.values_list("title", flat=True)) == ["First", "Second"]
    assert list(Comment.objects.values_list("pk", flat=True)) == [10]
    assert WordPressObject.objects.filter(kind="post").count() == 2


def test_other_post_types_are_skipped_not_failed(tmp_path: Path) -> None:
    report = run(tmp_path, P(1), P(2, type="nav_menu_item"), P(3, type="wp_block"))
    assert report.counts["other"] == {"skipped": 2}
    assert report.failed == 0


def test_an_unknown_status_fails_that_item_only(tmp_path: Path) -> None:
    report = run(tmp_path, P(1, status="limbo"), P(2))
    assert [(f.wp_id, "limbo" in f.reason) for f in report.failures] == [(1, True)]
    assert list(Article.objects.values_list("pk", flat=True)) == [2]


def test_pages_keep_their_hierarchy_and_order_even_when_children_come_first(
    tmp_path: Path,
) -> None:
    run(
        tmp_path,
        P(12, type="page", slug="team", parent=11, menu_order=2),
        P(11, type="page", slug="about", menu_order=1),
    )
    pages = {p.pk: p for p in Page.objects.all()}
    assert (pages[12].path, pages[12].parent_id, pages[12].menu_order) == ("about/team", 11, 2)


def test_the_author_map_attributes_posts_to_an_existing_author(tmp_path: Path) -> None:
    desk = AuthorFactory(slug="news-desk")
    report = run(tmp_path, P(1), options=ImportOptions(author_map={"editor": "news-desk"}))
    assert Article.objects.get().author == desk
    assert Author.objects.count() == 1
    assert report.counts["authors"] == {"skipped": 1}


def test_attachments_link_to_their_original_url_without_a_media_dir(tmp_path: Path) -> None:
    url = f"{BASE}/wp-content/uploads/2020/01/boat.jpg"
    run(
        tmp_path,
        P(
            5,
            type="attachment",
            status="inherit",
            title="Boat",
            attachment_url=url,
            meta=[("_wp_attachment_image_alt", "A boat")],
        ),
    )
    media = Media.objects.get()
    assert (media.url, media.alt_text, media.mime_type) == (url, "A boat", "image/jpeg")


def test_a_media_dir_copies_files_and_points_content_at_the_copies(
    tmp_path: Path,
    settings,
    client: Client,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    uploads = tmp_path / "uploads" / "2020" / "01"
    uploads.mkdir(parents=True)
    (uploads / "boat.jpg").write_bytes(b"\xff\xd8 jpeg")
    url = f"{BASE}/wp-content/uploads/2020/01/boat.jpg"
    run(
        tmp_path,
        P(1, content=f'<img src="{url}" alt="boat">', meta=[("_thumbnail_id", "5")]),
        P(5, type="attachment", status="inherit", title="Boat", attachment_url=url, parent=1),
        options=ImportOptions(media_dir=tmp_path / "uploads"),
    )
    media = Media.objects.get()
    assert media.url == "/media/uploads/2020/01/boat.jpg"
    assert (settings.MEDIA_ROOT / "uploads/2020/01/boat.jpg").read_bytes() == b"\xff\xd8 jpeg"
    article = Article.objects.get()
    assert parse_html(article.body_html).find("img").attrs["src"] == media.url
    assert article.featured_image == media.url  # _thumbnail_id came before its attachment
    old = client.get("/wp-content/uploads/2020/01/boat.jpg")
    assert (old.status_code, old["Location"]) == (301, media.url)


def test_a_media_dir_never_serves_files_from_outside_it(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "uploads").mkdir()
    (tmp_path / "secret.txt").write_text("private")
    run(
        tmp_path,
        P(5, type="attachment", status="inherit", attachment_url=f"{BASE}/x.txt",
          meta=[("_wp_attached_file", "../secret.txt")]),
        P(6, type="attachment", status="inherit", attachment_url=f"{BASE}/y.txt",
          meta=[("_wp_attached_file", str(tmp_path / "secret.txt"))]),
        options=ImportOptions(media_dir=tmp_path / "uploads"),
    )  # fmt: skip
    assert list(Media.objects.values_list("file", flat=True)) == ["", ""]
    assert not (tmp_path / "media").exists()


def test_imported_articles_are_found_by_the_sites_search(
    tmp_path: Path,
    client: Client,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run(tmp_path, P(1, title="Frigate trials", content="The frigate sailed at dawn."), P(2))
    document = parse_html(client.get("/search/", {"q": "frigate"}).content)
    titles = [h2.text.strip() for h2 in document.find_all("h2", class_="entry-title")]
    assert titles == ["Frigate trials"]


def test_other_apps_hear_when_an_import_has_written(tmp_path: Path) -> None:
    from broadsheet.importers.signals import wxr_imported

    heard: list[dict[str, int]] = []

    def listener(sender, report, path, **kwargs) -> None:  # type: ignore[no-untyped-def]
        heard.append(dict(report.counts["articles"]))

    wxr_imported.connect(listener)
    try:
        run(tmp_path, P(1), options=ImportOptions(dry_run=True))
        run(tmp_path, P(1))
    finally:
        wxr_imported.disconnect(listener)
    assert heard == [{"created": 1}]
