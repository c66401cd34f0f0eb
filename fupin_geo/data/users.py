"""Users of 数据管理: roles, argon2 password hashes, a password policy, and wrong passwords
slowing down their source.

Passwords are stored only as argon2id hashes (argon2-cffi's defaults) and must pass
passwords.check (long or mixed enough, not a common one). Wrong passwords are counted per
typed user name and per source (the browser's address, else its session): past
config.LOGIN_FREE_FAILURES the next attempt from that source waits, twice as long after every
further failure (retry_after). No account is ever locked, so a guesser slows down only their
own source; `python -m fupin_geo users unlock NAME` forgets a name's failures. A name that
does not exist gets the same answer after the same work (an argon2 verification against a
dummy hash), so answers do not tell which names exist.

A login lasts while its user does: session_ended says when the account was removed or its
password or role changed since (the session holds a digest of the password hash it was made
with), and every page re-checks before showing or doing editor things.
"""
from __future__ import annotations

import hashlib
import math
import re
import secrets
import time
from dataclasses import dataclass, field
from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .. import config
from . import passwords
from .schema import shown
from .store import AUDIT, LOGIN_FAILURES, USERS, Store, now_iso

_HASHER = PasswordHasher()
USERNAME = re.compile(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}")
# A typed name is counted and logged cut to these lengths: real names have at most 32
# characters, and a guesser's 5,000 characters are not worth keeping.
NAME_KEPT = 64
NAME_LOGGED = 32
SOURCE_KEPT = 64
# The key of a source's row in LOGIN_FAILURES (all names from it); no typed name is empty.
ANY_NAME = ""
WRONG = "用户名或密码不正确"
REMOVED = "你的账户已被删除，已退出登录。"
PASSWORD_CHANGED = "你的密码已被修改，已退出登录：请用新密码重新登录。"
ROLE_CHANGED = "你的角色已被修改，已退出登录：请重新登录。"


class UserError(ValueError):
    """A user operation that cannot be done; the message says why, in Chinese."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    # digest of the password hash the login was made with: a new password ends the login
    credential: str = field(default="", compare=False, repr=False)

    def can(self, role: str) -> bool:
        return config.ROLES.index(self.role) >= config.ROLES.index(role)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str  # Chinese, safe to show (never says whether the name exists)
    retry_after: float = 0.0  # seconds this source must wait before trying this name again


def _check_username(username: str) -> str:
    username = (username or "").strip()
    if not USERNAME.fullmatch(username):
        raise UserError("用户名应为 2–32 个字母、数字、汉字或 _ . -")
    return username


def check_password(password: str, username: str = "") -> None:
    """Raise UserError saying what is required unless `password` passes passwords.check."""
    try:
        passwords.check(password, username)
    except passwords.WeakPassword as error:
        raise UserError(str(error)) from error


def _check_role(role: str) -> None:
    if role not in config.ROLES:
        raise UserError(f"角色应为 {'/'.join(config.ROLES)} 之一")


def _audit(connection, username: str, action: str, detail: str = "") -> None:
    connection.execute(sa.insert(AUDIT), [dict(at=now_iso(), username=username, action=action, detail=detail)])


def credential(password_hash: str) -> str:
    """A digest of a stored hash, kept in the session: it changes with every new password
    (argon2 salts each hash) and tells nothing about the password."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def add(store: Store, username: str, password: str, role: str, by: str = "命令行") -> User:
    username = _check_username(username)
    check_password(password, username)
    _check_role(role)
    hashed = _HASHER.hash(password)

    def work(connection):
        if connection.execute(sa.select(USERS.c.username).where(USERS.c.username == username)).first():
            raise UserError(f"用户“{username}”已存在")
        connection.execute(sa.insert(USERS), [dict(username=username, password_hash=hashed, role=role,
                                                   created_at=now_iso())])
        _audit(connection, by, "添加用户", f"{username}（{config.ROLE_LABELS[role]}）")

    store.write(work)
    return User(username, role, credential(hashed))


