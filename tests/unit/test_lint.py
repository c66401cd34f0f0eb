"""The code is clean under ruff, with the rules and line length of pyproject.toml."""
from __future__ import annotations

import subprocess
import sys

from fupin_geo import config


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=config.REPO_DIR,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
