"""Users (argon2 hashes, roles), the audit log, and the CLI commands of 数据管理 (logging in
against a guesser: test_users_login.py)."""
from __future__ import annotations

import io
import time

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from fupin_geo import cli, config
from fupin_geo.data import audit, users
from fupin_geo.data.store import USERS, Store


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'users.sqlite'}")


def test_passwords_are_stored_only_as_argon2_hashes(store):
    users.add(store, "alice", "correct horse", "editor")
    stored = store.read(lambda c: c.execute(sa.select(USERS.c.password_hash)).scalar())
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    result = users.login(store, "alice", "correct horse")
    assert result.user == users.User("alice", "editor")
    assert result.user.can("viewer") and result.user.can("editor") and not result.user.can("admin")


def test_unknown_user_gets_the_same_message_as_a_wrong_password(store):
    users.add(store, "bob", "right password", "editor")
    assert users.login(store, "nobody", "whatever").message == users.login(store, "bob", "whatever").message \
        == "用户名或密码不正确"


@pytest.mark.parametrize("name, password, role, message", [
    ("a", "long enough", "editor", "用户名"),
    ("dave", "short", "editor", "至少"),
    ("dave", "long enough pass", "root", "角色"),
])
def test_bad_user_input_is_a_chinese_error(store, name, password, role, message):
    with pytest.raises(users.UserError, match=message):
        users.add(store, name, password, role)


