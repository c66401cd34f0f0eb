"""The password policy: long enough, or mixed enough, and not one of the passwords a guesser
tries first (common_passwords.txt beside this module, shipped with the app)."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from .. import config

COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords.txt"


class WeakPassword(ValueError):
    """A password the policy refuses; the message says what is required, in Chinese."""


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _kinds(password: str) -> int:
    """How many of lower case, upper case, digits and other characters `password` has."""
    return sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                any(c.isdigit() for c in password), any(not c.isalnum() for c in password)))


RULE = (f"密码至少 {config.PASSWORD_LONG} 个字符；或至少 {config.PASSWORD_MIN} 个字符且包含小写字母、大写字母、"
        f"数字、符号中的至少 {config.PASSWORD_KINDS} 种")


def check(password: str, username: str = "") -> None:
    """Raise WeakPassword (Chinese, saying what is required) unless `password` is long enough or
    mixed enough, and neither a common password nor the user name."""
    password = password or ""
    if len(password) > config.PASSWORD_MAX:
        raise WeakPassword(f"密码不能超过 {config.PASSWORD_MAX} 个字符")
    if len(password) < config.PASSWORD_LONG and (len(password) < config.PASSWORD_MIN
                                                 or _kinds(password) < config.PASSWORD_KINDS):
        raise WeakPassword(f"密码太简单：{RULE}。")
    if password.lower() in common_passwords():
        raise WeakPassword(f"这是常用密码之一，很容易被猜中，请换一个（{RULE}）。")
    if username and password.lower() == username.strip().lower():
        raise WeakPassword("密码不能与用户名相同。")
