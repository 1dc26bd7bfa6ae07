"""Shared set-up for the security suite: bounded Hypothesis runs that write no example
database into the repository, the project's Chromium, and the tally printed at the end."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, settings

from tests.security import tally

# What a browser and a feed reader get from a payload does not depend on the database, and the
# browser walk is the suite's longest part: it runs once, in the SQLite pass of `make test`.
browser_walk_once = pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the payloads' browser walk runs in the SQLite pass",
)

# Bounded so the whole suite stays a short run; database=None keeps .hypothesis/ out of the tree.
FUZZ = settings(
    database=None,
    deadline=None,  # the timing bound is asserted per request, where it means something
    # CI replays the same cases every run (a red CI must be reproducible); elsewhere each run
    # draws new ones, which is how the fuzzing finds the next defect.
    derandomize=bool(os.environ.get("CI")),
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    lines = tally.summary_lines()
    if lines:
        terminalreporter.section("security suite: what was tried")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def bypass_csp_tab(chromium: Any) -> Any:
    """A Chromium page with the Content-Security-Policy switched off: escaping and the
    sanitizer must hold on their own. Records every dialog (and dismisses it)."""
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]

    def on_dialog(dialog: Any) -> None:
        page.dialogs.append(f"{dialog.type}: {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()
