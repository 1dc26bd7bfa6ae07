"""Hypothesis strategies for what a visitor controls besides the path: query strings, request
headers and the comment form's fields, with the odd values attackers and broken clients send."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from hypothesis import strategies as st

from tests.security.routes import ODD_NUMBERS, numbers

CONTROL = "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), 127, *range(0x80, 0xA0)]))
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60)
NASTY_TEXT = st.one_of(
    ANY_TEXT,
    st.text(alphabet=CONTROL + "ab<>\"'&;/\\%", max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "\u202e",
            "\ufeff",
            "\uffff",
            "\U0010ffff",
            "<svg onload=alert(1)>",
            "' OR 1=1 --",
            "%",
            "%00",
            "{{7*7}}",
            "${7*7}",
            "a" * 5000,
        ]
    ),
)
# WordPress's query variables, which old links and scanners send to any address.
QUERY_KEYS = [
    "p",
    "s",
    "replytocom",
    "cat",
    "page_id",
    "paged",
    "cpage",
    "m",
    "author",
    "tag",
    "feed",
    "attachment_id",
    "preview",
    "year",
    "monthnum",
    "day",
    "name",
    "pagename",
    "category_name",
    "format",
    "q",
    "page",
    "comments_popup",
    "utm_source",
]
QUERY_VALUES = st.one_of(numbers(), NASTY_TEXT, st.sampled_from(ODD_NUMBERS))


@st.composite
def query_strings(draw: st.DrawFn) -> str:
    """``?…`` or nothing: encoded pairs, repeated keys, or raw bytes a client failed to encode."""
    pairs = draw(
        st.lists(
            st.tuples(st.one_of(st.sampled_from(QUERY_KEYS), ANY_TEXT), QUERY_VALUES), max_size=4
        )
    )
    if not pairs and draw(st.booleans()):
        return ""
    if draw(st.integers(0, 9)) == 0:
        raw = draw(st.text(alphabet=CONTROL + "%&=;+?#ab", max_size=20))
        return "?" + quote(raw, safe="%&=;+?")
    return "?" + urlencode(pairs)


LATIN1 = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80)
HTTP_DATES = [
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "yesterday",
    "Mon, 32 Foo 2020 25:61:61 GMT",
    "0",
    "-1",
    "Sun, 06 Nov 1994 08:49:37 GMT",
]
HEADER_VALUES = {
    "Host": st.sampled_from(
        [
            "testserver",
            "localhost",
            "127.0.0.1",
            "evil.example",
            "",
            "localhost:99999",
            "[::1]",
            "a" * 300,
            "localhost:0",
            "LOCALHOST",
        ]
    ),
    "X-Forwarded-Host": st.one_of(
        st.sampled_from(["evil.example", "localhost, evil.example"]), LATIN1
    ),
    "X-Forwarded-Proto": st.one_of(
        st.sampled_from(["https", "http", "gopher", "https, http"]), LATIN1
    ),
    "X-Forwarded-For": st.one_of(st.sampled_from(["1.2.3.4", "::1", "999.1.1.1, x", ""]), LATIN1),
    "Cookie": st.one_of(
        st.builds(
            lambda name, value: f"{name}={value}",
            st.sampled_from(
                ["sessionid", "csrftoken", "broadsheet_commenter", "broadsheet_pending"]
            ),
            st.one_of(LATIN1, st.sampled_from(["e30:1abc:xyz", "a" * 4000, '"', "%ff"])),
        ),
        LATIN1,
    ),
    "Accept": st.one_of(
        st.sampled_from(["text/html", "application/json", "*/*;q=x", "image/*"]), LATIN1
    ),
    "Accept-Encoding": st.one_of(st.sampled_from(["gzip", "br", "gzip;q=0, identity;q=0"]), LATIN1),
    "Accept-Language": LATIN1,
    "If-Modified-Since": st.one_of(st.sampled_from(HTTP_DATES), LATIN1),
    "If-None-Match": st.one_of(st.sampled_from(['"x"', "*", 'W/"1"']), LATIN1),
    "Range": st.one_of(
        st.sampled_from(
            [
                "bytes=0-0",
                "bytes=-1",
                "bytes=9999999999-",
                "bytes=5-1",
                "bytes=0-1,2-3,4-5",
                "lines=1-2",
            ]
        ),
        LATIN1,
    ),
    "Referer": st.one_of(st.sampled_from(["http://evil.example/", "javascript:alert(1)"]), LATIN1),
    "Origin": st.one_of(
        st.sampled_from(["null", "http://evil.example", "http://testserver"]), LATIN1
    ),
    "User-Agent": LATIN1,
}


@st.composite
def headers(draw: st.DrawFn) -> dict[str, str]:
    names = draw(st.lists(st.sampled_from(sorted(HEADER_VALUES)), unique=True, max_size=5))
    return {name: draw(HEADER_VALUES[name]) for name in names}


def as_meta(found: dict[str, str]) -> dict[str, str]:
    """Headers as the WSGI environ carries them (the test client's ``**extra``)."""
    return {"HTTP_" + name.upper().replace("-", "_"): value for name, value in found.items()}


NUMBER_FIELDS = ["comment_post_ID", "comment_parent"]
TEXT_FIELDS = [
    "comment",
    "author",
    "email",
    "url",
    "form_token",
    "fax_number",
    "cookies_consent",
    "notify_replies",
    "extra",
]
FIELD_VALUES = st.one_of(
    NASTY_TEXT,
    numbers(),
    st.sampled_from(
        [
            "0",
            "on",
            "true",
            "[]",
            "{}",
            "null",
            "ada@example.org",
            "https://example.org",
            "javascript:alert(1)",
            "x" * 70_000,
            "\x00" * 10,
        ]
    ),
)


@st.composite
def comment_posts(draw: st.DrawFn, article_id: int, token: str) -> dict[str, list[str]]:
    """A comment form as a person, a bot or a broken client might send it: any field missing,
    repeated, empty, huge or of the wrong kind, the rest as the rendered form has them."""
    sane = {
        "comment": "A reasonable remark.",
        "author": "Ada",
        "email": "ada@example.org",
        "url": "",
        "comment_post_ID": str(article_id),
        "comment_parent": "0",
        "form_token": token,
        "fax_number": "",
    }
    data = {name: [value] for name, value in sane.items()}
    changed = draw(
        st.lists(st.sampled_from(NUMBER_FIELDS * 2 + TEXT_FIELDS), unique=True, max_size=3)
    )
    for name in changed:
        numeric = name in NUMBER_FIELDS and draw(st.integers(0, 3)) > 0
        values = numbers() if numeric else FIELD_VALUES
        action = draw(st.sampled_from(["drop", "replace", "replace", "repeat"]))
        if action == "drop":
            data.pop(name, None)
        elif action == "replace":
            data[name] = [draw(values)]
        else:
            data[name] = draw(st.lists(values, min_size=2, max_size=3))
    return data
