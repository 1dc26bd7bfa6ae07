"""The browser fixtures (tests/browser/conftest.py) for the sign-in tests in Chromium."""

from tests.browser.conftest import chromium, open_tab  # noqa: F401
