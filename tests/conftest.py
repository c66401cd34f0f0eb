"""Fixtures shared by every tier: the demo data set and a throw-away database."""
from __future__ import annotations

import pytest

from fupin_geo import config, demo
from fupin_geo.store import Store


@pytest.fixture(scope="session")
def demo_datasets():
    """The four demo quarters (built once per run; treat as read-only)."""
    return demo.build_demo()


@pytest.fixture(scope="session")
def dataset(demo_datasets):
    """The latest demo quarter (2019Q4)."""
    return demo_datasets[-1]


@pytest.fixture(scope="session")
def seeded_db_url(tmp_path_factory) -> str:
    """A SQLite database filled with the demo data, shared by read-only tests."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'fupin.sqlite'}"
    Store(url).ensure_seeded()
    return url


@pytest.fixture
def app_env(monkeypatch, seeded_db_url):
    """Point the app at the seeded test database instead of data/fupin.sqlite."""
    monkeypatch.setenv(config.DB_URL_ENV, seeded_db_url)
    return seeded_db_url
