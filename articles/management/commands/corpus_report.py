"""`python manage.py corpus_report DIR`: label-free extraction measures over a
directory of raw news texts (no annotation, no database)."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.corpus_report import CorpusReport, format_text, parse_years
from articles.extraction import RejectedText, extract_article
from articles.reading import UnreadableFile, read_text


class Command(BaseCommand):
    help = (
        "Measure extraction over every *.txt under DIR without annotations: dates, years outside a span, "
        "speakers that are places, roles that read as clauses, namesakes, unattributed quotes."
    )
    requires_system_checks = []  # reads files only; never touches the database

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument("--years", help="the corpus's span of years, e.g. 2016-2017: dated years outside it")
        parser.add_argument(
            "--post-date-window",
            type=int,
            metavar="DAYS",
            help="share of dated articles whose date is within DAYS before their front matter's date:",
        )
        parser.add_argument("--examples", type=int, default=5, help="examples kept per measure (default 5)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, directory: Path, years, post_date_window, examples, format, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory}: no such directory")
        try:
            span = parse_years(years) if years is not None else None
        except ValueError as exc:
            raise CommandError(f"--years: {exc}") from exc
        if post_date_window is not None and post_date_window < 0:
            raise CommandError("--post-date-window: must be 0 or more days")
        if examples < 0:
            raise CommandError("--examples: must be 0 or more")

        started = time.monotonic()
        report = CorpusReport(years=span, post_date_window=post_date_window, examples=examples)
        for path in sorted(p for p in directory.rglob("*.txt") if p.is_file()):
            name = path.relative_to(directory).as_posix()
            try:
                article = extract_article(read_text(path), file_name=name)
            except (UnreadableFile, RejectedText) as exc:
                report.add_rejection(name, str(exc))
                continue
            report.add_article(article)
        data = {"directory": str(directory), **report.as_dict(), "seconds": round(time.monotonic() - started, 1)}

        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"corpus report: {directory}")
            self.stdout.write(format_text(data))
            self.stdout.write(f"\nread and measured in {data['seconds']} s")
