"""PostgreSQL extensions the archive needs: unaccent (diacritic folding for
search) and pg_trgm (similarity for "did you mean" and name lookup)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [UnaccentExtension(), TrigramExtension()]
