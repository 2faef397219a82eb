"""`python manage.py export_archive FILE.jsonl`: the whole archive as JSON Lines.

One object per line (Django's "jsonl" serialisation), parents before children,
including editors' corrections (`edited_fields`, review status, merged people's
redirects, merged events' keys). `load_archive` reads it back. Streams: the
archive never sits in memory. The change history is not included (it names
user accounts); a database backup keeps it.
"""

import datetime
from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from articles.models import Article, Event, Person, PersonRedirect, Quote, QuoteOccurrence, Role, Source, Speech

# Dependency order: every object's foreign keys point to lines already written.
ARCHIVE_MODELS = [Source, Event, Person, PersonRedirect, Role, Article, Speech, Quote, QuoteOccurrence]


class ExactTimestampsEncoder(DjangoJSONEncoder):
    """Django's encoder, except that a timestamp keeps its microseconds.

    Django cuts them to milliseconds, which loses time and is not even stable: 12:00:00.000500
    is written "12:00:00.000Z", reads back as 12:00:00 and is then written "12:00:00Z"."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Command(BaseCommand):
    help = "Write the whole archive as JSON Lines (FILE, or - for standard output)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="destination .jsonl file, or - for standard output")

    def handle(self, *args, file: str, **options):
        serializer = serializers.get_serializer("jsonl")()
        if file == "-":
            self._write(serializer, self.stdout)
            return
        path = Path(file)
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8") as stream:
                counts = self._write(serializer, stream)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        partial.replace(path)  # a finished file or none: never half a dump under the real name
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"wrote {path}: {summary}"))

    def _write(self, serializer, stream) -> dict[str, int]:
        counts = {}
        for model in ARCHIVE_MODELS:
            queryset = model.objects.order_by("pk")
            counts[model._meta.model_name] = queryset.count()
            serializer.serialize(queryset.iterator(chunk_size=2000), stream=stream, cls=ExactTimestampsEncoder)
        return counts
