"""The comment queue in the admin: state tabs, filters, search, bulk decisions, moderation links
from emails, approve-and-reply, who may moderate, and the discussion settings page.

Pages are read through their parsed HTML and forms are posted as a browser would post them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from broadsheet.comments.discussion import discussion_settings
from broadsheet.comments.models import Comment, DiscussionSettings, SpamToken
from broadsheet.comments.spam import bayes
from broadsheet.content import roles
from broadsheet.outbox import sender as outbox
from tests.factories import CommentFactory, UserFactory, user_with_role
from tests.html import HtmlForm, get_form, parse_html, read_form

Status = Comment.Status
pytestmark = pytest.mark.django_db


def changelist_url(query: str = "") -> str:
    return reverse("admin:comments_comment_changelist") + query


def listed_ids(client: Client, query: str = "") -> set[int]:
    """The comments the changelist shows: the ids of its row checkboxes."""
    response = client.get(changelist_url(query))
    assert response.status_code == 200
    # An empty changelist has no table at all, hence searching the whole page for checkboxes.
    boxes = parse_html(response.content).find_all("input", name="_selected_action")
    return {int(box.attrs["value"] or 0) for box in boxes}


def status_tabs(content: bytes) -> dict[str, tuple[int, str]]:
    """Tab label → (count, link) from the queue's "Comments by state" navigation."""
    nav = parse_html(content).find("nav", class_="comment-status-tabs")
    tabs = {}
    for link in nav.find_all("a"):
        label = "".join(child for child in link.children if isinstance(child, str)).strip()
        count = link.find("span", class_="count").text.strip("()")
        tabs[label] = (int(count), link.attrs["href"] or "")
    return tabs


def run_action(client: Client, action: str, comments: list[Comment]):  # type: ignore[no-untyped-def]
    """Submit the changelist's action form as a browser would, with ``comments`` ticked."""
    form = get_form(client, changelist_url(), "changelist-form")
    assert action in dict(form.options["action"])
    selected = [str(comment.pk) for comment in comments]
    return client.post(changelist_url(), form.data(action=action, _selected_action=selected))


def states(*comments: Comment) -> list[str]:
    return [Comment.objects.get(pk=comment.pk).status for comment in comments]


def moderate_url(comment: Comment, action: str) -> str:
    return reverse("admin:comments_comment_moderate", args=[comment.pk]) + f"?action={action}"


def reply_url(comment: Comment) -> str:
    return reverse("admin:comments_comment_reply", args=[comment.pk])


@pytest.fixture
def editor_client(client: Client) -> Client:
    client.force_login(user_with_role(roles.EDITOR))
    return client


@pytest.fixture
def author_client(client: Client) -> Client:
    client.force_login(user_with_role(roles.AUTHOR))
    return client


# --- the queue ---------------------------------------------------------------------------


def test_queue_shows_a_tab_per_state_with_its_count(staff_client: Client) -> None:
    CommentFactory.create_batch(2, status=Status.PENDING)
    CommentFactory.create_batch(3, status=Status.APPROVED)
    CommentFactory(status=Status.SPAM)

    tabs = status_tabs(staff_client.get(changelist_url()).content)

    assert {label: count for label, (count, _) in tabs.items()} == {
        "All": 6,
        "Pending": 2,
        "Approved": 3,
        "Spam": 1,
        "Trash": 0,
    }


def test_each_tab_lists_only_the_comments_in_its_state(staff_client: Client) -> None:
    pending = CommentFactory(status=Status.PENDING)
    spam = CommentFactory(status=Status.SPAM)
    tabs = status_tabs(staff_client.get(changelist_url()).content)

    assert listed_ids(staff_client, "?" + tabs["Pending"][1].split("?")[1]) == {pending.pk}
    assert listed_ids(staff_client, "?status__exact=spam") == {spam.pk}
    assert listed_ids(staff_client, "?status__exact=trash") == set()
    assert listed_ids(staff_client) == {pending.pk, spam.pk}


