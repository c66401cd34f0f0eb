"""Writers in other processes: one killed half way changes nothing; two at once both land."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from fupin_geo.data.store import Store

# A writer process: saves quarter 2020Q1 with one village named argv[2]; with argv[3] ==
# "hold" it stops inside the transaction (after its rows are written) until stdin says go.
WRITER = textwrap.dedent("""
    import sys
    import pandas as pd
    from fupin_geo.data import store as store_module
    from fupin_geo.data.dataset import Dataset
    from fupin_geo.data.store import Store

    url, name, mode = sys.argv[1:4]
    village = dict(code="440882101201", name=name, county_code="440882", town_code="440882101",
                   lon=110.1, lat=20.9, position_quality="近似", households=100, poor_households=10,
                   poor_people=30, poor_households_in_coop=5, labour_households=8,
                   labour_households_in_project=4, poor_labourers=12, trained_labourers=6,
                   toilet_rate=0.9, clean_village=False, model_village=False,
                   irrigation_project=False, quarter="2020Q1", source="测试")
    dataset = Dataset.from_frames("2020Q1", {"villages": pd.DataFrame([village])})
    original = Store._write

    def write_then_wait(connection, data, meta):
        number = original(connection, data, meta)
        print("HOLDING", flush=True)
        if mode == "hold":
            sys.stdin.readline()
        return number

    Store._write = staticmethod(write_then_wait)
    print("STARTED", flush=True)
    number = Store(url).save(dataset, author=name)
    print("SAVED", number, flush=True)
""")


def start(url: str, name: str, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, url, name, mode], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=os.getcwd())


def wait_for(process: subprocess.Popen, word: str) -> str:
    for line in process.stdout:
        if line.startswith(word):
            return line.strip()
    raise AssertionError(f"writer ended without {word}: exit {process.wait()}")


@pytest.fixture
def url(tmp_path, make_dataset):
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    Store(url).save(make_dataset([{"name": "原来的村"}], quarter="2020Q1"), author="first")
    return url


def test_a_writer_killed_inside_its_transaction_changes_nothing(url):
    writer = start(url, "写了一半的村", "hold")
    wait_for(writer, "HOLDING")  # its rows are written, not committed
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    store = Store(url)
    assert [r.revision for r in store.revisions("2020Q1")] == [1]
    assert store.load("2020Q1").villages["name"].tolist() == ["原来的村"]
    # the database is not left locked: the next write lands as revision 2
    writer = start(url, "下一次导入的村", "go")
    assert wait_for(writer, "SAVED") == "SAVED 2"
    assert writer.wait() == 0


def test_two_writers_at_the_same_moment_both_land_one_after_the_other(url):
    first = start(url, "甲导入", "hold")
    wait_for(first, "HOLDING")  # holds the write lock
    second = start(url, "乙导入", "go")
    wait_for(second, "STARTED")  # second is now waiting for the lock
    first.stdin.write("go\n")
    first.stdin.flush()
    assert wait_for(first, "SAVED") == "SAVED 2"
    assert wait_for(second, "SAVED") == "SAVED 3"
    assert first.wait() == 0 and second.wait() == 0
    store = Store(url)
    assert [(r.revision, r.author) for r in store.revisions("2020Q1")] == [
        (1, "first"), (2, "甲导入"), (3, "乙导入")]
    assert store.load("2020Q1", 2).villages["name"].tolist() == ["甲导入"]
    assert store.load("2020Q1").villages["name"].tolist() == ["乙导入"]
