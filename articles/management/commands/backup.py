"""`python manage.py backup FILE`: a consistent snapshot of the whole database (pg_dump, custom format).

In it: the archive, editors' history, users (with their password hashes). Not in it: the sessions'
data, whose keys are valid login cookies; after a restore everyone signs in again. The file is
readable by its owner only (0600). `restore FILE` puts it back.
"""

import os
import subprocess

from django.core.management.base import BaseCommand, CommandError

from articles.database_tools import pg_tool, target


class Command(BaseCommand):
    help = "Back up the whole database to FILE (pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        partial = f"{file}.partial"
        try:  # created 0600 before pg_dump writes into it: never readable by others, not even for a moment
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
            os.chmod(partial, 0o600)  # an older partial file keeps its mode through O_CREAT
        except OSError as error:
            raise CommandError(f"cannot write {partial}: {error.strerror}") from error
        result = subprocess.run(
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--exclude-table-data=django_session",
                f"--file={partial}",
                target(),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        os.replace(partial, file)  # a complete backup or none under that name
        self.stdout.write(self.style.SUCCESS(f"backed up to {file}"))