def test_the_tab_being_shown_is_marked_as_current(staff_client: Client) -> None:
    CommentFactory(status=Status.SPAM)

    nav = parse_html(staff_client.get(changelist_url("?status__exact=spam")).content).find(
        "nav", class_="comment-status-tabs"
    )

    current = [link for link in nav.find_all("a") if link.attrs.get("aria-current") == "page"]
    assert [link.attrs["href"] for link in current] == [changelist_url("?status__exact=spam")]


@pytest.mark.parametrize(
    ("query", "field"),
    [("Hopper", "author_name"), ("grace@navy.example", "author_email"), ("COBOL", "body")],
)
def test_search_finds_comments_by_author_email_or_text(
    staff_client: Client, query: str, field: str
) -> None:
    wanted = CommentFactory(
        author_name="Grace Hopper", author_email="grace@navy.example", body="COBOL forever."
    )
    CommentFactory(author_name="Ada Lovelace", body="Engines.")

    assert listed_ids(staff_client, f"?q={query}") == {wanted.pk}


def test_comments_are_not_added_from_the_admin_but_answered(staff_client: Client) -> None:
    """An admin-made comment would have no article (the field is read-only): replies go
    through approve-and-reply instead."""
    comment = CommentFactory()

    page = parse_html(staff_client.get(changelist_url()).content)

    assert page.find("div", id="content-main").find_all("a", class_="addlink") == []
    assert staff_client.get(reverse("admin:comments_comment_add")).status_code == 403
    row = page.find("input", name="_selected_action", value=str(comment.pk))
    assert row  # the row exists, and offers a way to answer:
    links = {link.attrs["href"] for link in page.find_all("a", class_="comment-reply")}
    assert links == {reply_url(comment)}


# --- bulk decisions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "state", "trained_as"),
    [
        ("approve_selected", Status.APPROVED, "ham"),
        ("spam_selected", Status.SPAM, "spam"),
        ("trash_selected", Status.TRASH, ""),
        ("unapprove_selected", Status.PENDING, ""),
    ],
)
def test_bulk_decision_changes_only_the_ticked_comments(
    staff_client: Client, action: str, state: str, trained_as: str
) -> None:
    ticked = CommentFactory.create_batch(2, status=Status.APPROVED if "un" in action else "pending")
    untouched = CommentFactory(status=Status.TRASH)

    response = run_action(staff_client, action, ticked)

    assert response.status_code == 302
    assert states(*ticked, untouched) == [state, state, Status.TRASH]
    if trained_as:
        assert {Comment.objects.get(pk=c.pk).trained_as for c in ticked} == {trained_as}


def test_bulk_delete_removes_a_comment_and_its_reply_together(staff_client: Client) -> None:
    root = CommentFactory(status=Status.APPROVED)
    middle = CommentFactory(article=root.article, parent=root, thread=root, depth=2)
    reply = CommentFactory(article=root.article, parent=middle, thread=root, depth=3)
    bayes.learn(middle, "spam")

    response = run_action(staff_client, "delete_for_good", [middle, reply])

    assert response.status_code == 302
    assert list(Comment.objects.values_list("pk", flat=True)) == [root.pk]
    assert not SpamToken.objects.filter(spam__gt=0).exists()  # the training is withdrawn


def test_the_plain_delete_action_is_replaced_by_delete_for_good(staff_client: Client) -> None:
    CommentFactory()

    form = get_form(staff_client, changelist_url(), "changelist-form")

    offered = {value for value, _ in form.options["action"] if value}
    assert offered == {
        "approve_selected",
        "unapprove_selected",
        "spam_selected",
        "trash_selected",
        "delete_for_good",
    }


# --- navigation --------------------------------------------------------------------------


