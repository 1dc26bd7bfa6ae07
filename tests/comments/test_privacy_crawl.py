""" "Your email address will not be published": a crawl of the whole public site proves it.

The demo site gets comments — approved, held and spam — from commenters with distinctive email
and IP addresses; then every URL reachable from the home page (HTML pages, feeds, sitemaps,
avatars, static files) is fetched, by a stranger and by the commenter with their own cookie,
and no body or header may carry an email address, its MD5 or SHA-256 (what Gravatar
publishes), or an IP address.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

from broadsheet.comments import visitors
from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.moderation import set_status
from broadsheet.content.demo import load_demo_content
from broadsheet.content.models import Article
from tests.comments.conftest import add_comment, post_comment, posted_comment
from tests.html import parse_html

Configure = Callable[..., DiscussionSettings]
Status = Comment.Status

COMMENTER_EMAIL = "Secret.Person@Example.ORG"
COMMENTER_IP = "203.0.113.77"
OTHER_EMAIL = "Other.Reader@Example.NET"
OTHER_IP = "198.51.100.23"
SPAMMER_EMAIL = "Cheap.Pills@Spam.Example"
SPAMMER_IP = "192.0.2.199"

# Addresses a reader can reach without following a link (WordPress's well-known paths).
SEEDS = [
    "/",
    "/comments/feed/",
    "/comments/feed/atom/",
    "/comments/feed/json/",
    "/feed/",
    "/robots.txt",
    "/sitemap.xml",
]
NOT_PUBLIC = ("/admin/",)
ORIGINS = {"testserver", urlsplit(settings.SITE_URL).netloc}
ABSOLUTE_URL = re.compile(r"https?://[^\s\"'<>]+")
MAX_FETCHES = 1500


def secrets_of(email: str) -> dict[str, str]:
    """Every form in which an email address could leak, by name."""
    normalised = email.strip().lower()
    return {
        f"{email} (raw)": email,
        f"{email} (lower-case)": normalised,
        f"{email} (URL-encoded)": quote(email),
        f"{email} (MD5, Gravatar before 2024)": hashlib.md5(normalised.encode()).hexdigest(),
        f"{email} (SHA-256, Gravatar now)": hashlib.sha256(normalised.encode()).hexdigest(),
    }


SECRETS = {
    **secrets_of(COMMENTER_EMAIL),
    **secrets_of(OTHER_EMAIL),
    **secrets_of(SPAMMER_EMAIL),
    COMMENTER_IP: COMMENTER_IP,
    OTHER_IP: OTHER_IP,
    SPAMMER_IP: SPAMMER_IP,
}


@dataclass
class Crawl:
    fetched: dict[str, int] = field(default_factory=dict)  # path → status
    leaks: list[str] = field(default_factory=list)
    pages: dict[str, bytes] = field(default_factory=dict)  # HTML bodies, for sanity checks


def same_origin_path(url: str, base: str) -> str | None:
    """``url`` as a path on this site (fragment dropped), or None when it leads elsewhere."""
    absolute = urljoin(f"http://testserver{base}", url.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in {"http", "https"} or parts.netloc not in ORIGINS:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(NOT_PUBLIC):
        return None
    return path


def body_of(response: HttpResponse) -> bytes:
    """The body as sent, for streamed responses too (static files come from WhiteNoise)."""
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[arg-type]
    return response.content


def links_in(response: HttpResponse, body: bytes) -> Iterator[str]:
    content_type = response.get("Content-Type", "")
    if response.status_code in {301, 302, 303, 307, 308}:
        yield response["Location"]
    elif content_type.startswith("text/html"):
        for element in parse_html(body).iter():
            for name in ("href", "src", "action"):
                if element.attrs.get(name):
                    yield element.attrs[name] or ""
            for candidate in (element.attrs.get("srcset") or "").split(","):
                if candidate.strip():
                    yield candidate.split()[0]
    elif any(kind in content_type for kind in ("xml", "json", "text/plain")):
        yield from ABSOLUTE_URL.findall(body.decode(errors="replace"))


def leaks_in(path: str, response: HttpResponse, body: bytes) -> list[str]:
    text = body.decode(errors="replace").lower()
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    headers = f"{headers}\n{response.cookies.output()}".lower()
    return [
        f"{path}: {where} contains {name}"
        for name, secret in SECRETS.items()
        for where, searched in (("body", text), ("headers", headers))
        if secret.lower() in searched
    ]


def crawl(client: Client) -> Crawl:
    result = Crawl()
    queue = deque(SEEDS)
    seen = set(SEEDS)
    while queue:
        path = queue.popleft()
        assert len(result.fetched) < MAX_FETCHES, "the crawl does not end; is a link looping?"
        response = client.get(path)
        body = body_of(response)
        result.fetched[path] = response.status_code
        result.leaks += leaks_in(path, response, body)
        if response.get("Content-Type", "").startswith("text/html"):
            result.pages[path] = body
        for link in links_in(response, body):
            found = same_origin_path(link, path)
            if found is not None and found not in seen:
                seen.add(found)
                queue.append(found)
    return result


@dataclass
class Site:
    commenter: Client
    commented: list[Article]
    pending: Comment
    approved: Comment


@pytest.fixture
def site(discussion: Configure) -> Site:
    """The demo site with comments in every state, by people whose details must stay private."""
    load_demo_content()
    discussion(moderation_keys="sovereign")
    first, second, *_ = Article.objects.published().order_by("-published_at")

    commenter = Client(REMOTE_ADDR=COMMENTER_IP)
    details = {"author": "Secret Person", "email": COMMENTER_EMAIL, "url": "https://sp.example/"}
    welcome = posted_comment(post_comment(commenter, first, **details))
    set_status(welcome, Status.APPROVED)  # now a known commenter: the next is published
    approved = posted_comment(
        post_comment(commenter, first, **details, comment="Published at once, this time.")
    )
    pending = posted_comment(
        post_comment(
            commenter,
            first,
            **details,
            comment="A sovereign matter, held for the moderators.",
            comment_parent=str(approved.pk),
        )
    )
    assert (approved.status, pending.status) == (Status.APPROVED, Status.PENDING)
    assert pending.ip_address == COMMENTER_IP
    held_elsewhere = posted_comment(
        post_comment(commenter, second, **details, comment="Sovereign debt, again.")
    )
    assert held_elsewhere.status == Status.PENDING

    add_comment(
        first,
        parent=approved,
        author_name="Other Reader",
        author_email=OTHER_EMAIL,
        author_url="https://other.example/",
        ip_address=OTHER_IP,
        body="A reply from someone else.",
    )
    add_comment(second, author_name="Other Reader", author_email=OTHER_EMAIL, ip_address=OTHER_IP)
    for status in (Status.SPAM, Status.TRASH):
        add_comment(
            second,
            status=status,
            author_name="Cheap Pills",
            author_email=SPAMMER_EMAIL,
            author_url="https://pills.example/",
            ip_address=SPAMMER_IP,
            body=f"Buy now ({status}).",
        )
    assert set(commenter.cookies) >= {visitors.PENDING_COOKIE}
    assert visitors.COMMENTER_COOKIE not in commenter.cookies
    return Site(commenter=commenter, commented=[first, second], pending=pending, approved=approved)


def awaiting_moderation_shown(result: Crawl) -> bool:
    return any(
        parse_html(body).find_all(class_="comment-awaiting-moderation")
        for body in result.pages.values()
    )


def assert_covered(result: Crawl, site: Site) -> None:
    """The crawl reached what it must have checked: the comments, their avatars, the feeds."""
    for article in site.commented:
        assert result.fetched[article.get_absolute_url()] == 200
    assert any(path.startswith("/avatars/") for path in result.fetched), "no avatar fetched"
    assert result.fetched["/comments/feed/"] == 200
    article_page = parse_html(result.pages[site.commented[0].get_absolute_url()])
    assert article_page.find("li", id=f"comment-{site.approved.pk}")


def test_strangers_find_no_email_hash_or_ip_anywhere_on_the_site(site: Site) -> None:
    result = crawl(Client(REMOTE_ADDR="192.0.2.1"))
    assert_covered(result, site)
    assert not awaiting_moderation_shown(result)
    assert result.leaks == []


def test_commenter_sees_their_held_comment_but_not_their_email_or_ip(site: Site) -> None:
    result = crawl(site.commenter)
    assert_covered(result, site)
    article_page = parse_html(result.pages[site.commented[0].get_absolute_url()])
    assert article_page.find("li", id=f"comment-{site.pending.pk}")
    assert result.leaks == []


def test_avatars_are_served_from_this_site_without_a_third_party(site: Site) -> None:
    page = parse_html(Client().get(site.commented[0].get_absolute_url()).content)
    sources = [image.attrs["src"] or "" for image in page.find_all("img")]
    assert sources
    assert all(source.startswith("/avatars/") for source in sources)
    assert len(set(sources)) == 2  # one per commenter, not one per comment
