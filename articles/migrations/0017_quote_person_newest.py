"""A speaker's quotes newest first, from one index: (person, date DESC NULLS LAST, id).

The speaker page lists a person's quotes a page at a time, with the years they
fall in; at a million articles one speaker has 99,000 quotes, which the page
listed whole (77 MB of HTML, a minute). The index gives a page without sorting
them and the per-year counts without reading the 3.5 GB quotes table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_occurrence_quote_articles")]

    operations = [
        migrations.RunSQL("SET LOCAL maintenance_work_mem = '512MB'", migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(
                models.F("person"),
                models.OrderBy(models.F("date"), descending=True, nulls_last=True),
                models.F("id"),
                name="quote_person_newest_idx",
            ),
        ),
    ]
