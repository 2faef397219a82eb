"""The COPY path: many new articles stored fast, the same rows `articles.loading` writes.

For loading a large corpus into an archive (the synthetic million of the scale
benchmark, a first import of years of news): articles, quotes and occurrences
go through PostgreSQL's COPY, reference data (sources, events, people, roles,
speeches) through the normal loader's bulk upserts, so both paths agree on
every key. What this path does not do, and why it is for new articles only:

- Articles already in the archive (by file name) are skipped, never updated:
  updates and editors' fields are the normal loader's business.
- No change-history rows: the history starts with the first editor's change.
- Identical quotes are merged on their key (as the normal loader does), but
  near-identical wordings are not clustered.

The search indexes can be dropped before a big load and rebuilt after it
(`without_search_indexes`), which is several times faster than maintaining
GIN entries row by row.
"""

import contextlib

from django.db import connection, transaction
from django.utils import timezone

from articles import overview
from articles.copying import reserve_ids
from articles.extraction import ExtractedArticle
from articles.loading import _Batch, event_key, insert_speeches, quote_key, slug_for, speaker_ids_of
from articles.models import Article, Quote

SEARCH_INDEXES = (
    "article_search_exact_idx",
    "article_search_folded_idx",
    "quote_search_exact_idx",
    "quote_search_folded_idx",
    "article_pairs_gin",
    "quote_pairs_gin",
)

ARTICLE_COLUMNS = (
    "id, file_name, content_hash, raw_text, title, title_derived, lede, body, date, date_evidence, language, "
    "source_id, event_id, speakers_text, speaker_ids, created_at, updated_at, edited_fields"
)


