"""The archive's records: who said what, when, at which event, reported where.

Rows are written by `articles.loading` (from `articles.extraction`) and
corrected by editors in the admin. Every editable record keeps `edited_fields`:
the names of the fields an editor changed, which a later ingest never
overwrites.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

# History keeps who changed what, when, before and after. Generated search
# vectors are derived, and raw text never changes for a given file: not copied.
NOT_IN_HISTORY = ["search_exact", "search_folded"]

FOLDED_CONFIG = "archive_folded"  # simple + unaccent (migration 0003)
EXACT_CONFIG = "simple"


def search_words(field: str) -> models.Func:
    """The column with ASCII punctuation read as spaces (archive_words, migration 0022): its words
    split as a query's are (articles.search.WORD). PostgreSQL's parser keeps "COVID-19" as "covid"
    and "-19", "18/12" and "1.000" whole, and "Rịa-Vũng" as a compound ahead of its parts, so none
    of them matched the same words typed in a query."""
    return models.Func(models.F(field), function="archive_words", output_field=models.TextField())


def search_text(field: str) -> models.Func:
    """The column as the accent-sensitive index reads it (lower case, one tone convention)."""
    return models.Func(search_words(field), function="archive_search_text", output_field=models.TextField())


def search_vector(fields: dict[str, str], *, exact: bool) -> models.GeneratedField:
    """A stored tsvector over `fields` ({name: weight}), kept current by PostgreSQL."""
    verbose_name = _("search words (with diacritics)") if exact else _("search words (without diacritics)")
    parts = [
        SearchVector(
            search_text(name) if exact else search_words(name),
            config=EXACT_CONFIG if exact else FOLDED_CONFIG,
            weight=w,
        )
        for name, w in fields.items()
    ]
    expression = parts[0]
    for part in parts[1:]:
        expression = expression + part
    return models.GeneratedField(
        expression=expression, output_field=SearchVectorField(), db_persist=True, verbose_name=verbose_name
    )


# The folded index keys the speakers through a function that returns its argument: were both text
# indexes keyed on the bare column, PostgreSQL could take the *other* index for the speaker alone and
# test the words row by row, the slow plan the key exists to avoid (migration 0014).
FOLDED_SPEAKERS = models.Func(
    models.F("speaker_ids"), function="archive_folded_speakers", output_field=ArrayField(models.BigIntegerField())
)
# A quote's speaker keys the quotes' text indexes the same way (migration 0024), as a one-element
# array: an array key needs no btree_gin extension, and `ARRAY[person_id] && ids` is a condition only
# that index serves, so PostgreSQL cannot AND the speaker's btree index with the words instead (it did
# for `person_id = 128`, and read every match of a common word in 2.2 million quotes).
QUOTE_SPEAKER = models.Func(
    models.F("person_id"), template="ARRAY[%(expressions)s]", output_field=ArrayField(models.BigIntegerField())
)
FOLDED_QUOTE_SPEAKER = models.Func(
    QUOTE_SPEAKER, function="archive_folded_speakers", output_field=ArrayField(models.BigIntegerField())
)
# A record's year as a one-element array, the third key of the articles' and the quotes' text indexes
# (migration 0025): a year filter and the words are intersected inside one index scan, not the words'
# entries for the whole archive ANDed with the year's dates. Written only by statements that do not
# walk the dates (a date range does), never next to the range: PostgreSQL would multiply the two as if
# independent.
RECORD_YEAR = models.Func(
    models.F("date"),
    template="ARRAY[date_part('year', %(expressions)s)::integer]",
    output_field=ArrayField(models.IntegerField()),
)
FOLDED_RECORD_YEAR = models.Func(
    RECORD_YEAR, function="archive_folded_years", output_field=ArrayField(models.IntegerField())
)


class EditableRecord(models.Model):
    """A record an editor may correct; their corrections outrank the machine's."""

    edited_fields = ArrayField(
        models.CharField(max_length=64),
        default=list,
        blank=True,
        verbose_name=_("edited fields"),
        help_text=_("Fields corrected by an editor; ingest leaves them alone."),
    )

    class Meta:
        abstract = True


