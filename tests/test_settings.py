"""Settings come from the environment and refuse unsafe production set-ups."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DATABASE_URL": "postgresql://archive@db.invalid/archive",
    "DJANGO_SECRET_KEY": "k" * 20 + "production-secret-key-that-is-long-and-random-enough",
    "DJANGO_ALLOWED_HOSTS": "archive.example.org",
    "DJANGO_HTTPS": "1",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**PRODUCTION}
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for(settings):
    from django.conf import settings as live

    assert live.DEBUG is False


def test_local_secret_key_is_generated_once_and_kept(tmp_path):
    from archive.settings import local_secret_key

    first = local_secret_key(tmp_path)
    assert len(first) >= 50
    assert local_secret_key(tmp_path) == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
def test_search_connections_get_enough_memory_for_exact_bitmaps():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "64MB"


def test_a_malformed_work_mem_is_refused_by_name():
    result = manage("check", DATABASE_WORK_MEM="lots")
    assert result.returncode != 0
    assert "DATABASE_WORK_MEM='lots'" in result.stderr