def set_password(store: Store, username: str, password: str, by: str = "命令行") -> None:
    """A new password (its logins end: see session_ended); the name's failures are forgotten."""
    check_password(password, username)
    hashed = _HASHER.hash(password)

    def work(connection):
        done = connection.execute(sa.update(USERS).where(USERS.c.username == username).values(password_hash=hashed))
        if not done.rowcount:
            raise UserError(f"没有用户“{username}”")
        _forget(connection, username)
        _audit(connection, by, "修改密码", username)

    store.write(work)


def set_role(store: Store, username: str, role: str, by: str = "命令行") -> None:
    """A new role (its logins end: see session_ended)."""
    _check_role(role)

    def work(connection):
        done = connection.execute(sa.update(USERS).where(USERS.c.username == username).values(role=role))
        if not done.rowcount:
            raise UserError(f"没有用户“{username}”")
        _audit(connection, by, "修改角色", f"{username}（{config.ROLE_LABELS[role]}）")

    store.write(work)


def remove(store: Store, username: str, by: str = "命令行") -> None:
    def work(connection):
        done = connection.execute(sa.delete(USERS).where(USERS.c.username == username))
        if not done.rowcount:
            raise UserError(f"没有用户“{username}”")
        _audit(connection, by, "删除用户", username)

    store.write(work)


def unlock(store: Store, username: str, by: str = "命令行") -> int:
    """Forget the wrong passwords typed for `username` from every source, and those sources'
    counts of all names (a guesser sharing the user's address); returns how many sources
    were waiting."""
    def work(connection):
        if not connection.execute(sa.select(USERS.c.username).where(USERS.c.username == username)).first():
            raise UserError(f"没有用户“{username}”")
        sources = _forget(connection, username)
        _audit(connection, by, "解除登录限制", f"{username}（{sources} 个来源）")
        return sources

    return store.write(work)


def _forget(connection, username: str) -> int:
    sources = connection.execute(sa.select(LOGIN_FAILURES.c.source).where(
        LOGIN_FAILURES.c.username == username[:NAME_KEPT])).scalars().all()
    if sources:
        connection.execute(sa.delete(LOGIN_FAILURES).where(LOGIN_FAILURES.c.username == username[:NAME_KEPT]))
        # the sources' counts of all names restart too; their audit bookkeeping stays
        connection.execute(sa.update(LOGIN_FAILURES).where(
            LOGIN_FAILURES.c.username == ANY_NAME, LOGIN_FAILURES.c.source.in_(sources)).values(failures=0))
    return len(sources)


def all_users(store: Store, now: float | None = None) -> list[dict]:
    """Every user with role, creation time and the number of sources waiting to try its name."""
    now = time.time() if now is None else now

    def read(connection):
        rows = [dict(r) for r in connection.execute(sa.select(USERS.c.username, USERS.c.role, USERS.c.created_at)
                                                    .order_by(USERS.c.username)).mappings()]
        counts = connection.execute(sa.select(LOGIN_FAILURES).where(
            LOGIN_FAILURES.c.username.in_([r["username"] for r in rows]))).mappings().all()
        waiting = {}
        for count in counts:
            if _wait(count, now, config.LOGIN_FREE_FAILURES) > 0:
                waiting[count["username"]] = waiting.get(count["username"], 0) + 1
        return [dict(r, waiting_sources=waiting.get(r["username"], 0)) for r in rows]

    return store.read(read)


# --- logging in -----------------------------------------------------------------------------
def delay(failures: int, free: int) -> float:
    """Seconds to wait after `failures` wrong passwords of which `free` cost nothing: doubling
    from config.LOGIN_DELAY_FIRST_S, capped at config.LOGIN_DELAY_MAX_S."""
    if failures < free:
        return 0.0
    # the exponent is capped too: 2 ** (a million failures) is no float
    return float(min(config.LOGIN_DELAY_MAX_S, config.LOGIN_DELAY_FIRST_S * 2 ** min(failures - free, 64)))