def test_admin_navigation_shows_the_pending_count(staff_client: Client) -> None:
    CommentFactory.create_batch(2, status=Status.PENDING)
    CommentFactory(status=Status.APPROVED)

    page = parse_html(staff_client.get(reverse("admin:index")).content)

    row = page.find("tr", class_="model-comment")
    assert row.find("th").find("a", href=changelist_url()).text.strip() == "Comments (2 pending)"


# --- one comment: the moderation link from an email --------------------------------------


def test_moderation_link_asks_to_confirm_and_changes_nothing_until_posted(
    staff_client: Client,
) -> None:
    comment = CommentFactory(body="Buy pills.")

    response = staff_client.get(moderate_url(comment, "spam"))

    assert response.status_code == 200
    page = parse_html(response.content)
    assert page.find("blockquote").text.strip() == "Buy pills."
    form = read_form(response.content, "moderate-form")
    assert form.values["action"] == ["spam"]
    assert states(comment) == [Status.PENDING]

    posted = staff_client.post(moderate_url(comment, "spam"), form.data())

    assert posted.status_code == 302
    assert posted.url == changelist_url()
    assert states(comment) == [Status.SPAM]
    assert Comment.objects.get(pk=comment.pk).trained_as == "spam"


def test_moderation_link_refuses_an_unknown_action(staff_client: Client) -> None:
    comment = CommentFactory()

    response = staff_client.get(moderate_url(comment, "<script>delete</script>"))

    assert response.status_code == 400
    assert response.content == b"Unknown action; use one of approve, spam, trash, unapprove."
    assert states(comment) == [Status.PENDING]


# --- one comment: approve and reply ------------------------------------------------------


def reply_form(client: Client, comment: Comment) -> HtmlForm:
    return get_form(client, reply_url(comment), "reply-form")


def test_approve_and_reply_publishes_the_comment_and_threads_the_answer(
    staff_client: Client,
) -> None:
    comment = CommentFactory(status=Status.PENDING, body="When do they sail?")
    staff = Comment._meta.get_field("user").related_model.objects.get(is_superuser=True)
    form = reply_form(staff_client, comment)

    response = staff_client.post(reply_url(comment), form.data(body="In the spring."))

    assert response.status_code == 302
    assert states(comment) == [Status.APPROVED]
    reply = Comment.objects.exclude(pk=comment.pk).get()
    assert (reply.parent_id, reply.thread_id, reply.depth) == (comment.pk, comment.pk, 2)
    assert (reply.user_id, reply.status, reply.body) == (
        staff.pk,
        Status.APPROVED,
        "In the spring.",
    )


def test_an_empty_reply_is_refused_and_changes_nothing(staff_client: Client) -> None:
    comment = CommentFactory(status=Status.PENDING)
    form = reply_form(staff_client, comment)

    response = staff_client.post(reply_url(comment), form.data(body="   "))

    assert response.status_code == 200
    assert parse_html(response.content).find("p", class_="errornote").text == (
        "Please type your reply."
    )
    assert states(comment) == [Status.PENDING]
    assert Comment.objects.count() == 1


def test_a_reply_is_stored_without_control_characters(staff_client: Client) -> None:
    comment = CommentFactory(status=Status.PENDING)
    form = reply_form(staff_client, comment)

    refused = staff_client.post(reply_url(comment), form.data(body="\x01\x0b \x7f"))
    sent = staff_client.post(reply_url(comment), form.data(body="In\x0b the\x01 spring.\x85"))

    assert parse_html(refused.content).find("p", class_="errornote").text == (
        "Please type your reply."
    )
    assert sent.status_code == 302
    assert Comment.objects.exclude(pk=comment.pk).get().body == "In the spring."


# --- editing one comment -----------------------------------------------------------------


def change_form(client: Client, comment: Comment) -> tuple[str, HtmlForm]:
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    return url, get_form(client, url, "comment_form")


