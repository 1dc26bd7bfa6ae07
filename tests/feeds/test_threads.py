"""Feeds, sitemaps and pages served by several threads of one worker to readers who reach the
site under several host names at once: every answer has the format its URL asks for and links
under the site's own address, with the page cache off (every request renders) and on (what
one request stores, others are served)."""

from __future__ import annotations

import json
import random
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.urls import resolve

from tests.factories import ArticleFactory, CategoryFactory, TagFactory
from tests.html import parse_html
from tests.pagecache.served import Answer, ask, serving
from tests.test_cli import free_port, run_cli

SITE_URL = "http://news.example"
HOSTS = ["news.example", "a.example", "b.example", "127.0.0.1", "localhost"]
REQUESTS = 480  # bounded: about 100 a host
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("threads")
    assert run_cli("init", data_dir=data_dir).returncode == 0
    return data_dir


@pytest.fixture(scope="module", params=["off", "on"], ids=["page-cache-off", "page-cache-on"])
def served(request: pytest.FixtureRequest, site: Path) -> Iterator[int]:
    port = free_port()
    hosts = ",".join(h for h in HOSTS) + f",127.0.0.1:{port}"
    with serving(
        site,
        port,
        workers=1,
        threads=8,
        BROADSHEET_SITE_URL=SITE_URL,
        BROADSHEET_ALLOWED_HOSTS=hosts,
        BROADSHEET_PAGE_CACHE=request.param,
    ) as port:
        yield port


def article_path(port: int) -> str:
    feed = ET.fromstring(ask(port, "/feed/", Host="news.example").body)
    return feed.find("channel/item/link").text.removeprefix(SITE_URL)


def format_of(answer: Answer) -> str:
    """What the body is: rss, atom, json, sitemapindex, urlset or html."""
    kind = answer.headers.get("content-type", "")
    if kind.startswith("text/html"):
        return "html"
    if "json" in kind:
        return "json" if json.loads(answer.body)["version"].startswith("https://json") else "?"
    root = ET.fromstring(answer.body)
    return {
        "rss": "rss",
        f"{ATOM}feed": "atom",
        f"{SITEMAP}sitemapindex": "sitemapindex",
        f"{SITEMAP}urlset": "urlset",
    }.get(root.tag, root.tag)


def addresses(answer: Answer, kind: str) -> list[str]:
    """The absolute links a reader or crawler would follow from this answer."""
    if kind == "html":
        head = parse_html(answer.body).find("head")
        return [link.attrs["href"] or "" for link in head.find_all("link", rel="canonical")]
    if kind == "json":
        feed = json.loads(answer.body)
        return [feed["home_page_url"], feed["feed_url"], *(i["url"] for i in feed["items"])]
    found = []
    for element in ET.fromstring(answer.body).iter():
        for value in (element.text or "", element.get("href") or ""):
            if re.match(r"https?://", value.strip()) and "sitemaps.org" not in value:
                found.append(value.strip())
    return found


def test_every_answer_has_its_format_and_the_site_links_under_concurrent_hosts(
    served: int,
) -> None:
    port = served
    article = article_path(port)
    wanted = {
        "/feed/": "rss",
        "/feed/atom/": "atom",
        "/feed/json/": "json",
        "/comments/feed/": "rss",
        "/comments/feed/atom/": "atom",
        f"{article}feed/atom/": "atom",
        "/sitemap.xml": "sitemapindex",
        "/sitemap-articles.xml": "urlset",
        "/": "html",
        article: "html",
    }
    shuffle = random.Random(17)
    plan = [(shuffle.choice(HOSTS), shuffle.choice(list(wanted))) for _ in range(REQUESTS)]

    def one(host_and_path: tuple[str, str]) -> str | None:
        host, path = host_and_path
        answer = ask(port, path, Host=host)
        if answer.status != 200:
            return f"{host}{path}: status {answer.status}"
        kind = format_of(answer)
        if kind != wanted[path]:
            return f"{host}{path}: {kind} instead of {wanted[path]}"
        links = addresses(answer, kind)
        if not links or not all(link.startswith(f"{SITE_URL}/") for link in links):
            return f"{host}{path}: links {sorted(set(links))[:3]}"
        return None

    with ThreadPoolExecutor(max_workers=16) as pool:
        faults = [fault for fault in pool.map(one, plan) if fault]
    kinds = Counter(fault.split(": ", 1)[1].split(" ")[0] for fault in faults)
    assert not faults, (len(faults), kinds, faults[:5])


@pytest.mark.django_db
def test_a_feed_keeps_nothing_of_a_request_on_the_instance_every_request_shares(client) -> None:
    """One Feed instance per URL serves every thread: a request leaves no trace on it."""
    article = ArticleFactory(categories=[CategoryFactory(slug="news")], tags=[TagFactory()])
    bases = [
        "/feed/",
        "/comments/feed/",
        "/category/news/feed/",
        f"{article.get_absolute_url()}feed/",
    ]
    for base in bases:
        feed = resolve(base).func
        before = dict(vars(feed))
        for suffix in ("", "atom/", "json/"):
            assert client.get(base + suffix, HTTP_HOST="localhost").status_code == 200
        assert vars(feed) == before, base
