"""Fixtures shared by every tier: the demo data set and a throw-away database."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import settings

from fupin_geo import config
from fupin_geo.data import demo
from fupin_geo.data.store import Store

# Property tests draw the same examples on every run: CI passes or fails on the code, not on
# the draw, and a busy machine does not trip hypothesis's per-example deadline.
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.load_profile("repeatable")


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
    demo.ensure_seeded(Store(url))
    return url


@pytest.fixture
def app_env(monkeypatch, seeded_db_url):
    """Point the app at the seeded test database instead of data/fupin.sqlite."""
    monkeypatch.setenv(config.DB_URL_ENV, seeded_db_url)
    return seeded_db_url


# --- hand-made data sets, small enough that every figure can be checked by hand ------------
VILLAGE_DEFAULTS = dict(
    county_code="440882", town_code="440882101", lon=110.1, lat=20.9, position_quality="近似",
    households=100, poor_households=10, poor_people=30, poor_households_in_coop=5,
    labour_households=8, labour_households_in_project=4, poor_labourers=12, trained_labourers=6,
    toilet_rate=0.9, clean_village=False, model_village=False, irrigation_project=False,
)


def build_dataset(villages=(), quarter: str = "2019Q4", source: str = config.DEMO_SOURCE, **tables):
    """A validated Dataset from a few rows per table (see `make_dataset`)."""
    from fupin_geo.data.dataset import Dataset

    rows = [
        {**VILLAGE_DEFAULTS, "code": f"4408821012{i:02d}", "name": f"测试{i:02d}村", **row}
        for i, row in enumerate(villages)
    ]
    frames = {"villages": rows, **tables}
    return Dataset.from_frames(
        quarter,
        {name: pd.DataFrame(list(data)).assign(quarter=quarter, source=source)
         for name, data in frames.items() if len(data)},
    )


@pytest.fixture
def make_dataset():
    """Build a validated Dataset from a few rows per table.

    `villages` is a list of overrides of VILLAGE_DEFAULTS; a village without `code`/`name`
    gets "4408821012NN"/"测试NN村". Other tables are lists of complete rows (without
    quarter/source, which are filled in).
    """
    return build_dataset


# --- PostgreSQL + PostGIS (a throw-away cluster, started once per test run) ---------------------
@pytest.fixture(scope="session")
def pg_cluster():
    from tools.pgcluster import running_cluster

    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """An empty PostgreSQL database of its own."""
    return pg_cluster.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request, tmp_path) -> str:
    """A new database on each backend: a SQLite file not yet made (in folders not yet made) and
    an empty PostgreSQL database. Use it to run a test of the store, imports or revisions
    against both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sub' / 'dir' / 'new.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def q4_db_path(tmp_path_factory, demo_datasets):
    """A SQLite file holding only the demo's 2019Q4, as one revision (copied by q4_store)."""
    path = tmp_path_factory.mktemp("q4") / "q4.sqlite"
    Store(f"sqlite:///{path}").save(demo_datasets[-1], author="演示")
    return path


@pytest.fixture
def q4_store(tmp_path, q4_db_path):
    """A fresh, writable copy of q4_db_path for a test that imports into it."""
    copy = tmp_path / "q4.sqlite"
    copy.write_bytes(q4_db_path.read_bytes())
    return Store(f"sqlite:///{copy}")
