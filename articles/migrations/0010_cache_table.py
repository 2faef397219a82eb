"""The shared cache table (API rate-limit counters), created with the schema, not by hand."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS archive_cache")


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_translated_choices")]
    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
