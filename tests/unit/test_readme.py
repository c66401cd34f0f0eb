"""What a newcomer reads first: the README's user guide covers every page, and the project's
own documents are inside the repository."""
from __future__ import annotations

import re

from fupin_geo import config

README = (config.REPO_DIR / "README.md").read_text(encoding="utf-8")
PAGES = re.findall(r'st\.Page\("pages/\w+\.py", title="([^"]+)"', (config.REPO_DIR / "app.py").read_text("utf-8"))


def guide() -> str:
    start = README.index("## 使用说明")
    return README[start:README.index("\n## ", start + 1)]


def test_the_user_guide_has_an_entry_for_every_page():
    assert len(PAGES) == 10
    entries = set(re.findall(r"^- \*\*([^*（]+)", guide(), flags=re.M))
    assert not [title for title in PAGES if title not in entries]


def test_the_guide_says_how_to_make_the_first_account_with_a_command_that_exists():
    from click.testing import CliRunner

    from fupin_geo.cli import main

    admin = re.search(r"\*\*数据管理\*\*[^\n]*`\.venv/bin/python -m fupin_geo (users add \S+ --role admin)`", guide())
    assert admin, "the 数据管理 entry does not give the command for the first account"
    words = admin.group(1).split()
    help_text = CliRunner().invoke(main, [*words[:2], "--help"]).output
    assert "--role [viewer|editor|admin]" in help_text


def test_documents_the_readme_points_at_are_in_the_repository():
    named = set(re.findall(r"`((?:\.\./)?[\w./-]+\.md)`", README))
    assert "docs/design.md" in named
    outside = [n for n in named if n.startswith("../")]
    assert not outside, f"the README points outside the repository: {outside}"
    assert not [n for n in named if not (config.REPO_DIR / n).exists()]
