"""The articles' 1% sample as a table of its own (articles.models.ArticleSample).

Triggers copy every article whose id is divisible by 100 into it on insert and
update (generated search vectors included: AFTER triggers see them) and remove
it on delete, whoever writes (loaders' COPY, editors, the speaker triggers of
migration 0013). The other 99% of rows skip the trigger in its WHEN clause.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

TRIGGERS = """
CREATE OR REPLACE FUNCTION archive_article_sample() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM articles_articlesample WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    INSERT INTO articles_articlesample (id, date, event_id, source_id, speaker_ids, search_exact, search_folded)
    VALUES (NEW.id, NEW.date, NEW.event_id, NEW.source_id, NEW.speaker_ids, NEW.search_exact, NEW.search_folded)
    ON CONFLICT (id) DO UPDATE SET
        date = EXCLUDED.date, event_id = EXCLUDED.event_id, source_id = EXCLUDED.source_id,
        speaker_ids = EXCLUDED.speaker_ids, search_exact = EXCLUDED.search_exact,
        search_folded = EXCLUDED.search_folded;
    RETURN NULL;
END $$;

CREATE TRIGGER article_sample_written AFTER INSERT OR UPDATE ON articles_article
    FOR EACH ROW WHEN (mod(NEW.id, 100) = 0) EXECUTE FUNCTION archive_article_sample();
CREATE TRIGGER article_sample_deleted AFTER DELETE ON articles_article
    FOR EACH ROW WHEN (mod(OLD.id, 100) = 0) EXECUTE FUNCTION archive_article_sample();

INSERT INTO articles_articlesample (id, date, event_id, source_id, speaker_ids, search_exact, search_folded)
SELECT id, date, event_id, source_id, speaker_ids, search_exact, search_folded
FROM articles_article WHERE mod(id, 100) = 0;

ALTER TABLE articles_articlesample ALTER COLUMN search_exact SET STATISTICS 1000;
ALTER TABLE articles_articlesample ALTER COLUMN search_folded SET STATISTICS 1000;
ANALYZE articles_articlesample;
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS article_sample_written ON articles_article;
DROP TRIGGER IF EXISTS article_sample_deleted ON articles_article;
DROP FUNCTION IF EXISTS archive_article_sample();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_speakers_in_search_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSample",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("date", models.DateField(null=True)),
                ("event_id", models.BigIntegerField(null=True)),
                ("source_id", models.BigIntegerField(null=True)),
                (
                    "speaker_ids",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.BigIntegerField(), default=list, size=None
                    ),
                ),
                ("search_exact", django.contrib.postgres.search.SearchVectorField()),
                ("search_folded", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(fields=["search_exact"], name="article_sample_exact_gin"),
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["search_folded"], name="article_sample_folded_gin"
                    ),
                ],
            },
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
