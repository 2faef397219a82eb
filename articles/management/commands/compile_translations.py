"""`python manage.py compile_translations`: every .po of the project's catalogues → .mo.

The catalogues are `locale/*/LC_MESSAGES/*.po` under each of `LOCALE_PATHS` and under each of the
project's own apps (`articles/locale/`: the admin's names, which Django finds there by itself).
Installed packages' apps ship their own compiled catalogues and are left alone.

Django's own compilemessages needs GNU gettext's msgfmt, which a machine with
only Python does not have; polib writes the same .mo files.
"""

import sys
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def locale_dirs() -> list[Path]:
    """`LOCALE_PATHS`, then the `locale/` directory of every app of this project (not of a package
    installed in the environment, which may well live inside the checkout too: `.venv/`)."""
    dirs = [Path(path) for path in settings.LOCALE_PATHS]
    environment = {Path(prefix).resolve() for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    project = Path(settings.BASE_DIR).resolve()
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if path.is_relative_to(project) and not any(path.is_relative_to(prefix) for prefix in environment):
            dirs.append(path / "locale")
    return [path for path in dict.fromkeys(dirs) if path.is_dir()]


class Command(BaseCommand):
    help = "Compile the interface translations (.po) into .mo files."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in locale_dirs():
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
