"""A record's year becomes one more key of the articles' and the quotes' text
indexes.

Two common words in one year (`bước đường` + 2010, 2,893 matches at a million
articles): PostgreSQL read the words' index entries for the whole archive
(73,839, 30 ms) and ANDed them with the year's dates (38,764) before reading a
row, and did the same in the quotes for the articles tab's quote count (20 ms).
With the year as a key of the same GIN index the two are intersected inside
one scan: 7.8 ms for the articles' matches. The key is
`ARRAY[date_part('year', date)::integer]` (models.RECORD_YEAR); the folded
indexes key it through archive_folded_years(), which returns its argument, for
the reason migration 0014 gives for the speakers.

Four index builds: about 3.5 minutes at a million articles (2 cores).
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

FOLDED_YEARS_FUNCTION = """
CREATE OR REPLACE FUNCTION archive_folded_years(years integer[]) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$ BEGIN RETURN years; END $$;
"""

INTEGERS = django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField())
BIGINTS = django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField())
YEAR = models.Func(
    models.F("date"), template="ARRAY[date_part('year', %(expressions)s)::integer]", output_field=INTEGERS
)
FOLDED_YEAR = models.Func(YEAR, function="archive_folded_years", output_field=INTEGERS)
FOLDED_SPEAKERS = models.Func(models.F("speaker_ids"), function="archive_folded_speakers", output_field=BIGINTS)
QUOTE_SPEAKER = models.Func(models.F("person_id"), template="ARRAY[%(expressions)s]", output_field=BIGINTS)
FOLDED_QUOTE_SPEAKER = models.Func(QUOTE_SPEAKER, function="archive_folded_speakers", output_field=BIGINTS)
GinIndex = django.contrib.postgres.indexes.GinIndex


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0024_quote_speakers_in_search_indexes"),
    ]

    operations = [
        migrations.RunSQL(FOLDED_YEARS_FUNCTION, "DROP FUNCTION IF EXISTS archive_folded_years(integer[])"),
        # GIN builds sort their keys in memory; the default 64 MB makes a million-row build several times slower.
        migrations.RunSQL("SET LOCAL maintenance_work_mem = '512MB'", migrations.RunSQL.noop),
        migrations.RemoveIndex(model_name="article", name="article_search_exact_idx"),
        migrations.RemoveIndex(model_name="article", name="article_search_folded_idx"),
        migrations.RemoveIndex(model_name="quote", name="quote_search_exact_idx"),
        migrations.RemoveIndex(model_name="quote", name="quote_search_folded_idx"),
        migrations.AddIndex(
            model_name="article",
            index=GinIndex(models.F("search_exact"), models.F("speaker_ids"), YEAR, name="article_search_exact_idx"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=GinIndex(models.F("search_folded"), FOLDED_SPEAKERS, FOLDED_YEAR, name="article_search_folded_idx"),
        ),
        migrations.AddIndex(
            model_name="quote",
            index=GinIndex(models.F("search_exact"), QUOTE_SPEAKER, YEAR, name="quote_search_exact_idx"),
        ),
        migrations.AddIndex(
            model_name="quote",
            index=GinIndex(
                models.F("search_folded"), FOLDED_QUOTE_SPEAKER, FOLDED_YEAR, name="quote_search_folded_idx"
            ),
        ),
    ]
