"""The comment form as a reader uses it, in Chromium with JavaScript on and off: posting,
errors, threaded replies, the consent cookie, console errors and accessibility."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from playwright.sync_api import Locator, Page, Response, expect

from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.visitors import COMMENTER_COOKIE, PENDING_COOKIE
from broadsheet.content.models import Article
from tests.browser.fixtures import DEMO_ARTICLE_TITLE, Tab
from tests.browser.test_reader_pages import axe_violations, describe_violations

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PENDING_NOTICE = "Your comment is awaiting moderation."


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def javascript(request: pytest.FixtureRequest) -> bool:
    return request.param


@pytest.fixture
def article(demo_site: dict[str, str]) -> Article:
    """The demo article, with a form that may be posted as soon as it is loaded."""
    DiscussionSettings.objects.update_or_create(
        pk=1, defaults={"min_seconds_to_write": 0, "flood_seconds": 0}
    )
    cache.clear()  # the discussion settings are cached
    return Article.objects.get(title=DEMO_ARTICLE_TITLE)


@pytest.fixture
def reader(open_tab: Callable[..., Tab], javascript: bool) -> Tab:
    """The commenter's tab, with JavaScript on or off as the test is parametrised."""
    return open_tab(java_script_enabled=javascript, color_scheme="light", **DESKTOP)


def approved_comment(
    article: Article, author: str, body: str, parent: Comment | None = None, **fields: Any
) -> Comment:
    """A comment a moderator has already approved, as a reply to ``parent`` if given."""
    return Comment.objects.create(
        article=article,
        parent=parent,
        thread=(parent.thread or parent) if parent else None,
        depth=parent.depth + 1 if parent else 1,
        author_name=author,
        author_email=f"{author.split()[0].lower()}@example.org",
        body=body,
        status=Comment.Status.APPROVED,
        **fields,
    )


def comment_form(page: Page) -> Locator:
    return page.locator("form#commentform")


def fill_form(
    page: Page,
    *,
    comment: str = "",
    author: str = "",
    email: str = "",
    website: str = "",
    remember: bool = False,
) -> None:
    """Type into the fields a reader sees, found by their accessible names."""
    form = comment_form(page)
    for name, value in (
        ("Comment", comment),
        ("Name", author),
        ("Email", email),
        ("Website", website),
    ):
        if value:
            form.get_by_role("textbox", name=name, exact=True).fill(value)
    if remember:
        form.get_by_role("checkbox", name="Save my name, email, and website").check()


def submit(tab: Tab) -> Response:
    """Click "Post Comment" and return the response that ends the navigation."""
    with tab.page.expect_navigation() as navigation:
        comment_form(tab.page).get_by_role("button", name="Post Comment").click()
    response = navigation.value
    # The page's address, not the response's: Chromium reports a 400 under the address with
    # its #fragment, and Tab recognises that expected console error by address and status.
    tab.document_url, tab.document_status = tab.page.url, response.status
    return response


def posted_comment(tab: Tab, article: Article) -> Comment:
    """The comment a successful post redirected to (``…/article/#comment-ID``)."""
    address = urlsplit(tab.page.url)
    assert address.path == article.get_absolute_url()
    assert address.fragment.startswith("comment-"), tab.page.url
    return Comment.objects.get(pk=int(address.fragment.removeprefix("comment-")))


def heading_text(page: Page) -> str:
    """The reply heading's own words, without the "Cancel reply" link inside it."""
    return page.locator("#reply-title").evaluate(
        "title => Array.from(title.childNodes)"
        ".filter(node => node.nodeType === Node.TEXT_NODE)"
        ".map(node => node.textContent).join('').trim()"
    )


def form_position(page: Page) -> str | None:
    """The id of the comment whose list item holds the form, or None at the end of the page."""
    return page.locator("#respond").evaluate("respond => respond.closest('li')?.id ?? null")


def parent_field(page: Page) -> str:
    return comment_form(page).locator("input[name=comment_parent]").input_value()


def click_reply(page: Page, comment: Comment) -> None:
    """Follow the comment's own Reply link (not one of its replies')."""
    own = page.locator(f"li#comment-{comment.pk} > article")
    own.get_by_role("link", name=f"Reply to {comment.author_name}", exact=True).click()


def cookie_names_visible_to_scripts(page: Page) -> set[str]:
    cookies = page.evaluate("document.cookie")
    return {pair.split("=", 1)[0].strip() for pair in cookies.split(";") if pair.strip()}


# --- Posting ------------------------------------------------------------------------------


