"""Extraction speed on real texts: parse every *.txt under DIR in one process, print articles/s.

    python bench/parse_speed.py DIR [--repeat 3]

Pure extraction (`extract_article`), no database: the figure the extraction issue bounds
(≥ 300 articles/s on one core). Files are read into memory first, so disk time is not counted;
the best of `--repeat` runs is printed with the others.
"""

import argparse
import contextlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from articles.extraction import RejectedText, extract_article
    from articles.reading import UnreadableFile, read_text

    texts = []
    for path in sorted(args.directory.rglob("*.txt")):
        try:
            texts.append((path.name, read_text(path)))
        except UnreadableFile:
            continue
    chars = sum(len(text) for _, text in texts)
    runs = []
    for _ in range(args.repeat):
        started = time.process_time()
        for name, text in texts:
            with contextlib.suppress(RejectedText):
                extract_article(text, file_name=name)
        runs.append(time.process_time() - started)
    best = min(runs)
    print(f"{len(texts)} texts, {chars / len(texts):,.0f} characters on average")
    print(
        f"parse: {len(texts) / best:,.0f} articles/s (best of {args.repeat}; CPU seconds per run: "
        + ", ".join(f"{run:.2f}" for run in runs)
        + f"), {best / len(texts) * 1000:.2f} ms per article"
    )


if __name__ == "__main__":
    main()