def copy_articles(batch: list[ExtractedArticle]) -> int:
    """Store the articles of `batch` that are not in the archive yet; returns how many were stored."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT file_name FROM articles_article WHERE file_name = ANY(%s)", [[a.file_name for a in batch]]
        )
        present = {row[0] for row in cursor.fetchall()}
    todo = [a for a in batch if a.file_name not in present]
    if not todo:
        return 0
    # Reference data commits on its own, before the articles: parallel loaders meet on the same events
    # and people, and a unique index makes a writer wait for the other's whole transaction, so keeping
    # these transactions short is what lets two loaders run side by side. A chunk that fails after
    # this leaves only reference rows (an event, a person), which the next load reuses.
    with transaction.atomic():
        reference = _Batch(todo)
        sources = reference._sources(todo)
        events = reference._events(todo)
        if any(event_key(a) not in events for a in todo if event_key(a)):
            # Another loader took an event's slug meanwhile; a second pass gives it a suffixed one.
            events = reference._events(todo)
        people = reference._people(todo)
        roles = reference._roles(todo, people)

    with transaction.atomic(), connection.cursor() as cursor:
        # A crash may lose the last chunks, never half of one: no need to wait for the disk at each commit.
        cursor.execute("SET LOCAL synchronous_commit = off")
        first_id = reserve_ids(cursor, "articles_article", len(todo))
        now = timezone.now()
        article_ids = {}
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY articles_article ({ARTICLE_COLUMNS}) FROM STDIN") as copy:
            for offset, item in enumerate(todo):
                article_id = article_ids[item.file_name] = first_id + offset
                source = sources.get(slug_for(item.source)) if item.source else None
                event = events.get(event_key(item))
                copy.write_row(
                    (
                        article_id,
                        item.file_name,
                        item.content_hash,
                        item.raw_text,
                        item.title[:500],
                        item.title_derived,
                        item.lede,
                        item.body,
                        item.date,
                        item.date_evidence[:300],
                        item.language,
                        source.pk if source else None,
                        event.pk if event else None,
                        ", ".join(speaker.name for speaker in item.speakers),
                        speaker_ids_of(item, people) if event else [],
                        now,
                        now,
                        [],
                    )
                )

        speeches = _copy_speeches(cursor, todo, article_ids, events, people, roles)
        _copy_quotes(cursor, todo, article_ids, events, people, roles, speeches)
    overview.forget()
    return len(todo)


def _role_id(roles, people, item: ExtractedArticle, name: str | None):
    if not name or name not in item.roles:
        return None
    role = item.roles[name]
    found = roles.get((people[name].pk, role.title, role.organisation))
    return found.pk if found else None


def _copy_speeches(cursor, todo, article_ids, events, people, roles) -> dict:
    """(person id, event id) → speech id, creating the missing speeches and linking the articles."""
    wanted: dict[tuple[int, int], int | None] = {}
    links: set[tuple[tuple[int, int], int]] = set()
    for item in todo:
        event = events.get(event_key(item))
        if event is None:
            continue
        for speaker in item.speakers:
            key = (people[speaker.name].pk, event.pk)
            wanted.setdefault(key, _role_id(roles, people, item, speaker.name))
            links.add((key, article_ids[item.file_name]))
    if not wanted:
        return {}
    insert_speeches(cursor, wanted)
    cursor.execute(
        "SELECT s.person_id, s.event_id, s.id FROM articles_speech s "
        "JOIN unnest(%s::int[], %s::int[]) AS w(person_id, event_id) USING (person_id, event_id)",
        [[k[0] for k in wanted], [k[1] for k in wanted]],
    )
    speeches = {(person, event): speech for person, event, speech in cursor.fetchall()}
    with cursor.cursor.copy("COPY articles_speech_articles (speech_id, article_id) FROM STDIN") as copy:
        for key, article_id in links:
            copy.write_row((speeches[key], article_id))
    return speeches


def _copy_quotes(cursor, todo, article_ids, events, people, roles, speeches) -> None:
    """Quotes through a staging table, so a quote already stored (same key) gains an occurrence, not a twin."""
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bulk_occurrence "
        '(key varchar(64), article_id int, start int, "end" int, text text, direct bool) ON COMMIT DELETE ROWS'
    )
    quote_columns = (
        "key, text, person_id, role_id, event_id, speech_id, direct, method, confidence, suggested_speaker, "
        "review_status, date"
    )
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS bulk_quote ON COMMIT DELETE ROWS AS "
        f"SELECT {quote_columns}, edited_fields FROM articles_quote WITH NO DATA"
    )
    seen = set()
    occurrences = []
    with cursor.cursor.copy(f"COPY bulk_quote ({quote_columns}, edited_fields) FROM STDIN") as quotes:
        for item in todo:
            event = events.get(event_key(item))
            for found in item.quotes:
                key = quote_key(found.text)
                occurrences.append(
                    (
                        key,
                        article_ids[item.file_name],
                        found.start,
                        found.end,
                        item.body[found.start : found.end],
                        found.direct,
                    )
                )
                if key in seen:
                    continue
                seen.add(key)
                person = people.get(found.speaker) if found.speaker else None
                speech = speeches.get((person.pk, event.pk)) if person and event else None
                quotes.write_row(
                    (
                        key,
                        found.text,
                        person.pk if person else None,
                        _role_id(roles, people, item, found.speaker),
                        event.pk if event else None,
                        speech,
                        found.direct,
                        found.method,
                        found.confidence,
                        found.suggested_speaker or "",
                        "machine",
                        item.date,
                        [],
                    )
                )
    with cursor.cursor.copy('COPY bulk_occurrence (key, article_id, start, "end", text, direct) FROM STDIN') as copy:
        for row in occurrences:
            copy.write_row(row)
    cursor.execute("ANALYZE bulk_occurrence")
    cursor.execute("ANALYZE bulk_quote")  # temporary tables have no statistics; without them: a scan of all quotes
    cursor.execute(
        f"INSERT INTO articles_quote ({quote_columns}, edited_fields) "
        f"SELECT {quote_columns}, edited_fields FROM bulk_quote ORDER BY key ON CONFLICT (key) DO NOTHING"
    )
    # A quote already stored keeps its data, but an earlier date is the earlier article's.
    cursor.execute(
        "UPDATE articles_quote q SET date = b.date FROM bulk_quote b "
        "WHERE q.key = b.key AND b.date < q.date AND NOT ('date' = ANY(q.edited_fields))"
    )
    cursor.execute(
        'INSERT INTO articles_quoteoccurrence (quote_id, article_id, start, "end", text, direct) '
        'SELECT q.id, o.article_id, o.start, o."end", o.text, o.direct '
        "FROM bulk_occurrence o JOIN articles_quote q USING (key) "
        "ON CONFLICT DO NOTHING"
    )


@contextlib.contextmanager
def without_search_indexes():
    """Drop the GIN search indexes for a big load and build them again afterwards (also on failure)."""
    with connection.cursor() as cursor:
        for name in SEARCH_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        rebuild_search_indexes()


def rebuild_search_indexes() -> None:
    """Build the search indexes as the models define them (so a migration that changes one changes this)."""
    editor = connection.schema_editor()
    statements = [
        str(index.create_sql(model, editor)).replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1)
        for model in (Article, Quote)
        for index in model._meta.indexes
        if index.name in SEARCH_INDEXES
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("RESET maintenance_work_mem")
