"""Leaving a comment without JavaScript: the form, its validation, and every refusal.

Each test loads the article page, fills in the form as rendered and posts it, as a browser
would. Refusals are checked for their status, their message on the page, the commenter's
text kept in the form, and — always — nothing stored.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from broadsheet.comments import posting
from broadsheet.comments.forms import COMMENT_MAX, EMAIL_MAX, NAME_MAX, URL_MAX
from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.spam import form_timestamp
from broadsheet.content.models import Article
from tests.comments.conftest import (
    VALID_COMMENT,
    comment_form,
    form_element,
    post_comment,
    post_rendered_form,
    posted_comment,
)
from tests.factories import ArticleFactory, UserFactory
from tests.html import Element, parse_html

Configure = Callable[..., DiscussionSettings]

WORDPRESS_CONSENT_LABEL = (
    "Save my name, email, and website in this browser for the next time I comment."
)
TYPED_FIELDS = ("comment", "author", "email", "url")
# Posts counted for flood control once they are committed: these tests commit for real.
COMMITTED = pytest.mark.django_db(transaction=True)


def label_for(form: Element, control: Element) -> Element:
    return form.find("label", **{"for": control.attrs["id"] or ""})


def error_summary(response: HttpResponse) -> Element:
    return parse_html(response.content).find(id="comment-errors")


def assert_typed_values_kept(response: HttpResponse, typed: dict[str, str]) -> None:
    """The re-rendered form, as a browser would submit it, still holds what was typed."""
    values = comment_form(response).values
    for name in TYPED_FIELDS:
        if name in typed:
            assert values[name] == [typed[name]], name


def assert_refused(
    response: HttpResponse, status: int, message: str, typed: dict[str, str]
) -> None:
    assert response.status_code == status
    assert message in " ".join(error_summary(response).text.split())
    assert_typed_values_kept(response, typed)
    assert not Comment.objects.exists()


@pytest.fixture
def page(client: Client, article: Article, discussion: Configure) -> HttpResponse:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response


# The form as rendered


def test_form_has_wordpress_heading_note_and_submit_button(page: HttpResponse) -> None:
    document = parse_html(page.content)
    assert document.find("h2", id="reply-title").children[0].strip() == "Leave a Reply"
    note = " ".join(document.find("p", class_="comment-notes").text.split())
    assert note.startswith("Your email address will not be published. Required fields are marked *")
    form = form_element(page)
    submit = form.find("input", type="submit")
    assert submit.attrs["value"] == "Post Comment"
    assert form.attrs["method"] == "post"
    assert "novalidate" in form.attrs  # every check is made on the server


def test_every_visible_field_has_a_label_tied_to_it(page: HttpResponse) -> None:
    form = form_element(page)
    controls = [
        control
        for control in form.iter()
        if control.tag in {"input", "textarea"}
        and control.attrs.get("type") not in {"hidden", "submit"}
    ]
    assert {control.attrs["name"] for control in controls} >= {
        "comment",
        "author",
        "email",
        "url",
        "cookies_consent",
    }
    for control in controls:
        assert label_for(form, control).text.strip()


@pytest.mark.parametrize("name", ["comment", "author", "email"])
def test_required_fields_say_so_to_browsers_and_screen_readers(
    page: HttpResponse, name: str
) -> None:
    form = form_element(page)
    control = form.find(name=name)
    assert "required" in control.attrs
    assert control.attrs["aria-required"] == "true"
    label = label_for(form, control)
    assert label.find("span", class_="required").text == "*"


def test_website_is_optional(page: HttpResponse) -> None:
    control = form_element(page).find("input", name="url")
    assert "required" not in control.attrs
    assert control.attrs["type"] == "url"


def test_email_field_is_described_by_the_not_published_note(page: HttpResponse) -> None:
    document = parse_html(page.content)
    email = document.find("input", name="email")
    note = document.find(id=email.attrs["aria-describedby"] or "")
    assert note.text == "Your email address will not be published."


def test_cookie_consent_checkbox_has_wordpress_label_and_starts_unticked(
    page: HttpResponse,
) -> None:
    form = form_element(page)
    checkbox = form.find("input", name="cookies_consent")
    assert checkbox.attrs["type"] == "checkbox"
    assert "checked" not in checkbox.attrs
    assert label_for(form, checkbox).text == WORDPRESS_CONSENT_LABEL


def test_hidden_fields_carry_article_parent_and_form_token(
    page: HttpResponse, article: Article
) -> None:
    form = form_element(page)
    hidden = {
        control.attrs["name"]: control.attrs.get("value")
        for control in form.find_all("input", type="hidden")
    }
    assert hidden["comment_post_ID"] == str(article.pk)
    assert hidden["comment_parent"] == "0"
    token = hidden["form_token"] or ""
    assert form_timestamp.check(token, article.pk, min_seconds=0, max_hours=1) is None


def test_honeypot_field_is_hidden_from_people_and_screen_readers(page: HttpResponse) -> None:
    form = form_element(page)
    trap = form.find("input", name="fax_number")
    container = next(
        element for element in form.iter() if trap in element.children and element is not form
    )
    assert container.attrs["aria-hidden"] == "true"
    assert "comment-form-hp" in (container.attrs["class"] or "").split()  # moved off-screen
    assert trap.attrs["tabindex"] == "-1"
    assert trap.attrs["autocomplete"] == "off"
    assert comment_form(page).values["fax_number"] == [""]


# Closed comments


def close_by_hand(article: Article, discussion: Configure) -> None:
    Article.objects.filter(pk=article.pk).update(comments_open=False)


def close_by_age(article: Article, discussion: Configure) -> None:
    article.published_at = timezone.now() - dt.timedelta(days=30)
    article.save()
    discussion(close_after_days=14)


CLOSERS = [
    pytest.param(close_by_hand, id="closed-on-the-article"),
    pytest.param(close_by_age, id="auto-closed-after-close_after_days"),
]


@pytest.mark.parametrize("close", CLOSERS)
def test_closed_article_says_comments_are_closed_and_offers_no_form(
    client: Client, article: Article, discussion: Configure, close: Callable[..., None]
) -> None:
    close(article, discussion)
    article.refresh_from_db()
    document = parse_html(client.get(article.get_absolute_url()).content)
    assert document.find("p", class_="comments-closed").text == "Comments are closed."
    assert document.find_all("form", id="commentform") == []


def test_article_younger_than_close_after_days_stays_open(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(close_after_days=14)
    assert form_element(client.get(article.get_absolute_url()))


@pytest.mark.parametrize("close", CLOSERS)
def test_posting_to_a_closed_article_is_refused_with_403_and_nothing_stored(
    client: Client,
    article: Article,
    page: HttpResponse,
    discussion: Configure,
    close: Callable[..., None],
) -> None:
    close(article, discussion)
    response = post_rendered_form(client, page, **VALID_COMMENT)
    assert response.status_code == 403
    document = parse_html(response.content)
    assert document.find(id="comment-errors").text == posting.CLOSED.message
    assert document.find("p", class_="comments-closed").text == "Comments are closed."
    assert not Comment.objects.exists()


# Validation


INVALID = [
    pytest.param({"comment": ""}, "comment", "Please type your comment text.", id="no-comment"),
    pytest.param({"comment": "  \n "}, "comment", "Please type your comment text.", id="blank"),
    pytest.param({"author": ""}, "author", "Please enter your name.", id="no-name"),
    pytest.param({"author": "   "}, "author", "Please enter your name.", id="blank-name"),
    pytest.param({"email": ""}, "email", "Please enter your email address.", id="no-email"),
    pytest.param({"email": "ada@"}, "email", "Please enter a valid email", id="bad-email"),
    pytest.param({"email": "ada example.org"}, "email", "valid email", id="email-with-space"),
    pytest.param({"url": "ftp://example.org/"}, "url", "http:// or https://", id="ftp-url"),
    pytest.param({"url": "javascript:alert(1)"}, "url", "http:// or https://", id="js-url"),
    pytest.param({"url": "JavaScript://%0aalert(1)"}, "url", "http://", id="js-slashes"),
    pytest.param({"url": "data:text/html,hi"}, "url", "http:// or https://", id="data-url"),
    pytest.param({"url": "https://exa mple.org"}, "url", "http:// or https://", id="space"),
    pytest.param({"author": "n" * (NAME_MAX + 1)}, "author", "name is too long", id="long-name"),
    pytest.param(
        {"email": "a" * 61 + "@" + "b" * 31 + ".example"},
        "email",
        "email address is too long",
        id="long-email",
    ),
    pytest.param(
        {"url": "https://example.org/" + "p" * (URL_MAX - 19)},
        "url",
        "website address is too long",
        id="long-url",
    ),
    pytest.param(
        {"comment": "c" * (COMMENT_MAX + 1)}, "comment", "comment is too long", id="long-comment"
    ),
]


@pytest.mark.parametrize(("typed", "field", "message"), INVALID)
def test_invalid_comment_is_shown_again_with_the_error_by_its_field(
    client: Client, page: HttpResponse, typed: dict[str, str], field: str, message: str
) -> None:
    entered = {**VALID_COMMENT, "url": "https://ada.example.org/", **typed}
    response = post_rendered_form(client, page, **entered)

    assert response.status_code == 400
    document = parse_html(response.content)
    control = document.find(name=field)
    error = document.find(class_="field-error", id=f"{control.attrs['id']}-error")
    assert message in error.text
    assert control.attrs["aria-invalid"] == "true"
    assert error.attrs["id"] in (control.attrs["aria-describedby"] or "").split()
    summary = document.find(id="comment-errors")
    links = summary.find_all("a")
    assert [link.attrs["href"] for link in links] == [f"#{control.attrs['id']}"]
    assert message in links[0].text
    assert_typed_values_kept(response, entered)
    assert not Comment.objects.exists()


def test_fields_without_errors_are_not_marked_invalid(client: Client, page: HttpResponse) -> None:
    response = post_rendered_form(client, page, **{**VALID_COMMENT, "email": "nope"})
    document = parse_html(response.content)
    for name in ("comment", "author", "url"):
        control = document.find(name=name)
        assert "aria-invalid" not in control.attrs
    assert [error.attrs["id"] for error in document.find_all(class_="field-error")] == [
        "id_email-error"
    ]


def test_several_errors_are_all_listed_in_the_summary_in_form_order(
    client: Client, page: HttpResponse
) -> None:
    response = post_rendered_form(client, page, comment="", author="", email="")
    assert response.status_code == 400
    links = error_summary(response).find_all("a")
    assert [link.attrs["href"] for link in links] == ["#id_comment", "#id_author", "#id_email"]


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param({"author": "n" * NAME_MAX}, id="name"),
        pytest.param({"email": "a" * 60 + "@" + "b" * 31 + ".example"}, id="email"),
        pytest.param({"url": "https://example.org/" + "p" * (URL_MAX - 20)}, id="url"),
        pytest.param({"comment": "c" * COMMENT_MAX}, id="comment"),
    ],
)
def test_fields_exactly_at_wordpress_limits_are_accepted(
    client: Client, page: HttpResponse, typed: dict[str, str]
) -> None:
    (name, value), *_ = typed.items()
    limits = {"author": NAME_MAX, "email": EMAIL_MAX, "url": URL_MAX, "comment": COMMENT_MAX}
    assert len(value) == limits[name]
    comment = posted_comment(post_rendered_form(client, page, **{**VALID_COMMENT, **typed}))
    stored = {
        "author": comment.author_name,
        "email": comment.author_email,
        "url": comment.author_url,
        "comment": comment.body,
    }
    assert stored[name] == value


def test_website_without_scheme_gets_https(client: Client, page: HttpResponse) -> None:
    comment = posted_comment(
        post_rendered_form(client, page, **VALID_COMMENT, url="ada.example.org/blog")
    )
    assert comment.author_url == "https://ada.example.org/blog"


def test_website_with_a_port_is_not_mistaken_for_a_scheme(
    client: Client, page: HttpResponse
) -> None:
    comment = posted_comment(
        post_rendered_form(client, page, **VALID_COMMENT, url="ada.example.org:8080/")
    )
    assert comment.author_url == "https://ada.example.org:8080/"


# Success


def test_accepted_comment_redirects_to_its_anchor_on_the_article(
    client: Client, article: Article, page: HttpResponse
) -> None:
    response = post_rendered_form(
        client, page, **VALID_COMMENT, url="https://ada.example.org/", notify_replies="on"
    )
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert (comment.article, comment.parent, comment.depth) == (article, None, 1)
    assert comment.author_name == VALID_COMMENT["author"]
    assert comment.author_email == VALID_COMMENT["email"]
    assert comment.author_url == "https://ada.example.org/"
    assert comment.body == VALID_COMMENT["comment"]
    assert comment.notify_replies is True
    assert comment.ip_address == "127.0.0.1"


def test_wordpress_form_address_accepts_the_same_form(
    client: Client, article: Article, page: HttpResponse
) -> None:
    response = client.post("/wp-comments-post.php", comment_form(page).data(**VALID_COMMENT))
    assert posted_comment(response).article == article


def test_posting_address_refuses_get(client: Client, discussion: Configure) -> None:
    assert client.get("/comments/post/").status_code == 405


def test_comment_for_an_unknown_article_is_not_found(
    client: Client, article: Article, page: HttpResponse
) -> None:
    response = post_rendered_form(client, page, **VALID_COMMENT, comment_post_ID="999999")
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_user_agent_is_stored_cut_to_254_characters(
    article: Article, discussion: Configure
) -> None:
    browser = Client(HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 400)
    comment = posted_comment(post_comment(browser, article))
    assert comment.user_agent == ("Mozilla/5.0 " + "x" * 400)[:254]


# Refusals: duplicates and floods


def test_duplicate_comment_is_refused_with_409(
    client: Client, article: Article, discussion: Configure
) -> None:
    posted_comment(post_comment(client, article))
    response = post_comment(client, article)
    assert response.status_code == 409
    assert posting.DUPLICATE.message in error_summary(response).text
    assert_typed_values_kept(response, VALID_COMMENT)
    assert Comment.objects.count() == 1


def test_duplicate_is_recognised_whatever_the_case_of_the_email(
    client: Client, article: Article, discussion: Configure
) -> None:
    posted_comment(post_comment(client, article))
    response = post_comment(client, article, email=VALID_COMMENT["email"].upper())
    assert response.status_code == 409
    assert Comment.objects.count() == 1


def test_same_text_from_someone_else_is_not_a_duplicate(
    client: Client, article: Article, discussion: Configure
) -> None:
    posted_comment(post_comment(client, article))
    posted_comment(post_comment(client, article, author="Grace Hopper", email="grace@example.org"))


@COMMITTED
def test_second_comment_from_the_same_ip_within_the_flood_interval_is_refused(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(flood_seconds=60)
    posted_comment(post_comment(client, article))
    typed = {"comment": "And another thing.", "author": "Grace", "email": "grace@example.org"}
    response = post_comment(client, article, **typed)
    assert response.status_code == 429
    assert posting.FLOOD.message in error_summary(response).text
    assert_typed_values_kept(response, typed)
    assert Comment.objects.count() == 1


@COMMITTED
def test_second_comment_with_the_same_email_from_another_ip_is_refused(
    article: Article, discussion: Configure
) -> None:
    discussion(flood_seconds=60)
    posted_comment(post_comment(Client(REMOTE_ADDR="198.51.100.1"), article))
    response = post_comment(
        Client(REMOTE_ADDR="198.51.100.2"), article, comment="Something else entirely."
    )
    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_comments_from_different_people_on_different_ips_are_not_a_flood(
    article: Article, discussion: Configure
) -> None:
    discussion(flood_seconds=60)
    posted_comment(post_comment(Client(REMOTE_ADDR="198.51.100.1"), article))
    posted_comment(
        post_comment(
            Client(REMOTE_ADDR="198.51.100.2"),
            article,
            author="Grace",
            email="grace@example.org",
            comment="A different point.",
        )
    )


def test_comment_after_the_flood_interval_is_accepted(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(flood_seconds=1)
    posted_comment(post_comment(client, article))
    time.sleep(1.1)
    posted_comment(post_comment(client, article, comment="A second thought, later."))


def test_moderators_are_never_flood_limited(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(flood_seconds=60, hourly_limit_per_ip=1)
    client.force_login(UserFactory(is_superuser=True))
    posted_comment(post_comment(client, article, comment="First note from the desk."))
    posted_comment(post_comment(client, article, comment="Second note from the desk."))


@COMMITTED
def test_more_comments_than_the_hourly_limit_from_one_ip_are_refused(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(hourly_limit_per_ip=2)
    for number in range(2):
        posted_comment(
            post_comment(
                client, article, comment=f"Point {number}.", email=f"p{number}@example.org"
            )
        )
    response = post_comment(client, article, comment="Point 3.", email="p3@example.org")
    assert response.status_code == 429
    assert posting.HOURLY.message in error_summary(response).text
    assert Comment.objects.count() == 2
    posted_comment(
        post_comment(Client(REMOTE_ADDR="198.51.100.9"), article, comment="From elsewhere.")
    )


# Refusals: bots


def test_form_posted_back_faster_than_anyone_can_type_is_refused(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(min_seconds_to_write=3)
    response = post_comment(client, article)
    assert_refused(response, 400, posting.TOO_FAST.message, VALID_COMMENT)


def test_refused_form_can_be_posted_again_as_returned(
    client: Client, article: Article, discussion: Configure
) -> None:
    """The refusal page carries a new form token, so the commenter's next click succeeds."""
    options = discussion(form_lifetime_hours=48)
    page = client.get(article.get_absolute_url())
    loaded_at = time.time() - 3600 * (options.form_lifetime_hours + 1)
    stale = form_timestamp.issue(article.pk, now=loaded_at)
    refused = post_rendered_form(client, page, **VALID_COMMENT, form_token=stale)
    assert refused.status_code == 400
    again = client.post("/comments/post/", comment_form(refused).data())
    assert posted_comment(again).body == VALID_COMMENT["comment"]


