"""``credit-gateway hosting``: the subjects a platform hosts (平台内经营者) — add, remove, list.

A platform reports the merchants trading on it to market regulation (电子商务法 第二十八条);
the operator records that declaration here. A platform's API key records commitments only for
the subjects its platform hosts.
"""

from __future__ import annotations

from pathlib import Path

import click

from gateway.cli._common import in_session, uscc_option
from resolvers.writes import hosting as service


def _subjects(codes: tuple[str, ...], file: Path | None) -> list[str]:
    """USCCs from the arguments and from ``--file`` (one a line; blank lines and # comments
    skipped)."""
    found = list(codes)
    if file is not None:
        for line in file.read_text(encoding="utf-8-sig").splitlines():
            text = line.split("#", 1)[0].strip()
            if text:
                found.append(text)
    if not found:
        raise click.UsageError("name at least one subject: USCC arguments or --file")
    return found


@click.group()
def hosting() -> None:
    """Record which subjects a platform hosts (平台内经营者), as the platform declared them.

    The database is DATABASE_URL.
    """


PLATFORM = click.option("--platform", required=True, metavar="USCC", callback=uscc_option,
                        help="The platform (a PLATFORM subject) that declared them.")
FILE = click.option("--file", "file", default=None, metavar="PATH",
                    type=click.Path(exists=True, dir_okay=False, path_type=Path),
                    help="A file of USCCs, one a line (# starts a comment).")


@hosting.command()
@PLATFORM
@FILE
@click.argument("subjects", nargs=-1, metavar="[USCC]...")
def add(platform: str, file: Path | None, subjects: tuple[str, ...]) -> None:
    """Declare that the platform hosts these subjects (all or none are recorded)."""
    codes = _subjects(subjects, file)
    done = in_session(lambda session: service.add(session, platform, codes),
                      service.HostingError)
    click.echo(f"{done.platform.name} ({platform}) hosts {done.changed} more subject(s); "
               f"{done.unchanged} already declared")


@hosting.command()
@PLATFORM
@FILE
@click.argument("subjects", nargs=-1, metavar="[USCC]...")
def remove(platform: str, file: Path | None, subjects: tuple[str, ...]) -> None:
    """The platform no longer hosts these subjects; what its key recorded stays."""
    codes = _subjects(subjects, file)
    done = in_session(lambda session: service.remove(session, platform, codes),
                      service.HostingError)
    click.echo(f"{done.platform.name} ({platform}) hosts {done.changed} subject(s) fewer; "
               f"{done.unchanged} were not declared")


@hosting.command(name="list")
@PLATFORM
def list_hosted(platform: str) -> None:
    """Every subject the platform hosts: USCC and name."""
    for code, name in in_session(lambda session: service.listing(session, platform),
                                 service.HostingError):
        click.echo(f"{code}  {name}")
