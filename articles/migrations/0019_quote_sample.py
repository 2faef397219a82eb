"""The quotes' 1% sample as a table of its own (articles.models.QuoteSample), as 0015 did for articles.

Triggers copy every quote whose id is divisible by 100 into it on insert and
update and remove it on delete; its `source_ids` (the sources of the articles
carrying it) follow the quote's occurrences as they are added, moved (merges)
or removed, and an article's change of source. The other 99% of rows skip the
triggers in their WHEN clauses. The partial indexes of 0011 that served as the
samples before these tables are dropped: nothing reads them any more.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

TRIGGERS = """
CREATE OR REPLACE FUNCTION archive_quote_sources(quote bigint) RETURNS bigint[]
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
    SELECT coalesce(array_agg(DISTINCT a.source_id ORDER BY a.source_id), '{}')
    FROM articles_quoteoccurrence o JOIN articles_article a ON a.id = o.article_id
    WHERE o.quote_id = quote AND a.source_id IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION archive_quote_sample() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM articles_quotesample WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    INSERT INTO articles_quotesample (id, date, person_id, event_id, source_ids, search_exact, search_folded)
    VALUES (NEW.id, NEW.date, NEW.person_id, NEW.event_id, archive_quote_sources(NEW.id),
            NEW.search_exact, NEW.search_folded)
    ON CONFLICT (id) DO UPDATE SET
        date = EXCLUDED.date, person_id = EXCLUDED.person_id, event_id = EXCLUDED.event_id,
        source_ids = EXCLUDED.source_ids, search_exact = EXCLUDED.search_exact,
        search_folded = EXCLUDED.search_folded;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION archive_quote_sample_sources() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_TABLE_NAME = 'articles_article' THEN
        UPDATE articles_quotesample s SET source_ids = archive_quote_sources(s.id)
        WHERE s.id IN (SELECT o.quote_id FROM articles_quoteoccurrence o
                       WHERE o.article_id = NEW.id AND mod(o.quote_id, 100) = 0);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND mod(OLD.quote_id, 100) = 0 THEN
        UPDATE articles_quotesample SET source_ids = archive_quote_sources(OLD.quote_id) WHERE id = OLD.quote_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND mod(NEW.quote_id, 100) = 0 THEN
        UPDATE articles_quotesample SET source_ids = archive_quote_sources(NEW.quote_id) WHERE id = NEW.quote_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER quote_sample_written AFTER INSERT OR UPDATE ON articles_quote
    FOR EACH ROW WHEN (mod(NEW.id, 100) = 0) EXECUTE FUNCTION archive_quote_sample();
CREATE TRIGGER quote_sample_deleted AFTER DELETE ON articles_quote
    FOR EACH ROW WHEN (mod(OLD.id, 100) = 0) EXECUTE FUNCTION archive_quote_sample();
CREATE TRIGGER quote_sample_occurrence_added AFTER INSERT ON articles_quoteoccurrence
    FOR EACH ROW WHEN (mod(NEW.quote_id, 100) = 0) EXECUTE FUNCTION archive_quote_sample_sources();
CREATE TRIGGER quote_sample_occurrence_moved AFTER UPDATE ON articles_quoteoccurrence
    FOR EACH ROW WHEN (mod(OLD.quote_id, 100) = 0 OR mod(NEW.quote_id, 100) = 0)
    EXECUTE FUNCTION archive_quote_sample_sources();
CREATE TRIGGER quote_sample_occurrence_removed AFTER DELETE ON articles_quoteoccurrence
    FOR EACH ROW WHEN (mod(OLD.quote_id, 100) = 0) EXECUTE FUNCTION archive_quote_sample_sources();
CREATE TRIGGER quote_sample_article_source AFTER UPDATE OF source_id ON articles_article
    FOR EACH ROW WHEN (OLD.source_id IS DISTINCT FROM NEW.source_id) EXECUTE FUNCTION archive_quote_sample_sources();

INSERT INTO articles_quotesample (id, date, person_id, event_id, source_ids, search_exact, search_folded)
SELECT id, date, person_id, event_id, archive_quote_sources(id), search_exact, search_folded
FROM articles_quote WHERE mod(id, 100) = 0;

ALTER TABLE articles_quotesample ALTER COLUMN search_exact SET STATISTICS 1000;
ALTER TABLE articles_quotesample ALTER COLUMN search_folded SET STATISTICS 1000;
ANALYZE articles_quotesample;

DROP INDEX IF EXISTS article_sample_exact_idx;
DROP INDEX IF EXISTS article_sample_folded_idx;
DROP INDEX IF EXISTS quote_sample_exact_idx;
DROP INDEX IF EXISTS quote_sample_folded_idx;
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS quote_sample_written ON articles_quote;
DROP TRIGGER IF EXISTS quote_sample_deleted ON articles_quote;
DROP TRIGGER IF EXISTS quote_sample_occurrence_added ON articles_quoteoccurrence;
DROP TRIGGER IF EXISTS quote_sample_occurrence_moved ON articles_quoteoccurrence;
DROP TRIGGER IF EXISTS quote_sample_occurrence_removed ON articles_quoteoccurrence;
DROP TRIGGER IF EXISTS quote_sample_article_source ON articles_article;
DROP FUNCTION IF EXISTS archive_quote_sample_sources();
DROP FUNCTION IF EXISTS archive_quote_sample();
DROP FUNCTION IF EXISTS archive_quote_sources(bigint);
CREATE INDEX IF NOT EXISTS article_sample_exact_idx ON articles_article USING gin (search_exact) WHERE mod(id, 100) = 0;
CREATE INDEX IF NOT EXISTS article_sample_folded_idx ON articles_article USING gin (search_folded) WHERE mod(id, 100) = 0;
CREATE INDEX IF NOT EXISTS quote_sample_exact_idx ON articles_quote USING gin (search_exact) WHERE mod(id, 100) = 0;
CREATE INDEX IF NOT EXISTS quote_sample_folded_idx ON articles_quote USING gin (search_folded) WHERE mod(id, 100) = 0;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_quote_method"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuoteSample",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("date", models.DateField(null=True)),
                ("person_id", models.BigIntegerField(null=True)),
                ("event_id", models.BigIntegerField(null=True)),
                (
                    "source_ids",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.BigIntegerField(), default=list, size=None
                    ),
                ),
                ("search_exact", django.contrib.postgres.search.SearchVectorField()),
                ("search_folded", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(fields=["search_exact"], name="quote_sample_exact_gin"),
                    django.contrib.postgres.indexes.GinIndex(fields=["search_folded"], name="quote_sample_folded_gin"),
                    models.Index(fields=["person_id"], name="quote_sample_person_idx"),
                ],
            },
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
