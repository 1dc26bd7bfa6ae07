"""The README's configuration table and the settings module must name the same variables."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def variables_read_by_settings() -> set[str]:
    source = (ROOT / "broadsheet" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list|url|choice)\(\s*"([A-Z_]+)"', source))


def variables_in_readme_table() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.MULTILINE))


def test_settings_read_the_variables_we_expect() -> None:
    assert {"DATABASE_URL", "REDIS_URL", "BROADSHEET_SECRET_KEY", "BROADSHEET_DATA_DIR"} <= (
        variables_read_by_settings()
    )


def test_readme_documents_every_variable_the_settings_read() -> None:
    assert variables_read_by_settings() - variables_in_readme_table() == set()


def test_readme_documents_no_variable_the_settings_ignore() -> None:
    assert variables_in_readme_table() - variables_read_by_settings() == set()


def test_no_module_but_settings_reads_the_environment() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "broadsheet").rglob("*.py")
        if path.name not in {"settings.py", "env.py", "cli.py", "wsgi.py", "serve.py"}
        and re.search(r"os\.(environ|getenv)", path.read_text())
    ]
    assert offenders == []
