"""CPU time of each pathological input of tests/test_markup_cost.py, for docs/performance.md.

Run: DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python scripts/markup_cost.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
django.setup()

from broadsheet.comments.rendering import render_comment  # noqa: E402 - after setup
from broadsheet.core.markup import render_markdown, sanitize_html  # noqa: E402
from tests.test_markup_cost import (  # noqa: E402
    COMMENT_CASES,
    HTML_CASES,
    MARKDOWN_CASES,
    WORDPRESS_CASES,
    _convert,
    cpu_seconds,
)

GROUPS = [
    ("sanitize_html", sanitize_html, HTML_CASES),
    ("render_markdown", render_markdown, MARKDOWN_CASES),
    ("render_comment", render_comment, COMMENT_CASES),
    ("convert_content", _convert, WORDPRESS_CASES),
]

if __name__ == "__main__":
    for label, render, cases in GROUPS:
        for name, source in cases.items():
            best = min(cpu_seconds(render, source) for _ in range(3))
            print(f"{label:16} {name:26} {len(source):>8,} chars {best * 1000:8.1f} ms")  # noqa: T201