class Source(models.Model):
    """The outlet that published an article (HNMO, TTV, VOV, Cổng TTĐT Chính phủ…)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:source", kwargs={"slug": self.slug})


def count_per_row(related: models.QuerySet, field: str) -> Coalesce:
    """How many `related` rows point at the outer row through `field` (0 for none), as a subquery:
    evaluated only for the rows a page lists, and never a join that multiplies them."""
    rows = related.filter(**{field: models.OuterRef("pk")}).order_by().values(field)
    count = models.Subquery(rows.annotate(n=models.Count("pk")).values("n"), output_field=models.IntegerField())
    return Coalesce(count, 0)


class EventQuerySet(models.QuerySet):
    def with_article_count(self):
        """`article_count` per event: Count("articles") grouped all 142,000 events of a million articles
        before the page took its 50."""
        return self.annotate(article_count=count_per_row(Article.objects, "event"))


class Event(EditableRecord):
    """A real-world occasion, possibly reported by several articles."""

    class Kind(models.TextChoices):
        YEAR_END_REVIEW = "year_end_review", _("year-end review conference")
        TRAINING = "training", _("training conference")
        ANNIVERSARY = "anniversary", _("anniversary")
        INAUGURATION = "inauguration", _("inauguration")
        GOVERNMENT_MEETING = "government_meeting", _("government meeting")
        PARLIAMENT_SESSION = "parliament_session", _("National Assembly session")
        SIGNING = "signing", _("signing ceremony")
        CONFERENCE = "conference", _("conference")
        OTHER = "other", _("event")

    name = models.CharField(_("name"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    reviews_year = models.PositiveSmallIntegerField(
        _("year reviewed"), null=True, blank=True, help_text=_("The year a year-end review looks back on.")
    )
    # Stable identity for matching articles to the same occasion across ingests.
    key = models.CharField(_("key"), max_length=300, unique=True)
    # Keys of events an editor merged into this one: ingest finds them here.
    merged_keys = ArrayField(
        models.CharField(max_length=300), default=list, blank=True, verbose_name=_("keys of merged events")
    )
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "name"]
        indexes = [models.Index(fields=["date"], name="event_date_idx")]
        verbose_name = pgettext_lazy("archive record", "event")
        verbose_name_plural = _("events")

    def __str__(self):
        return f"{self.name} ({self.date:%d/%m/%Y})" if self.date else self.name

    def get_absolute_url(self):
        return reverse("articles:event", kwargs={"slug": self.slug})

    def series(self) -> list["Event"]:
        """The same kind of occasion by the same organiser in other years (review 2019 → 2020 → 2022)."""
        from articles.extraction.events import organisation_key

        if not self.organiser or self.kind == self.Kind.OTHER:
            return []
        key = organisation_key(self.organiser)
        # The machine's key ends with the organiser's key (articles.loading.event_key): a prefilter in SQL
        # instead of folding every event of the kind in Python (30,000 at a million articles, 0.3 s);
        # an organiser an editor changed is checked whatever the key says.
        candidates = models.Q(key__endswith=f":{key}") | models.Q(edited_fields__contains=["organiser"])
        siblings = (
            Event.objects.filter(candidates, kind=self.kind, date__isnull=False).exclude(pk=self.pk).order_by("date")
        )
        return [event for event in siblings if organisation_key(event.organiser) == key]


class PersonQuerySet(models.QuerySet):
    def speakers(self):
        """People who spoke at an event (an EXISTS test: a join would repeat a person per speech)."""
        return self.filter(models.Exists(Speech.objects.filter(person=models.OuterRef("pk"))))

    def with_quote_count(self):
        """`quote_count` per person, counted from the quotes' person index one person at a time.

        Count("quotes") joined to another relation (speeches) multiplies rows: 99,000 quotes times
        36,000 speeches for one speaker at a million articles, a statement that never ends.
        """
        return self.annotate(quote_count=count_per_row(Quote.objects, "person"))


class Person(EditableRecord):
    """A speaker. One record per real person, holding all their roles."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True, verbose_name=_("other names"))
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:person", kwargs={"slug": self.slug})