def test_form_loaded_longer_ago_than_its_lifetime_is_refused(
    client: Client, article: Article, discussion: Configure
) -> None:
    options = discussion(form_lifetime_hours=48)
    page = client.get(article.get_absolute_url())
    loaded_at = time.time() - 3600 * (options.form_lifetime_hours + 1)
    stale = form_timestamp.issue(article.pk, now=loaded_at)
    response = client.post(
        "/comments/post/", comment_form(page).data(**VALID_COMMENT, form_token=stale)
    )
    assert_refused(response, 400, posting.EXPIRED.message, VALID_COMMENT)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("eyJhIjoxLCJ0IjoxfQ:forged:signature", id="forged"),
    ],
)
def test_form_without_a_genuine_token_is_refused(
    client: Client, page: HttpResponse, token: str | None
) -> None:
    response = post_rendered_form(client, page, **VALID_COMMENT, form_token=token)
    assert_refused(response, 400, posting.BOT.message, VALID_COMMENT)


def test_token_issued_for_another_article_is_refused(client: Client, page: HttpResponse) -> None:
    other = ArticleFactory()
    response = post_rendered_form(
        client, page, **VALID_COMMENT, form_token=form_timestamp.issue(other.pk)
    )
    assert_refused(response, 400, posting.BOT.message, VALID_COMMENT)


