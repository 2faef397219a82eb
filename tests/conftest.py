import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections


def pytest_configure(config):
    """The interface translations are compiled in the build; the test session is a build."""
    from pathlib import Path

    import django
    from django.utils.translation.reloader import translation_file_changed

    django.setup()
    call_command("compile_translations", verbosity=0)
    # Django may already have cached an empty catalog (no .mo yet on a fresh clone): drop it,
    # the way the development server does when a .mo file changes.
    translation_file_changed(sender=None, file_path=Path("django.mo"))


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Templates can use {% static %} without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """No persistent connections in tests: the live server's thread must not keep the test database open."""
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    connections.settings["default"]["CONN_MAX_AGE"] = 0  # what new threads' connections copy
    connections["default"].settings_dict["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """The seeds ingested once for a whole test module (committed, flushed afterwards), for read-only tests."""
    from io import StringIO
    from pathlib import Path

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    with django_db_blocker.unblock():
        call_command("ingest", str(seeds), stdout=StringIO(), stderr=StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", stdout=StringIO())


# --- the browser tests (Debian's Chromium driven by Playwright) ----------------------------------

CHROMIUM = Path("/usr/bin/chromium")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def screenshots() -> Path:
    """Where the browser tests save what they saw: the git-ignored var/screenshots/, or the folder
    ARCHIVE_SCREENSHOTS names (`python3 run.py screenshots` points it at docs/screenshots/)."""
    folder = Path(
        os.environ.get("ARCHIVE_SCREENSHOTS") or Path(__file__).resolve().parent.parent / "var" / "screenshots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `python3 run.py test`, which installs it")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's guard against
    # database access from async code would otherwise refuse the test's own queries.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server):
    """The live server with the seeds loaded."""
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())
    yield live_server.url
    # Inside Playwright's sync API this code runs in another context, so Django
    # opened a separate connection here; close it or the test database cannot be dropped.
    connections.close_all()
