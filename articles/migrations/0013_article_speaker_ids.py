"""Article.speaker_ids: the people who speak in an article, kept by PostgreSQL.

The speaker filter used to be an EXISTS over speeches for every candidate
row: seconds when a common word meets a speaker at a million articles. An
integer array with a GIN index lets PostgreSQL AND the speaker's articles
with the text index's matches in one bitmap.

Triggers keep the array equal to the person ids of the article's speeches,
whoever changes them (loaders, editors merging people or moving a speech):
after links between speeches and articles are added or removed (statement
level, with transition tables, so a COPY of thousands of links is one
update), after a speech changes person, and on any update of an article (so
a form loaded earlier cannot write back a stale list). An article whose array is
already right is not rewritten: the loaders fill it in when they create the
article, because rewriting a row costs as much as writing its search index
entries again.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

FUNCTIONS = """
CREATE OR REPLACE FUNCTION archive_article_speakers(article_id bigint) RETURNS bigint[]
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
    SELECT ARRAY(
        SELECT DISTINCT speech.person_id
        FROM articles_speech_articles link JOIN articles_speech speech ON speech.id = link.speech_id
        WHERE link.article_id = $1 ORDER BY speech.person_id
    )
$$;

CREATE OR REPLACE FUNCTION archive_refresh_article_speakers(article_ids bigint[]) RETURNS void
LANGUAGE sql SET search_path FROM CURRENT AS $$
    -- A join on unnest(), not "id = ANY(article_ids)": in a function the array is a parameter of unknown
    -- size, and PostgreSQL planned that as a scan of every article (seconds per load chunk at a million).
    UPDATE articles_article a SET speaker_ids = archive_article_speakers(a.id)
    FROM unnest(article_ids) AS changed(id)
    WHERE a.id = changed.id AND a.speaker_ids IS DISTINCT FROM archive_article_speakers(a.id)
$$;

-- Any other update of an article (an editor's save of a form loaded earlier) cannot write a stale list.
CREATE OR REPLACE FUNCTION archive_article_speakers_current() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    NEW.speaker_ids := archive_article_speakers(NEW.id);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION archive_speech_links_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM archive_refresh_article_speakers(ARRAY(SELECT DISTINCT article_id FROM new_links));
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM archive_refresh_article_speakers(ARRAY(SELECT DISTINCT article_id FROM old_links));
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION archive_speech_person_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM archive_refresh_article_speakers(
        ARRAY(SELECT article_id FROM articles_speech_articles WHERE speech_id = NEW.id)
    );
    RETURN NULL;
END $$;

CREATE TRIGGER speech_links_added AFTER INSERT ON articles_speech_articles
    REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION archive_speech_links_changed();
CREATE TRIGGER speech_links_removed AFTER DELETE ON articles_speech_articles
    REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION archive_speech_links_changed();
CREATE TRIGGER speech_links_changed AFTER UPDATE ON articles_speech_articles
    REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION archive_speech_links_changed();
CREATE TRIGGER article_speakers_current BEFORE UPDATE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION archive_article_speakers_current();
CREATE TRIGGER speech_person_changed AFTER UPDATE OF person_id ON articles_speech
    FOR EACH ROW WHEN (OLD.person_id IS DISTINCT FROM NEW.person_id)
    EXECUTE FUNCTION archive_speech_person_changed();

SELECT archive_refresh_article_speakers(ARRAY(SELECT DISTINCT article_id FROM articles_speech_articles));
"""

REVERSE = """
DROP TRIGGER IF EXISTS speech_person_changed ON articles_speech;
DROP TRIGGER IF EXISTS article_speakers_current ON articles_article;
DROP TRIGGER IF EXISTS speech_links_changed ON articles_speech_articles;
DROP TRIGGER IF EXISTS speech_links_removed ON articles_speech_articles;
DROP TRIGGER IF EXISTS speech_links_added ON articles_speech_articles;
DROP FUNCTION IF EXISTS archive_speech_person_changed();
DROP FUNCTION IF EXISTS archive_speech_links_changed();
DROP FUNCTION IF EXISTS archive_refresh_article_speakers(bigint[]);
DROP FUNCTION IF EXISTS archive_article_speakers_current();
DROP FUNCTION IF EXISTS archive_article_speakers(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_date_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="speaker_ids",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(), blank=True, default=list, editable=False, size=None
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(fields=["speaker_ids"], name="article_speakers_idx"),
        ),
        migrations.RunSQL(FUNCTIONS, REVERSE),
    ]