def test_filled_honeypot_is_refused_and_nothing_stored(client: Client, page: HttpResponse) -> None:
    response = post_rendered_form(client, page, **VALID_COMMENT, fax_number="+1 555 0100")
    assert_refused(response, 400, posting.BOT.message, VALID_COMMENT)


def test_refusals_keep_nothing_of_the_requests_they_refused(
    client: Client, page: HttpResponse
) -> None:
    """Each refusal is a new exception: re-raising a shared one would chain every request's
    frames (and the commenter's details in them) onto it for the life of the process."""
    for attempt in range(2):
        response = post_rendered_form(client, page, **VALID_COMMENT, fax_number=f"bot {attempt}")
        assert response.status_code == 400
    assert posting.BOT.__traceback__ is None


def test_form_tokens_issued_in_one_second_are_one_token_and_name_their_article(
    settings: Any,
) -> None:
    issued_at = 1_790_000_000.2
    first = form_timestamp.issue(7, now=issued_at)
    assert form_timestamp.issue(7, now=issued_at + 0.5) == first  # signed once, reused
    assert form_timestamp.issue(8, now=issued_at) != first
    assert form_timestamp.issue(7, now=issued_at + 1) != first
    settings.SECRET_KEY = "another site's key, not to be mixed up with the first"
    assert form_timestamp.issue(7, now=issued_at) != first


