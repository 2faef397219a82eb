"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

application = get_asgi_application()

from articles.time_limits import limit_this_process  # noqa: E402 (needs the apps loaded)

limit_this_process()  # the web server's statements are cancelled past ARCHIVE_TIME_LIMIT_MS