def test_approving_in_the_edit_form_tells_the_commenter_replied_to(
    staff_client: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    parent = CommentFactory(status=Status.APPROVED, notify_replies=True)
    reply = CommentFactory(article=parent.article, parent=parent, thread=parent, depth=2)
    url, form = change_form(staff_client, reply)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, form.data(status="approved"))

    assert response.status_code == 302
    assert states(reply) == [Status.APPROVED]
    assert outbox.wait_until_sent(timeout=10)
    assert [message.to for message in mail.outbox] == [[parent.author_email]]


def test_editing_a_trained_comment_retrains_the_filter_on_the_new_text(
    staff_client: Client,
) -> None:
    comment = CommentFactory(status=Status.SPAM, body="cheap pills casino")
    bayes.learn(comment, "spam")
    url, form = change_form(staff_client, comment)

    staff_client.post(url, form.data(body="frigate programme"))

    counted = set(SpamToken.objects.filter(spam__gt=0).values_list("token", flat=True))
    assert counted == bayes.tokens("frigate programme")
    assert Comment.objects.get(pk=comment.pk).trained_as == "spam"


def test_an_edited_comment_is_stored_without_control_characters(staff_client: Client) -> None:
    comment = CommentFactory(status=Status.APPROVED, body="frigate")
    url, form = change_form(staff_client, comment)

    response = staff_client.post(url, form.data(body="Frigate\x0b pro\x01gramme\x9b"))

    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).body == "Frigate programme"
    _, shown = change_form(staff_client, comment)
    assert shown.data()["body"] == ["Frigate programme"]


# --- who may moderate --------------------------------------------------------------------


def test_editor_moderates_from_the_queue_and_from_an_email_link(editor_client: Client) -> None:
    first, second = CommentFactory(), CommentFactory()

    assert listed_ids(editor_client) == {first.pk, second.pk}
    run_action(editor_client, "approve_selected", [first])
    form = get_form(editor_client, moderate_url(second, "trash"), "moderate-form")
    editor_client.post(moderate_url(second, "trash"), form.data())

    assert states(first, second) == [Status.APPROVED, Status.TRASH]


def test_author_cannot_see_or_moderate_comments(author_client: Client) -> None:
    comment = CommentFactory()

    for url in (changelist_url(), moderate_url(comment, "approve"), reply_url(comment)):
        assert author_client.get(url).status_code == 403
    assert (
        author_client.post(moderate_url(comment, "approve"), {"action": "approve"}).status_code
        == 403
    )
    assert author_client.post(reply_url(comment), {"body": "Hi"}).status_code == 403
    assert states(comment) == [Status.PENDING]
    assert Comment.objects.count() == 1
    index = parse_html(author_client.get(reverse("admin:index")).content)
    assert index.find_all("tr", class_="model-comment") == []


# --- discussion settings -----------------------------------------------------------------


def settings_form(client: Client) -> tuple[str, HtmlForm]:
    response = client.get(reverse("admin:comments_discussionsettings_changelist"))
    assert response.status_code == 302
    return response.url, get_form(client, response.url, "discussionsettings_form")


def test_saved_discussion_settings_take_effect_at_once(staff_client: Client) -> None:
    assert discussion_settings().moderation == "hold-first-time"  # now cached
    url, form = settings_form(staff_client)
    assert ("approve-all", "Publish every comment that passes the spam checks") in (
        form.options["moderation"]
    )

    response = staff_client.post(url, form.data(moderation="approve-all", keep_ip_days="7"))

    assert response.status_code == 302
    current = discussion_settings()
    assert (current.moderation, current.keep_ip_days) == ("approve-all", 7)
    assert DiscussionSettings.objects.get().moderation == "approve-all"


def test_editor_cannot_change_discussion_settings(editor_client: Client) -> None:
    response = editor_client.get(reverse("admin:comments_discussionsettings_changelist"))

    assert response.status_code == 403


def test_a_staff_member_without_a_role_sees_no_comments(client: Client) -> None:
    client.force_login(UserFactory())

    assert client.get(changelist_url()).status_code == 403
