"""Bounded load test on loopback: N users search for S seconds while an ingest of M articles runs.

    python bench/load_test.py [--users 50] [--seconds 60] [--ingest 10000] [--workers 4]

Builds a throwaway deployment (its own PostgreSQL cluster through DATABASE_URL,
gunicorn with production settings), preloads 2,000 generated articles, then
runs the users (threads with keep-alive connections, a rotating mix of queries
including unaccented, phrase, filtered and quote searches) against it while
`manage.py ingest` loads M more. Prints the error count and latency percentiles
and writes them as JSON under docs/benchmarks/.
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def user(port: int, deadline: float, results: list, errors: list, seed: int) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < deadline:
        params = dict(rng.choice(QUERIES))
        path = f"/search/?{urlencode(params)}" if rng.random() < 0.7 else f"/api/v1/search?{urlencode(params)}"
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                errors.append((response.status, path))
            results.append(elapsed)
        except (OSError, http.client.HTTPException) as exc:
            errors.append((type(exc).__name__, path))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--ingest", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    from archive import embedded_db

    work = Path(tempfile.mkdtemp(prefix="archive-load-"))
    cluster = embedded_db.Cluster(work / "db")
    embedded_db.ensure_running(cluster)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://postgres@/archive?host={cluster.socket_dir}",
        "DJANGO_SECRET_KEY": "load-test-" + "k" * 54,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "ARCHIVE_DATA_DIR": str(work / "data"),
        "ARCHIVE_SEARCH_RATE_LIMIT": "1000000",
        "ARCHIVE_API_RATE_LIMIT": "1000000",
    }

    def manage(*command, **kwargs):
        return subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, **kwargs)

    server = None
    try:
        for texts, count in ((work / "preload", 2000), (work / "during", args.ingest)):
            subprocess.run(
                [
                    sys.executable,
                    "bench/generate_texts.py",
                    str(texts),
                    str(count),
                    "--seed",
                    str(count),
                    "--prefix",
                    texts.name,
                ],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        manage("migrate", "-v", "0", check=True)
        manage("collectstatic", "--noinput", "-v", "0", check=True)
        manage("ingest", "seeds", str(work / "preload"), check=True, capture_output=True)

        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "archive.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3)

        ingest_started = time.monotonic()
        ingest = subprocess.Popen(
            [sys.executable, "manage.py", "ingest", str(work / "during")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        results: list[float] = []
        errors: list = []
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=user, args=(port, deadline, results, errors, n)) for n in range(args.users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        out, err = ingest.communicate()
        ingest_seconds = time.monotonic() - ingest_started

        summary = {
            "date": time.strftime("%Y-%m-%d"),
            "machine_cores": os.cpu_count(),
            "users": args.users,
            "seconds": args.seconds,
            "gunicorn_workers": args.workers,
            "requests": len(results),
            "errors": len(errors),
            "error_examples": errors[:5],
            "requests_per_second": round(len(results) / args.seconds, 1),
            "latency_ms": {
                "p50": round(statistics.median(results) * 1000, 1),
                "p95": round(percentile(results, 0.95) * 1000, 1),
                "p99": round(percentile(results, 0.99) * 1000, 1),
                "max": round(max(results) * 1000, 1),
            },
            "ingest_during_load": {
                "articles": args.ingest,
                "exit_code": ingest.returncode,
                "seconds": round(ingest_seconds, 1),
                "articles_per_second": round(args.ingest / ingest_seconds, 1),
                "summary": out.strip().splitlines()[-1] if out.strip() else err.strip()[-300:],
            },
        }
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        target = ROOT / "docs" / "benchmarks" / f"load-{summary['date']}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written to {target.relative_to(ROOT)}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        embedded_db.remove(cluster)
        subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    main()
