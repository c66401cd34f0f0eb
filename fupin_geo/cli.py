"""The command line: `python -m fupin_geo COMMAND`.

Everything a page does that makes sense without a browser is here too, so it can be
scripted and tested. Bad arguments and unusable files end with one Chinese sentence and
exit status 2 (click's own usage errors use 2 as well), never a traceback.
"""
from __future__ import annotations

import sys

import click
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
@click.option("--county", default="全市", show_default=True,
              help="湛江的县（市、区）名称或代码，如 遂溪县、遂溪、440823；全市为 全市。")
@click.option("--quarter", default=None, help="数据季度，如 2019Q4；默认最新季度。")
@click.option("--format", "fmt", type=click.Choice(["pptx", "pdf"]), default="pptx", show_default=True,
              help="pptx：可编辑的演示文稿；pdf：可打印的文档。")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), required=True,
              help="输出文件路径。")
def briefing(county: str, quarter: str | None, fmt: str, out: str) -> None:
    """生成会议简报（封面、指标对照目标、分县表、静态地图、湛柳协作），含演示数据时每页注明。"""
    from .report import briefing as briefings
    from .report import content
    from .report.fonts import FontMissing

    try:
        code = content.county_code(county)
    except KeyError:
        raise Failure(f"湛江市没有名为“{county}”的县（市、区）；可用：全市、"
                      f"{'、'.join(geodata_names())}。") from None
    store = open_store()
    try:
        dataset = store.load(quarter)
        made, files = briefings.make(dataset, store.quarters(), code, (fmt,))
    except StoreError as error:
        raise Failure(str(error)) from error
    except FontMissing as error:
        raise Failure(str(error)) from error
    try:
        with open(out, "wb") as handle:
            handle.write(files[fmt])
    except OSError as error:
        raise Failure(f"无法写入 {out}：{error.strerror or error}。") from error
    click.echo(f"已生成{briefings.FORMATS[fmt]}：{out}（{made.scope}，{made.quarter}，"
               f"{len(made.sections)} 页）")


def geodata_names() -> list[str]:
    from .data import geodata

    return geodata.counties(config.ZHANJIANG)["name"].tolist()


def run() -> None:
    """Entry point of `python -m fupin_geo`."""
    main(prog_name="python -m fupin_geo")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
