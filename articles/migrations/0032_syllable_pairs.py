"""The runs of two adjacent syllables of every article and quote, indexed (models.SyllablePairs).

Syllables typed together are read as one word (search.as_words): `chinh phu dien tu` is the phrase,
not four syllables anywhere. PostgreSQL answers a phrase by reading the word positions of every
record that holds all of its syllables, and for common syllables rarely side by side that is
100,000-200,000 records at a million articles (1.9 s p50, 7.4 s p95: docs/performance.md). A record
holds the phrase only if it holds each of its pairs, so the pairs' index leaves about the phrase's
own matches to read. Only the folded vector is indexed: a pair typed with marks folds to its folded
pair, which is nearly as rare, and the exact phrase is tested on the few records left.

The function is costed high (about what one call takes against reading a page) so that PostgreSQL
reaches it through the index and, where it tests it row by row, tests the cheaper phrase first.
"""

import django.contrib.postgres.indexes
from django.db import migrations

import articles.models

# Pairs by joining positions, as archive_phrase_keys (migration 0021) does: words at one position
# (the vector caps positions at 16,383) are paired as the phrase operator pairs them.
FUNCTION = r"""
CREATE OR REPLACE FUNCTION archive_syllable_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
    WITH t AS (
        SELECT u.lexeme, p FROM unnest(vector) AS u(lexeme, positions, weights), unnest(u.positions) AS p
    )
    SELECT array_to_tsvector(coalesce(array_agg(a.lexeme || ' ' || b.lexeme), '{}'))
    FROM t a JOIN t b ON b.p = a.p + 1
$$;

-- The pairs of `words` as the vectors' configuration reads them, all required; NULL if it finds none.
CREATE OR REPLACE FUNCTION archive_syllable_pair_query(config regconfig, words text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT string_agg('''' || replace(replace(k, '\', '\\'), '''', '''''') || '''', ' & ')::tsquery
    FROM (SELECT DISTINCT k FROM unnest(archive_syllable_pairs(to_tsvector(config, words))) AS u(k)) AS keys
$$;
"""

DROP_FUNCTION = """
DROP FUNCTION IF EXISTS archive_syllable_pairs(tsvector);
DROP FUNCTION IF EXISTS archive_syllable_pair_query(regconfig, text);
"""


def index(model_name: str, name: str) -> migrations.AddIndex:
    pairs = articles.models.SyllablePairs("search_folded")
    return migrations.AddIndex(model_name=model_name, index=django.contrib.postgres.indexes.GinIndex(pairs, name=name))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0031_occurrence_direct"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, DROP_FUNCTION),
        index("article", "article_pairs_gin"),
        index("quote", "quote_pairs_gin"),
        # The planner's estimates for the new index expressions.
        migrations.RunSQL("ANALYZE articles_article; ANALYZE articles_quote", migrations.RunSQL.noop),
    ]
