"""The search vectors read ASCII punctuation as spaces, as a query's words are split.

PostgreSQL's text parser kept "COVID-19" as "covid" and "-19", "18/12/2019" and "1.000" (a thousand,
in Vietnamese) as one token each, and "Bà Rịa-Vũng Tàu" with a compound "rịa-vũng" ahead of its
parts; a query splits words at every punctuation mark (articles.search.WORD), so searching any of
them found nothing, and the phrase "Bà Rịa Vũng Tàu" missed the hyphenated spelling. The vectors are
now built from the text with ASCII punctuation replaced by spaces (archive_words).

A generated column's expression cannot be altered on PostgreSQL 15, and Django drops and adds such
a field with a statement per column, each rewriting the table: here each table's two vectors are
dropped (their indexes with them) and added again by one ALTER TABLE, one rewrite. The sample tables
take the new vectors, and the suggestion vocabulary is counted again from them.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import articles.models

# The 32 ASCII punctuation characters, each to a space.
WORDS = r"""
CREATE OR REPLACE FUNCTION archive_words(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT translate(t, '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                ')
$$;
"""


def vectors(fields: dict[str, str], *, words: bool) -> str:
    """Each table's two vector columns over `fields` ({column: weight}) as ALTER TABLE clauses,
    written as Django writes the models' GeneratedFields (articles.models.search_vector); `words`:
    through archive_words()."""

    def column(name: str) -> str:
        return f'archive_words("{name}")' if words else f'"{name}"'

    def vector(config: str, text) -> str:
        parts = [
            f"setweight(to_tsvector('{config}'::regconfig, COALESCE({text(name)}, '')), '{weight}')"
            for name, weight in fields.items()
        ]
        return " || ".join(parts)

    exact = vector("simple", lambda name: f"archive_search_text({column(name)})")
    folded = vector("archive_folded", column)
    return (
        "DROP COLUMN search_exact, DROP COLUMN search_folded, "
        f"ADD COLUMN search_exact tsvector GENERATED ALWAYS AS ({exact}) STORED, "
        f"ADD COLUMN search_folded tsvector GENERATED ALWAYS AS ({folded}) STORED"
    )


def rebuild(table: str, fields: dict[str, str]) -> migrations.RunSQL:
    return migrations.RunSQL(
        f"ALTER TABLE {table} {vectors(fields, words=True)}",
        f"ALTER TABLE {table} {vectors(fields, words=False)}",
    )


INDEXES = [
    (
        "article",
        django.contrib.postgres.indexes.GinIndex(
            fields=["search_exact", "speaker_ids"], name="article_search_exact_idx"
        ),
    ),
    (
        "article",
        django.contrib.postgres.indexes.GinIndex(
            models.F("search_folded"), articles.models.FOLDED_SPEAKERS, name="article_search_folded_idx"
        ),
    ),
    ("quote", django.contrib.postgres.indexes.GinIndex(fields=["search_exact"], name="quote_search_exact_idx")),
    ("quote", django.contrib.postgres.indexes.GinIndex(fields=["search_folded"], name="quote_search_folded_idx")),
]

# The samples take the new vectors; the statistics targets of migration 0011 went with the old columns.
AFTER = """
ALTER TABLE articles_article ALTER COLUMN search_exact SET STATISTICS 1000;
ALTER TABLE articles_article ALTER COLUMN search_folded SET STATISTICS 1000;
ALTER TABLE articles_quote ALTER COLUMN search_exact SET STATISTICS 1000;
ALTER TABLE articles_quote ALTER COLUMN search_folded SET STATISTICS 1000;
UPDATE articles_articlesample s SET search_exact = a.search_exact, search_folded = a.search_folded
FROM articles_article a WHERE a.id = s.id;
UPDATE articles_quotesample s SET search_exact = q.search_exact, search_folded = q.search_folded
FROM articles_quote q WHERE q.id = s.id;
TRUNCATE articles_vocabulary;
INSERT INTO articles_vocabulary (word, ndoc, folded)
SELECT word, ndoc, lower(unaccent(word)) FROM ts_stat($$SELECT search_exact FROM articles_article$$)
WHERE length(word) > 1 AND word !~ '^[0-9]';
ANALYZE articles_article;
ANALYZE articles_quote;
ANALYZE articles_articlesample;
ANALYZE articles_quotesample;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_sample_phrase_keys"),
    ]

    operations = [
        migrations.RunSQL(WORDS, "DROP FUNCTION IF EXISTS archive_words(text)"),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                rebuild("articles_article", {"title": "A", "lede": "B", "speakers_text": "B", "body": "C"}),
                rebuild("articles_quote", {"text": "A"}),
            ],
            state_operations=[
                *[migrations.RemoveIndex(model_name=model, name=index.name) for model, index in INDEXES],
                migrations.AlterField(
                    model_name="article",
                    name="search_exact",
                    field=models.GeneratedField(
                        db_persist=True,
                        expression=django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.SearchVector(
                                        models.Func(
                                            models.Func(
                                                models.F("title"),
                                                function="archive_words",
                                                output_field=models.TextField(),
                                            ),
                                            function="archive_search_text",
                                            output_field=models.TextField(),
                                        ),
                                        config="simple",
                                        weight="A",
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        models.Func(
                                            models.Func(
                                                models.F("lede"),
                                                function="archive_words",
                                                output_field=models.TextField(),
                                            ),
                                            function="archive_search_text",
                                            output_field=models.TextField(),
                                        ),
                                        config="simple",
                                        weight="B",
                                    ),
                                    django.contrib.postgres.search.SearchConfig("simple"),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    models.Func(
                                        models.Func(
                                            models.F("speakers_text"),
                                            function="archive_words",
                                            output_field=models.TextField(),
                                        ),
                                        function="archive_search_text",
                                        output_field=models.TextField(),
                                    ),
                                    config="simple",
                                    weight="B",
                                ),
                                django.contrib.postgres.search.SearchConfig("simple"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                models.Func(
                                    models.Func(
                                        models.F("body"), function="archive_words", output_field=models.TextField()
                                    ),
                                    function="archive_search_text",
                                    output_field=models.TextField(),
                                ),
                                config="simple",
                                weight="C",
                            ),
                            django.contrib.postgres.search.SearchConfig("simple"),
                        ),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="search_folded",
                    field=models.GeneratedField(
                        db_persist=True,
                        expression=django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.SearchVector(
                                        models.Func(
                                            models.F("title"), function="archive_words", output_field=models.TextField()
                                        ),
                                        config="archive_folded",
                                        weight="A",
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        models.Func(
                                            models.F("lede"), function="archive_words", output_field=models.TextField()
                                        ),
                                        config="archive_folded",
                                        weight="B",
                                    ),
                                    django.contrib.postgres.search.SearchConfig("archive_folded"),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    models.Func(
                                        models.F("speakers_text"),
                                        function="archive_words",
                                        output_field=models.TextField(),
                                    ),
                                    config="archive_folded",
                                    weight="B",
                                ),
                                django.contrib.postgres.search.SearchConfig("archive_folded"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                models.Func(
                                    models.F("body"), function="archive_words", output_field=models.TextField()
                                ),
                                config="archive_folded",
                                weight="C",
                            ),
                            django.contrib.postgres.search.SearchConfig("archive_folded"),
                        ),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                ),
                migrations.AlterField(
                    model_name="quote",
                    name="search_exact",
                    field=models.GeneratedField(
                        db_persist=True,
                        expression=django.contrib.postgres.search.SearchVector(
                            models.Func(
                                models.Func(
                                    models.F("text"), function="archive_words", output_field=models.TextField()
                                ),
                                function="archive_search_text",
                                output_field=models.TextField(),
                            ),
                            config="simple",
                            weight="A",
                        ),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                ),
                migrations.AlterField(
                    model_name="quote",
                    name="search_folded",
                    field=models.GeneratedField(
                        db_persist=True,
                        expression=django.contrib.postgres.search.SearchVector(
                            models.Func(models.F("text"), function="archive_words", output_field=models.TextField()),
                            config="archive_folded",
                            weight="A",
                        ),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                ),
            ],
        ),
        *[migrations.AddIndex(model_name=model, index=index) for model, index in INDEXES],
        migrations.RunSQL(AFTER, migrations.RunSQL.noop),
    ]
