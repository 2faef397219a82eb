"""`python manage.py ingest PATH...`: raw news texts (files or directories of
*.txt) become articles, events, speakers and quotes. Each file is atomic; the
exit status is non-zero when any file was rejected."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import overview
from articles.extraction import ExtractedArticle, RejectedText, extract_article
from articles.loading import DuplicateContent, load_articles
from articles.reading import UnreadableFile, decode, read_bytes
from articles.search import add_to_vocabulary

# The articles table keys an article on this many characters of its file's key.
MAX_KEY_LENGTH = 255


def collect_files(paths: list[Path]) -> tuple[list[tuple[Path, str]], list[dict]]:
    """Each file with its key: its path below the folder given (``2016/index.txt``), or its name when
    the file itself is given. ``2016/index.txt`` and ``2017/index.txt`` are two articles; two files
    with one key in a run are refused, the second by name, never one silently replacing the other."""
    files, rejected, first_with_key = [], [], {}
    for path in paths:
        if path.is_dir():
            found = [(p, p.relative_to(path).as_posix()) for p in sorted(path.rglob("*.txt")) if p.is_file()]
        elif path.is_file():
            found = [(path, path.name)]
        else:
            rejected.append({"file": str(path), "reason": "no such file or directory"})
            continue
        for file, key in found:
            if key in first_with_key:
                reason = (
                    f"its key {key!r} is already {first_with_key[key]}'s in this run (articles are keyed on the path"
                    " below the folder given): ingest their common folder, or rename one"
                )
                rejected.append({"file": str(file), "reason": reason})
            elif len(key) > MAX_KEY_LENGTH:
                rejected.append({"file": str(file), "reason": f"its path is over {MAX_KEY_LENGTH} characters"})
            else:
                first_with_key[key] = file
                files.append((file, key))
    return files, rejected


def as_json(extracted: ExtractedArticle) -> dict:
    event = extracted.event
    return {
        "file": extracted.file_name,
        "title": extracted.title,
        "title_derived": extracted.title_derived,
        "date": extracted.date.isoformat() if extracted.date else None,
        "date_evidence": extracted.date_evidence,
        "source": extracted.source,
        "language": extracted.language,
        "event": None
        if event is None
        else {
            "name": event.name,
            "date": extracted.date.isoformat() if extracted.date else None,
            "kind": event.kind,
            "reviews_year": event.reviews_year,
        },
        "speakers": [{"name": s.name, "title": s.title, "organisation": s.organisation} for s in extracted.speakers],
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "direct": q.direct,
                "method": q.method,
                "confidence": q.confidence,
                "suggested_speaker": q.suggested_speaker,
                "start": q.start,
                "end": q.end,
            }
            for q in extracted.quotes
        ],
    }


class Command(BaseCommand):
    help = "Ingest raw Vietnamese news texts (UTF-8 .txt files or directories of them)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="extract and report, write nothing")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="a file whose key is stored from another, still existing file replaces that article "
            "(a corrected copy); without it such a file is refused",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--batch-size", type=int, default=200, help="articles written per transaction (default 200)"
        )

    def handle(self, *args, paths: list[Path], dry_run: bool, replace: bool, format: str, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        self.verbosity = options["verbosity"]
        self.format = format
        self.replace = replace
        files, rejected = collect_files(paths)
        self.rejected = rejected
        if format == "text":
            for refused in rejected:
                self.stderr.write(f"rejected {refused['file']}: {refused['reason']}")
        self.counts = {"created": 0, "updated": 0, "unchanged": 0}
        self.changed_ids: list[int] = []
        extracted_articles: list[dict] = []
        seen_hashes: dict[str, str] = {}
        pending: dict[str, Path] = {}
        batch = []
        show_progress = self.verbosity >= 1 and format == "text" and len(files) >= 200 and sys.stderr.isatty()

        for index, (path, key) in enumerate(files, 1):
            try:
                data = read_bytes(path)
                extracted = extract_article(decode(data), file_name=key, raw_bytes=data)
                extracted.source_path = str(path.resolve())
                if extracted.content_hash in seen_hashes:
                    raise DuplicateContent(f"same content as {seen_hashes[extracted.content_hash]}")
                seen_hashes[extracted.content_hash] = key
            except (UnreadableFile, RejectedText, DuplicateContent) as exc:
                self.reject(path, exc)
                continue
            if dry_run:
                extracted_articles.append(as_json(extracted))
                continue
            batch.append(extracted)
            pending[extracted.file_name] = path
            if len(batch) >= batch_size:
                self.store(batch, pending)
                batch, pending = [], {}
            if show_progress and (index % 100 == 0 or index == len(files)):
                sys.stderr.write(f"\r{index}/{len(files)} files ({index * 100 // len(files)}%)")
        if batch:
            self.store(batch, pending)
        if show_progress:
            sys.stderr.write("\n")
        add_to_vocabulary(self.changed_ids)
        if self.changed_ids:
            overview.refresh()  # counted now, not by the first visitor of the home page

        if format == "json":
            payload = {"articles": extracted_articles, "rejected": rejected}
            if not dry_run:
                payload["counts"] = self.counts
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        elif dry_run:
            self.stdout.write(f"dry run: {len(extracted_articles)} would be stored, {len(rejected)} rejected")
        elif self.verbosity >= 1:
            counts = self.counts
            summary = ", ".join(f"{n} {status}" for status, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"{summary}, {len(rejected)} rejected"))
            if counts["created"] == counts["updated"] == 0 and not rejected:
                self.stdout.write("nothing changed")
        if rejected:
            raise CommandError(f"{len(rejected)} file(s) rejected; the others were processed")

    def reject(self, path: Path, reason: Exception) -> None:
        self.rejected.append({"file": str(path), "reason": str(reason)})
        if self.format == "text":
            self.stderr.write(f"rejected {path}: {reason}")

    def store(self, batch, paths: dict[str, Path]) -> None:
        for file_name, result in load_articles(batch, replace=self.replace).items():
            if isinstance(result, Exception):
                self.reject(paths[file_name], result)
                continue
            self.counts[result.status] += 1
            if result.status in ("created", "updated"):
                self.changed_ids.append(result.article.pk)
            if self.verbosity >= 2:
                self.stdout.write(f"{result.status:<9} {paths[file_name]}")