class PersonRedirect(models.Model):
    """The slug of a person merged into another: its URL keeps working."""

    old_slug = models.SlugField(_("old slug"), max_length=200, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("person"))

    class Meta:
        verbose_name = _("redirect of a merged person")
        verbose_name_plural = _("redirects of merged people")

    def __str__(self):
        return f"{self.old_slug} → {self.person.slug}"


class Role(models.Model):
    """A title a person held, with the span of dates on which the archive saw it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles", verbose_name=_("person"))
    title = models.CharField(
        pgettext_lazy("a role's", "title"), max_length=200, help_text=_("e.g. Thủ tướng, Phó Thủ tướng, Bộ trưởng")
    )
    organisation = models.CharField(
        _("organisation"), max_length=300, blank=True, help_text=_("e.g. Bộ TT&TT, Chính phủ")
    )
    first_seen = models.DateField(_("first seen"), null=True, blank=True)
    last_seen = models.DateField(_("last seen"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "first_seen", "title"]
        constraints = [
            models.UniqueConstraint(fields=["person", "title", "organisation"], name="role_unique_per_person"),
        ]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return self.label(self.title, self.organisation)

    @staticmethod
    def label(title: str, organisation: str) -> str:
        """How a role reads ("Bộ trưởng TT&TT"), also for rows read as plain values (articles.exports)."""
        return " ".join(part for part in (title, organisation) if part)


class SyllablePairs(models.Func):
    """A tsvector of the runs of two adjacent words ("a b") of the search vector `expressions[0]`,
    without positions (archive_syllable_pairs, migration 0032).

    The articles and quotes index it over their folded vector (not stored: an expression index).
    Syllables typed together are read as one word, a phrase, and the phrase operator must read the
    word positions of every record holding all its syllables: 100,000-200,000 records for common
    syllables rarely side by side at a million articles. A record holds the phrase only if it holds
    each of the phrase's pairs, so the pairs' index narrows those to about the phrase's matches first,
    for accented queries too (a pair with marks folds to its folded pair)."""

    function = "archive_syllable_pairs"
    output_field = SearchVectorField()


class Article(EditableRecord):
    """One scraped news text: the raw text verbatim, plus what was extracted from it."""

    class Language(models.TextChoices):
        VIETNAMESE = "vi", _("Vietnamese")

    file_name = models.CharField(
        _("file name"),
        max_length=255,
        unique=True,
        help_text=_("The file's path below the folder ingested (its name when given alone): the stable key."),
    )
    source_path = models.CharField(
        _("path read from"),
        max_length=1024,
        blank=True,
        db_default="",
        editable=False,
        help_text=_("Where the file was last read from: a different file under the same key is refused, not stored."),
    )
    content_hash = models.CharField(
        _("content hash"), max_length=64, db_index=True, help_text=_("SHA-256 of the raw bytes.")
    )
    raw_text = models.TextField(_("raw text"), help_text=_("The file's text exactly as ingested."))
    title = models.CharField(_("title"), max_length=500)
    title_derived = models.BooleanField(
        _("title added by the archive"),
        default=False,
        help_text=_("No headline in the text: derived by the machine."),
    )
    lede = models.TextField(_("lede"), blank=True)
    body = models.TextField(_("body"), help_text=_("Cleaned text; quote spans point into it."))
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Empty when the text does not say."))
    date_evidence = models.CharField(
        _("date evidence"), max_length=300, blank=True, help_text=_("How the date was inferred.")
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.VIETNAMESE)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles", verbose_name=_("source")
    )
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=pgettext_lazy("archive record", "event"),
    )
    speakers_text = models.TextField(_("speakers' names"), blank=True, help_text=_("Speakers' names, for search."))
    # Who speaks in the article (person ids of its speeches), kept by the database (triggers of
    # migration 0013), so the speaker filter is a key of the text indexes.
    speaker_ids = ArrayField(
        models.BigIntegerField(), default=list, blank=True, editable=False, verbose_name=_("speakers' ids")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Search: title above lede and speakers, above body. "exact" keeps diacritics
    # (tone marks in one convention); "folded" has none (unaccent).
    ARTICLE_WEIGHTS = {"title": "A", "lede": "B", "speakers_text": "B", "body": "C"}
    # Kept in the row with the short columns (STORAGE MAIN, migration 0026): ranking and the phrase
    # check read it for every candidate. A migration that re-adds either column resets its storage.
    search_exact = search_vector(ARTICLE_WEIGHTS, exact=True)
    search_folded = search_vector(ARTICLE_WEIGHTS, exact=False)
    history = HistoricalRecords(excluded_fields=[*NOT_IN_HISTORY, "raw_text", "speaker_ids"])

    class Meta:
        ordering = ["-date", "title"]
        indexes = [
            models.Index(fields=["date"], name="article_date_idx"),
            # The speakers ride in the text indexes (migration 0014): a word and a speaker are
            # intersected inside one index scan, and no row is read only to be thrown away. So does
            # the year (RECORD_YEAR, migration 0025).
            GinIndex(models.F("search_exact"), models.F("speaker_ids"), RECORD_YEAR, name="article_search_exact_idx"),
            GinIndex(models.F("search_folded"), FOLDED_SPEAKERS, FOLDED_RECORD_YEAR, name="article_search_folded_idx"),
            GinIndex(SyllablePairs("search_folded"), name="article_pairs_gin"),
        ]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article", kwargs={"pk": self.pk})


class PhraseKeys(models.Func):
    """A tsvector of the words of the search vector `expressions[0]` and its runs of two and three
    adjacent words as "a b" and "a b c", without positions (archive_phrase_keys, migration 0021).

    The sample tables index it (not stored: an expression index). A query of words and phrases of up
    to three words is then answered by that index alone, where the phrase operator reads the
    positions of every candidate's words."""

    function = "archive_phrase_keys"
    output_field = SearchVectorField()


