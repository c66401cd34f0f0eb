"""The command line: `python -m fupin_geo COMMAND`.

Everything a page does that makes sense without a browser is here too, so it can be
scripted and tested. Bad arguments and unusable files end with one Chinese sentence and
exit status 2 (click's own usage errors use 2 as well), never a traceback.
"""
from __future__ import annotations

import sys

import click
import pandas as pd
import sqlalchemy as sa

from . import config
from .data import schema
from .data.store import Store, StoreError

# click's exit status for a usage error; ours for any input we cannot use.
EXIT_BAD_INPUT = 2


class Failure(click.ClickException):
    """One Chinese sentence on stderr, exit status 2."""

    exit_code = EXIT_BAD_INPUT

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True, file=file)


def open_store(url: str | None = None) -> Store:
    try:
        return Store(url)
    except StoreError as error:
        raise Failure(str(error)) from error


def shown_url(url: str) -> str:
    """The database URL with its password hidden."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """湛江产业扶贫地图的命令行工具。数据库由环境变量 FUPIN_DB_URL 指定（默认 data/fupin.sqlite）。"""


@main.command()
def info() -> None:
    """显示所用数据库、各季度及各类记录数，并说明是否为演示数据。"""
    url = config.database_url()
    store = open_store(url)
    click.echo(f"数据库：{shown_url(url)}")
    quarters = store.quarters()
    if not quarters:
        click.echo("数据库为空：运行 python -m fupin_geo demo 可填入演示数据。")
        return
    click.echo(f"季度：{'、'.join(quarters)}")
    header = ["实体", *quarters]
    rows = []
    demo_total = 0
    datasets = []
    for quarter in quarters:
        try:
            datasets.append(store.load(quarter))
        except (StoreError, schema.SchemaError) as error:
            raise Failure(f"{quarter} 的数据无法读取：{str(error).splitlines()[0]}") from error
    for entity in schema.ENTITIES:
        rows.append([entity.label, *(str(len(d.frames()[entity.table])) for d in datasets)])
    demo_total = sum(d.demo_records for d in datasets)
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(_pad(cell, w) for cell, w in zip(row, widths)))
    if demo_total:
        click.echo(f"注意：其中 {demo_total} 条记录为程序生成的演示数据（来源「{config.DEMO_SOURCE}」），"
                   "不是湛江市农业农村局的真实数据。")
    else:
        click.echo("没有演示数据记录。")


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


@main.command()
@click.option("--reset", is_flag=True, help="删除数据库中现有的全部季度数据，换成演示数据。")
@click.option("--yes", is_flag=True, help="不再询问，直接执行（配合 --reset）。")
def demo(reset: bool, yes: bool) -> None:
    """向空数据库填入演示数据；已有数据时不做任何改动（除非 --reset）。"""
    store = open_store()
    if not store.is_empty() and not reset:
        click.echo(f"数据库已有数据（{'、'.join(store.quarters())}），未作改动。要替换为演示数据请加 --reset。")
        return
    if reset and not store.is_empty():
        if not yes and not click.confirm("将删除数据库中现有的全部数据并换成演示数据，确定吗？", default=False):
            raise Failure("已取消，数据库未作改动。")
    from .data import demo as demo_data

    datasets = demo_data.build_demo()
    try:
        store.replace_all(datasets)
    except StoreError as error:
        raise Failure(str(error)) from error
    click.echo(f"已写入演示数据：{'、'.join(d.quarter for d in datasets)}，"
               f"共 {sum(d.demo_records for d in datasets)} 条记录（均标注为「{config.DEMO_SOURCE}」）。")


@main.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="模板保存到的文件（.xlsx）。")
@click.option("--no-examples", is_flag=True, help="不写示例行。")
def template(out: str, no_examples: bool) -> None:
    """生成季度台账模板（.xlsx）：每类数据一张表、中文表头、下拉选项、示例行和说明。"""
    from .data import template as template_module

    if not out.lower().endswith(".xlsx"):
        raise Failure("模板文件名应以 .xlsx 结尾。")
    examples = None
    if not no_examples:
        store = open_store()
        examples = store.load() if not store.is_empty() else None
    try:
        with open(out, "wb") as handle:
            handle.write(template_module.template(examples))
    except OSError as error:
        raise Failure(f"无法写入 {out}：{error.strerror}。") from error
    click.echo(f"已生成台账模板：{out}")


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--quarter", required=True, help="导入为哪个季度的数据，如 2020Q1。")
@click.option("--dry-run", is_flag=True, help="只核对并显示会有哪些变化，不写入数据库。")
@click.option("--coords", "coord_system", default="WGS-84", show_default=True,
              type=click.Choice(config.COORD_SYSTEMS), help="文件中经纬度的坐标系。")
@click.option("--swap-fix", is_flag=True, help="自动交换填反的经纬度。")
@click.option("--user", default="命令行", show_default=True, help="记入版本和操作日志的用户名。")
@click.option("--note", default="", help="版本说明。")
@click.option("--problems", "problems_out", type=click.Path(dir_okay=False),
              help="把问题清单保存为 .xlsx。")
def import_(file: str, quarter: str, dry_run: bool, coord_system: str, swap_fix: bool, user: str,
            note: str, problems_out: str | None) -> None:
    """导入台账（.xlsx / .xls / .csv）：逐行核对，无错误时保存为该季度的新版本。"""
    from .analysis import ledger
    from .data import ledger_import

    try:
        with open(file, "rb") as handle:
            data = handle.read(config.MAX_UPLOAD_MB * 1024 * 1024 + 1)
    except OSError as error:
        raise Failure(f"无法读取 {file}：{error.strerror}。") from error
    store = open_store()
    try:
        preview = ledger.check(store, file.rsplit("/", 1)[-1], data, quarter.strip(), coord_system, swap_fix)
    except ledger.FileRefused as error:
        raise Failure(str(error)) from error
    except StoreError as error:
        raise Failure(str(error)) from error
    for line in preview.ledger.notes:
        click.echo(f"说明：{line}")
    table = preview.ledger.problem_table()
    for row in table.head(50).to_dict("records"):
        where = f"「{row['工作表']}」" + (f"第 {row['行']} 行" if pd.notna(row['行']) else "")
        click.echo(f"{row['级别']}：{where} {row['列']} “{row['值']}”：{row['说明']}")
    if len(table) > 50:
        click.echo(f"……共 {len(table)} 条问题，完整清单请用 --problems 保存。")
    if problems_out:
        with open(problems_out, "wb") as handle:
            handle.write(ledger_import.problems_workbook(preview.ledger))
        click.echo(f"问题清单已保存：{problems_out}")
    if not preview.ok:
        raise Failure(f"文件有 {len(preview.ledger.errors)} 处错误，未写入数据库。")
    counts = preview.changes.counts()
    if counts.empty:
        click.echo("与当前数据相比没有变化。")
    for row in counts.to_dict("records"):
        click.echo(f"{row['表']}：新增 {row['新增']}，删除 {row['删除']}，修改 {row['修改']}")
    if dry_run:
        click.echo("试运行（--dry-run）：未写入数据库。")
        return
    try:
        number = ledger.commit(store, preview, user=user, note=note)
    except StoreError as error:
        raise Failure(str(error)) from error
    click.echo(f"已导入为 {quarter} 的第 {number} 版。")


@main.group()
def users() -> None:
    """管理“数据管理”页面的用户（add / passwd / remove / list）。"""


def _password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")
    return password


@users.command(name="add")
@click.argument("username")
@click.option("--role", type=click.Choice(config.ROLES), default="editor", show_default=True,
              help="角色：viewer 查看、editor 编辑、admin 管理员。")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（一行）。")
def users_add(username: str, role: str, password_stdin: bool) -> None:
    """添加用户。"""
    from .data import users as users_module

    try:
        users_module.add(open_store(), username, _password(password_stdin), role)
    except users_module.UserError as error:
        raise Failure(str(error)) from error
    click.echo(f"已添加用户 {username}（{config.ROLE_LABELS[role]}）。")


@users.command(name="passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（一行）。")
def users_passwd(username: str, password_stdin: bool) -> None:
    """修改密码（同时解除锁定）。"""
    from .data import users as users_module

    try:
        users_module.set_password(open_store(), username, _password(password_stdin))
    except users_module.UserError as error:
        raise Failure(str(error)) from error
    click.echo(f"已修改 {username} 的密码。")


@users.command(name="remove")
@click.argument("username")
def users_remove(username: str) -> None:
    """删除用户。"""
    from .data import users as users_module

    try:
        users_module.remove(open_store(), username)
    except users_module.UserError as error:
        raise Failure(str(error)) from error
    click.echo(f"已删除用户 {username}。")


@users.command(name="list")
def users_list() -> None:
    """列出用户、角色和锁定状态。"""
    import time

    from .data import users as users_module

    rows = users_module.all_users(open_store())
    if not rows:
        click.echo("还没有用户：用 python -m fupin_geo users add 用户名 --role admin 添加。")
        return
    for row in rows:
        locked = "（已锁定）" if row["locked_until"] and row["locked_until"] > time.time() else ""
        click.echo(f"{row['username']}  {config.ROLE_LABELS[row['role']]}{locked}")


def run() -> None:
    """Entry point of `python -m fupin_geo`."""
    main(prog_name="python -m fupin_geo")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