def test_posted_comment_awaits_moderation_shown_to_its_author_only(
    reader: Tab, open_tab: Callable[..., Tab], article: Article, javascript: bool
) -> None:
    reader.open(article.get_absolute_url())
    text = "Which frigates took part this year?\n\nAnd who commanded the group?"
    fill_form(reader.page, comment=text, author="Ada Reader", email="ada@example.org")

    response = submit(reader)

    assert response.status == 200
    redirect = response.request.redirected_from
    assert redirect is not None and redirect.method == "POST"
    answer = redirect.response()
    assert answer is not None and answer.status == 303
    comment = posted_comment(reader, article)
    assert (comment.status, comment.author_name) == (Comment.Status.PENDING, "Ada Reader")
    assert comment.body.splitlines() == text.splitlines()  # browsers send CRLF line breaks
    shown = reader.page.locator(f"ol.comment-list > li#comment-{comment.pk}")
    assert shown.locator(".fn").inner_text() == "Ada Reader"
    assert shown.locator(".comment-awaiting-moderation").inner_text() == PENDING_NOTICE
    assert shown.locator(".comment-content p").all_inner_texts() == [
        "Which frigates took part this year?",
        "And who commanded the group?",
    ]
    # A pending comment cannot be answered yet.
    assert shown.locator(".comment-reply-link").count() == 0
    assert [str(error) for error in reader.unexpected_console_errors] == []

    stranger = open_tab(java_script_enabled=javascript, **DESKTOP)
    stranger.open(article.get_absolute_url())
    assert stranger.page.locator(f"#comment-{comment.pk}").count() == 0
    assert stranger.page.locator(".comment-awaiting-moderation").count() == 0
    assert stranger.page.locator(".no-comments").inner_text().startswith("No comments yet.")


MISSING_FIELD_CASES = {
    "name and email": (
        {"comment": "Line one of my thoughts.\nLine two, kept as typed.", "website": "example.com"},
        {
            "id_author": "Please enter your name.",
            "id_email": "Please enter your email address. It will not be published.",
        },
    ),
    "comment": (
        {"author": "Ada Reader", "email": "ada@example.org", "website": "https://ada.example"},
        {"id_comment": "Please type your comment text."},
    ),
}


@pytest.mark.parametrize("case", MISSING_FIELD_CASES)
def test_missing_fields_are_explained_beside_each_field_and_in_a_summary_keeping_what_was_typed(
    reader: Tab, article: Article, case: str
) -> None:
    typed, expected_errors = MISSING_FIELD_CASES[case]
    reader.open(article.get_absolute_url())
    fill_form(reader.page, remember=True, **typed)

    response = submit(reader)

    assert response.status == 400
    assert Comment.objects.count() == 0
    page = reader.page
    summary = page.locator("#comment-errors")
    # The reader lands on the summary, not on the top of a long article, and so does focus.
    expect(summary).to_be_in_viewport()
    assert page.evaluate("document.activeElement.id") == "comment-errors"
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("h3").inner_text() == "Your comment was not posted yet"
    summary_links = summary.locator("li a")
    assert [(link.get_attribute("href"), link.inner_text()) for link in summary_links.all()] == [
        (f"#{field_id}", message) for field_id, message in expected_errors.items()
    ]
    for field_id, message in expected_errors.items():
        control = page.locator(f"#{field_id}")
        assert control.get_attribute("aria-invalid") == "true"
        described_by = (control.get_attribute("aria-describedby") or "").split()
        assert f"{field_id}-error" in described_by
        beside = page.locator(f"p.has-error:has(#{field_id}) > span.field-error")
        assert beside.get_attribute("id") == f"{field_id}-error"
        assert beside.inner_text() == message
    assert page.locator("p.has-error").count() == len(expected_errors)
    values = {
        "comment": page.locator("#id_comment").input_value(),
        "author": page.locator("#id_author").input_value(),
        "email": page.locator("#id_email").input_value(),
        "website": page.locator("#id_url").input_value(),
    }
    assert values == {"comment": "", "author": "", "email": "", "website": ""} | typed
    assert page.locator("#id_cookies_consent").is_checked()
    assert [str(error) for error in reader.unexpected_console_errors] == []


