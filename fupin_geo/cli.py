"""The command line: `python -m fupin_geo COMMAND`.

Everything a page does that makes sense without a browser is here too, so it can be
scripted and tested. Bad arguments and unusable files end with one Chinese sentence and
exit status 2 (click's own usage errors use 2 as well), never a traceback.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
import pandas as pd
import sqlalchemy as sa

from . import config
from .data import schema
from .data.store import AUDIT, REVISIONS, SAVED_VIEWS, TABLES, USERS, Store, StoreError, shown_url

# click's exit status for a usage error; ours for any input we cannot use.
EXIT_BAD_INPUT = 2
# Deletions an import prints one by one (a terminal screen); the rest are counted.
DELETIONS_LISTED = 50


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


def export_formats() -> dict[str, str]:
    from .data import export

    return export.FORMATS


# --- click, in Chinese -------------------------------------------------------------------
HELP_OPTION_TEXT = "显示本帮助并退出。"


def _usage_message(error: click.UsageError) -> str:
    """click's usage errors (English) told in one Chinese sentence."""
    if isinstance(error, click.NoSuchOption):
        return f"没有选项 {error.option_name}"
    if isinstance(error, click.NoSuchCommand):
        return f"没有命令“{error.command_name}”"
    if isinstance(error, click.MissingParameter):
        names = "/".join(error.param.opts) if error.param is not None else ""
        return f"缺少{'选项' if isinstance(error.param, click.Option) else '参数'} {names}"
    if isinstance(error, click.BadOptionUsage):
        if "requires an argument" in error.message:
            return f"选项 {error.option_name} 后面需要一个值"
        return f"选项 {error.option_name} 用法不对"
    if error.message.startswith("Got unexpected extra argument"):
        return f"多余的参数（{error.message.split('(', 1)[-1].rstrip(')')}）"
    if error.message.startswith("Missing command"):
        return "缺少命令"
    return f"命令行参数有误（{error.message}）"


