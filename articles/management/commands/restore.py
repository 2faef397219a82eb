"""`python manage.py restore FILE`: replace the database's contents with a backup, in one transaction."""

import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import overview
from articles.database_tools import pg_tool, target


class Command(BaseCommand):
    help = "Restore a backup made by `backup` (replaces what the database holds; all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        result = subprocess.run(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={target()}",
                str(file),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed, nothing was changed: {result.stderr.strip()[-2000:]}")
        overview.forget()  # counted again from the restored rows
        self.stdout.write(self.style.SUCCESS(f"restored {file}"))