class ArticleSample(models.Model):
    """Every hundredth article (id divisible by 100) as search estimates read it: its date, event,
    source, speakers and search vectors, kept by PostgreSQL (triggers of migration 0015).

    Counts and facets of a search with many matches come from this 1% sample. Read from the
    articles table, every sampled match cost a visit to its own heap page among a gigabyte of
    articles (53 ms for a common word's 8,000 sampled matches at a million articles); this table's
    rows lie together in a megabyte, and its own text indexes answer in a few milliseconds.
    """

    EVERY = 100

    id = models.BigIntegerField(_("article id"), primary_key=True)  # the article's, not a foreign key: triggers keep it
    date = models.DateField(_("date"), null=True)
    event_id = models.BigIntegerField(_("event id"), null=True)
    source_id = models.BigIntegerField(_("source id"), null=True)
    speaker_ids = ArrayField(models.BigIntegerField(), default=list, verbose_name=_("speakers' ids"))
    search_exact = SearchVectorField(_("search words (with diacritics)"))
    search_folded = SearchVectorField(_("search words (without diacritics)"))

    class Meta:
        indexes = [
            GinIndex(fields=["search_exact"], name="article_sample_exact_gin"),
            GinIndex(fields=["search_folded"], name="article_sample_folded_gin"),
            GinIndex(PhraseKeys("search_exact"), name="article_sample_phrases_gin"),
            GinIndex(PhraseKeys("search_folded"), name="article_sample_fphrases_gin"),
        ]
        verbose_name = _("sampled article")
        verbose_name_plural = _("sampled articles")

    def __str__(self):
        return f"sample of article {self.id}"


