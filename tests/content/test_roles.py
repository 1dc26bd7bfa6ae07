"""The four editorial roles: the rules in ``roles.py``, and the admin enforcing them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.test import Client
from django.urls import reverse

from broadsheet.content import roles
from broadsheet.content.models import Article, Author, Page, Status
from tests.content.admin_forms import article_change_url, article_form, field_errors, run_action
from tests.factories import ArticleFactory, AuthorFactory, PageFactory, UserFactory, user_with_role
from tests.html import get_form, read_form

ADD_URL = "admin:content_article_add"


def own_article(user, **kwargs) -> Article:  # type: ignore[no-untyped-def]
    return ArticleFactory(author=Author.objects.for_user(user), **kwargs)


def signed_in(client: Client, role: str):  # type: ignore[no-untyped-def]
    user = user_with_role(role)
    client.force_login(user)
    return user


def admin_models(client: Client) -> set[str]:
    """The models the admin index offers the signed-in user, as ``app_label.object_name``."""
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {
        f"{app['app_label']}.{model['object_name']}"
        for app in response.context["app_list"]
        for model in app["models"]
    }


# --- the rules themselves ----------------------------------------------------------------


@pytest.mark.django_db
def test_every_role_group_exists_after_migrating() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "codename", "granted"),
    [
        (roles.ADMINISTRATOR, "change_sitesettings", True),
        (roles.ADMINISTRATOR, "change_user", True),
        (roles.EDITOR, "change_page", True),
        (roles.EDITOR, "change_sitesettings", False),
        (roles.EDITOR, "change_user", False),
        (roles.AUTHOR, "delete_article", True),
        (roles.AUTHOR, "change_page", False),
        (roles.CONTRIBUTOR, "add_article", True),
        (roles.CONTRIBUTOR, "delete_article", False),
        (roles.CONTRIBUTOR, "add_tag", False),
    ],
)
def test_role_group_carries_its_model_permissions(role: str, codename: str, granted: bool) -> None:
    group = Group.objects.get(name=role)
    assert group.permissions.filter(codename=codename).exists() is granted


@pytest.mark.django_db
def test_ensuring_role_groups_again_restores_exactly_their_permissions() -> None:
    editor = Group.objects.get(name=roles.EDITOR)
    before = set(editor.permissions.all())
    editor.permissions.remove(Permission.objects.get(codename="change_article"))
    editor.permissions.add(Permission.objects.get(codename="change_sitesettings"))

    roles.ensure_role_groups()

    assert set(editor.permissions.all()) == before
    assert Group.objects.filter(name=roles.EDITOR).count() == 1


@pytest.mark.django_db
def test_role_of_names_the_highest_role_and_treats_superusers_as_administrators() -> None:
    both = user_with_role(roles.CONTRIBUTOR)
    both.groups.add(Group.objects.get(name=roles.EDITOR))

    assert roles.role_of(UserFactory(is_superuser=True)) == roles.ADMINISTRATOR
    assert roles.role_of(both) == roles.EDITOR
    assert roles.role_of(UserFactory()) is None
    assert roles.role_of(AnonymousUser()) is None


@pytest.mark.django_db
def test_contributor_may_only_choose_draft_or_pending_review() -> None:
    assert roles.allowed_statuses(user_with_role(roles.CONTRIBUTOR)) == (
        Status.DRAFT,
        Status.PENDING,
    )
    assert roles.allowed_statuses(user_with_role(roles.AUTHOR)) == tuple(Status.values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "whose", "status", "allowed"),
    [
        (roles.ADMINISTRATOR, "other", Status.PUBLISHED, True),
        (roles.EDITOR, "other", Status.PUBLISHED, True),
        (roles.AUTHOR, "own", Status.PUBLISHED, True),
        (roles.AUTHOR, "other", Status.DRAFT, False),
        (roles.CONTRIBUTOR, "own", Status.DRAFT, True),
        (roles.CONTRIBUTOR, "own", Status.PENDING, True),
        (roles.CONTRIBUTOR, "own", Status.PUBLISHED, False),
        (roles.CONTRIBUTOR, "own", Status.SCHEDULED, False),
        (roles.CONTRIBUTOR, "other", Status.DRAFT, False),
    ],
)
def test_who_may_edit_which_article(role: str, whose: str, status: str, allowed: bool) -> None:
    user = user_with_role(role)
    article = own_article(user, status=status) if whose == "own" else ArticleFactory(status=status)

    assert roles.can_edit_article(user, article) is allowed


@pytest.mark.django_db
def test_staff_member_without_a_role_may_edit_nothing() -> None:
    user = UserFactory()
    assert roles.can_edit_article(user, own_article(user)) is False
    assert roles.can_publish(user) is False


# --- anonymous visitors ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["admin:index", "admin:content_article_changelist", ADD_URL])
def test_anonymous_visitor_is_sent_to_the_login_page(client: Client, url_name: str) -> None:
    url = reverse(url_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


@pytest.mark.django_db
def test_anonymous_post_changes_nothing(client: Client, article: Article) -> None:
    response = client.post(article_change_url(article), {"title": "Defaced"})

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title != "Defaced"


# --- administrators ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("make_administrator", ["superuser", "group"])
def test_administrator_manages_users_and_site_settings(
    client: Client, make_administrator: str
) -> None:
    if make_administrator == "superuser":
        client.force_login(UserFactory(is_superuser=True))
    else:
        signed_in(client, roles.ADMINISTRATOR)

    assert {"content.SiteSettings", "auth.User"} <= admin_models(client)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    settings_url = reverse("admin:content_sitesettings_change", args=[1])
    assert client.get(settings_url).status_code == 200


# --- editors -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_editor_sees_everyones_articles(client: Client) -> None:
    signed_in(client, roles.EDITOR)
    articles = ArticleFactory.create_batch(3)

    response = client.get(reverse("admin:content_article_changelist"))

    assert set(response.context["cl"].result_list) == set(articles)


@pytest.mark.django_db
def test_editor_publishes_someone_elses_pending_article(client: Client) -> None:
    signed_in(client, roles.EDITOR)
    writer = Author.objects.for_user(user_with_role(roles.CONTRIBUTOR))
    article = ArticleFactory(author=writer, status=Status.PENDING, published_at=None)
    form = article_form(client, article)
    assert "author" in form.names

    response = client.post(
        article_change_url(article), form.data(status=Status.PUBLISHED, title="Edited title")
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.title, article.author) == (
        Status.PUBLISHED,
        "Edited title",
        writer,
    )
    assert article.is_live


@pytest.mark.django_db
def test_editor_reassigns_the_byline(client: Client) -> None:
    signed_in(client, roles.EDITOR)
    article = ArticleFactory()
    other = Author.objects.create(display_name="Guest Writer", slug="guest-writer")
    form = article_form(client, article)

    client.post(article_change_url(article), form.data(author=str(other.pk)))

    article.refresh_from_db()
    assert article.author == other


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:content_page_changelist",
        "admin:content_page_add",
        "admin:content_category_changelist",
        "admin:content_category_add",
        "admin:content_tag_changelist",
        "admin:content_tag_add",
    ],
)
def test_editor_manages_pages_categories_and_tags(client: Client, url_name: str) -> None:
    signed_in(client, roles.EDITOR)

    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
def test_editor_edits_a_page(client: Client) -> None:
    signed_in(client, roles.EDITOR)
    page = PageFactory(title="About")
    url = reverse("admin:content_page_change", args=[page.pk])
    form = get_form(client, url, "page_form")

    response = client.post(url, form.data(title="About us", body="Who we are."))

    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.title, page.body) == ("About us", "Who we are.")


@pytest.mark.django_db
def test_editor_cannot_change_site_settings_or_users(client: Client) -> None:
    signed_in(client, roles.EDITOR)
    settings_url = reverse("admin:content_sitesettings_change", args=[1])

    assert admin_models(client).isdisjoint({"content.SiteSettings", "auth.User", "auth.Group"})
    assert client.get(settings_url).status_code == 403
    assert client.post(settings_url, {"title": "Taken over"}).status_code == 403
    assert client.get(reverse("admin:content_sitesettings_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    user = UserFactory()
    assert client.get(reverse("admin:auth_user_change", args=[user.pk])).status_code == 403


# --- authors -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_author_sees_only_own_articles_in_the_list(client: Client) -> None:
    user = signed_in(client, roles.AUTHOR)
    mine = [own_article(user), own_article(user, status=Status.DRAFT, published_at=None)]
    ArticleFactory.create_batch(2)

    response = client.get(reverse("admin:content_article_changelist"))

    assert set(response.context["cl"].result_list) == set(mine)


@pytest.mark.django_db
def test_author_list_offers_no_filter_naming_other_authors(client: Client) -> None:
    signed_in(client, roles.AUTHOR)
    ArticleFactory(author=AuthorFactory(display_name="Someone Else"))

    response = client.get(reverse("admin:content_article_changelist"))

    filter_titles = [spec.title for spec in response.context["cl"].filter_specs]
    assert "author" not in filter_titles
    assert "Someone Else" not in response.content.decode()


@pytest.mark.django_db
def test_author_new_article_gets_own_byline_even_when_posting_another(client: Client) -> None:
    user = signed_in(client, roles.AUTHOR)
    someone = Author.objects.create(display_name="Someone Else", slug="someone-else")
    form = article_form(client)
    assert "author" not in form.names

    response = client.post(
        reverse(ADD_URL),
        form.data(title="My scoop", body="Exclusive.", author=str(someone.pk)),
    )

    assert response.status_code == 302
    article = Article.objects.get(title="My scoop")
    assert article.author == Author.objects.for_user(user)


@pytest.mark.django_db
def test_author_publishes_own_article(client: Client) -> None:
    user = signed_in(client, roles.AUTHOR)
    article = own_article(user, status=Status.DRAFT, published_at=None)
    form = article_form(client, article)
    assert (Status.PUBLISHED, "Published") in form.options["status"]

    response = client.post(article_change_url(article), form.data(status=Status.PUBLISHED))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.is_live


@pytest.mark.django_db
def test_author_cannot_open_or_change_another_persons_article(client: Client) -> None:
    signed_in(client, roles.AUTHOR)
    article = ArticleFactory(title="Not yours")
    url = article_change_url(article)

    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Hijacked", "status": Status.DRAFT}).status_code == 404
    history_url = reverse("admin:content_article_history", args=[article.pk])
    assert client.get(history_url).status_code == 404
    delete_url = reverse("admin:content_article_delete", args=[article.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 404
    article.refresh_from_db()
    assert (article.title, article.status) == ("Not yours", Status.PUBLISHED)


@pytest.mark.django_db
def test_author_bulk_actions_never_reach_another_persons_article(client: Client) -> None:
    signed_in(client, roles.AUTHOR)
    article = ArticleFactory()

    run_action(client, "unpublish_selected", [article])

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


@pytest.mark.django_db
def test_author_cannot_edit_pages(client: Client) -> None:
    signed_in(client, roles.AUTHOR)
    page = PageFactory(title="About")

    assert "content.Page" not in admin_models(client)
    assert client.get(reverse("admin:content_page_changelist")).status_code == 403
    change_url = reverse("admin:content_page_change", args=[page.pk])
    assert client.post(change_url, {"title": "Mine now"}).status_code == 403
    assert Page.objects.get().title == "About"


# --- contributors ------------------------------------------------------------------------


@pytest.mark.django_db
def test_contributor_status_choice_offers_only_draft_and_pending_review(client: Client) -> None:
    signed_in(client, roles.CONTRIBUTOR)

    form = article_form(client)

    assert form.options["status"] == [("draft", "Draft"), ("pending", "Pending review")]
    assert not {"author", "sticky", "published_at_0", "published_at_1"} & form.names


@pytest.mark.django_db
def test_contributor_submits_an_article_for_review(client: Client) -> None:
    user = signed_in(client, roles.CONTRIBUTOR)
    form = article_form(client)

    response = client.post(
        reverse(ADD_URL), form.data(title="For review", body="Draft copy.", status=Status.PENDING)
    )

    assert response.status_code == 302
    article = Article.objects.get(title="For review")
    assert (article.status, article.author, article.published_at) == (
        Status.PENDING,
        Author.objects.for_user(user),
        None,
    )


@pytest.mark.django_db
def test_contributor_cannot_publish_a_new_article(client: Client) -> None:
    signed_in(client, roles.CONTRIBUTOR)
    form = article_form(client)

    response = client.post(
        reverse(ADD_URL),
        form.data(title="Too eager", body="Kept words.", status=Status.PUBLISHED),
    )

    assert response.status_code == 200
    assert field_errors(response, "status") == [
        "Your role cannot give an article the status “published”. Choose Draft or Pending review."
    ]
    kept = read_form(response.content, "article_form")
    assert (kept.values["title"], kept.values["body"]) == (["Too eager"], ["Kept words."])
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_contributor_cannot_publish_own_draft(client: Client) -> None:
    user = signed_in(client, roles.CONTRIBUTOR)
    article = own_article(user, status=Status.DRAFT, published_at=None)
    form = article_form(client, article)

    response = client.post(
        article_change_url(article), form.data(status=Status.PUBLISHED, title="Renamed")
    )

    assert response.status_code == 200
    assert field_errors(response, "status")
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.DRAFT, None)
    assert article.title != "Renamed"


@pytest.mark.django_db
def test_contributor_posting_sticky_or_a_date_changes_neither(client: Client) -> None:
    user = signed_in(client, roles.CONTRIBUTOR)
    article = own_article(user, status=Status.DRAFT, published_at=None)
    form = article_form(client, article)

    client.post(
        article_change_url(article),
        form.data(sticky="on", published_at_0="2020-01-01", published_at_1="10:00:00"),
    )

    article.refresh_from_db()
    assert (article.sticky, article.published_at) == (False, None)


@pytest.mark.django_db
def test_contributor_cannot_edit_own_article_once_published(client: Client) -> None:
    user = signed_in(client, roles.CONTRIBUTOR)
    article = own_article(user, title="Approved copy")
    url = article_change_url(article)

    response = client.get(url)
    assert response.status_code == 200  # they may still read it
    assert "title" not in read_form(response.content, "article_form").names
    response = client.post(url, {"title": "Sneaky edit", "status": Status.DRAFT, "body": ""})
    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.title, article.status) == ("Approved copy", Status.PUBLISHED)


@pytest.mark.django_db
def test_contributor_is_not_offered_publishing_or_deleting_actions(client: Client) -> None:
    user = signed_in(client, roles.CONTRIBUTOR)
    own_article(user, status=Status.DRAFT, published_at=None)

    form = get_form(client, reverse("admin:content_article_changelist"), "changelist-form")

    offered = {value for value, _ in form.options.get("action", []) if value}
    assert offered.isdisjoint({"publish_selected", "unpublish_selected", "delete_selected"})


@pytest.mark.django_db
def test_contributor_posting_the_publish_action_anyway_publishes_nothing(client: Client) -> None:
    user = signed_in(client, roles.CONTRIBUTOR)
    draft = own_article(user, status=Status.DRAFT, published_at=None)
    url = reverse("admin:content_article_changelist")

    client.post(url, {"action": "publish_selected", "_selected_action": [str(draft.pk)]})

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.django_db
def test_contributor_cannot_delete_own_draft(client: Client) -> None:
    user = signed_in(client, roles.CONTRIBUTOR)
    draft = own_article(user, status=Status.DRAFT, published_at=None)

    response = client.post(
        reverse("admin:content_article_delete", args=[draft.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Article.objects.filter(pk=draft.pk).exists()
