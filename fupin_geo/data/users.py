"""Users of 数据管理: roles, argon2 password hashes, lockout after wrong passwords.

Passwords are stored only as argon2id hashes (argon2-cffi's defaults). Five wrong passwords in
a row lock the account for config.LOCKOUT_MINUTES; a correct one resets the count. Every login
attempt and user change is written to the audit log in the same transaction.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .. import config
from .store import AUDIT, USERS, Store, now_iso

_HASHER = PasswordHasher()
USERNAME = re.compile(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}")
MIN_PASSWORD = 8


class UserError(ValueError):
    """A user operation that cannot be done; the message says why, in Chinese."""


@dataclass(frozen=True)
class User:
    username: str
    role: str

    def can(self, role: str) -> bool:
        return config.ROLES.index(self.role) >= config.ROLES.index(role)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str  # Chinese, safe to show (never says whether the name exists)


def _check_username(username: str) -> str:
    username = (username or "").strip()
    if not USERNAME.fullmatch(username):
        raise UserError("用户名应为 2–32 个字母、数字、汉字或 _ . -")
    return username


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"密码至少 {MIN_PASSWORD} 个字符")


def _check_role(role: str) -> None:
    if role not in config.ROLES:
        raise UserError(f"角色应为 {'/'.join(config.ROLES)} 之一")


def _audit(connection, username: str, action: str, detail: str = "") -> None:
    connection.execute(sa.insert(AUDIT), [dict(at=now_iso(), username=username, action=action, detail=detail)])


def add(store: Store, username: str, password: str, role: str, by: str = "命令行") -> User:
    username = _check_username(username)
    _check_password(password)
    _check_role(role)
    hashed = _HASHER.hash(password)

    def work(connection):
        if connection.execute(sa.select(USERS.c.username).where(USERS.c.username == username)).first():
            raise UserError(f"用户“{username}”已存在")
        connection.execute(sa.insert(USERS), [dict(username=username, password_hash=hashed, role=role,
                                                   failed_logins=0, created_at=now_iso())])
        _audit(connection, by, "添加用户", f"{username}（{config.ROLE_LABELS[role]}）")

    store.write(work)
    return User(username, role)


def set_password(store: Store, username: str, password: str, by: str = "命令行") -> None:
    _check_password(password)
    hashed = _HASHER.hash(password)

    def work(connection):
        done = connection.execute(sa.update(USERS).where(USERS.c.username == username).values(
            password_hash=hashed, failed_logins=0, locked_until=None))
        if not done.rowcount:
            raise UserError(f"没有用户“{username}”")
        _audit(connection, by, "修改密码", username)

    store.write(work)


def remove(store: Store, username: str, by: str = "命令行") -> None:
    def work(connection):
        done = connection.execute(sa.delete(USERS).where(USERS.c.username == username))
        if not done.rowcount:
            raise UserError(f"没有用户“{username}”")
        _audit(connection, by, "删除用户", username)

    store.write(work)


def all_users(store: Store) -> list[dict]:
    query = sa.select(USERS.c.username, USERS.c.role, USERS.c.failed_logins, USERS.c.locked_until,
                      USERS.c.created_at).order_by(USERS.c.username)
    return [dict(r) for r in store.read(lambda c: c.execute(query).mappings().all())]


def login(store: Store, username: str, password: str, now: float | None = None, where: str = "") -> LoginResult:
    """Check a password; count failures and lock after config.MAX_FAILED_LOGINS."""
    now = time.time() if now is None else now
    username = (username or "").strip()
    wrong = LoginResult(None, "用户名或密码不正确")

    def work(connection):
        row = connection.execute(sa.select(USERS).where(USERS.c.username == username)).mappings().first()
        if row is None:
            _audit(connection, username[:64] or "（空）", "登录失败", f"用户不存在{where}")
            return wrong
        if row["locked_until"] and row["locked_until"] > now:
            minutes = max(1, round((row["locked_until"] - now) / 60))
            _audit(connection, username, "登录被拒", f"账户已锁定{where}")
            return LoginResult(None, f"密码连续错误 {config.MAX_FAILED_LOGINS} 次，账户已锁定；"
                                     f"请约 {minutes} 分钟后再试")
        try:
            _HASHER.verify(row["password_hash"], password or "")
        except (VerificationError, InvalidHashError):
            failures = (row["failed_logins"] or 0) + 1
            locked = now + config.LOCKOUT_MINUTES * 60 if failures >= config.MAX_FAILED_LOGINS else None
            connection.execute(sa.update(USERS).where(USERS.c.username == username).values(
                failed_logins=0 if locked else failures, locked_until=locked))
            if locked:
                _audit(connection, username, "账户锁定", f"密码连续错误 {failures} 次{where}")
                return LoginResult(None, f"密码连续错误 {failures} 次，账户已锁定 {config.LOCKOUT_MINUTES} 分钟")
            _audit(connection, username, "登录失败", f"密码错误（第 {failures} 次）{where}")
            return wrong
        connection.execute(sa.update(USERS).where(USERS.c.username == username).values(
            failed_logins=0, locked_until=None))
        _audit(connection, username, "登录", where.strip("；"))
        return LoginResult(User(username, row["role"]), "已登录")

    return store.write(work)
