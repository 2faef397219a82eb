"""`python manage.py load_archive FILE.jsonl`: read back what `export_archive` wrote, into an empty archive."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import overview
from articles.management.commands.export_archive import ARCHIVE_MODELS
from articles.search import refresh_vocabulary


class Command(BaseCommand):
    help = "Load an archive dump (from export_archive) into an empty archive, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if file.suffix != ".jsonl":
            raise CommandError(f"{file}: expected a .jsonl file written by export_archive")
        occupied = [str(m._meta.verbose_name_plural) for m in ARCHIVE_MODELS if m.objects.exists()]
        if occupied:
            raise CommandError(
                f"the archive is not empty ({', '.join(occupied)}): load a dump only into an empty database"
            )
        with transaction.atomic():
            call_command("loaddata", str(file), verbosity=options["verbosity"])
            refresh_vocabulary()
            overview.refresh()
