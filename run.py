#!/usr/bin/env python3
"""Set up and run the archive with nothing but Python >= 3.11.

    python3 run.py serve    set up everything, load seeds/, serve http://127.0.0.1:8000
    python3 run.py test     set up everything, run the whole test suite (extra args go to pytest)
    python3 run.py lint     set up the dev tools, run ruff check and ruff format --check
    python3 run.py audit    pip-audit of the installed dependencies
    python3 run.py test-pg15  the test suite again on Debian's PostgreSQL 15 (via DATABASE_URL)

Both are safe to run again: the virtual environment (.venv/) is reused and only
reinstalled when pyproject.toml changes; migrations and the seed ingest are
idempotent. Standard library only, because it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
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


def cannot_listen(host: str, port: int) -> str | None:
    """Why gunicorn could not listen on `host:port` (in use, not an address of this machine), or None."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn: TIME_WAIT is no obstacle
            probe.bind(address)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def serve(args: argparse.Namespace) -> None:
    # Checked first, before minutes of setup: gunicorn would otherwise fail after the address was announced.
    reason = cannot_listen(args.host, args.port)
    if reason:
        sys.exit(
            f"run.py serve: cannot listen on {args.host}:{args.port} ({reason}). "
            f"Is another server using it? Choose another port: python3 run.py serve --port {args.port + 1}"
        )
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
            status = gunicorn.wait()
        except KeyboardInterrupt:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait()
            return
        if status != 0:
            sys.exit(f"run.py serve: gunicorn stopped with exit code {status} (its messages are above)")
    finally:
        if started_db:
            subprocess.run([str(PYTHON), "-m", "archive.embedded_db", "stop"], cwd=ROOT, check=False)


def run_pytest(pytest_args: list[str], env: dict[str, str] | None = None) -> None:
    ensure_venv("dev")
    ensure_chromium()
    completed = subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT, env=env, check=False)
    sys.exit(completed.returncode)


def test(args: argparse.Namespace, pytest_args: list[str]) -> None:
    run_pytest(pytest_args)


def screenshots(args: argparse.Namespace, pytest_args: list[str]) -> None:
    """Refresh docs/screenshots/ from the browser tests (a plain test run writes them to var/screenshots/)."""
    env = {**os.environ, "ARCHIVE_SCREENSHOTS": str(ROOT / "docs" / "screenshots")}
    run_pytest(["tests/test_browser.py", "tests/test_browser_admin.py", *pytest_args], env)


DEBIAN_PG15 = Path("/usr/lib/postgresql/15/bin")


def test_pg15(args: argparse.Namespace, pytest_args: list[str]) -> None:
    """The whole suite again on Debian's PostgreSQL 15, reached through DATABASE_URL."""
    ensure_venv("dev")
    ensure_chromium()
    if not (DEBIAN_PG15 / "postgres").exists():
        apt = shutil.which("apt-get")
        if apt is None:
            sys.exit("run.py: Debian's PostgreSQL 15 is missing and apt-get is unavailable")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        say("installing Debian's PostgreSQL 15 (apt-get)")
        run(*sudo, apt, "update", "-qq")
        run(*sudo, apt, "install", "-y", "-qq", "--no-install-recommends", "postgresql-15")
    data_dir = ROOT / "var" / "pg15"
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(data_dir), "ARCHIVE_PG_BINARIES": str(DEBIAN_PG15)}
    run(PYTHON, "-m", "archive.embedded_db", "start", env=env)
    socket_dir = subprocess.run(
        [str(PYTHON), "-m", "archive.embedded_db", "url"], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout.strip()
    test_env = {**os.environ, "DATABASE_URL": socket_dir, "DJANGO_SECRET_KEY": "ci-only-" + "x" * 56}
    try:
        completed = subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT, env=test_env, check=False)
    finally:
        subprocess.run([str(PYTHON), "-m", "archive.embedded_db", "stop"], cwd=ROOT, env=env, check=False)
    sys.exit(completed.returncode)


def audit(args: argparse.Namespace) -> None:
    """Known vulnerabilities in the installed dependencies (pip-audit, PyPI advisory data).

    Fails on any known vulnerability. Where the advisory service cannot be reached
    (a registry mirror without PyPI's JSON API), it says so plainly and does not
    pretend the dependencies were audited.
    """
    ensure_venv("dev")
    completed = subprocess.run(
        [str(VENV / "bin" / "pip-audit"), "--skip-editable", "--progress-spinner", "off", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(completed.stdout)
    except ValueError:
        print(completed.stderr, file=sys.stderr)
        sys.exit("run.py audit: pip-audit did not produce a report")
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = [d for d in dependencies if "skip_reason" not in d]
    for dependency in vulnerable:
        ids = ", ".join(v["id"] for v in dependency["vulns"])
        print(f"VULNERABLE {dependency['name']} {dependency['version']}: {ids}")
    if vulnerable:
        sys.exit(1)
    if not audited:
        print(
            f"pip-audit: the advisory service could not be reached; {len(dependencies)} dependencies NOT audited "
            "(this registry mirror does not serve PyPI's JSON API)."
        )
        return
    print(f"pip-audit: {len(audited)} dependencies audited, no known vulnerabilities.")


def lint(args: argparse.Namespace) -> None:
    ensure_venv("dev")
    ruff = str(VENV / "bin" / "ruff")
    checks = [
        subprocess.run([ruff, *step], cwd=ROOT, check=False) for step in (["check", "."], ["format", "--check", "."])
    ]
    sys.exit(max(check.returncode for check in checks))


def port_number(value: str) -> int:
    if not value.isdecimal() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a TCP port (1 to 65535)")
    return int(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="set up, load seeds/ and serve the archive")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=port_number, default=8000, help="TCP port (default 8000)")
    serve_parser.add_argument("--workers", type=int, default=2)
    commands.add_parser("test", help="set up and run the test suite (extra arguments go to pytest)")
    commands.add_parser("screenshots", help="refresh docs/screenshots/ from the browser tests")
    commands.add_parser("lint", help="set up and run ruff check and ruff format --check")
    commands.add_parser("audit", help="check the installed dependencies for known vulnerabilities (pip-audit)")
    commands.add_parser("test-pg15", help="run the test suite on Debian's PostgreSQL 15 (installs it with apt)")
    args, rest = parser.parse_known_args()
    if args.command == "serve":
        if rest:
            parser.error(f"unrecognised arguments: {' '.join(rest)}")
        serve(args)
    elif args.command == "lint":
        lint(args)
    elif args.command == "audit":
        audit(args)
    elif args.command == "test-pg15":
        test_pg15(args, rest)
    elif args.command == "screenshots":
        screenshots(args, rest)
    else:
        test(args, rest)


if __name__ == "__main__":
    main()
