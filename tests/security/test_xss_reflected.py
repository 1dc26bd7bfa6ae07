"""Every XSS payload sent back to the site in the places it repeats what a visitor sent: the
search box's query (on the results page, highlighted in matching titles) and a mistyped
address on the 404 page. Parsed for every payload, and in Chromium for a sample."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client

from tests.factories import ArticleFactory
from tests.security import tally
from tests.security.exposure import Entry, Ledger, check_in_browser, check_page
from tests.security.payloads import all_payloads

pytestmark = pytest.mark.browser

BROWSER_SAMPLE = 8


def test_reflected_payloads_never_run_script(
    transactional_db: None, live_server: Any, bypass_csp_tab: Any
) -> None:
    payloads = all_payloads()
    ledger, client = Ledger(), Client()
    ArticleFactory(title="alert script img svg onerror javascript", body="alert script img svg")
    for number, payload in enumerate(payloads):
        search = "/search/?" + urlencode({"s": payload.text})
        missing = "/" + quote(payload.text.replace("/", " "), safe="") + "/"
        for url, field in ((search, "search query ?s="), (missing, "address on the 404 page")):
            entries = [Entry("request", field, payload)]
            check_page(ledger, client, url, entries, label=field)
            if number % BROWSER_SAMPLE == 0:
                check_in_browser(ledger, bypass_csp_tab, live_server.url + url, entries)
    for field in ("request: search query ?s=", "request: address on the 404 page"):
        tally.payloads_tried(field, len(payloads))
    ledger.assert_clean()