class ChineseCommand(click.Command):
    """A click command whose help and usage errors are in Chinese."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, text.replace("[required]", "[必填]"))
                for p in self.get_params(ctx) if (record := p.get_help_record(ctx)) is not None
                for name, text in [record]]
        if rows:
            with formatter.section("选项"):
                formatter.write_dl(rows)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option


class ChineseGroup(ChineseCommand, click.Group):
    command_class = ChineseCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ChineseCommand.format_options(self, ctx, formatter)
        rows = [(name, command.get_short_help_str(formatter.width - 6 - len(name)))
                for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def main(self, args=None, prog_name=None, **extra):
        """Run; every ending that is not success prints Chinese and exits 2."""
        extra.pop("standalone_mode", None)
        try:
            code = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.ctx.get_help(), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else (prog_name or "python -m fupin_geo")
            click.echo(f"错误：{_usage_message(error)}。运行 {command} --help 查看用法。", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("已取消，未作任何改动。", err=True)
            sys.exit(EXIT_BAD_INPUT)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    if reset and not store.is_empty() and not yes:
        try:
            agreed = click.confirm("将删除数据库中现有的全部数据并换成演示数据，确定吗？", default=False)
        except click.Abort:  # no terminal to answer on (end of input)
            raise Failure("没有终端可以确认替换，数据库未作改动；确定要替换请加 --yes。") from None
        if not agreed:
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
@click.option("--copy-from", "source_url", metavar="URL",
              help="升级后把另一个数据库（如原来的 sqlite:///data/fupin.sqlite）的全部内容复制进来："
                   "各季度的全部历史版本、用户、操作日志和保存的视图；本数据库须为空。"
                   "用于从 SQLite 迁移到 PostgreSQL。")
def migrate(source_url: str | None) -> None:
    """把数据库结构升级到本程序的最新版本（保留全部数据，不会重建）。程序启动时也会自动执行。"""
    from .data import migrations

    url = config.database_url()
    click.echo(f"数据库：{shown_url(url)}")
    try:
        engine = sa.create_engine(Store.engine_url(url))
        before, after = migrations.upgrade(engine)
    except migrations.MigrationError as error:
        raise Failure(str(error)) from error
    except (sa.exc.SQLAlchemyError, OSError, ValueError, ImportError) as error:
        raise Failure(f"无法升级数据库 {shown_url(url)}：{type(error).__name__}。"
                      "请检查环境变量 FUPIN_DB_URL 和数据库服务器。") from error
    if before == after:
        click.echo(f"数据库结构已是最新版本 {after}，无需升级。")
    elif before is None:
        click.echo(f"已在空数据库中建立结构，版本 {after}。")
    else:
        click.echo(f"已把数据库结构从版本 {before} 升级到 {after}，原有数据保留。")
    if source_url:
        _copy_all(source_url, url)


def _copy_all(source_url: str, target_url: str) -> None:
    """Everything in `source_url` (every revision, users, audit log, saved views) into the
    empty database `target_url`, in one transaction."""
    if sa.engine.make_url(source_url) == sa.engine.make_url(target_url):
        raise Failure("--copy-from 指向的就是本数据库，无需复制。")
    target = open_store(target_url)
    if not target.is_empty():
        raise Failure(f"本数据库已有数据（{'、'.join(target.quarters())}），未复制。请换一个空数据库。")
    source = open_store(source_url)
    quarters = source.quarters()
    if not quarters:
        raise Failure(f"{shown_url(source_url)} 中没有任何数据，未复制。")
    try:
        copied = target.copy_all_from(source)
    except StoreError as error:
        raise Failure(str(error)) from error
    records = sum(copied[name] for name in TABLES)
    click.echo(f"已从 {shown_url(source_url)} 复制 {len(quarters)} 个季度（{'、'.join(quarters)}）的全部 "
               f"{copied[REVISIONS.name]} 个版本，共 {records} 条记录；另有用户 {copied[USERS.name]} 个、"
               f"操作日志 {copied[AUDIT.name]} 条、保存的视图 {copied[SAVED_VIEWS.name]} 个。")


def _county_code(text: str) -> str:
    """A 湛江 county by name (遂溪县 or 遂溪) or 6-digit code."""
    from .data import geodata

    counties = geodata.counties(config.ZHANJIANG)
    wanted = text.strip()
    for code, name in zip(counties["adcode"].tolist(), counties["name"].tolist()):
        if wanted in (code, name) or (len(wanted) >= 2 and name.startswith(wanted) and len(name) - len(wanted) == 1):
            return code
    raise Failure(f"没有这个县（市、区）：“{text}”。可用：{'、'.join(counties['name'])}，或其6位代码。")


def _weights(items: tuple[str, ...]) -> dict[str, float]:
    weights = dict(config.RANK_WEIGHTS)
    for item in items:
        key, _, value = item.partition("=")
        if key not in weights:
            raise Failure(f"没有分项“{key}”；可用：{'、'.join(weights)}（例如 --weight coop=5）。")
        try:
            number = float(value)
        except ValueError:
            raise Failure(f"权重应为数字：“{item}”。") from None
        if not 0 <= number <= 100:
            raise Failure(f"权重应在 0 到 100 之间：“{item}”。")
        weights[key] = number
    return weights


@main.command()
@click.option("--county", help="县（市、区）名称或6位代码，如 遂溪县、遂溪 或 440823；不写则全市。")
@click.option("--top", type=int, help="只输出前 N 名。")
@click.option("--quarter", help="数据季度，如 2019Q4；不写则用最新季度。")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "table"]),
              help="输出格式：csv（UTF-8 带 BOM，Excel 可直接打开）、xlsx 或 table（在终端显示）；"
                   "不写时按 --out 的扩展名，否则为 table。")
@click.option("--out", type=click.Path(dir_okay=False), help="输出文件；csv 不写时输出到屏幕。")
@click.option("--weight", "weight_items", multiple=True, metavar="分项=权重",
              help=f"改变权重，可重复；分项：{'、'.join(config.RANK_WEIGHTS)}。"
                   f"默认：{'，'.join(f'{k}={v}' for k, v in config.RANK_WEIGHTS.items())}。")
def rank(county: str | None, top: int | None, quarter: str | None, fmt: str | None, out: str | None,
         weight_items: tuple[str, ...]) -> None:
    """短板排查：按短板得分排列贫困村，每村附排名原因，可导出 CSV 或 Excel。"""
    from .analysis import ranking
    from .analysis.filters import VillageFilter

    if top is not None and top < 1:
        raise Failure("--top 应为正整数。")
    if fmt is None:
        fmt = "xlsx" if out and out.lower().endswith(".xlsx") else "csv" if out else "table"
    if fmt == "xlsx" and not out:
        raise Failure("xlsx 格式需要用 --out 指定输出文件。")
    weights = _weights(weight_items)
    scope = VillageFilter(counties=(_county_code(county),) if county else ())
    store = open_store()
    try:
        dataset = store.load(quarter)
    except (StoreError, schema.SchemaError) as error:
        raise Failure(str(error).splitlines()[0]) from error
    ranked = ranking.rank(dataset, weights, scope)
    if top is not None:
        ranked = ranked.head(top)
    table = ranking.export_table(ranked)
    note = ranking.export_note(weights, dataset.quarter, bool(dataset.demo_records))
    if fmt == "table":
        for row in table.to_dict("records"):
            click.echo(f"{row['排名']:>3}. {row['村名']}（{row['县（市、区）']}·{row['镇（街道）']}）"
                       f"得分 {row['短板得分']:.1f}：{row['原因']}")
        click.echo(note)
        return
    data = ranking.to_csv(table) if fmt == "csv" else ranking.to_xlsx(table, note=note)
    if not out:
        click.echo(data.decode("utf-8-sig"), nl=False)
        return
    _write_file(Path(out), data)
    click.echo(f"已写入 {out}：{len(table)} 个村（{dataset.quarter}）。{note}")


def _write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (a temporary file renamed into place)."""
    folder = path.parent
    if path.is_dir():
        raise Failure(f"无法写入 {path}：这是一个文件夹，请给出文件名。")
    if not folder.is_dir():
        raise Failure(f"无法写入 {path}：文件夹 {folder} 不存在。")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".fupin-export-", suffix=".part")
    except OSError as error:
        raise Failure(f"无法写入 {path}：{_os_reason(error)}。") from error
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise Failure(f"无法写入 {path}：{_os_reason(error)}。") from error


