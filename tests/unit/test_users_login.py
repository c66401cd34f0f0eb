"""Logging in against a guesser (issue 26, section 5): wrong passwords slow down their source,
not the account; unknown names cannot be told from real ones; failed logins reach the audit
log a row a minute per source; a login ends when its user is removed or changed; weak and
common passwords are refused."""
from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from fupin_geo import config
from fupin_geo.data import audit, passwords, users
from fupin_geo.data.store import AUDIT, LOGIN_FAILURES, Store

PASSWORD = "correct horse battery"
START = 1_000_000.0
A, B = "10.0.0.1", "10.0.0.2"
# Cheaper than argon2's defaults (the hash carries its parameters, so verifying still works):
# tests that make hundreds of attempts stay quick.
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'users.sqlite'}")
    users.add(store, "admin", PASSWORD, "admin")
    return store


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(users, "_HASHER", QUICK_HASHER)


# --- a guesser slows down their own source, not the account ----------------------------------
def test_wrong_passwords_from_one_source_do_not_lock_out_another(store):
    for attempt in range(12):  # far past the old lock after 5, each as soon as it is heard
        users.login(store, "admin", "wrong guess", source=A, now=START + attempt * config.LOGIN_DELAY_MAX_S)
    now = START + 11 * config.LOGIN_DELAY_MAX_S + 1
    from_a = users.login(store, "admin", PASSWORD, source=A, now=now)
    assert from_a.user is None and "尝试次数过多" in from_a.message and "锁定" not in from_a.message
    from_b = users.login(store, "admin", PASSWORD, source=B, now=now)
    assert from_b.user == users.User("admin", "admin")


def test_the_wait_doubles_with_every_further_failure_and_ends_with_the_right_password(store):
    now = START
    for _ in range(config.LOGIN_FREE_FAILURES - 1):
        assert users.login(store, "admin", "wrong guess", source=A, now=now).retry_after == 0
    waits = []
    for _ in range(4):
        result = users.login(store, "admin", "wrong guess", source=A, now=now)
        assert result.user is None and result.message.startswith(users.WRONG)
        waits.append(result.retry_after)
        # refused unheard while waiting, even with the right password, without waiting longer
        early = users.login(store, "admin", PASSWORD, source=A, now=now + result.retry_after - 0.5)
        assert early.user is None and "尝试次数过多" in early.message
        assert users.retry_after(store, "admin", A, now=now) == result.retry_after
        now += result.retry_after
    assert waits == [config.LOGIN_DELAY_FIRST_S * 2 ** k for k in range(4)]
    assert users.login(store, "admin", PASSWORD, source=A, now=now).user is not None
    assert users.retry_after(store, "admin", A, now=now) == 0  # the count starts afresh


def test_the_wait_is_capped_and_forgotten_after_a_pause(store, quick):
    now = START
    for _ in range(config.LOGIN_FREE_FAILURES + 10):  # 2 s doubled 10 times is past the cap
        result = users.login(store, "admin", "wrong guess", source=A, now=now)
        now += max(result.retry_after, 1)
    assert result.retry_after == config.LOGIN_DELAY_MAX_S
    later = now + config.LOGIN_FAILURES_FORGOTTEN_S + 1
    assert users.retry_after(store, "admin", A, now=later) == 0
    assert users.login(store, "admin", PASSWORD, source=A, now=later).user is not None


def test_a_correct_password_resets_the_count(store):
    for _ in range(2):
        for _ in range(config.LOGIN_FREE_FAILURES - 1):
            assert users.login(store, "admin", "wrong guess", source=A, now=START).message == users.WRONG
        assert users.login(store, "admin", PASSWORD, source=A, now=START).user is not None


def test_one_source_trying_many_names_waits_too(store, quick):
    for number in range(config.SOURCE_FREE_FAILURES):
        users.login(store, f"guess{number}", "wrong guess", source=A, now=START)
    assert users.login(store, "admin", PASSWORD, source=A, now=START).user is None
    assert users.login(store, "admin", PASSWORD, source=B, now=START).user is not None


# --- names cannot be told apart --------------------------------------------------------------
class CountingHasher:
    """The real hasher, counting what it verifies against."""

    def __init__(self, hasher):
        self.hasher, self.verified = hasher, []

    def hash(self, password):
        return self.hasher.hash(password)

    def verify(self, password_hash, password):
        self.verified.append(password_hash)
        return self.hasher.verify(password_hash, password)


def test_unknown_and_real_names_get_the_same_answers_after_the_same_work(store, monkeypatch):
    counting = CountingHasher(users._HASHER)
    monkeypatch.setattr(users, "_HASHER", counting)
    answers = {}
    for name, source in (("admin", A), ("nobody", B)):
        counting.verified.clear()
        messages = []
        now = START
        for _ in range(config.LOGIN_FREE_FAILURES + 3):
            result = users.login(store, name, "wrong guess", source=source, now=now)
            messages.append((result.message, result.retry_after))
            now += 0.5
        answers[name] = (messages, len(counting.verified))
        assert counting.verified and all(h.startswith("$argon2id$") for h in counting.verified)
    assert answers["admin"] == answers["nobody"]
    assert not any("锁定" in message for message, _ in answers["admin"][0])


# --- the audit log under a flood of failed logins --------------------------------------------
HOSTILE_NAMES = ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(1)",
                 "x" * 5000, "a\nb", "<img src=x onerror=alert(1)>")


