"""Phrase keys on the sample tables: each sampled record's words and runs of two and three words.

The facets and counts of a search with many matches come from the 1% samples (migrations 0015,
0019). For a phrase, PostgreSQL's phrase operator reads every candidate's vector to compare word
positions: "chuyển đổi" re-tested 9,400 sampled articles, 35–90 ms at a million. The keys are
derived from the same stored vector, so a key "a b" exists exactly when `a <-> b` matches it; a
GIN index over them (an expression index: nothing stored in the rows) answers a query of words and
phrases of up to three words without reading a vector.
"""

import django.contrib.postgres.indexes
from django.db import migrations

import articles.models

# Pairs and triples by joining positions, not by taking each word's successor: words at one position
# (the vector caps positions at 16,383) are then paired as the phrase operator pairs them.
# archive_phrase_key: the one key of a phrase (or a word) typed in a query, normalised by the
# vector's configuration, as a tsquery (quoted: a key holds spaces). Both functions are immutable,
# so a query's keys are computed once, when the statement is planned.
FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION archive_phrase_keys(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH t AS (
        SELECT u.lexeme, p FROM unnest(vector) AS u(lexeme, positions, weights), unnest(u.positions) AS p
    )
    SELECT array_to_tsvector(coalesce(array_agg(k), '{}')) FROM (
        SELECT lexeme FROM unnest(vector)
        UNION ALL
        SELECT a.lexeme || ' ' || b.lexeme FROM t a JOIN t b ON b.p = a.p + 1
        UNION ALL
        SELECT a.lexeme || ' ' || b.lexeme || ' ' || c.lexeme
        FROM t a JOIN t b ON b.p = a.p + 1 JOIN t c ON c.p = b.p + 1
    ) AS keys(k)
$$;

CREATE OR REPLACE FUNCTION archive_phrase_key(config regconfig, words text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ('''' || replace(replace(string_agg(u.lexeme, ' ' ORDER BY p), '\', '\\'), '''', '''''') || '''')::tsquery
    FROM unnest(to_tsvector(config, words)) AS u(lexeme, positions, weights), unnest(u.positions) AS p
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS archive_phrase_keys(tsvector);
DROP FUNCTION IF EXISTS archive_phrase_key(regconfig, text);
"""


def index(model_name: str, column: str, name: str) -> migrations.AddIndex:
    keys = articles.models.PhraseKeys(column)
    return migrations.AddIndex(model_name=model_name, index=django.contrib.postgres.indexes.GinIndex(keys, name=name))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_rate_counter"),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        index("articlesample", "search_exact", "article_sample_phrases_gin"),
        index("articlesample", "search_folded", "article_sample_fphrases_gin"),
        index("quotesample", "search_exact", "quote_sample_phrases_gin"),
        index("quotesample", "search_folded", "quote_sample_fphrases_gin"),
        # The planner's estimates for the new index expressions.
        migrations.RunSQL("ANALYZE articles_articlesample; ANALYZE articles_quotesample", migrations.RunSQL.noop),
    ]
