"""What a reader's browser sees: structure, accessibility, layout, keyboard use and dark mode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from broadsheet.content.demo_data import DEMO_ARTICLES
from broadsheet.content.models import Article, Author
from tests.browser.conftest import DEMO_ARTICLE_TITLE, Tab

pytestmark = pytest.mark.browser

PAGE_KINDS = [
    "home",
    "article",
    "category",
    "tag",
    "author",
    "month",
    "about",
    "nested page",
    "not found",
]
MOBILE = {"width": 375, "height": 740}

axe = Axe()


def axe_violations(tab: Tab, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The violations axe-core finds in the tab's current document."""
    results = axe.run(tab.page, options={"resultTypes": ["violations"], **(options or {})})
    return results.response["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation and one per offending node, so a failure says what to fix."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']!r}")
    return "\n".join(lines)


def relative_luminance(css_colour: str) -> float:
    """WCAG relative luminance of an ``rgb()``/``rgba()`` colour as getComputedStyle reports it."""
    channels = css_colour[css_colour.index("(") + 1 : css_colour.index(")")].split(",")
    red, green, blue = (float(channel) / 255 for channel in channels[:3])

    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_reader_page_is_well_formed_and_quiet(tab: Tab, demo_site: dict[str, str], kind: str):
    status = tab.open(demo_site[kind])

    assert status == (404 if kind == "not found" else 200)
    page = tab.page
    assert page.locator("h1").count() == 1
    assert page.get_by_role("main").count() == 1
    skip_target = page.locator("a.skip-link").get_attribute("href")
    assert skip_target is not None and skip_target.startswith("#")
    assert page.locator(f"[id='{skip_target[1:]}']").count() == 1
    assert tab.console_errors == []


def test_not_found_page_is_designed_with_a_way_home(tab: Tab, demo_site: dict[str, str]):
    assert tab.open(demo_site["not found"]) == 404

    page = tab.page
    assert page.locator(".site-header .site-title").inner_text() == "The Military Army Blog"
    assert page.locator("main").get_by_role("link", name="Go to the front page").count() == 1
    page.locator("main").get_by_role("link", name="Go to the front page").click()
    page.wait_for_url(tab.base_url + demo_site["home"])


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_accessibility_violations(tab: Tab, demo_site: dict[str, str], kind: str):
    tab.open(demo_site[kind])

    violations = axe_violations(tab)

    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_mobile_reader_never_scrolls_sideways(
    open_tab: Callable[..., Tab], demo_site: dict[str, str], kind: str
):
    tab = open_tab(viewport=MOBILE, is_mobile=True, has_touch=True)
    tab.open(demo_site[kind])

    scroll_width, client_width = tab.page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )

    assert scroll_width <= client_width


def test_article_page_shows_the_full_body_with_its_subheadings(
    tab: Tab, demo_site: dict[str, str]
):
    tab.open(demo_site["article"])

    body = next(data["body"] for data in DEMO_ARTICLES if data["title"] == DEMO_ARTICLE_TITLE)
    subheadings = [line[3:] for line in body.splitlines() if line.startswith("## ")]
    shown = tab.page.locator("article .entry-content h2").all_inner_texts()
    assert shown == subheadings
    last_paragraph = body.strip().split("\n\n")[-1].split()
    assert tab.page.locator("article .entry-content p").last.inner_text().split() == last_paragraph


def test_article_byline_has_a_machine_readable_date(tab: Tab, demo_site: dict[str, str]):
    tab.open(demo_site["article"])

    stamp = tab.page.locator("article .byline time").get_attribute("datetime")

    assert stamp is not None
    published = Article.objects.get(title=DEMO_ARTICLE_TITLE).published_at
    assert dt.datetime.fromisoformat(stamp) == published


def test_article_byline_leads_to_the_author_archive(tab: Tab, demo_site: dict[str, str]):
    tab.open(demo_site["article"])
    author = Article.objects.get(title=DEMO_ARTICLE_TITLE).author

    tab.page.locator("article .byline").get_by_role("link", name=author.display_name).click()

    tab.page.wait_for_url(tab.base_url + author.get_absolute_url())
    assert tab.page.locator("h1").inner_text() == f"Articles by {author.display_name}"


def test_home_page_lists_every_demo_article_under_the_site_title(
    tab: Tab, demo_site: dict[str, str]
):
    tab.open(demo_site["home"])

    page = tab.page
    assert page.locator("header.site-header .site-title").inner_text() == "The Military Army Blog"
    listed = page.locator("main article .entry-title a").all_inner_texts()
    assert sorted(listed) == sorted(data["title"] for data in DEMO_ARTICLES)


def test_clicking_an_article_title_on_the_home_page_opens_the_article(
    tab: Tab, demo_site: dict[str, str]
):
    tab.open(demo_site["home"])

    tab.page.locator("main .entry-title").get_by_role("link", name=DEMO_ARTICLE_TITLE).click()

    tab.page.wait_for_url(tab.base_url + demo_site["article"])
    assert tab.page.locator("h1").inner_text() == DEMO_ARTICLE_TITLE


@pytest.mark.parametrize("kind", ["home", "article"])
def test_first_tab_reveals_the_skip_link_and_enter_moves_focus_to_main(
    tab: Tab, demo_site: dict[str, str], kind: str
):
    tab.open(demo_site[kind])
    page = tab.page
    skip_link = page.locator("a.skip-link")
    assert skip_link.bounding_box()["y"] < 0, "the skip link should start off-screen"

    page.keyboard.press("Tab")

    assert skip_link.evaluate("link => link === document.activeElement")
    box = skip_link.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_dark_scheme_has_a_dark_background_and_readable_contrast(
    open_tab: Callable[..., Tab], demo_site: dict[str, str], kind: str
):
    tab = open_tab(color_scheme="dark")
    tab.open(demo_site[kind])

    background = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert relative_luminance(background) < 0.05, background
    violations = axe_violations(tab, {"runOnly": ["color-contrast"]})
    assert violations == [], describe_violations(violations)


def test_author_archive_lists_only_that_authors_articles(tab: Tab, demo_site: dict[str, str]):
    tab.open(demo_site["author"])
    author = Author.objects.get(slug="helen-walker")

    listed = tab.page.locator("main article .entry-title a").all_inner_texts()

    expected = [data["title"] for data in DEMO_ARTICLES if data["author"] == author.slug]
    assert sorted(listed) == sorted(expected)
