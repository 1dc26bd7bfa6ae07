"""Each change purges the pages that show it, and a page that does not show it stays cached."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.moderation import delete_comment, set_status
from broadsheet.content import services
from broadsheet.content.models import Article, SiteSettings, Status
from broadsheet.pagecache import store
from broadsheet.pagecache.signals import tags_purged
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    PageFactory,
    TagFactory,
)
from tests.pagecache.conftest import state_of

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


@pytest.fixture
def newsroom() -> dict:
    """Four articles in time order; ``far`` is two places from ``story``, so its page does not
    link to it; ``loner``, oldest, shares no category or tag with any. Two categories, a tag;
    the settings rows exist (the first page would create them)."""
    SiteSettings.objects.get_or_create(pk=1)
    DiscussionSettings.objects.get_or_create(pk=1)
    defence, sport = CategoryFactory(), CategoryFactory()
    navy = TagFactory()
    loner = ArticleFactory(published_at=days_ago(100))
    far = ArticleFactory(published_at=days_ago(40), categories=[sport])
    near = ArticleFactory(published_at=days_ago(30), categories=[sport])
    story = ArticleFactory(published_at=days_ago(20), categories=[defence], tags=[navy])
    newest = ArticleFactory(published_at=days_ago(10), categories=[sport])
    return {
        "loner": loner,
        "far": far,
        "near": near,
        "story": story,
        "newest": newest,
        "defence": defence,
        "sport": sport,
        "navy": navy,
    }


def url(thing) -> str:  # type: ignore[no-untyped-def]
    return thing.get_absolute_url()


def states(client: Client, *urls: str) -> list[str]:
    return [state_of(client, u) for u in urls]


def test_editing_an_articles_words_purges_its_page_and_the_lists_showing_it(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    story, far = newsroom["story"], newsroom["far"]
    pages = [url(story), "/", url(newsroom["defence"]), "/feed/", url(newsroom["near"])]
    bystanders = [url(far), url(newsroom["loner"]), url(newsroom["sport"])]
    warm(*pages, *bystanders)
    story.body = "A corrected paragraph."
    story.save()
    assert states(client, *pages) == ["miss"] * len(pages)
    # Not showing the story: the page two places away (its related articles are the sport
    # ones), an article with no terms, and the sport category the story is not in.
    assert states(client, *bystanders) == ["hit"] * len(bystanders)
    assert "A corrected paragraph." in client.get(url(story)).content.decode()


def test_publishing_purges_the_lists_it_joins_and_its_new_neighbour_only(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    defence, sport = newsroom["defence"], newsroom["sport"]
    draft = ArticleFactory(status=Status.DRAFT, published_at=None, categories=[defence])
    warm("/", url(defence), url(sport), url(newsroom["newest"]), url(newsroom["loner"]))
    services.publish_article(draft)
    draft.refresh_from_db()
    assert states(client, "/", url(defence), url(newsroom["newest"])) == ["miss"] * 3
    # The sport list shows ``newest`` too, but not its link to the new article.
    assert states(client, url(sport), url(newsroom["loner"])) == ["hit", "hit"]
    assert draft.title in client.get(url(defence)).content.decode()


def test_unpublishing_takes_the_article_out_of_its_lists_and_archives(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    story = newsroom["story"]
    day = story.published_at.date()
    archives = [f"/{day:%Y}/", f"/{day:%Y/%m}/", f"/{day:%Y/%m/%d}/"]
    lists = ["/", url(newsroom["defence"]), url(newsroom["navy"]), url(story.author), *archives]
    warm(url(story), *lists, "/sitemap-articles.xml")
    services.unpublish_article(story)
    assert client.get(url(story)).status_code == 404
    for page in [*lists, "/sitemap-articles.xml"]:
        response = client.get(page)
        assert response["X-Cache"] == "miss", page
        assert story.title not in response.content.decode(), page


def test_deleting_an_article_purges_its_lists(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    story = newsroom["story"]
    warm("/", url(newsroom["defence"]), url(newsroom["sport"]))
    story.delete()
    assert states(client, "/", url(newsroom["defence"])) == ["miss", "miss"]
    assert state_of(client, url(newsroom["sport"])) == "hit"


def test_moving_an_article_between_categories_purges_both_and_no_other(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    story, defence, sport = newsroom["story"], newsroom["defence"], newsroom["sport"]
    other = CategoryFactory()
    ArticleFactory(published_at=days_ago(50), categories=[other])
    warm(url(defence), url(sport), url(other))
    story.categories.set([sport])
    assert states(client, url(defence), url(sport), url(other)) == ["miss", "miss", "hit"]
    assert story.title in client.get(url(sport)).content.decode()


def test_tagging_an_article_purges_the_tag_list_and_the_article(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    army = TagFactory()
    ArticleFactory(published_at=days_ago(60), tags=[army])
    warm(url(army), url(newsroom["navy"]), url(newsroom["far"]))
    newsroom["far"].tags.add(army)
    assert states(client, url(army), url(newsroom["far"])) == ["miss", "miss"]
    assert state_of(client, url(newsroom["navy"])) == "hit"


def test_a_new_author_purges_both_authors_lists(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    story, before, after = newsroom["story"], newsroom["story"].author, AuthorFactory()
    ArticleFactory(author=after, published_at=days_ago(70))
    bystander = newsroom["far"].author
    warm(url(before), url(after), url(bystander))
    story.author = after
    story.save()
    assert states(client, url(before), url(after), url(bystander)) == ["miss", "miss", "hit"]


def test_renaming_a_category_purges_pages_showing_its_articles(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    defence = newsroom["defence"]
    warm(url(defence), url(newsroom["story"]), url(newsroom["far"]))
    defence.name = "Defence and security"
    defence.save()
    assert states(client, url(defence), url(newsroom["story"])) == ["miss", "miss"]
    assert state_of(client, url(newsroom["far"])) == "hit"


def test_moderating_a_comment_purges_its_article_and_the_comment_feeds(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    story, far = newsroom["story"], newsroom["far"]
    comment = CommentFactory(article=story, body="Well reported.")
    feeds = ["/comments/feed/", f"{url(story)}feed/"]
    warm(url(story), url(far), *feeds, "/")
    for change in (
        lambda: set_status(comment, Comment.Status.APPROVED),
        lambda: set_status(comment, Comment.Status.PENDING),
        lambda: set_status(comment, Comment.Status.APPROVED),
        lambda: set_status(comment, Comment.Status.SPAM),
        lambda: set_status(comment, Comment.Status.APPROVED),
        lambda: setattr(comment, "body", "Edited by a moderator.") or comment.save(),
        lambda: delete_comment(comment),
    ):
        change()
        assert states(client, url(story), *feeds) == ["miss"] * 3
        assert states(client, url(far), "/") == ["hit", "hit"]
        warm(url(story), *feeds)


def test_an_approved_comment_appears_at_once(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    story = newsroom["story"]
    comment = CommentFactory(article=story, body="Worth the wait.")
    warm(url(story))
    set_status(comment, Comment.Status.APPROVED)
    assert f'id="comment-{comment.pk}"' in client.get(url(story)).content.decode()


def test_closing_comments_in_bulk_purges_those_articles(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    story, far = newsroom["story"], newsroom["far"]
    warm(url(story), url(far))
    services.set_comments_open(Article.objects.filter(pk=story.pk), False)
    assert states(client, url(story), url(far)) == ["miss", "hit"]


@pytest.mark.parametrize(
    "change",
    [
        lambda: SiteSettings.objects.filter(pk=1).first().save(),
        lambda: DiscussionSettings.objects.filter(pk=1).first().save(),
        lambda: PageFactory(title="About us", parent=None, show_in_menu=True),
    ],
    ids=["site-settings", "discussion-settings", "menu-page"],
)
def test_site_wide_changes_purge_every_page(
    client: Client, warm: Callable[..., None], newsroom: dict, change: Callable[[], object]
) -> None:
    pages = ["/", url(newsroom["far"]), url(newsroom["sport"]), "/feed/"]
    warm(*pages)
    change()
    assert states(client, *pages) == ["miss"] * len(pages)


def test_a_nested_page_purges_itself_not_the_site(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    about = PageFactory(title="About", show_in_menu=True)
    standards = PageFactory(title="Standards", parent=about)
    warm(url(about), url(standards), "/", url(newsroom["far"]))
    standards.body = "We correct our mistakes."
    standards.save()
    assert state_of(client, url(standards)) == "miss"
    assert states(client, "/", url(newsroom["far"])) == ["hit", "hit"]


def test_a_scheduled_article_appears_on_time_without_a_purge(
    client: Client, newsroom: dict
) -> None:
    due = timezone.now() + dt.timedelta(seconds=2)
    scheduled = ArticleFactory(title="Embargoed story", published_at=due)
    assert scheduled.status == Status.SCHEDULED
    assert store.lifetime_seconds() <= 2
    client.get("/")
    assert scheduled.title not in client.get("/").content.decode()
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.1)
    response = client.get("/")
    assert response["X-Cache"] == "miss"
    assert scheduled.title in response.content.decode()


def test_the_purge_hook_names_the_tags_once_committed(
    newsroom: dict, django_capture_on_commit_callbacks: Callable
) -> None:
    heard: list[list[str]] = []

    def receiver(sender, tags, **kwargs) -> None:  # type: ignore[no-untyped-def]
        heard.append(tags)

    tags_purged.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            newsroom["story"].save()
    finally:
        tags_purged.disconnect(receiver)
    assert heard and f"article:{newsroom['story'].pk}" in heard[0]


def test_the_commenters_own_held_comment_is_shown_to_them_alone(
    client: Client, warm: Callable[..., None], newsroom: dict
) -> None:
    from tests.comments.conftest import configure_discussion, post_comment, posted_comment

    configure_discussion(min_seconds_to_write=0, flood_seconds=0)
    story = newsroom["story"]
    commenter = Client()
    held = posted_comment(post_comment(commenter, story, comment="Held for a moderator."))
    assert held.status == Comment.Status.PENDING
    mine = commenter.get(url(story))
    assert mine["X-Cache"] == "bypass"
    assert "Held for a moderator." in mine.content.decode()
    warm(url(story))
    others = client.get(url(story))
    assert others["X-Cache"] == "hit"
    assert "Held for a moderator." not in others.content.decode()


def test_a_wordpress_import_purges_every_page_and_brings_its_pages_into_the_menu(
    client: Client, warm: Callable[..., None], newsroom: dict, tmp_path
) -> None:
    """Imports write in bulk, past ``post_save``: the import's own signal does the purging."""
    from broadsheet.importers.wordpress.importing import import_wxr
    from tests.importers.wxr import P, document, write

    warm("/", url(newsroom["far"]))
    import_wxr(
        write(
            tmp_path,
            document(
                P(1, title="Imported dispatch"),
                P(2, title="Imported about", type="page", slug="imported-about"),
            ),
        )
    )
    home = client.get("/")
    assert home["X-Cache"] == "miss"
    assert "Imported about" in home.content.decode()  # a top-level page joins the menu
    assert state_of(client, url(newsroom["far"])) == "miss"