def failed_login_rows(store) -> list[dict]:
    return [dict(r) for r in store.read(lambda c: c.execute(
        sa.select(AUDIT).where(AUDIT.c.action == "登录失败").order_by(AUDIT.c.id)).mappings().all())]


def test_a_flood_of_failed_logins_is_a_row_a_minute_per_source(store, quick):
    for number in range(150):
        name = HOSTILE_NAMES[number % len(HOSTILE_NAMES)] + str(number)
        users.login(store, name, "wrong guess", source=A, now=START + number * 0.2)  # 30 s
    rows = failed_login_rows(store)
    assert len(rows) == 1 and rows[0]["username"].startswith(HOSTILE_NAMES[0][:20])
    users.login(store, "another", "wrong guess", source=A, now=START + config.FAILED_LOGIN_AUDIT_EVERY_S)
    users.login(store, "another", "wrong guess", source=B, now=START + config.FAILED_LOGIN_AUDIT_EVERY_S)
    rows = failed_login_rows(store)
    assert len(rows) == 3
    assert "150 次登录失败" in rows[1]["detail"] and rows[1]["detail"].endswith(f"来自 {A}")
    assert rows[2]["detail"].endswith(f"来自 {B}")
    # what the guesser typed is kept short, and a login flushes the count not logged yet
    assert all(len(r["username"]) <= users.NAME_LOGGED + 1 for r in rows)
    users.login(store, "x" * 5000, "wrong guess", source=B, now=START + config.FAILED_LOGIN_AUDIT_EVERY_S + 1)
    users.login(store, "admin", PASSWORD, source=B, now=START + config.FAILED_LOGIN_AUDIT_EVERY_S + 2)
    assert "1 次登录失败" in failed_login_rows(store)[-1]["detail"]
    assert audit.entries(store).iloc[0]["操作"] == "登录"
    # and the log's export keeps every name as text
    users.login(store, HOSTILE_NAMES[0], "wrong guess", source="10.0.0.9", now=START)
    sheet = openpyxl.load_workbook(io.BytesIO(audit.workbook(store))).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert any(c.value.startswith("=HYPERLINK") for c in cells)
    assert all(c.data_type == "s" for c in cells)


def test_the_failure_counts_forget_old_sources(store, quick):
    for number in range(5):
        users.login(store, f"guess{number}", "wrong guess", source=f"10.1.0.{number}", now=START)
    users.login(store, "admin", "wrong guess", source=A, now=START + config.LOGIN_FAILURES_FORGOTTEN_S + 1)
    held = store.read(lambda c: c.execute(sa.select(LOGIN_FAILURES.c.source)).scalars().all())
    assert set(held) == {A}


# --- a login lasts while its user does -------------------------------------------------------
@pytest.mark.parametrize("change, message", [
    (lambda store: users.remove(store, "admin"), users.REMOVED),
    (lambda store: users.set_role(store, "admin", "editor"), users.ROLE_CHANGED),
    (lambda store: users.set_password(store, "admin", "another long password"), users.PASSWORD_CHANGED),
    # removed and added again with the same role: still another account
    (lambda store: (users.remove(store, "admin"), users.add(store, "admin", PASSWORD, "admin")),
     users.PASSWORD_CHANGED),
])
def test_a_login_ends_when_its_user_is_removed_or_changed(store, change, message):
    user = users.login(store, "admin", PASSWORD, source=A).user
    assert users.session_ended(store, user) is None
    change(store)
    assert users.session_ended(store, user) == message


# --- password policy ---------------------------------------------------------------------------
@pytest.mark.parametrize("password, said", [
    ("12345678", "至少 12 个字符"),
    ("abcdefgh1", "至少 3 种"),
    ("Ab1!", "至少 8 个字符"),
    ("88888888", "至少 12 个字符"),
    ("Admin@123", "常用密码"),  # mixed enough, but among the first a guesser tries
    ("P@ssw0rd", "常用密码"),
    ("Zhanjiang@123", "常用密码"),
    ("123456789012", "常用密码"),
    ("QWERTYUIOP123", "常用密码"),  # the list is compared without regard to case
    ("x" * (config.PASSWORD_MAX + 1), "不能超过"),
])
def test_weak_and_common_passwords_are_refused_saying_what_is_needed(store, password, said):
    with pytest.raises(users.UserError, match=said):
        users.add(store, "weak", password, "admin")
    with pytest.raises(users.UserError, match=said):
        users.set_password(store, "admin", password)


@pytest.mark.parametrize("password", ["correct horse", "xK9#mq2L", "Tr0ub4dor&3", "湛江市农业农村局2020年"])
def test_long_or_mixed_passwords_are_accepted(store, password):
    users.add(store, "strong", password, "editor")
    assert users.login(store, "strong", password, source=A).user is not None


def test_the_password_is_not_the_user_name(store):
    with pytest.raises(users.UserError, match="用户名"):
        users.add(store, "zhang.san.2020", "Zhang.San.2020", "editor")


def test_the_common_password_list_is_shipped_and_holds_the_local_favourites():
    common = passwords.common_passwords()
    assert len(common) >= 300
    assert {"123456", "88888888", "qwerty", "password", "5201314", "woaini1314", "admin123",
            "zhanjiang"} <= common
