"""`search()` alone over the scale bench's query mix, in this process: a quick comparison of two versions.

    ARCHIVE_DATA_DIR=var/scale python bench/search_mix.py --label new --out /tmp/new.json
    ARCHIVE_DATA_DIR=var/scale python bench/search_mix.py --compare /tmp/old.json /tmp/new.json
    python bench/search_mix.py --compare docs/benchmarks/search-mix-2026-12-04.json

No gunicorn, HTTP or page rendering (scale.py measures those): each search of
the mix (the classes and terms of a scale run, read from its JSON) runs once
untimed, then `--rounds` times; a class's figure is the median over its terms of
each term's median. This VM's speed drifts by ±30% between runs minutes apart,
so compare versions by alternating their runs (old, new, old, new) against the
same warm cluster; run it from the version's own checkout (its `articles`
package is imported from the current directory).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
DEFAULT_TERMS = BENCH.parent / "docs" / "benchmarks" / "scale-2026-12-04-rerun.json"


def measure(terms_file: Path, rounds: int) -> dict[str, dict[str, float]]:
    sys.path.insert(0, os.getcwd())
    sys.path.insert(1, str(BENCH))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict
    from scale import most_quoted_speakers, query_mix

    from articles import search as engine

    terms = json.loads(terms_file.read_text())["terms"]
    with connection.cursor() as cursor:
        speakers = most_quoted_speakers(cursor)

    def run(params: dict) -> None:
        results = engine.search(engine.SearchParams.from_querydict(QueryDict(urlencode(params))))
        list(results.page.object_list)

    per_class: dict[str, list[float]] = {}
    for name, params in query_mix(terms, speakers):
        run(params)
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            run(params)
            times.append((time.perf_counter() - start) * 1000)
        per_class.setdefault(name, []).append(statistics.median(times))
    return {name: {"p50": round(statistics.median(t), 1), "max": round(max(t), 1)} for name, t in per_class.items()}


def compare(paths: list[Path]) -> None:
    """Runs side by side (pass them in the order they ran), and new ÷ old of the mean of each label's runs."""
    runs = []
    for path in paths:
        data = json.loads(path.read_text())
        runs.extend(data.get("runs", [data]))  # a file of several runs, or one
    labels = list(dict.fromkeys(run["label"] for run in runs))
    print(f"{'class (search() ms, p50 over terms)':40}" + "".join(f"{run['label']:>10}" for run in runs), end="")
    print(f"   {labels[-1]} ÷ {labels[0]}" if len(labels) == 2 else "")
    for name in runs[0]["classes"]:
        figures = [run["classes"][name]["p50"] for run in runs]
        line = f"{name:40}" + "".join(f"{figure:10.0f}" for figure in figures)
        if len(labels) == 2:
            of = {label: [run["classes"][name]["p50"] for run in runs if run["label"] == label] for label in labels}
            means = [statistics.mean(of[label]) for label in labels]
            line += f"   {means[1] / means[0]:.2f}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", default="this")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--terms", type=Path, default=DEFAULT_TERMS, help="a scale run's JSON (its terms)")
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    parser.add_argument("--compare", type=Path, nargs="+", help="print runs written by --out side by side")
    args = parser.parse_args()
    if args.compare:
        compare(args.compare)
        return
    classes = measure(args.terms, args.rounds)
    for name, figures in classes.items():
        print(f"{name:40} p50 {figures['p50']:7.1f}  max {figures['max']:7.1f}")
    if args.out:
        result = {"label": args.label, "cores": os.cpu_count(), "rounds": args.rounds, "classes": classes}
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