class QuoteSample(models.Model):
    """Every hundredth quote (id divisible by 100) as search estimates read it: its date, speaker,
    event, the sources of the articles carrying it, and its search vectors, kept by PostgreSQL
    (triggers of migration 0019).

    The quotes' counts and facets for many matches come from it. Read from the quotes table through
    partial indexes, each sampled match cost a visit to its own page among 3.5 GB of quotes, and
    its sources a look-up of its articles (107 ms of the facets' statement for a common phrase's
    6,900 sampled quotes at a million articles).
    """

    EVERY = 100

    id = models.BigIntegerField(_("quote id"), primary_key=True)  # the quote's, not a foreign key: triggers keep it
    date = models.DateField(_("date"), null=True)
    person_id = models.BigIntegerField(_("speaker id"), null=True)
    event_id = models.BigIntegerField(_("event id"), null=True)
    source_ids = ArrayField(models.BigIntegerField(), default=list, verbose_name=_("source ids"))
    search_exact = SearchVectorField(_("search words (with diacritics)"))
    search_folded = SearchVectorField(_("search words (without diacritics)"))

    class Meta:
        indexes = [
            GinIndex(fields=["search_exact"], name="quote_sample_exact_gin"),
            GinIndex(fields=["search_folded"], name="quote_sample_folded_gin"),
            GinIndex(PhraseKeys("search_exact"), name="quote_sample_phrases_gin"),
            GinIndex(PhraseKeys("search_folded"), name="quote_sample_fphrases_gin"),
            models.Index(fields=["person_id"], name="quote_sample_person_idx"),
        ]
        verbose_name = _("sampled quote")
        verbose_name_plural = _("sampled quotes")

    def __str__(self):
        return f"sample of quote {self.id}"


class Speech(models.Model):
    """A person's address at an event, reported directly or indirectly by articles."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="speeches", verbose_name=_("speaker"))
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="speeches",
        verbose_name=pgettext_lazy("archive record", "event"),
    )
    role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="speeches", verbose_name=_("role")
    )
    articles = models.ManyToManyField(Article, related_name="speeches", verbose_name=_("articles"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "event"], condition=models.Q(event__isnull=False), name="speech_unique_per_event"
            )
        ]
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")

    def __str__(self):
        return f"{self.person} — {self.event}"


class Quote(EditableRecord):
    """Words a person said, once, however many articles carry them."""

    class ReviewStatus(models.TextChoices):
        MACHINE = "machine", _("extracted by machine")
        REVIEWED = "reviewed", _("reviewed by an editor")

    text = models.TextField(_("text"), help_text=_("The words as first printed."))
    key = models.CharField(
        _("key"), max_length=64, unique=True, help_text=_("Hash of the normalised text: merges exact repeats.")
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes", verbose_name=_("speaker")
    )
    role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes", verbose_name=_("role")
    )
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
        verbose_name=pgettext_lazy("archive record", "event"),
    )
    speech = models.ForeignKey(
        Speech, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes", verbose_name=_("speech")
    )
    direct = models.BooleanField(_("direct"), default=True, help_text=_("In quotation marks (else reported speech)."))
    method = models.CharField(_("extraction rule"), max_length=64, help_text=_("The extraction rule that found it."))
    confidence = models.FloatField(_("confidence"))
    suggested_speaker = models.CharField(
        _("suggested speaker"),
        max_length=200,
        blank=True,
        help_text=_(
            "A speaker the extractor guessed but did not claim, for editors to confirm or reject; never shown."
        ),
    )
    review_status = models.CharField(
        _("review status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.MACHINE
    )
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Date of the earliest article carrying it."))

    search_exact = search_vector({"text": "A"}, exact=True)
    search_folded = search_vector({"text": "A"}, exact=False)
    history = HistoricalRecords(excluded_fields=NOT_IN_HISTORY)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["date"], name="quote_date_idx"),
            # The admin's filter by extraction rule lists the rules from this index (a handful of values
            # among 2.2 million quotes: one probe each, not a scan; articles.admin.MethodFilter).
            models.Index(fields=["method"], name="quote_method_idx"),
            # A speaker's page lists their quotes newest first, a page at a time (99,000 for one
            # speaker at a million articles): walked in this index, not sorted on every page.
            models.Index("person", models.F("date").desc(nulls_last=True), "id", name="quote_person_newest_idx"),
            # The speaker and the year ride in the text indexes, as for articles (QUOTE_SPEAKER,
            # migration 0024; RECORD_YEAR, migration 0025).
            GinIndex(models.F("search_exact"), QUOTE_SPEAKER, RECORD_YEAR, name="quote_search_exact_idx"),
            GinIndex(
                models.F("search_folded"), FOLDED_QUOTE_SPEAKER, FOLDED_RECORD_YEAR, name="quote_search_folded_idx"
            ),
            GinIndex(SyllablePairs("search_folded"), name="quote_pairs_gin"),
        ]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self):
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"

    def get_absolute_url(self):
        """A permalink that redirects to the quote's place in the first article carrying it."""
        return reverse("articles:quote", kwargs={"pk": self.pk})


