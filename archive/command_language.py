"""Management commands speak the shell's language, not the site's.

The site's default language is Vietnamese (`LANGUAGE_CODE`), and Django runs commands in the default
language: `createsuperuser` then answered in Vietnamese in a terminal without a Vietnamese locale.
`manage.py` asks for the shell's language; it is switched on once the apps are ready (their
translation catalogues are needed), from `ArticlesConfig.ready`.
"""

import os
from collections.abc import Mapping

from django.utils import translation

_asked: str | None = None


def language_of_the_shell(environ: Mapping[str, str]) -> str:
    """``vi`` when the shell asks for Vietnamese, else ``en``; read in gettext's order of precedence."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "vi" if value.split(":")[0].lower().startswith("vi") else "en"
    return "en"


def speak_the_shells_language() -> None:
    global _asked
    _asked = language_of_the_shell(os.environ)


def activate_if_asked() -> None:
    if _asked is not None:
        translation.activate(_asked)
