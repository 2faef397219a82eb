"""`python manage.py evaluate_extraction DIR GOLD.json`: precision and recall of
dates, speakers and quote attribution against a gold annotation, the share of
attributed quotes right per confidence band and per rule, and every error by class."""

import json
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.evaluation import Score, confidence_table, method_table, score_file
from articles.extraction import RejectedText, extract_article
from articles.reading import UnreadableFile, read_text


class Command(BaseCommand):
    help = "Score the extractor against a gold annotation of the texts in DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("gold", type=Path)
        parser.add_argument("--details", action="store_true", help="list every miss and extra")

    def handle(self, *args, directory: Path, gold: Path, details: bool, **options):
        try:
            annotation = json.loads(gold.read_text(encoding="utf-8"))["articles"]
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"{gold}: not a gold annotation file ({exc})") from exc
        if not directory.is_dir():
            raise CommandError(f"{directory}: not a directory")

        totals = {"dates": Score(), "speakers": Score(), "quotes": Score()}
        judgements, errors = [], defaultdict(list)
        header = f"{'file':<30} {'date':>5} {'spk P':>6} {'spk R':>6} {'quo P':>6} {'quo R':>6}"
        self.stdout.write(header)
        for name, expected in sorted(annotation.items()):
            path = directory / name
            extracted, rejection = None, None
            try:
                extracted = extract_article(read_text(path), file_name=name)
            except (RejectedText, UnreadableFile) as exc:
                rejection = str(exc)
            report = score_file(name, expected, extracted, rejection)
            for key in totals:
                totals[key].add(getattr(report, key))
            judgements += report.judgements
            for kind, detail in report.errors:
                errors[kind].append(detail)
            date_ok = "ok" if report.dates.true_positives else ("-" if not report.dates.expected else "MISS")
            self.stdout.write(
                f"{name:<30} {date_ok:>5} {report.speakers.precision:6.2f} {report.speakers.recall:6.2f} "
                f"{report.quotes.precision:6.2f} {report.quotes.recall:6.2f}"
            )
            if details:
                for note in report.notes:
                    self.stdout.write(f"    {note}")
        self.stdout.write("")
        for key, score in totals.items():
            self.stdout.write(
                f"{key:<10} precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}"
                f"  ({score.true_positives} right of {score.predicted} claimed;"
                f" {score.found} of {score.expected} found)"
            )
        self._table("attributed quotes by confidence", "band", confidence_table(judgements))
        self._table("attributed quotes by rule", "rule", method_table(judgements))
        self.stdout.write("\nerrors by class:")
        for kind, items in sorted(errors.items(), key=lambda item: -len(item[1])):
            self.stdout.write(f"  {len(items):3d}  {kind}")
            if details:
                for item in items:
                    self.stdout.write(f"         {item}")

    def _table(self, title: str, label: str, rows: list[tuple[str, int, int]]) -> None:
        self.stdout.write(f"\n{title}:\n  {label:<16} {'quotes':>6} {'right':>6} {'share':>6}")
        for key, count, right in rows:
            share = f"{right / count:.2f}" if count else "-"
            self.stdout.write(f"  {key:<16} {count:6d} {right:6d} {share:>6}")