def _os_reason(error: OSError) -> str:
    import errno

    reasons = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘已满",
               errno.EROFS: "只读文件系统", errno.ENOENT: "路径不存在", errno.EISDIR: "这是一个文件夹",
               errno.ENAMETOOLONG: "文件名太长"}
    return reasons.get(error.errno, f"系统错误 {error.errno}")


@main.command(name="export")
@click.option("--quarter", "-q", required=True, metavar="YYYYQN",
              help="要导出的季度，例如 2019Q4（info 命令列出现有季度）。")
@click.option("--format", "-f", "fmt", required=True, metavar="|".join(export_formats()),
              help="格式。" + "；".join(f"{k}：{v}" for k, v in export_formats().items()) + "。")
@click.option("--out", "-o", required=True, metavar="FILE", type=click.Path(path_type=Path),
              help="写出的文件路径；已有同名文件时将被替换。")
def export_command(quarter: str, fmt: str, out: Path) -> None:
    """把一个季度的数据导出为 Excel、CSV 压缩包、GeoJSON 或 GeoPackage 文件。"""
    from .data import export

    fmt = fmt.strip().lower()
    if fmt not in export.FORMATS:
        raise Failure(f"不支持的格式“{fmt}”：可选 {'、'.join(export.FORMATS)}。")
    url = config.database_url()
    store = open_store(url)
    try:
        # stored records that fail validation are left out and named, the rest exported
        dataset, problems = store.load_checked(quarter.strip())
    except StoreError as error:
        raise Failure(str(error)) from error
    try:
        result = export.export(dataset, fmt, source=export.database_source(url))
    except export.ExportError as error:
        raise Failure(str(error)) from error
    _write_file(out, result.data)
    skipped = [f"{problem}，未导出" for problem in problems] + list(result.skipped)
    for record in skipped:
        click.echo(f"已跳过：{record}", err=True)
    click.echo(f"已写出 {out}（{dataset.quarter}，{export.FORMATS[fmt]}）"
               + (f"，跳过 {len(skipped)} 条无法使用的记录。" if skipped else "。"))
    if out.suffix.lower() != export.SUFFIXES[fmt]:
        click.echo(f"提示：{fmt} 格式的文件通常以 {export.SUFFIXES[fmt]} 结尾。", err=True)
    if dataset.demo_records:
        click.echo(f"注意：其中 {dataset.demo_records} 条记录为演示数据（来源「{config.DEMO_SOURCE}」），"
                   "不是真实数据。")
@main.command()
@click.option("--unit", default=None, help="只列出该科室牵头的措施，含与其他科室共同牵头的（写法同工作方案）。")
@click.option("--quarter", default=None, help="季度，如 2019Q4；默认最新季度。")
def measures(unit: str | None, quarter: str | None) -> None:
    """列出工作方案第1–27项措施及其本季度进展状态。"""
    from .analysis import measures as tracker
    from .data import measures as plan

    if unit and unit not in plan.units():
        raise Failure(f"工作方案中没有科室“{unit}”。可选：{'、'.join(plan.units())}。")
    store = open_store()
    try:
        dataset = store.load(quarter)
    except StoreError as error:
        raise Failure(str(error)) from error
    table = tracker.tracker(dataset, store.quarters(), unit)
    click.echo(f"{dataset.quarter}：{unit or '全部科室'} 共 {len(table)} 项措施")
    for row in table.itertuples(index=False):
        click.echo(f"{row.序号:>2}. [{row.状态}] {row.措施} · 牵头：{row.牵头科室}")
    if dataset.demo_records:
        click.echo(f"注意：进展状态为演示数据（来源「{config.DEMO_SOURCE}」）。")
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
@click.option("--quarter", required=True,
              help="导入为哪个季度的数据，如 2020Q1（文件中“季度”列不同时以此为准）。")
