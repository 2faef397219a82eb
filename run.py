#!/usr/bin/env python3
"""Set up and run the archive with nothing but Python >= 3.11.

    python3 run.py serve    set up everything, load seeds/, serve http://127.0.0.1:8000
    python3 run.py test     set up everything, run the whole test suite (extra args go to pytest)
    python3 run.py lint     set up the dev tools, run ruff check and ruff format --check

Both are safe to run again: the virtual environment (.venv/) is reused and only
reinstalled when pyproject.toml changes; migrations and the seed ingest are
idempotent. Standard library only, because it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ARCHIVE_VENV", ROOT / ".venv"))
PYTHON = VENV / "bin" / "python"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    completed = subprocess.run([str(arg) for arg in args], cwd=ROOT, env=env, check=False)
    if completed.returncode != 0:
        sys.exit(f"run.py: command failed ({completed.returncode}): {' '.join(map(str, args))}")


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    run(PYTHON, "manage.py", *args, env=env)


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project, skipping work already done."""
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py runs under whatever python3 is at hand
        sys.exit(f"run.py: Python >= 3.11 is required, this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        say(f"creating virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / ".archive-installed"
    installed = stamp.read_text().split() if stamp.exists() else []
    if wanted in installed:
        return
    target = f".[{extras}]" if extras else "."
    say(f"installing {target} into {VENV}")
    run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target)
    stamp.write_text("\n".join([*installed, wanted]))


def ensure_chromium() -> None:
    """Browser tests drive Debian's Chromium; install it with apt when missing."""
    if Path("/usr/bin/chromium").exists() or os.environ.get("ARCHIVE_SKIP_BROWSER_INSTALL"):
        return
    apt = shutil.which("apt-get")
    if apt is None:
        say("chromium is missing and apt-get is unavailable: browser tests will fail")
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    say("installing Debian's chromium for the browser tests (apt-get)")
    run(*sudo, apt, "update", "-qq")
    run(*sudo, apt, "install", "-y", "-qq", "--no-install-recommends", "chromium")


def embedded_database() -> bool:
    return not os.environ.get("DATABASE_URL")


def serve(args: argparse.Namespace) -> None:
    ensure_venv("")
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    started_db = False
    if embedded_database():
        result = subprocess.run(
            [str(PYTHON), "-m", "archive.embedded_db", "start"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            sys.exit(f"run.py: the embedded PostgreSQL did not start:\n{result.stderr}")
        started_db = result.stdout.startswith("started")
        say(result.stdout.strip())
    try:
        say("applying migrations")
        manage("migrate", "--noinput", "-v", "0", env=env)
        say("compiling translations and collecting static files")
        manage("compile_translations", "-v", "0", env=env)
        manage("collectstatic", "--noinput", "-v", "0", env=env)
        say("loading seeds/ (unchanged files are skipped)")
        manage("ingest", "seeds", env=env)
        address = f"http://{args.host}:{args.port}"
        print(
            f"\n  The archive is at {address}\n"
            f"  Create an admin login with:  {PYTHON.relative_to(ROOT)} manage.py createsuperuser\n"
            f"  then sign in at {address}/admin/.  Stop with Ctrl-C.\n",
            flush=True,
        )
        gunicorn = subprocess.Popen(
            [
                str(VENV / "bin" / "gunicorn"),
                "archive.wsgi",
                "--bind",
                f"{args.host}:{args.port}",
                "--workers",
                str(args.workers),
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            gunicorn.wait()
        except KeyboardInterrupt:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait()
    finally:
        if started_db:
            subprocess.run([str(PYTHON), "-m", "archive.embedded_db", "stop"], cwd=ROOT, check=False)


def test(args: argparse.Namespace, pytest_args: list[str]) -> None:
    ensure_venv("dev")
    ensure_chromium()
    completed = subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT, check=False)
    sys.exit(completed.returncode)


def lint(args: argparse.Namespace) -> None:
    ensure_venv("dev")
    ruff = str(VENV / "bin" / "ruff")
    checks = [
        subprocess.run([ruff, *step], cwd=ROOT, check=False) for step in (["check", "."], ["format", "--check", "."])
    ]
    sys.exit(max(check.returncode for check in checks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="set up, load seeds/ and serve the archive")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--workers", type=int, default=2)
    commands.add_parser("test", help="set up and run the test suite (extra arguments go to pytest)")
    commands.add_parser("lint", help="set up and run ruff check and ruff format --check")
    args, rest = parser.parse_known_args()
    if args.command == "serve":
        if rest:
            parser.error(f"unrecognised arguments: {' '.join(rest)}")
        serve(args)
    elif args.command == "lint":
        lint(args)
    else:
        test(args, rest)


if __name__ == "__main__":
    main()
