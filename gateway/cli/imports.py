"""``credit-gateway import``: load a department's file of records (批量导入)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click

from gateway.cli._common import load_settings
from gateway.settings import Settings
from resolvers.cache import create_cache
from resolvers.data.database import Database
from resolvers.domain import clock
from resolvers.domain.enums import Department, Severity
from resolvers.domain.ownership import RecordType
from resolvers.writes.imports.formats import FORMATS
from resolvers.writes.imports.readers import CSV, JSONL, FileProblem, format_of
from resolvers.writes.imports.runner import DEFAULT_BATCH_SIZE, ImportSummary, run_import

# Whose file it is when --department is not given: the usual supplier of the record type.
DEFAULT_DEPARTMENT = {
    RecordType.PENALTY: Department.MARKET_REGULATION,
    RecordType.LICENSE: Department.MARKET_REGULATION,
    RecordType.RATING: Department.PLATFORM,
    RecordType.COMMITMENT: Department.COMMERCE,
    RecordType.LOGISTICS_LINK: Department.POSTAL,
    RecordType.COMPLAINT: Department.MARKET_REGULATION,
    RecordType.LIST_ENTRY: Department.DEVELOPMENT_REFORM,
}


@click.command(name="import")
@click.argument("record_type", metavar="{" + "|".join(FORMATS) + "}",
                type=click.Choice(list(FORMATS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--department", type=click.Choice([d.value for d in Department]), default=None,
              metavar="DEPARTMENT",
              help="数据来源单位 of the file; it must own the record type [default: the usual "
                   "supplier, e.g. MARKET_REGULATION for penalties].")
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="PATH", help="Where rows not written go, with line number and reasons "
                                   "[default: FILE.rejects.csv].")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=DEFAULT_BATCH_SIZE,
              show_default=True, metavar="N", help="Rows per transaction.")
@click.option("--format", "source_format", type=click.Choice([CSV, JSONL]), default=None,
              help="csv or jsonl [default: from the file name].")
@click.option("--strict", is_flag=True,
              help="Refuse columns the format does not know [default: ignore them and list "
                   "them in the summary].")
@click.option("--severity", type=click.Choice([s.value for s in Severity]), default=None,
              help="Penalties: the severity of a row that states none (no CF_YZCD) and whose "
                   "publicity end (CF_GSJZQ) does not tell it.")
@click.option("--quiet", is_flag=True, help="No progress bar on stderr.")
def import_records(record_type: str, file: Path, department: str | None, rejects: Path | None,
                   batch_size: int, source_format: str | None, strict: bool,
                   severity: str | None, quiet: bool) -> None:
    """Import FILE, a CSV (UTF-8, with or without BOM) or JSON Lines file of records.

    Penalties and licences use the 双公示 field codes as columns (CF_…, XK_…); the other record
    types their field names (docs/IMPORT.md). Rows are checked like mutations and written in
    batches, one transaction each; a row whose natural key is stored already is unchanged (same
    content) or conflicting (other content, not written). Running the same file again adds
    nothing; a run killed mid-way and started again ends as one clean run would.
    """
    settings = load_settings()
    file_format = FORMATS[record_type]
    if severity is not None and file_format.spec.record_type is not RecordType.PENALTY:
        raise click.UsageError("--severity applies to penalties only")
    defaults = {"severity_default": Severity(severity)} if severity else {}
    owner = Department(department) if department else DEFAULT_DEPARTMENT[
        file_format.spec.record_type]
    target = rejects or file.with_name(file.name + ".rejects.csv")
    try:
        kind = format_of(file, source_format)
        summary = asyncio.run(_run(settings, file_format.name, file, owner, target, kind,
                                   batch_size, not quiet, strict, defaults))
    except FileProblem as error:
        raise click.ClickException(str(error)) from error
    click.echo(report(summary, record_type, file, owner, target))
    if not summary.cache_settled:
        raise click.ClickException(
            "the import is stored, but the cache did not take its purge (is Redis reachable?): "
            "cached answers may show the old state until their TTL ends or any write reaches "
            "the cache")


async def _run(settings: Settings, name: str, file: Path, department: Department,
               rejects: Path, kind: str, batch_size: int, progress: bool, strict: bool,
               defaults: dict[str, Any]) -> ImportSummary:
    database = Database(settings.resolved_database_url, pool_size=settings.db_pool_size)
    # where serving processes keep their tag versions: each committed batch purges the cached
    # responses showing what it wrote (Redis, or the tag journal beside the database)
    tags = create_cache(settings.redis_url, prefix=settings.cache_prefix,
                        ttl=settings.cache_ttl, journal=settings.tag_journal_path)
    try:
        return await run_import(database, FORMATS[name], file, department=department,
                                rejects=rejects, today=clock.today(), source_format=kind,
                                batch_size=batch_size, progress=progress, tag_cache=tags,
                                strict=strict, defaults=defaults)
    finally:
        await tags.aclose()
        await database.dispose()


def report(summary: ImportSummary, record_type: str, file: Path, department: Department,
           rejects: Path) -> str:
    rate = summary.read / summary.seconds if summary.seconds else 0.0
    lines = [f"imported {record_type} from {file.name} as {department.value} "
             f"(import run {summary.run_id})"]
    for label in ("read", "inserted", "unchanged", "conflicting", "rejected"):
        lines.append(f"{label:<12}{getattr(summary, label):>12,}")
    if summary.other_department:  # repeats of records another department reported
        lines.append(f"{'other_department':<17}{summary.other_department:>7,}")
    if summary.conflicting or summary.rejected or summary.other_department:
        lines.append(f"rows not written: {rejects}")
    if summary.ignored:
        lines.append(f"ignored column(s) {', '.join(summary.ignored)} (not of the "
                     f"{record_type} format; --strict refuses them)")
    lines.append(f"{summary.seconds:.1f} s, {rate:,.0f} rows/s")
    return "\n".join(lines)
