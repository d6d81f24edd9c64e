"""Helpers every subcommand shares: settings from the environment, errors as CLI messages."""

from __future__ import annotations

import click

from gateway.settings import Settings, SettingsError


def load_settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        raise click.ClickException(str(error)) from error