@click.option("--dry-run", is_flag=True, help="只核对并显示会有哪些变化，不写入数据库。")
@click.option("--coords", "coord_system", default="WGS-84", show_default=True,
              type=click.Choice(config.COORD_SYSTEMS), help="文件中经纬度的坐标系。")
@click.option("--swap-fix", is_flag=True, help="自动交换填反的经纬度。")
@click.option("--replace", "replace_counties", multiple=True, metavar="县区",
              help="文件中的表替换这个县区的记录：文件没有列出的该县区记录将被删除（可写多次）。")
@click.option("--replace-all", is_flag=True, help="文件中的表替换整个季度的记录：文件没有列出的记录将被删除。")
@click.option("--delete-dependants", is_flag=True,
              help="同时删除引用被删记录的记录（如被删村的一村一品、合作社、联农带农）。")
@click.option("--yes", is_flag=True, help="确认大批删除（超过 10 条或某表的 5%）。")
@click.option("--user", default="命令行", show_default=True, help="记入版本和操作日志的用户名。")
@click.option("--note", default="", help="版本说明。")
@click.option("--problems", "problems_out", type=click.Path(dir_okay=False),
              help="把问题清单保存为 .xlsx。")
@click.option("--marked", "marked_out", type=click.Path(dir_okay=False),
              help="把标出问题的原文件副本保存为 .xlsx（错误标红、提示标黄，说明在批注中）。")
def import_(file: str, quarter: str, dry_run: bool, coord_system: str, swap_fix: bool,
            replace_counties: tuple[str, ...], replace_all: bool, delete_dependants: bool, yes: bool,
            user: str, note: str, problems_out: str | None, marked_out: str | None = None) -> None:
    """导入台账（.xlsx / .xls / .csv）：逐行核对，只更新文件中列出的记录，无错误时保存为该季度的新版本。

    不删除任何记录，除非文件中“删除”列填了“是”，或用 --replace / --replace-all 指定替换；
    要删除的记录会先列出。"""
    from .data import ledger
    from .data import ledger_report
    from .data.ledger_merge import MASS_DELETION_TEXT, Replacement

    try:
        with open(file, "rb") as handle:
            data = handle.read(config.MAX_UPLOAD_MB * 1024 * 1024 + 1)
    except OSError as error:
        raise Failure(f"无法读取 {file}：{error.strerror}。") from error
    replacement = Replacement(frozenset(_county_code(c) for c in replace_counties), everything=replace_all)
    store = open_store()
    try:
        preview = ledger.check(store, file.rsplit("/", 1)[-1], data, quarter.strip(), coord_system, swap_fix,
                               replacement=replacement, delete_dependants=delete_dependants,
                               replace_quarter=True)  # --quarter decides; a hint says so
    except ledger.FileRefused as error:
        raise Failure(str(error)) from error
    except StoreError as error:
        raise Failure(str(error)) from error
    for line in preview.ledger.notes:
        click.echo(f"说明：{line}")
    table = preview.ledger.problem_table()
    for row in table.head(50).to_dict("records"):
        where = ((f"「{row['工作表']}」" if row["工作表"] else "")
                 + (f"第 {row['行']} 行" if pd.notna(row['行']) else ""))
        click.echo(f"{row['级别']}：{where} {row['列']} “{row['值']}”：{row['说明']}")
    if len(table) > 50:
        click.echo(f"……共 {len(table)} 条问题，完整清单请用 --problems 保存。")
    if problems_out:
        with open(problems_out, "wb") as handle:
            handle.write(ledger_report.problems_workbook(preview.ledger))
        click.echo(f"问题清单已保存：{problems_out}")
    if marked_out and ledger_report.marked_copy_refusal(preview.ledger):
        click.echo(ledger_report.marked_copy_refusal(preview.ledger))
    elif marked_out:
        with open(marked_out, "wb") as handle:
            handle.write(ledger_report.marked_copy(preview.ledger, file.rsplit("/", 1)[-1], data))
        click.echo(f"标出问题的原文件副本已保存：{marked_out}")
    if not preview.ok:
        raise Failure(f"文件有 {len(preview.ledger.errors)} 处错误，未写入数据库。")
    for line in ledger.summary_lines(preview):
        click.echo(line)
    for row in preview.deleted.head(DELETIONS_LISTED).to_dict("records"):
        click.echo(f"将删除：「{row['表']}」{row['记录']}（{row['县区']}；{row['原因']}）")
    if len(preview.deleted) > DELETIONS_LISTED:
        click.echo(f"……共将删除 {len(preview.deleted)} 条记录。")
    if preview.unchanged:
        return
    for row in preview.changes.counts().to_dict("records"):
        click.echo(f"{row['表']}：新增 {row['新增']}，删除 {row['删除']}，修改 {row['修改']}")
    if dry_run:
        click.echo("试运行（--dry-run）：未写入数据库。")
        return
    if preview.mass_deletion and not yes:
        raise Failure(f"本次导入将删除 {len(preview.deleted)} 条记录（超过 {MASS_DELETION_TEXT}），未写入数据库。"
                      "请核对上面的删除清单，确认后加 --yes 重新运行。")
    try:
        number = ledger.commit(store, preview, user=user, note=note, confirm_mass_deletion=yes)
    except StoreError as error:
        raise Failure(str(error)) from error
    click.echo(f"已导入为 {quarter} 的第 {number} 版。")