def _fresh(row, now: float):
    """The row if its failures still count (none forgotten), else None."""
    if row is None or now - row["last_failed"] > config.LOGIN_FAILURES_FORGOTTEN_S:
        return None
    return row


def _wait(row, now: float, free: int) -> float:
    row = _fresh(row, now)
    return 0.0 if row is None else max(0.0, row["last_failed"] + delay(row["failures"], free) - now)


def _counts(connection, name: str, source: str) -> tuple:
    rows = connection.execute(sa.select(LOGIN_FAILURES).where(
        LOGIN_FAILURES.c.source == source, LOGIN_FAILURES.c.username.in_([name, ANY_NAME]))).mappings().all()
    found = {r["username"]: r for r in rows}
    return found.get(name), found.get(ANY_NAME)


def retry_after(store: Store, username: str, source: str, now: float | None = None) -> float:
    """Seconds before `source` may try `username` again (0: now)."""
    now = time.time() if now is None else now
    name, source = _key(username, source)
    mine, everyone = store.read(lambda c: _counts(c, name, source))
    return max(_wait(mine, now, config.LOGIN_FREE_FAILURES), _wait(everyone, now, config.SOURCE_FREE_FAILURES))


def _key(username: str, source: str) -> tuple[str, str]:
    return (username or "").strip()[:NAME_KEPT], (source or "未知来源")[:SOURCE_KEPT]


@cache
def _dummy_hash() -> str:
    """A hash no password matches, verified for names that do not exist (same work)."""
    return _HASHER.hash(secrets.token_urlsafe(32))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _waiting(seconds: float) -> str:
    if seconds < 60:
        return f"{math.ceil(seconds)} 秒"
    return f"{math.ceil(seconds / 60)} 分钟"


def login(store: Store, username: str, password: str, source: str = "未知来源",
          now: float | None = None) -> LoginResult:
    """Check a password typed from `source`. The answer and the work done are the same for a
    name that exists and one that does not; a source that failed too often waits."""
    now = time.time() if now is None else now
    dummy = _dummy_hash()  # made before any answer: the first unknown name costs no extra hash
    name, source = _key(username, source)
    if not name:
        return LoginResult(None, "请输入用户名和密码。")

    def read(connection):
        row = connection.execute(sa.select(USERS.c.role, USERS.c.password_hash).where(
            USERS.c.username == name)).first()
        return row, *_counts(connection, name, source)

    row, mine, everyone = store.read(read)
    wait = max(_wait(mine, now, config.LOGIN_FREE_FAILURES), _wait(everyone, now, config.SOURCE_FREE_FAILURES))
    if wait > 0:  # refused unheard: checking the password would let guessing go on at full speed
        store.write(lambda c: _failed(c, name, source, now, counted=False))
        return LoginResult(None, f"尝试次数过多，请 {_waiting(wait)}后再试。", wait)
    # the row's hash, else the dummy: argon2 runs once either way, outside any transaction
    correct = _verify(row.password_hash if row is not None else dummy, password or "") and row is not None
    if not correct:
        wait = store.write(lambda c: _failed(c, name, source, now, counted=True))
        if wait > 0:
            return LoginResult(None, f"{WRONG}；尝试次数过多，请 {_waiting(wait)}后再试。", wait)
        return LoginResult(None, WRONG)

    def succeeded(connection):
        connection.execute(sa.delete(LOGIN_FAILURES).where(LOGIN_FAILURES.c.username == name,
                                                           LOGIN_FAILURES.c.source == source))
        _flush_failures(connection, source, now)
        _audit(connection, name, "登录", f"来自 {source}")

    store.write(succeeded)
    return LoginResult(User(name, row.role, credential(row.password_hash)), "已登录")


