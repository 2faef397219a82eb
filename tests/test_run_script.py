"""`run.py`, the README's entry point: what it says when it cannot do what was asked."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_serve_on_a_busy_port_says_so_and_fails_before_any_setup():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "run.py", "serve", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "--port" in result.stderr
    assert "The archive is at" not in result.stdout


@pytest.mark.parametrize(
    ("shell_locale", "expected"),
    [
        ({"LANG": "C.UTF-8"}, "This password is too common"),
        ({"LANG": "en_US.UTF-8", "LANGUAGE": ""}, "This password is too common"),
        ({"LANG": "C.UTF-8", "LC_ALL": "vi_VN.UTF-8"}, "Mật khẩu này quá phổ biến"),
    ],
)
def test_management_commands_speak_the_shells_language(shell_locale, expected):
    # What createsuperuser prints for a weak password, in a terminal with and without a Vietnamese locale.
    code = (
        "from django.contrib.auth.password_validation import validate_password\n"
        "from django.core.exceptions import ValidationError\n"
        "try:\n    validate_password('1')\nexcept ValidationError as error:\n    print(' | '.join(error.messages))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**env, **shell_locale},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert expected in result.stdout, result.stderr