@main.group()
def users() -> None:
    """管理“数据管理”页面的用户（add / passwd / role / unlock / remove / list）。"""


def _password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")
    return password


PASSWORD_HELP = (f"从标准输入读取密码（一行）。密码至少 {config.PASSWORD_LONG} 个字符，或至少 {config.PASSWORD_MIN} "
                 f"个字符且含小写字母、大写字母、数字、符号中的 {config.PASSWORD_KINDS} 种；不能是常用密码。")


@users.command(name="add")
@click.argument("username")
@click.option("--role", type=click.Choice(config.ROLES), default="editor", show_default=True,
              help="角色：viewer 查看、editor 编辑、admin 管理员。")
@click.option("--password-stdin", is_flag=True, help=PASSWORD_HELP)
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
@click.option("--password-stdin", is_flag=True, help=PASSWORD_HELP)
def users_passwd(username: str, password_stdin: bool) -> None:
    """修改密码（该用户已登录的会话随之退出，并解除其登录限制）。"""
    from .data import users as users_module

    try:
        users_module.set_password(open_store(), username, _password(password_stdin))
    except users_module.UserError as error:
        raise Failure(str(error)) from error
    click.echo(f"已修改 {username} 的密码。")


@users.command(name="role")
@click.argument("username")
@click.argument("role", type=click.Choice(config.ROLES))
def users_role(username: str, role: str) -> None:
    """修改角色（viewer / editor / admin；该用户已登录的会话随之退出）。"""
    from .data import users as users_module

    try:
        users_module.set_role(open_store(), username, role)
    except users_module.UserError as error:
        raise Failure(str(error)) from error
    click.echo(f"已把 {username} 的角色改为{config.ROLE_LABELS[role]}。")


@users.command(name="unlock")
@click.argument("username")
def users_unlock(username: str) -> None:
    """解除登录限制：忘记各来源为该用户名输错的密码，可立即再试。"""
    from .data import users as users_module

    try:
        sources = users_module.unlock(open_store(), username)
    except users_module.UserError as error:
        raise Failure(str(error)) from error
    click.echo(f"已解除 {username} 的登录限制（{sources} 个来源的输错记录已清除）。")


@users.command(name="remove")
@click.argument("username")
def users_remove(username: str) -> None:
    """删除用户（该用户已登录的会话随之退出）。"""
    from .data import users as users_module

    try:
        users_module.remove(open_store(), username)
    except users_module.UserError as error:
        raise Failure(str(error)) from error
    click.echo(f"已删除用户 {username}。")


@users.command(name="list")
def users_list() -> None:
    """列出用户、角色，以及需等待才能再试其密码的来源。"""
    from .data import users as users_module

    rows = users_module.all_users(open_store())
    if not rows:
        click.echo("还没有用户：用 python -m fupin_geo users add 用户名 --role admin 添加。")
        return
    for row in rows:
        waiting = (f"（{row['waiting_sources']} 个来源输错过多、需等待再试；可用 users unlock 解除）"
                   if row["waiting_sources"] else "")
        click.echo(f"{row['username']}  {config.ROLE_LABELS[row['role']]}{waiting}")


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
    _write_file(Path(out), files[fmt])
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
