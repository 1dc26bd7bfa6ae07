"""The newsroom admin: login, site settings, the article change page, revisions, bulk actions.

Pages are checked through their parsed HTML (the form a browser would submit, the elements
a reader would see), never by searching the response for substrings.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from broadsheet.content import roles
from broadsheet.content.models import Article, ArticleRevision, Author, SiteSettings, Status
from tests.content.admin_forms import article_change_url, article_form, run_action
from tests.factories import ArticleFactory, UserFactory, user_with_role
from tests.html import get_form, parse_html, read_form

PASSWORD = "correct horse battery staple"

# --- login -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_member_signs_in_with_their_password(client: Client) -> None:
    user = UserFactory(username="ada")
    login_url = reverse("admin:login")
    form = get_form(client, login_url, "login-form")
    assert {"username", "password"} <= form.names

    response = client.post(login_url, form.data(username="ada", password=PASSWORD))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_keeps_the_login_form_with_an_error(client: Client) -> None:
    UserFactory(username="ada")
    login_url = reverse("admin:login")
    form = get_form(client, login_url, "login-form")

    response = client.post(login_url, form.data(username="ada", password="wrong"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert SESSION_KEY not in client.session
    assert read_form(response.content, "login-form").values["username"] == ["ada"]


# --- site settings -----------------------------------------------------------------------


@pytest.mark.django_db
def test_site_settings_list_goes_straight_to_the_single_row(staff_client: Client) -> None:
    response = staff_client.get(reverse("admin:content_sitesettings_changelist"))

    assert response.status_code == 302
    assert response.url == reverse("admin:content_sitesettings_change", args=[1])
    assert SiteSettings.objects.count() == 1


@pytest.mark.django_db
def test_administrator_renames_the_site_and_the_home_page_follows(staff_client: Client) -> None:
    ArticleFactory.create_batch(3)
    staff_client.get(reverse("content:home"))  # the old settings are now cached
    url = reverse("admin:content_sitesettings_change", args=[1])
    form = get_form(staff_client, url, "sitesettings_form")

    response = staff_client.post(url, form.data(title="The Harbour Gazette", posts_per_page="2"))

    assert response.status_code == 302
    settings = SiteSettings.objects.get()
    assert (settings.title, settings.posts_per_page) == ("The Harbour Gazette", 2)
    home = Client().get(reverse("content:home"))
    page = parse_html(home.content)
    assert page.find("p", class_="site-title").text.strip() == "The Harbour Gazette"
    assert len(page.find_all("article", class_="entry")) == 2


@pytest.mark.django_db
def test_administrator_group_member_can_edit_site_settings(client: Client) -> None:
    client.force_login(user_with_role(roles.ADMINISTRATOR))
    url = reverse("admin:content_sitesettings_change", args=[1])
    form = get_form(client, url, "sitesettings_form")

    response = client.post(url, form.data(tagline="Plain reporting."))

    assert response.status_code == 302
    assert SiteSettings.objects.get().tagline == "Plain reporting."


# --- the article change page -------------------------------------------------------------


@pytest.mark.django_db
def test_change_page_shows_the_sanitized_rendering_of_the_body(staff_client: Client) -> None:
    article = ArticleFactory(
        body_format="html",
        body='<h2>Background</h2><p onclick="steal()">Kept.</p><script>alert(1)</script>',
    )

    response = staff_client.get(article_change_url(article))

    preview = parse_html(response.content).find("div", class_="broadsheet-preview")
    assert [element.tag for element in preview.iter()] == ["div", "h2", "p"]
    assert preview.find("h2").text == "Background"
    assert preview.find("p").attrs == {}
    assert preview.text == "BackgroundKept."


@pytest.mark.django_db
def test_add_page_explains_the_preview_appears_after_saving(staff_client: Client) -> None:
    response = staff_client.get(reverse("admin:content_article_add"))

    page = parse_html(response.content)
    assert page.find_all("div", class_="broadsheet-preview") == []
    preview_field = page.find("div", class_="field-rendered_preview")
    assert "Save the article" in preview_field.find("div", class_="readonly").text


@pytest.mark.django_db
def test_change_page_lists_the_revisions_with_links(staff_client: Client) -> None:
    article = ArticleFactory()
    form = article_form(staff_client, article)
    staff_client.post(article_change_url(article), form.data(title="Second wording"))

    response = staff_client.get(article_change_url(article))

    history = parse_html(response.content).find("div", class_="field-revision_history")
    links = [link.attrs["href"] for link in history.find("ul").find_all("a")]
    expected = [
        reverse("admin:content_article_revision", args=[article.pk, revision.pk])
        for revision in article.revisions.all()
    ]
    assert len(expected) == 2
    assert links == expected


# --- revisions ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_admin_save_records_a_revision_by_the_editor(client: Client) -> None:
    editor = user_with_role(roles.EDITOR)
    client.force_login(editor)
    article = ArticleFactory(title="First wording")
    assert article.revisions.get().saved_by is None  # created outside the admin

    form = article_form(client, article)
    client.post(article_change_url(article), form.data(title="Second wording"))
    form = article_form(client, article)
    client.post(article_change_url(article), form.data(title="Third wording"))

    saved = list(article.revisions.values_list("title", "saved_by"))
    assert saved == [
        ("Third wording", editor.pk),
        ("Second wording", editor.pk),
        ("First wording", None),
    ]


@pytest.mark.django_db
def test_adding_an_article_in_the_admin_records_its_first_revision(client: Client) -> None:
    author = user_with_role(roles.AUTHOR)
    client.force_login(author)
    form = article_form(client)

    client.post(
        reverse("admin:content_article_add"),
        form.data(title="Fresh copy", body="Words.", status=Status.DRAFT),
    )

    article = Article.objects.get(title="Fresh copy")
    assert list(article.revisions.values_list("title", "saved_by")) == [("Fresh copy", author.pk)]


def revision_url(revision: ArticleRevision) -> str:
    return reverse("admin:content_article_revision", args=[revision.article_id, revision.pk])


@pytest.mark.django_db
def test_revision_page_shows_the_old_wording(staff_client: Client) -> None:
    article = ArticleFactory(title="Old headline", body="Old <b>body</b> text.")
    old = article.revisions.get()
    form = article_form(staff_client, article)
    staff_client.post(article_change_url(article), form.data(title="New headline", body="New."))

    response = staff_client.get(revision_url(old))

    assert response.status_code == 200
    content = parse_html(response.content).find(id="content")
    assert content.find("h2").text == "Old headline"
    assert content.find("pre", class_="revision-source").text == "Old <b>body</b> text."
    assert content.find_all("form", method="post")  # the restore button


@pytest.mark.django_db
def test_restoring_a_revision_brings_back_the_old_wording_as_a_new_revision(
    client: Client,
) -> None:
    editor = user_with_role(roles.EDITOR)
    client.force_login(editor)
    article = ArticleFactory(title="Old headline", body="Old body.")
    old = article.revisions.get()
    form = article_form(client, article)
    client.post(article_change_url(article), form.data(title="New headline", body="New body."))

    response = client.post(revision_url(old))

    assert response.status_code == 302
    assert response.url == article_change_url(article)
    article.refresh_from_db()
    assert (article.title, article.body) == ("Old headline", "Old body.")
    newest = article.revisions.first()
    assert (newest.title, newest.saved_by) == ("Old headline", editor)
    assert article.revisions.count() == 3


@pytest.mark.django_db
def test_author_cannot_see_or_restore_revisions_of_anothers_article(client: Client) -> None:
    client.force_login(user_with_role(roles.AUTHOR))
    article = ArticleFactory(title="Someone else's", body="Their words.")
    revision = article.revisions.get()
    article.title = "Their newer headline"
    article.save()

    assert client.get(revision_url(revision)).status_code == 404
    assert client.post(revision_url(revision)).status_code == 404
    article.refresh_from_db()
    assert article.title == "Their newer headline"


@pytest.mark.django_db
def test_author_revision_list_holds_only_their_own_articles(client: Client) -> None:
    user = user_with_role(roles.AUTHOR)
    client.force_login(user)
    mine = ArticleFactory(author=Author.objects.for_user(user))
    others = ArticleFactory()

    response = client.get(reverse("admin:content_articlerevision_changelist"))

    listed = {revision.article_id for revision in response.context["cl"].result_list}
    assert listed == {mine.pk}
    other_revision = others.revisions.get()
    url = reverse("admin:content_articlerevision_change", args=[other_revision.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_contributor_may_read_but_not_restore_revisions_of_own_published_article(
    client: Client,
) -> None:
    user = user_with_role(roles.CONTRIBUTOR)
    client.force_login(user)
    article = ArticleFactory(author=Author.objects.for_user(user), title="Approved")
    revision = article.revisions.get()

    response = client.get(revision_url(revision))

    assert response.status_code == 200
    assert parse_html(response.content).find(id="content").find_all("form") == []
    assert client.post(revision_url(revision)).status_code == 403


@pytest.mark.django_db
def test_staff_member_without_a_role_cannot_read_revisions(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    article = ArticleFactory(author=Author.objects.for_user(user))

    assert client.get(revision_url(article.revisions.get())).status_code == 403


@pytest.mark.django_db
def test_editor_publishes_selected_drafts_in_bulk(client: Client) -> None:
    editor = user_with_role(roles.EDITOR)
    client.force_login(editor)
    drafts = ArticleFactory.create_batch(2, status=Status.DRAFT, published_at=None)
    untouched = ArticleFactory(status=Status.DRAFT, published_at=None)

    response = run_action(client, "publish_selected", drafts)

    assert response.status_code == 302
    for article in drafts:
        article.refresh_from_db()
        assert article.status == Status.PUBLISHED
        assert article.is_live
        assert article.revisions.first().saved_by == editor
    untouched.refresh_from_db()
    assert untouched.status == Status.DRAFT


@pytest.mark.django_db
def test_bulk_publishing_a_future_dated_draft_schedules_it(client: Client) -> None:
    client.force_login(user_with_role(roles.EDITOR))
    later = timezone.now() + dt.timedelta(days=2)
    draft = ArticleFactory(status=Status.DRAFT, published_at=later)

    run_action(client, "publish_selected", [draft])

    draft.refresh_from_db()
    assert draft.status == Status.SCHEDULED
    assert not draft.is_live


@pytest.mark.django_db
def test_editor_moves_selected_articles_back_to_draft(client: Client) -> None:
    client.force_login(user_with_role(roles.EDITOR))
    published = ArticleFactory.create_batch(2)

    response = run_action(client, "unpublish_selected", published)

    assert response.status_code == 302
    statuses = set(
        Article.objects.filter(pk__in=[a.pk for a in published]).values_list("status", flat=True)
    )
    assert statuses == {Status.DRAFT}
    assert not Article.objects.published().exists()


@pytest.mark.django_db
def test_article_list_shows_comment_counts_and_opens_or_closes_discussion(
    staff_client: Client,
) -> None:
    from tests.factories import CommentFactory

    article = ArticleFactory(title="Talked about")
    CommentFactory.create_batch(2, article=article, status="approved")
    CommentFactory(article=article, status="pending")
    quiet = ArticleFactory(title="Quiet")
    changelist = reverse("admin:content_article_changelist")
    document = parse_html(staff_client.get(changelist).content)
    cells = {
        row.find("th").text.strip(): row.find("td", class_="field-comment_counts")
        for row in document.find("table", id="result_list").find("tbody").find_all("tr")
    }
    assert {title: cell.text.strip() for title, cell in cells.items()} == {
        "Talked about": "2 (1 pending)",
        "Quiet": "0",
    }
    link = cells["Talked about"].find("a").attrs["href"]
    filtered = staff_client.get(link)
    assert filtered.status_code == 200
    assert {c.article_id for c in filtered.context["cl"].result_list} == {article.pk}

    form = get_form(staff_client, changelist, "changelist-form")
    selected = [str(article.pk), str(quiet.pk)]
    staff_client.post(changelist, form.data(action="close_comments", _selected_action=selected))
    assert set(Article.objects.values_list("comments_open", flat=True)) == {False}
    assert Article.objects.get(pk=article.pk).revisions.count() == 1  # not a new revision
