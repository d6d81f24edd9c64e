"""``python -m gateway`` runs the ``credit-gateway`` command."""

from gateway.cli.main import cli

cli()