# --- Threaded replies ---------------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True], ids=["js"], indirect=True)
def test_reply_moves_the_form_under_the_comment_and_cancel_moves_it_back(
    reader: Tab, article: Article
) -> None:
    first = approved_comment(article, "Alice Analyst", "The exercise runs every June.")
    second = approved_comment(article, "Bruno Baltic", "Twenty ships, I counted.")
    reader.open(article.get_absolute_url())
    page = reader.page
    assert form_position(page) is None
    cancel = page.get_by_role("link", name="Cancel reply")
    assert cancel.is_hidden()

    click_reply(page, second)

    assert page.url == reader.base_url + article.get_absolute_url()  # no navigation
    assert form_position(page) == f"comment-{second.pk}"
    # Under the comment's own text, before any replies to it.
    assert page.locator(f"li#comment-{second.pk} > article + #respond").count() == 1
    assert heading_text(page) == "Leave a Reply to Bruno Baltic"
    assert parent_field(page) == str(second.pk)
    assert cancel.is_visible()
    assert page.evaluate("document.activeElement.id") == "id_comment"

    click_reply(page, first)
    assert form_position(page) == f"comment-{first.pk}"
    assert heading_text(page) == "Leave a Reply to Alice Analyst"
    assert parent_field(page) == str(first.pk)

    cancel.click()

    assert form_position(page) is None
    assert page.locator("section#comments > #respond").count() == 1
    assert heading_text(page) == "Leave a Reply"
    assert parent_field(page) == "0"
    assert cancel.is_hidden()
    assert [str(error) for error in reader.unexpected_console_errors] == []


@pytest.mark.parametrize("javascript", [False], ids=["no-js"], indirect=True)
def test_reply_link_without_javascript_opens_the_form_for_that_comment(
    reader: Tab, article: Article
) -> None:
    parent = approved_comment(article, "Alice Analyst", "The exercise runs every June.")
    reader.open(article.get_absolute_url())
    page = reader.page

    with page.expect_navigation() as navigation:
        click_reply(page, parent)

    assert navigation.value.status == 200
    address = urlsplit(page.url)
    assert address.path == article.get_absolute_url()
    assert parse_qs(address.query) == {"replytocom": [str(parent.pk)]}
    assert address.fragment == "respond"
    assert heading_text(page) == "Leave a Reply to Alice Analyst"
    assert parent_field(page) == str(parent.pk)
    cancel = page.get_by_role("link", name="Cancel reply")
    assert cancel.is_visible()
    assert cancel.get_attribute("href") == f"{article.get_absolute_url()}#respond"

    with page.expect_navigation():
        cancel.click()

    assert heading_text(page) == "Leave a Reply"
    assert parent_field(page) == "0"
    assert cancel.is_hidden()


def test_a_reply_is_nested_under_its_parent_pending_for_its_author_then_for_all(
    reader: Tab, open_tab: Callable[..., Tab], article: Article, javascript: bool
) -> None:
    parent = approved_comment(article, "Alice Analyst", "The exercise runs every June.")
    reader.open(article.get_absolute_url())

    if javascript:
        click_reply(reader.page, parent)
    else:
        with reader.page.expect_navigation():
            click_reply(reader.page, parent)
    fill_form(reader.page, comment="Not in 2020.", author="Ada Reader", email="ada@example.org")
    submit(reader)

    reply = posted_comment(reader, article)
    assert (reply.parent_id, reply.thread_id, reply.depth) == (parent.pk, parent.pk, 2)
    nested = f"ol.comment-list > li#comment-{parent.pk} > ol.children > li#comment-{reply.pk}"
    shown = reader.page.locator(nested)
    assert shown.locator(".comment-awaiting-moderation").inner_text() == PENDING_NOTICE
    # The form is back at the end of the section, answering no one.
    assert form_position(reader.page) is None
    assert parent_field(reader.page) == "0"

    Comment.objects.filter(pk=reply.pk).update(status=Comment.Status.APPROVED)
    stranger = open_tab(java_script_enabled=javascript, **DESKTOP)
    stranger.open(article.get_absolute_url())
    shown = stranger.page.locator(nested)
    assert shown.locator(".comment-content").inner_text() == "Not in 2020."
    assert shown.locator(".comment-awaiting-moderation").count() == 0
    assert stranger.page.locator("#comments-title").inner_text() == (
        f"2 responses to “{article.title}”"
    )
    assert [str(error) for error in reader.unexpected_console_errors] == []
    assert [str(error) for error in stranger.unexpected_console_errors] == []


@pytest.mark.parametrize("javascript", [True], ids=["js"], indirect=True)
def test_cancelling_a_reply_after_a_rejected_post_makes_it_a_new_comment_again(
    reader: Tab, article: Article
) -> None:
    parent = approved_comment(article, "Alice Analyst", "The exercise runs every June.")
    reader.open(article.get_absolute_url())
    click_reply(reader.page, parent)
    fill_form(reader.page, comment="I forgot my name.")
    assert submit(reader).status == 400
    assert heading_text(reader.page) == "Leave a Reply to Alice Analyst"
    assert parent_field(reader.page) == str(parent.pk)

    reader.page.get_by_role("link", name="Cancel reply").click()

    assert heading_text(reader.page) == "Leave a Reply"
    assert parent_field(reader.page) == "0"
    assert reader.page.locator("#id_comment").input_value() == "I forgot my name."


