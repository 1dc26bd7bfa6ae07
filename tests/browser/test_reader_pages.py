"""What a reader's browser sees: structure, accessibility, layout, keyboard use and dark mode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from broadsheet.content.demo_data import DEMO_ARTICLES
from broadsheet.content.models import Article
from tests.browser.fixtures import DEMO_ARTICLE_TITLE, Tab

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
# One page per template: the dark palette is shared, so the templates' own elements are what vary.
ONE_PAGE_PER_TEMPLATE = ["home", "article", "category", "nested page", "not found"]
MOBILE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
SITE_TITLE = "The Military Army Blog"

axe = Axe()


def axe_violations(tab: Tab, rules: list[str] | None = None) -> list[dict[str, Any]]:
    """The violations axe-core finds in the tab's current document (only ``rules``, if given)."""
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = rules
    return axe.run(tab.page, options=options).response["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation, then one per offending node, so a failure says what to fix."""
    lines = [f"{len(violations)} axe violation(s):"]
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node["failureSummary"].split())
            lines.append(f"    {' '.join(node['target'])}  {node['html'][:120]}  -- {summary}")
    return "\n".join(lines)


def relative_luminance(css_colour: str) -> float:
    """WCAG relative luminance of an ``rgb()``/``rgba()`` colour as getComputedStyle reports it."""
    channels = css_colour[css_colour.index("(") + 1 : css_colour.index(")")].split(",")
    red, green, blue = (float(channel) / 255 for channel in channels[:3])

    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def demo_article_body() -> str:
    return next(data["body"] for data in DEMO_ARTICLES if data["title"] == DEMO_ARTICLE_TITLE)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_reader_page_has_one_heading_a_main_landmark_a_skip_link_and_no_console_errors(
    tab: Tab, demo_site: dict[str, str], kind: str
):
    status = tab.open(demo_site[kind])

    assert status == (404 if kind == "not found" else 200)
    page = tab.page
    assert page.locator("h1").count() == 1
    assert page.get_by_role("main").count() == 1
    skip_target = page.locator("a.skip-link").get_attribute("href") or ""
    assert skip_target.startswith("#")
    assert page.locator(f"main[id='{skip_target[1:]}']").count() == 1
    assert [str(error) for error in tab.unexpected_console_errors] == []


def test_not_found_page_keeps_the_site_design_and_links_home(tab: Tab, demo_site: dict[str, str]):
    assert tab.open(demo_site["not found"]) == 404

    page = tab.page
    assert page.locator("header.site-header .site-title").inner_text() == SITE_TITLE
    assert page.locator("h1").inner_text() == "Page not found"
    page.locator("main").get_by_role("link", name="Go to the front page").click()
    page.wait_for_url(tab.base_url + demo_site["home"])


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_accessibility_violations(tab: Tab, demo_site: dict[str, str], kind: str):
    tab.open(demo_site[kind])

    violations = axe_violations(tab)

    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("kind", ["home", "article", "not found"])
def test_phone_reader_never_scrolls_sideways(
    open_tab: Callable[..., Tab], demo_site: dict[str, str], kind: str
):
    tab = open_tab(**MOBILE)
    tab.open(demo_site[kind])

    scroll_width, client_width = tab.page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )

    assert client_width == MOBILE["viewport"]["width"]
    assert scroll_width <= client_width


def test_article_page_shows_the_whole_body_with_its_subheadings(
    tab: Tab, demo_site: dict[str, str]
):
    tab.open(demo_site["article"])

    body = demo_article_body()
    subheadings = [line.removeprefix("## ") for line in body.splitlines() if line.startswith("## ")]
    content = tab.page.locator("main article .entry-content")
    assert content.locator("h2").all_inner_texts() == subheadings
    last_paragraph = body.strip().split("\n\n")[-1]
    assert content.locator("p").last.inner_text().split() == last_paragraph.split()


def test_article_byline_dates_the_article_in_iso_8601(tab: Tab, demo_site: dict[str, str]):
    tab.open(demo_site["article"])

    stamp = tab.page.locator("main article .byline time").get_attribute("datetime")

    assert stamp is not None
    published = Article.objects.get(title=DEMO_ARTICLE_TITLE).published_at
    assert dt.datetime.fromisoformat(stamp) == published


def test_article_byline_author_link_leads_to_the_author_archive(
    tab: Tab, demo_site: dict[str, str]
):
    tab.open(demo_site["article"])
    author = Article.objects.get(title=DEMO_ARTICLE_TITLE).author

    tab.page.locator("main article .byline").get_by_role("link", name=author.display_name).click()

    tab.page.wait_for_url(tab.base_url + author.get_absolute_url())
    assert tab.page.locator("h1").inner_text() == f"Articles by {author.display_name}"


def test_home_page_lists_every_demo_article_under_the_site_title(
    tab: Tab, demo_site: dict[str, str]
):
    tab.open(demo_site["home"])

    page = tab.page
    assert page.locator("header.site-header .site-title").inner_text() == SITE_TITLE
    listed = page.locator("main article .entry-title a").all_inner_texts()
    assert sorted(listed) == sorted(data["title"] for data in DEMO_ARTICLES)


def test_clicking_an_article_title_on_the_home_page_opens_the_article(
    tab: Tab, demo_site: dict[str, str]
):
    tab.open(demo_site["home"])

    tab.page.locator("main .entry-title").get_by_role("link", name=DEMO_ARTICLE_TITLE).click()

    tab.page.wait_for_url(tab.base_url + demo_site["article"])
    assert tab.page.locator("h1").inner_text() == DEMO_ARTICLE_TITLE


def test_first_tab_reveals_the_skip_link_and_enter_moves_focus_to_main(
    tab: Tab, demo_site: dict[str, str]
):
    tab.open(demo_site["article"])
    page = tab.page
    skip_link = page.locator("a.skip-link")
    hidden_box = skip_link.bounding_box()
    assert hidden_box is not None and hidden_box["y"] + hidden_box["height"] <= 0

    page.keyboard.press("Tab")

    assert skip_link.evaluate("link => link === document.activeElement")
    shown_box = skip_link.bounding_box()
    assert shown_box is not None and shown_box["y"] >= 0 and shown_box["height"] > 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    # main is focused only to move the reading position: no outline round the whole page.
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "none"


@pytest.mark.parametrize("kind", ONE_PAGE_PER_TEMPLATE)
def test_dark_scheme_has_a_dark_background_and_readable_contrast(
    open_tab: Callable[..., Tab], demo_site: dict[str, str], kind: str
):
    tab = open_tab(color_scheme="dark")
    tab.open(demo_site[kind])

    background = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert relative_luminance(background) < 0.05, background
    violations = axe_violations(tab, rules=["color-contrast"])
    assert violations == [], describe_violations(violations)