# --- command line ------------------------------------------------------------------------------
@pytest.fixture
def env(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv(config.DB_URL_ENV, url)
    return url


def run(*args, stdin=None):
    return CliRunner().invoke(cli.main, list(args), input=stdin)


def test_users_commands(env):
    added = run("users", "add", "admin1", "--role", "admin", "--password-stdin", stdin="secret-pass-1\n")
    assert added.exit_code == 0, added.output
    assert "已添加用户 admin1（管理员）" in added.output
    assert "admin1  管理员" in run("users", "list").output
    assert run("users", "passwd", "admin1", "--password-stdin", stdin="another-pass\n").exit_code == 0
    assert users.login(Store(env), "admin1", "another-pass").user is not None
    duplicate = run("users", "add", "admin1", "--password-stdin", stdin="secret-pass-1\n")
    assert duplicate.exit_code == 2 and "已存在" in duplicate.output
    short = run("users", "add", "x2", "--password-stdin", stdin="abc\n")
    assert short.exit_code == 2 and "密码至少" in short.output
    role = run("users", "role", "admin1", "viewer")
    assert role.exit_code == 0 and "角色改为查看" in role.output
    assert "admin1  查看" in run("users", "list").output
    assert run("users", "remove", "admin1").exit_code == 0
    gone = run("users", "remove", "admin1")
    assert gone.exit_code == 2 and "没有用户" in gone.output
    prompted = run("users", "add", "eve", stdin="pass-word-1\npass-word-1\n")
    assert prompted.exit_code == 0, prompted.output


@pytest.mark.parametrize("password", ["12345678", "88888888", "Admin@123", "woaini1314"])
def test_weak_passwords_are_refused_on_the_command_line_saying_what_is_needed(env, password):
    added = run("users", "add", "boss", "--role", "admin", "--password-stdin", stdin=password + "\n")
    assert added.exit_code == 2 and "Traceback" not in added.output
    assert "至少 12 个字符" in added.output and "3 种" in added.output
    assert "boss" not in run("users", "list").output
    run("users", "add", "boss", "--role", "admin", "--password-stdin", stdin="a long passphrase\n")
    changed = run("users", "passwd", "boss", "--password-stdin", stdin=password + "\n")
    assert changed.exit_code == 2 and "至少 12 个字符" in changed.output
    assert users.login(Store(env), "boss", "a long passphrase").user is not None


def test_users_unlock_lets_a_waiting_source_try_again(env):
    store = Store(env)
    users.add(store, "boss", "a long passphrase", "admin")
    now = time.time()  # `users list` judges the waits by the clock: they must outlast a slow run
    wait = 0.0
    for _ in range(config.LOGIN_FREE_FAILURES + 5):  # each as soon as heard: the waits grow to 64 s
        now += wait
        wait = users.login(store, "boss", "wrong guess", source="10.0.0.1", now=now).retry_after
    assert users.retry_after(store, "boss", "10.0.0.1", now=now) > 0
    assert "1 个来源输错过多" in run("users", "list").output
    unlocked = run("users", "unlock", "boss")
    assert unlocked.exit_code == 0 and "已解除 boss 的登录限制（1 个来源" in unlocked.output
    assert users.retry_after(store, "boss", "10.0.0.1", now=now) == 0
    assert users.login(store, "boss", "a long passphrase", source="10.0.0.1", now=now).user is not None
    assert "解除登录限制" in audit.entries(store)["操作"].tolist()
    unknown = run("users", "unlock", "nobody")
    assert unknown.exit_code == 2 and "没有用户" in unknown.output


def test_template_command_writes_the_ledger_layout(env, tmp_path):
    out = tmp_path / "t.xlsx"
    result = run("template", "--out", str(out), "--no-examples")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "说明" and book.sheetnames[1] == "贫困村"
    assert [c.value for c in book["贫困村"][3]][:2] == ["村代码", "村名"]  # below the title rows
    assert run("template", "--out", str(tmp_path / "t.txt")).exit_code == 2


def test_import_command_dry_run_and_refusals(env, tmp_path, make_dataset):
    from fupin_geo.data import template

    store = Store(env)
    store.save(make_dataset([{"name": "原村", "code": "440882199999"}], quarter="2020Q1"))
    exe = tmp_path / "ledger.xlsx"
    exe.write_bytes(b"MZ" + bytes(500))
    refused = run("import", str(exe), "--quarter", "2020Q1")
    assert refused.exit_code == 2 and "不是电子表格" in refused.output and "Traceback" not in refused.output
    bad_quarter = run("import", str(exe), "--quarter", "明年")
    assert bad_quarter.exit_code == 2
    missing = run("import", str(tmp_path / "nope.xlsx"), "--quarter", "2020Q1")
    assert missing.exit_code == 2 and "无法读取" in missing.output
    # the hand-made villages have codes unknown to geodata: every row is an error, nothing written
    ledger = tmp_path / "ledger2.xlsx"
    ledger.write_bytes(template.workbook(store.load("2020Q1")))
    problems = tmp_path / "problems.xlsx"
    result = run("import", str(ledger), "--quarter", "2020Q1", "--problems", str(problems))
    assert result.exit_code == 2 and "村代码不在湛江市行政区划代码中" in result.output
    assert openpyxl.load_workbook(problems)["问题清单"].max_row == 2
    assert [r.revision for r in store.revisions("2020Q1")] == [1]


def test_import_command_commits_a_new_revision(env, tmp_path, dataset):
    from fupin_geo.data import template

    store = Store(env)
    store.save(dataset)
    changed = dataset.villages.copy()
    changed.loc[changed.index[0], "households"] += 1
    import dataclasses
    ledger = tmp_path / "q4.xlsx"
    ledger.write_bytes(template.workbook(dataclasses.replace(dataset, villages=changed)))
    dry = run("import", str(ledger), "--quarter", "2019Q4", "--dry-run")
    assert dry.exit_code == 0 and "贫困村：新增 0，删除 0，修改 1" in dry.output and "未写入" in dry.output
    assert store.latest_revision("2019Q4") == 1
    done = run("import", str(ledger), "--quarter", "2019Q4", "--user", "县区录入员")
    assert done.exit_code == 0 and "第 2 版" in done.output
    assert store.revisions("2019Q4")[-1].author == "县区录入员"
    assert audit.entries(store).iloc[0]["操作"] == "导入"
    assert io  # keep the import used