class QuoteOccurrence(models.Model):
    """Where an article prints a quote: the exact character span in its cleaned body."""

    # Indexed with the article in the index itself (below), not by the usual foreign-key index.
    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, related_name="occurrences", db_index=False, verbose_name=_("quote")
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="quote_occurrences", verbose_name=_("article")
    )
    start = models.PositiveIntegerField(_("start"), help_text=_("Where the quote begins in the article's body."))
    end = models.PositiveIntegerField(_("end"), help_text=_("Where the quote ends in the article's body."))
    text = models.TextField(_("text"), help_text=_("The words exactly as this article prints them."))
    # Per article: one outlet may quote a statement in quotation marks that another reports in its own words
    # (the loader makes them one quote, articles.loading._carried).
    direct = models.BooleanField(
        _("direct"), default=True, db_default=True, help_text=_("In quotation marks in this article; else reported.")
    )

    class Meta:
        ordering = ["article", "start"]
        indexes = [
            # A quote's articles from the index alone (an index-only scan): the quote search's source
            # facet looks up the articles of each of thousands of sampled quotes, and each visit to
            # this gigabyte-sized table (it keeps every occurrence's text) was a page read of its own.
            models.Index(fields=["quote"], include=["article"], name="occurrence_quote_articles_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["article", "start"], name="occurrence_unique_span"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="occurrence_span_not_empty"),
        ]
        verbose_name = _("quote in an article")
        verbose_name_plural = _("quotes in articles")

    def __str__(self):
        return f"{self.quote} @ {self.article_id}:{self.start}-{self.end}"


class QuoteToReview(Quote):
    """The editors' work queue: quotes the machine extracted and nobody has checked."""

    class Meta:
        proxy = True
        verbose_name = _("quote to review")
        verbose_name_plural = _("work queue: quotes to review")


class UndatedArticle(Article):
    """The editors' work queue: articles whose date the text did not give."""

    class Meta:
        proxy = True
        verbose_name = _("article without a date")
        verbose_name_plural = _("work queue: articles without a date")


class RateCounter(models.Model):
    """A client address's requests to one scope (search, API) in the current minute, counted by
    articles.middleware.RateLimitMiddleware in one upsert. UNLOGGED (migration 0020): a counter lost
    in a crash costs nothing, and its commit does not wait for the disk."""

    client = models.CharField(_("client address"), max_length=64)
    scope = models.CharField(_("scope"), max_length=16)
    minute = models.BigIntegerField(_("minute"), help_text=_("Minutes since the epoch."))
    hits = models.IntegerField(_("requests"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "scope"], name="rate_counter_client_scope")]
        verbose_name = _("request counter")
        verbose_name_plural = _("request counters")

    def __str__(self):
        return f"{self.client} {self.scope}: {self.hits}"
