"""WordPress's own Theme Unit Test export: everything in it arrives, answers at its new
address and its old ones, and survives an export → import round trip unchanged."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from defusedxml import ElementTree
from django.test import Client, TestCase

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article, Author, Category, Page, Tag
from broadsheet.importers.models import PageComment, WordPressObject
from broadsheet.importers.wordpress.export import export_wxr
from broadsheet.importers.wordpress.importing import import_wxr
from tests.factories import UserFactory
from tests.importers.snapshot import site_snapshot, wipe_site
from tests.importers.wxr import FIXTURES, THEME_UNIT_TEST

pytestmark = pytest.mark.skipif(
    not THEME_UNIT_TEST.is_file(),
    reason=f"the WordPress Theme Unit Test data is not in {FIXTURES} (../shared/fixtures/wxr)",
)


def counts_in_the_file(path: Path) -> dict[str, int]:
    """What the file holds, counted from the XML itself (whatever namespace version it uses)."""
    channel = ElementTree.parse(path).getroot().find("channel")
    wp = channel.tag.rpartition("}")[0]  # channel has no namespace; find wp's from an author
    wp = next(e.tag for e in channel if e.tag.endswith("}wxr_version")).rpartition("}")[0] + "}"
    categories, tags = set(), set()
    for term in channel:
        if term.tag == f"{wp}category":
            categories.add(term.findtext(f"{wp}category_nicename"))
        elif term.tag == f"{wp}tag":
            tags.add(term.findtext(f"{wp}tag_slug"))
        elif term.tag == f"{wp}term":
            taxonomy = term.findtext(f"{wp}term_taxonomy")
            {"category": categories, "post_tag": tags}.get(taxonomy, set()).add(
                term.findtext(f"{wp}term_slug")
            )
    types: Counter[str] = Counter()
    comments = 0
    for item in channel.iter("item"):
        types[item.findtext(f"{wp}post_type")] += 1
        if item.findtext(f"{wp}post_type") in {"post", "page"}:
            comments += len(item.findall(f"{wp}comment"))
        for ref in item.iter("category"):
            {"category": categories, "post_tag": tags}.get(ref.get("domain"), set()).add(
                ref.get("nicename")
            )
    return {
        "articles": types["post"],
        "pages": types["page"],
        "comments": comments,
        "categories": len(categories),
        "tags": len(tags),
        "authors": len(channel.findall(f"{wp}author")),
    }


class ThemeUnitTestImport(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.report = import_wxr(THEME_UNIT_TEST)

    def setUp(self) -> None:
        self.staff = Client()
        self.staff.force_login(UserFactory(is_staff=True, is_superuser=True))

    def test_everything_imports_with_zero_failures(self) -> None:
        assert self.report.failed == 0, self.report.table()

    def test_counts_equal_those_in_the_file(self) -> None:
        here = {
            "articles": Article.objects.count(),
            "pages": Page.objects.count(),
            "comments": Comment.objects.count() + PageComment.objects.count(),
            "categories": Category.objects.count(),
            "tags": Tag.objects.count(),
            "authors": Author.objects.count(),
        }
        assert here == counts_in_the_file(THEME_UNIT_TEST)

    def test_every_article_answers_200_at_its_new_url(self) -> None:
        for article in Article.objects.all():
            url = article.get_absolute_url()
            reader = self.client if article.is_live else self.staff
            assert reader.get(url).status_code == 200, (article.pk, url)

    def test_every_page_answers_200_at_its_new_url(self) -> None:
        for page in Page.objects.all():
            assert self.staff.get(page.get_absolute_url()).status_code == 200, page.path

    def test_every_article_and_page_answers_301_at_its_old_addresses(self) -> None:
        rows = WordPressObject.objects.filter(kind__in=["post", "page"])
        assert rows.count() == Article.objects.count() + Page.objects.count()
        for row in rows:
            new = row.content_object.get_absolute_url()
            query = "page_id" if row.kind == "page" else "p"
            old_urls = [f"/?{query}={row.wp_id}"]
            if row.old_path and urlsplit(row.old_path).path != unquote(new):
                old_urls.append(quote(row.old_path, safe="/?=&"))
            for old in old_urls:
                response = self.staff.get(old)
                assert response.status_code == 301, (old, response.status_code)
                assert response["Location"] == new, (old, response["Location"], new)

    def test_nested_comments_keep_their_threading(self) -> None:
        channel = ElementTree.parse(THEME_UNIT_TEST).getroot().find("channel")
        wp = "{https://wordpress.org/export/1.2/}"
        parents = {
            int(c.findtext(f"{wp}comment_id")): int(c.findtext(f"{wp}comment_parent"))
            for item in channel.iter("item")
            if item.findtext(f"{wp}post_type") == "post"
            for c in item.findall(f"{wp}comment")
        }
        made = {row.wp_id: row.object_id for row in WordPressObject.objects.filter(kind="comment")}
        comments = {c.pk: c for c in Comment.objects.all()}
        assert sum(1 for parent in parents.values() if parent) >= 5
        for wp_id, parent in parents.items():
            comment = comments[made[wp_id]]
            assert comment.parent_id == (made[parent] if parent else None)
            depth, cursor = 1, comment
            while cursor.parent_id:
                cursor, depth = comments[cursor.parent_id], depth + 1
            assert comment.depth == depth
            assert comment.thread_id == (cursor.pk if depth > 1 else None)
        assert max(c.depth for c in comments.values()) >= 5

    def test_export_then_import_gives_back_the_same_site(self) -> None:
        before = site_snapshot()
        out = io.StringIO()
        export_wxr(out)
        wipe_site()
        assert Article.objects.count() == 0
        exported = Path(self.tmp) / "export.xml"
        exported.write_text(out.getvalue(), encoding="utf-8")
        report = import_wxr(exported)
        assert report.failed == 0, report.table()
        after = site_snapshot()
        for kind in before:
            assert after[kind] == before[kind], kind

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
