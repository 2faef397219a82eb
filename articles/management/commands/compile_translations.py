"""`python manage.py compile_translations`: every locale/*/LC_MESSAGES/*.po → .mo.

Django's own compilemessages needs GNU gettext's msgfmt, which a machine with
only Python does not have; polib writes the same .mo files.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the interface translations (.po) into .mo files."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                try:
                    catalog = polib.pofile(str(po_path))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"{po_path}: {exc}") from exc
                catalog.save_as_mofile(str(mo_path))
                compiled += 1
                if options["verbosity"] >= 2:
                    self.stdout.write(f"compiled {po_path}")
        if options["verbosity"] >= 1:
            self.stdout.write(f"{compiled} catalog(s) compiled")