# Numbers nobody's browser sends

ODD_NUMBERS = [
    "²",
    "١٢",
    "99999999999999999999",
    "9223372036854775808",
    "-1",
    " 1",
    "1 ",
    "1e3",
    "",
]
ENDPOINTS = ["/comments/post/", "/wp-comments-post.php"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("number", ODD_NUMBERS)
def test_an_odd_article_number_is_a_bad_request_that_hands_the_text_back(
    client: Client, page: HttpResponse, endpoint: str, number: str
) -> None:
    client.raise_request_exception = False
    data = comment_form(page).data(**VALID_COMMENT, comment_post_ID=number)
    response = client.post(endpoint, data)
    assert response.status_code == 400
    kept = parse_html(response.content).find("textarea", id="unmatched-comment")
    assert kept.text == VALID_COMMENT["comment"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("number", [n for n in ODD_NUMBERS if n])
def test_an_odd_reply_number_shows_the_form_again_with_everything_typed(
    client: Client, page: HttpResponse, endpoint: str, number: str
) -> None:
    client.raise_request_exception = False
    data = comment_form(page).data(**VALID_COMMENT, comment_parent=number)
    response = client.post(endpoint, data)
    assert response.status_code == 400
    assert error_summary(response).find("li") is not None
    assert_typed_values_kept(response, VALID_COMMENT)
    assert not Comment.objects.exists()
