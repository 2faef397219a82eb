"""Load test on loopback, as deployed: N users behind nginx search and download for S seconds
while an ingest of M articles runs, on an archive of A articles.

    python bench/load_test.py [--articles 100000] [--users 50] [--seconds 60] [--ingest 10000] [--workers 4]
                              [--data-dir DIR]

`--ingest 0` measures serving alone. `--data-dir` keeps the cluster and its corpus there for the next run
(which then starts with what the previous run ingested too); without it everything is thrown away.

Builds a throwaway deployment: its own PostgreSQL cluster through DATABASE_URL,
A synthetic articles loaded by `manage.py generate_corpus` (the COPY path),
gunicorn (sync workers, production settings) behind nginx (`proxy_buffering on`,
`X-Forwarded-For` appended) with `ARCHIVE_TRUSTED_PROXIES=1` and the default rate
limits. Each user is its own client address (127.0.0.x) and keeps its connection
alive; it mixes search pages (unaccented, phrase, filtered, quote, page 2), API
searches and, one request in ten, a CSV or JSON download. Meanwhile
`manage.py ingest` loads M generated texts. Every download is checked whole: a
CSV has as many rows as its `X-Row-Count`, a JSON closes with `"complete": true`;
a download over the row limit must be refused with 422. Prints the errors, the
worker timeouts in gunicorn's log and the latency percentiles per kind of
request, and writes them as JSON under docs/benchmarks/. Needs nginx
(`apt-get install nginx-light`).
"""

import argparse
import csv
import http.client
import io
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEARCH_QUERIES = [
    {"q": "chuyen doi so"},
    {"q": "chuyển đổi số"},
    {"q": "dữ liệu", "type": "quote"},
    {"q": '"truyền thông chính sách"'},
    {"q": "thuong mai hoa", "year": "2022"},
    {"q": "hội nghị tổng kết", "sort": "newest"},
    {"q": "an toàn thông tin -mạng"},
    {"q": "Thủ tướng OR Bộ trưởng", "page": "2"},
    {"q": "kinh te so", "type": "quote", "sort": "oldest"},
    {"q": "viễn thông"},
]
# Downloads a researcher would make: narrowed by a year, a type or both, as CSV or JSON. Some match more than
# the row limit on purpose (the answer must then be 422, never a cut file).
EXPORT_QUERIES = [
    {"q": "chuyển đổi số", "year": "2022", "format": "csv"},
    {"q": "dữ liệu", "type": "quote", "format": "json"},
    {"q": "hội nghị", "year": "2019", "format": "json"},
    {"q": "an toan thong tin", "type": "quote", "year": "2021", "format": "csv"},
    {"q": "viễn thông", "format": "csv"},
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def check_download(response: http.client.HTTPResponse, body: bytes, params: dict) -> str | None:
    """What is wrong with a download, or None: complete, or refused over the limit as designed."""
    if response.status == 422:
        return None if json.loads(body).get("max_rows") else "422 without the limit"
    if response.status != 200:
        return f"status {response.status}"
    expected = int(response.getheader("X-Row-Count", "-1"))
    if params["format"] == "json":
        data = json.loads(body)  # a cut envelope does not parse
        if data.get("complete") is not True or len(data["results"]) != data["count"] or data["count"] != expected:
            return "incomplete JSON"
        return None
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    return None if len(rows) - 1 == expected else f"CSV has {len(rows) - 1} rows of {expected}"


def user(port: int, deadline: float, results: dict, errors: list, seed: int) -> None:
    rng = random.Random(seed)
    # Each user its own client address: nginx appends it to X-Forwarded-For, the archive limits per address.
    address = (f"127.0.{1 + seed // 250}.{1 + seed % 250}", 0)

    def connect():
        return http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=address)

    connection = connect()
    while time.monotonic() < deadline:
        draw = rng.random()
        if draw < 0.1:
            kind, params = "export", dict(rng.choice(EXPORT_QUERIES))
            path = f"/api/v1/search/export?{urlencode(params)}"
        else:
            params = dict(rng.choice(SEARCH_QUERIES))
            kind = "search page" if draw < 0.7 else "API search"
            path = f"/search/?{urlencode(params)}" if kind == "search page" else f"/api/v1/search?{urlencode(params)}"
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            problem = check_download(response, body, params) if kind == "export" else None
            if kind != "export" and response.status != 200:
                problem = f"status {response.status}"
            if problem:
                errors.append((problem, path))
            results[kind].append(elapsed)
            if kind == "export" and response.status == 422:
                results["export refused (over the row limit)"].append(elapsed)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            errors.append((type(exc).__name__, path))
            connection.close()
            connection = connect()


NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    upstream archive {{ server 127.0.0.1:{upstream}; keepalive 8; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://archive;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_buffering on;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


def start_nginx(work: Path, port: int, upstream: int) -> subprocess.Popen:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit("bench/load_test.py: nginx is needed in front of gunicorn (apt-get install nginx-light)")
    conf = work / "nginx.conf"
    user_line = "user root root;" if os.geteuid() == 0 else ""  # workers must reach the 0700 temp folder
    conf.write_text(NGINX_CONF.format(work=work, port=port, upstream=upstream, user=user_line))
    return subprocess.Popen([nginx, "-p", str(work), "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.DEVNULL)


def latency(values: list[float]) -> dict:
    if not values:
        return {"requests": 0}
    return {
        "requests": len(values),
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "p99_ms": round(percentile(values, 0.99) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--ingest", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--data-dir", type=Path, help="keep the cluster and its corpus here between runs")
    args = parser.parse_args()

    from archive import embedded_db

    work = args.data_dir.resolve() if args.data_dir else Path(tempfile.mkdtemp(prefix="archive-load-"))
    work.mkdir(parents=True, exist_ok=True)
    loaded_marker = work / f"corpus-{args.articles}-loaded"
    cluster = embedded_db.Cluster(work / "db")
    embedded_db.ensure_running(cluster)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://postgres@/archive?host={cluster.socket_dir}",
        "DJANGO_SECRET_KEY": "load-test-" + "k" * 54,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "ARCHIVE_DATA_DIR": str(work / "data"),
        "ARCHIVE_TRUSTED_PROXIES": "1",
    }

    def manage(*command, **kwargs):
        return subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, **kwargs)

    server = proxy = None
    during = work / f"during-{time.time_ns()}"
    try:
        subprocess.run(
            [
                sys.executable,
                "bench/generate_texts.py",
                str(during),
                str(args.ingest),
                "--seed",
                "7",
                "--prefix",
                during.name,
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        manage("migrate", "-v", "0", check=True)
        manage("collectstatic", "--noinput", "-v", "0", check=True)
        load_seconds = None
        if not loaded_marker.exists():
            manage("ingest", "seeds", check=True, capture_output=True)
            load_started = time.monotonic()
            manage("generate_corpus", str(args.articles), "--workers", "2", check=True, capture_output=True)
            load_seconds = round(time.monotonic() - load_started, 1)
            loaded_marker.touch()
        stored = int(
            manage(
                "shell",
                "--no-imports",
                "-c",
                "from articles.models import Article; print(Article.objects.count())",
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )

        upstream, port = free_port(), free_port()
        gunicorn_log = work / "gunicorn.log"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "archive.wsgi",
                "--bind",
                f"127.0.0.1:{upstream}",
                "--workers",
                str(args.workers),
                "--error-logfile",
                str(gunicorn_log),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        proxy = start_nginx(work, port, upstream)
        time.sleep(3)

        ingest_started = time.monotonic()
        ingest = None
        if args.ingest:
            ingest = subprocess.Popen(
                [sys.executable, "manage.py", "ingest", str(during)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        results: dict[str, list[float]] = defaultdict(list)
        errors: list = []
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=user, args=(port, deadline, results, errors, n)) for n in range(args.users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        out, err = ingest.communicate() if ingest else ("", "")
        ingest_seconds = time.monotonic() - ingest_started
        log = gunicorn_log.read_text(errors="replace")
        every = [value for kind, values in results.items() if not kind.startswith("export refused") for value in values]

        summary = {
            "date": time.strftime("%Y-%m-%d"),
            "machine_cores": os.cpu_count(),
            "articles_at_start": stored,
            "users": args.users,
            "seconds": args.seconds,
            "gunicorn_workers": args.workers,
            "proxy": "nginx, proxy_buffering on, ARCHIVE_TRUSTED_PROXIES=1, one client address per user",
            "requests": len(every),
            "errors": len(errors),
            "error_examples": errors[:5],
            "worker_timeouts": log.count("WORKER TIMEOUT"),
            "requests_per_second": round(len(every) / args.seconds, 1),
            "latency": {kind: latency(values) for kind, values in sorted(results.items())},
            "corpus_load": {"articles": args.articles, "seconds": load_seconds},
            "ingest_during_load": {
                "articles": args.ingest,
                "exit_code": ingest.returncode,
                "seconds": round(ingest_seconds, 1),
                "articles_per_second": round(args.ingest / ingest_seconds, 1),
                "summary": out.strip().splitlines()[-1] if out.strip() else err.strip()[-300:],
            }
            if ingest
            else None,
        }
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        scenario = "with-ingest" if ingest else "serving"
        target = ROOT / "docs" / "benchmarks" / f"load-{summary['date']}-{stored // 1000}k-{scenario}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written to {target.relative_to(ROOT)}")
    finally:
        for process in (proxy, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        shutil.rmtree(work / during.name, ignore_errors=True)
        if args.data_dir:
            embedded_db.stop(cluster)
        else:
            embedded_db.remove(cluster)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
