"""What every public page's template needs beside its own context."""

from django.conf import settings
from django.urls import translate_url

from articles.middleware import ChosenLanguageMiddleware


def language_alternates(request) -> dict:
    """This page's address in each language (`hreflang` links and the language switch); the admin and the API
    have none."""
    if request.path_info.startswith(ChosenLanguageMiddleware.COOKIE_PATHS) or request.resolver_match is None:
        return {}
    here = request.get_full_path()
    return {
        "language_alternates": [
            {"code": code, "name": name, "url": request.build_absolute_uri(translate_url(here, code))}
            for code, name in settings.LANGUAGES
        ]
    }