# --- The consent cookie -------------------------------------------------------------------


def test_ticking_consent_fills_in_name_email_and_website_on_the_next_visit(
    reader: Tab, article: Article
) -> None:
    reader.open(article.get_absolute_url())
    fill_form(
        reader.page,
        comment="Remember me, please.",
        author="Ada Reader",
        email="ada@example.org",
        website="ada.example",
        remember=True,
    )
    submit(reader)
    posted_comment(reader, article)

    cookies = {cookie["name"]: cookie for cookie in reader.page.context.cookies()}
    assert cookies[COMMENTER_COOKIE]["httpOnly"] is True
    assert cookies[PENDING_COOKIE]["httpOnly"] is True
    assert not {COMMENTER_COOKIE, PENDING_COOKIE} & cookie_names_visible_to_scripts(reader.page)

    other_article = Article.objects.published().exclude(pk=article.pk).first()
    assert other_article is not None
    reader.open(other_article.get_absolute_url())
    page = reader.page
    assert page.locator("#id_author").input_value() == "Ada Reader"
    assert page.locator("#id_email").input_value() == "ada@example.org"
    assert page.locator("#id_url").input_value() == "https://ada.example"
    assert page.locator("#id_cookies_consent").is_checked()
    assert page.locator("#id_comment").input_value() == ""


def test_leaving_consent_unticked_stores_no_commenter_cookie(reader: Tab, article: Article) -> None:
    reader.open(article.get_absolute_url())
    fill_form(reader.page, comment="Forget me.", author="Ada Reader", email="ada@example.org")
    submit(reader)
    posted_comment(reader, article)

    names = {cookie["name"] for cookie in reader.page.context.cookies()}
    assert COMMENTER_COOKIE not in names
    assert PENDING_COOKIE in names  # so the author still sees the held comment
    reader.open(article.get_absolute_url())
    page = reader.page
    assert page.locator("#id_author").input_value() == ""
    assert page.locator("#id_email").input_value() == ""
    assert not page.locator("#id_cookies_consent").is_checked()


def test_unticking_consent_on_a_later_comment_forgets_the_commenter(
    reader: Tab, article: Article
) -> None:
    reader.open(article.get_absolute_url())
    fill_form(
        reader.page,
        comment="First, remembered.",
        author="Ada Reader",
        email="ada@example.org",
        remember=True,
    )
    submit(reader)
    assert COMMENTER_COOKIE in {cookie["name"] for cookie in reader.page.context.cookies()}

    reader.page.locator("#id_cookies_consent").uncheck()
    fill_form(reader.page, comment="Second, forget me now.")
    submit(reader)

    posted_comment(reader, article)
    assert COMMENTER_COOKIE not in {cookie["name"] for cookie in reader.page.context.cookies()}


# --- Console and accessibility ------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_comment_section_has_no_console_errors_and_no_axe_violations_in_any_state(
    open_tab: Callable[..., Tab], article: Article, scheme: str
) -> None:
    parent = approved_comment(
        article,
        "Alice Analyst",
        "The exercise runs every June. See [the schedule](https://example.org/baltops).",
        author_url="https://alice.example",
    )
    approved_comment(article, "Bruno Baltic", "Twenty ships, I counted.", parent=parent)
    approved_comment(article, "Carla Coast", "A separate thought.")
    tab = open_tab(color_scheme=scheme, **DESKTOP)
    tab.open(article.get_absolute_url())
    # A comment of this reader's own, still held, is on the page in every state below.
    fill_form(tab.page, comment="Mine, held.", author="Ada Reader", email="ada@example.org")
    submit(tab)
    assert tab.page.locator(".comment-awaiting-moderation").count() == 1
    found = {"thread with a held comment": axe_violations(tab)}

    click_reply(tab.page, parent)
    assert form_position(tab.page) == f"comment-{parent.pk}"
    found["form moved under a comment"] = axe_violations(tab)

    fill_form(tab.page, comment="A reply without a name.")
    assert submit(tab).status == 400
    assert tab.page.locator("#comment-errors").is_visible()
    found["form errors"] = axe_violations(tab)

    assert found == dict.fromkeys(found, []), "\n".join(
        f"{state}: {describe_violations(violations)}"
        for state, violations in found.items()
        if violations
    )
    assert [str(error) for error in tab.unexpected_console_errors] == []
