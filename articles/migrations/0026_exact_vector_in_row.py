"""The articles' accent-sensitive search vector is kept in the row (STORAGE MAIN), not in TOAST.

A vector averages 3.9 KB at a million articles, and PostgreSQL's default for a
value that large is to store it out of line: reading it costs a look-up in the
TOAST index and two more pages, about 5 µs a row. The phrase check of every
candidate and the ranking of every match each read it again, so for
`"công nghệ số"` and one speaker (5,894 candidates, 3,867 matches) reading the
vectors was most of the page's 89 ms statement. Kept in the row, the same
ranking of the same rows took 43 ms against 89.

MAIN means PostgreSQL keeps the value in the row unless the row would not fit
on its 8 KB page. The short text columns are kept in the row the same way:
once a row cannot shrink under 2 KB, PostgreSQL moves every other column it may
move out of line, and the speaker ids every facet reads cost a TOAST look-up
each (a rare word + speaker went 14 → 25 ms before they were). The raw text, the
body and the folded vector stay out of line: with both vectors in the row, 37%
of the rows overflow the page and the larger, accented one goes back to TOAST.

At a million articles the rows now fill about a page each: the table grows
from 1.0 GB + 10.0 GB of TOAST to 6.6 + 7.2 GB (+2.9 GB with the indexes).
A search reads its matches a page each anyway, and a list reads 20 rows.

The storage applies to values written from then on, so the table is rewritten
(VACUUM FULL, which cannot run in a transaction: this migration is not atomic).
At a million articles that took 5.5 to 7 minutes on 2 cores, holds an exclusive
lock on the articles meanwhile, and needs free disk for a second copy of the
table and its indexes (15 GB).
"""

from django.db import migrations

TABLE = "articles_article"


# Every column that may be longer than a TOAST pointer (18 bytes) but is short in practice. Once
# the row cannot shrink under 2 KB, PostgreSQL moves every such column it is allowed to move out
# of line: the speaker ids read by every facet, the title and lede of every result.
SHORT_COLUMNS = [
    "edited_fields",
    "file_name",
    "content_hash",
    "title",
    "lede",
    "date_evidence",
    "language",
    "speakers_text",
    "speaker_ids",
]


def rewrite(storage: str) -> list[str]:
    columns = ", ".join(f"ALTER COLUMN {name} SET STORAGE {storage}" for name in ["search_exact", *SHORT_COLUMNS])
    return [
        f"ALTER TABLE {TABLE} {columns}",
        # The rewrite rebuilds the table's GIN indexes; 64 MB makes a million-row build several times slower.
        "SET maintenance_work_mem = '512MB'",
        f"VACUUM (FULL, ANALYZE) {TABLE}",
        "RESET maintenance_work_mem",
    ]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0025_years_in_search_indexes"),
    ]

    operations = [
        migrations.RunSQL(rewrite("MAIN"), rewrite("EXTENDED")),
    ]
