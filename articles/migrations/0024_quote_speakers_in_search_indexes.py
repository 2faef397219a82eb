"""A quote's speaker becomes a second key of the quotes' text indexes, as the
articles' speakers did in migration 0014.

With a speaker filter and a word common in quotes, PostgreSQL read the
speaker's quotes through their btree index and tested the words on each,
decompressing every one's vector (32 ms for the 7,700 quotes of one speaker at
a million articles, and the search walked them on purpose: the text index's
list of every match of the word was worse), or ANDed that index with the
words' whole list. In one GIN index both are index conditions: 5 ms for the
same count. The key is `ARRAY[person_id]` (models.QUOTE_SPEAKER): an array
needs no btree_gin extension, and only this index can serve `ARRAY[person_id]
&& ids`. The folded index wraps it in archive_folded_speakers() (migration
0014) so neither index is taken for the speaker alone.

Two index builds: about 30 s each at 2.2 million quotes (2 cores).
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

QUOTE_SPEAKER = models.Func(
    models.F("person_id"),
    template="ARRAY[%(expressions)s]",
    output_field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField()),
)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_faster_search_words"),
    ]

    operations = [
        # GIN builds sort their keys in memory; the default 64 MB makes a million-row build several times slower.
        migrations.RunSQL("SET LOCAL maintenance_work_mem = '512MB'", migrations.RunSQL.noop),
        migrations.RemoveIndex(model_name="quote", name="quote_search_exact_idx"),
        migrations.RemoveIndex(model_name="quote", name="quote_search_folded_idx"),
        migrations.AddIndex(
            model_name="quote",
            index=django.contrib.postgres.indexes.GinIndex(
                models.F("search_exact"), QUOTE_SPEAKER, name="quote_search_exact_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="quote",
            index=django.contrib.postgres.indexes.GinIndex(
                models.F("search_folded"),
                models.Func(
                    QUOTE_SPEAKER,
                    function="archive_folded_speakers",
                    output_field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField()),
                ),
                name="quote_search_folded_idx",
            ),
        ),
    ]