def _failed(connection, name: str, source: str, now: float, counted: bool) -> float:
    """Note a failed attempt (`counted`: a wrong password, not one refused unheard) and write
    the source's failures to the audit log at most once per config.FAILED_LOGIN_AUDIT_EVERY_S.
    Returns how long the source must now wait before trying `name` again."""
    connection.execute(sa.delete(LOGIN_FAILURES).where(
        LOGIN_FAILURES.c.last_failed < now - config.LOGIN_FAILURES_FORGOTTEN_S))
    mine, everyone = _counts(connection, name, source)
    if counted:
        mine = _bump(connection, name, source, mine, now)
    everyone = _bump(connection, ANY_NAME, source, everyone, now, counted=counted)
    due = everyone["audited_at"] is None or now - everyone["audited_at"] >= config.FAILED_LOGIN_AUDIT_EVERY_S
    if due:
        _log_failures(connection, source, everyone["unaudited"], shown(name, NAME_LOGGED),
                      "用户名或密码不正确" if counted else "尝试次数过多，未核对密码")
        connection.execute(sa.update(LOGIN_FAILURES).where(
            LOGIN_FAILURES.c.username == ANY_NAME, LOGIN_FAILURES.c.source == source).values(
            audited_at=now, unaudited=0))
    return max(_wait(mine, now, config.LOGIN_FREE_FAILURES), _wait(everyone, now, config.SOURCE_FREE_FAILURES))


def _bump(connection, name: str, source: str, row, now: float, counted: bool = True) -> dict:
    """One more failure on the row of (name, source), made or restarted as needed."""
    fresh = _fresh(row, now)
    failures = (fresh["failures"] if fresh else 0) + (1 if counted else 0)
    values = dict(failures=failures, last_failed=now if counted or fresh is None else fresh["last_failed"],
                  # only a source's row (ANY_NAME) keeps the audit log's count
                  unaudited=(row["unaudited"] if row else 0) + (name == ANY_NAME),
                  audited_at=row["audited_at"] if row else None)
    if row is None:
        connection.execute(sa.insert(LOGIN_FAILURES), [dict(username=name, source=source, **values)])
    else:
        connection.execute(sa.update(LOGIN_FAILURES).where(
            LOGIN_FAILURES.c.username == name, LOGIN_FAILURES.c.source == source).values(**values))
    return values


def _log_failures(connection, source: str, count: int, name: str, what: str) -> None:
    if count <= 1:
        _audit(connection, name or "（空）", "登录失败", f"{what}；来自 {source}")
    else:
        _audit(connection, name or "（空）", "登录失败",
               f"{count} 次登录失败（自上一条记录以来；用户名为最后一次所填）；来自 {source}")


def _flush_failures(connection, source: str, now: float) -> None:
    """Failures of the source not logged yet (they waited for the next minute): logged now,
    before the login that follows them."""
    everyone = connection.execute(sa.select(LOGIN_FAILURES).where(
        LOGIN_FAILURES.c.username == ANY_NAME, LOGIN_FAILURES.c.source == source)).mappings().first()
    if everyone is not None and everyone["unaudited"]:
        _audit(connection, "（多个）", "登录失败",
               f"{everyone['unaudited']} 次登录失败（自上一条记录以来）；来自 {source}")
        connection.execute(sa.update(LOGIN_FAILURES).where(
            LOGIN_FAILURES.c.username == ANY_NAME, LOGIN_FAILURES.c.source == source).values(
            audited_at=now, unaudited=0))


# --- sessions -------------------------------------------------------------------------------
def session_ended(store: Store, user: User) -> str | None:
    """Why a login made as `user` no longer holds (a Chinese sentence), or None while it does:
    the account was removed, or its password or role changed since."""
    row = store.read(lambda c: c.execute(sa.select(USERS.c.role, USERS.c.password_hash).where(
        USERS.c.username == user.username)).first())
    if row is None:
        return REMOVED
    if not secrets.compare_digest(credential(row.password_hash), user.credential):
        return PASSWORD_CHANGED
    if row.role != user.role:
        return ROLE_CHANGED
    return None
