"""Search at scale: a 1% sample index for estimates, and finer statistics for the planner.

- Partial GIN indexes over every 100th article and quote (`mod(id, 100) = 0`,
  the expression Django's `Mod` writes, so the planner can use them): counting
  a query's matches in the sample is a few milliseconds however common its
  words are, and ×100 estimates the whole (articles.search shows it as "≈").
- Statistics target 1000 on the search vectors: the planner then knows the
  frequency of the 10,000 most common lexemes and chooses between walking the
  date index (common words, newest first) and the GIN index (rare words).
"""

from django.db import migrations

SAMPLE_INDEXES = [
    ("article_sample_exact_idx", "articles_article", "search_exact"),
    ("article_sample_folded_idx", "articles_article", "search_folded"),
    ("quote_sample_exact_idx", "articles_quote", "search_exact"),
    ("quote_sample_folded_idx", "articles_quote", "search_folded"),
]


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_cache_table")]

    operations = [
        *[
            migrations.RunSQL(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column}) WHERE mod(id, 100) = 0",
                reverse_sql=f"DROP INDEX IF EXISTS {name}",
            )
            for name, table, column in SAMPLE_INDEXES
        ],
        migrations.RunSQL(
            """
            ALTER TABLE articles_article ALTER COLUMN search_exact SET STATISTICS 1000;
            ALTER TABLE articles_article ALTER COLUMN search_folded SET STATISTICS 1000;
            ALTER TABLE articles_quote ALTER COLUMN search_exact SET STATISTICS 1000;
            ALTER TABLE articles_quote ALTER COLUMN search_folded SET STATISTICS 1000;
            """,
            reverse_sql="""
            ALTER TABLE articles_article ALTER COLUMN search_exact SET STATISTICS -1;
            ALTER TABLE articles_article ALTER COLUMN search_folded SET STATISTICS -1;
            ALTER TABLE articles_quote ALTER COLUMN search_exact SET STATISTICS -1;
            ALTER TABLE articles_quote ALTER COLUMN search_folded SET STATISTICS -1;
            """,
        ),
    ]
