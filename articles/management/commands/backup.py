"""`python manage.py backup FILE`: a consistent snapshot of the whole database (pg_dump, custom format).

Everything is in it: the archive, editors' history, users. `restore FILE` puts it back.
"""

import subprocess

from django.core.management.base import BaseCommand, CommandError

from articles.database_tools import pg_tool, target


class Command(BaseCommand):
    help = "Back up the whole database to FILE (pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        partial = f"{file}.partial"
        result = subprocess.run(
            [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", target()],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        subprocess.run(["mv", partial, file], check=True)  # a complete backup or none under that name
        self.stdout.write(self.style.SUCCESS(f"backed up to {file}"))
