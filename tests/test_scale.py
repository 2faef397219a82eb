"""The synthetic corpus, the COPY path, and search when matches are too many to read."""

import datetime
import random
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from articles import overview, planner
from articles import search as engine
from articles.extraction import extract_article
from articles.extraction.normalize import fold
from articles.models import (
    Article,
    ArticleSample,
    Event,
    Person,
    Quote,
    QuoteOccurrence,
    QuoteSample,
    Role,
    Source,
    Speech,
)
from articles.synthetic import FIRST_YEAR, LAST_YEAR, CorpusGenerator


def _records(article):
    return (
        article.title,
        article.date,
        article.source,
        article.event,
        sorted((s.name, s.title, s.organisation) for s in article.speakers),
        [(q.text, q.speaker, q.direct, q.start, q.end) for q in article.quotes],
        article.body,
    )


def test_generated_records_are_what_extraction_reads_from_the_generated_text():
    generator = CorpusGenerator(3)
    for article in generator.articles(150):
        assert _records(extract_article(article.raw_text, file_name=article.file_name)) == _records(article)


def test_generated_corpus_spreads_over_years_speakers_and_prime_ministers():
    articles = list(CorpusGenerator(4).articles(600))
    years = {a.date.year for a in articles}
    assert min(years) == FIRST_YEAR
    assert max(years) == LAST_YEAR
    assert len({s.name for a in articles for s in a.speakers}) > 200
    prime_ministers = {
        (a.date.year, s.name) for a in articles for s in a.speakers if s.title == "Thủ tướng" and not s.organisation
    }
    assert {name for year, name in prime_ministers if year == 2003} <= {"Phan Văn Khải"}
    assert {name for year, name in prime_ministers if year == 2023} <= {"Phạm Minh Chính"}
    assert len({a.event for a in articles}) < len(articles)  # several articles report one occasion


def _snapshot():
    articles = {
        a.file_name: (a.title, a.date, a.source.name if a.source else None, a.event.key if a.event else None, a.body)
        for a in Article.objects.select_related("source", "event")
    }
    quotes = sorted(
        (o.article.file_name, o.start, o.end, o.quote.text, o.quote.person.name if o.quote.person else None)
        for o in QuoteOccurrence.objects.select_related("article", "quote__person")
    )
    speeches = sorted(
        (s.person.name, s.event.key, a.file_name)
        for s in Speech.objects.select_related("person", "event")
        for a in s.articles.all()
    )
    roles = sorted((r.person.name, r.title, r.organisation, r.first_seen, r.last_seen) for r in Role.objects.all())
    return articles, quotes, speeches, roles


def _sampled(pk):
    row = ArticleSample.objects.filter(pk=pk).values("date", "event_id", "source_id", "speaker_ids").first()
    return row and {**row, "speaker_ids": sorted(row["speaker_ids"])}


def _as_sampled(article):
    article.refresh_from_db()
    return {
        "date": article.date,
        "event_id": article.event_id,
        "source_id": article.source_id,
        "speaker_ids": sorted(article.speaker_ids),
    }


@pytest.mark.django_db(transaction=True)
def test_the_sample_table_follows_every_hundredth_article_through_loads_edits_and_deletes():
    call_command("generate_corpus", 210, seed=9, stdout=StringIO())
    kept, dropped = sampled = sorted(pk for pk in Article.objects.values_list("pk", flat=True) if pk % 100 == 0)[:2]
    assert sorted(ArticleSample.objects.values_list("pk", flat=True))[:2] == sampled
    article = Article.objects.get(pk=kept)
    assert _sampled(kept) == _as_sampled(article)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article a JOIN articles_articlesample s USING (id) "
            "WHERE a.search_exact = s.search_exact AND a.search_folded = s.search_folded"
        )
        assert cursor.fetchone()[0] == ArticleSample.objects.count()

    # An editor's correction: date, event and title reach the sample (the title through its vectors).
    article.date, article.event, article.title = datetime.date(2001, 2, 3), Event.objects.last(), "Tiêu đề hiếm xyzzy"
    article.save()
    assert _sampled(kept) == _as_sampled(article)
    assert ArticleSample.objects.filter(pk=kept, search_folded=engine.SearchQuery("xyzzy", config="simple")).exists()
    # Speakers change through the speech links (migration 0013's triggers), and follow.
    speech = Speech.objects.filter(articles=article).first()
    speech.articles.remove(article)
    assert speech.person_id not in _sampled(kept)["speaker_ids"]
    assert _sampled(kept) == _as_sampled(article)

    Article.objects.filter(pk=dropped).delete()
    assert not ArticleSample.objects.filter(pk=dropped).exists()
    assert ArticleSample.objects.filter(pk=kept).exists()


def _quote_as_sampled(quote_id):
    quote = Quote.objects.get(pk=quote_id)
    sources = Article.objects.filter(quote_occurrences__quote=quote, source__isnull=False).values_list("source_id")
    return {
        "date": quote.date,
        "person_id": quote.person_id,
        "event_id": quote.event_id,
        "source_ids": sorted({source for (source,) in sources}),
    }


def _quote_sampled(quote_id):
    return QuoteSample.objects.filter(pk=quote_id).values("date", "person_id", "event_id", "source_ids").first()


@pytest.mark.django_db(transaction=True)
def test_the_quote_sample_follows_every_hundredth_quote_and_the_sources_of_its_articles():
    call_command("generate_corpus", 120, seed=9, stdout=StringIO())
    sampled = sorted(pk for pk in Quote.objects.values_list("pk", flat=True) if pk % 100 == 0)
    assert len(sampled) >= 2
    assert sorted(QuoteSample.objects.values_list("pk", flat=True)) == sampled
    for quote_id in sampled:
        assert _quote_sampled(quote_id) == _quote_as_sampled(quote_id)
    kept, dropped = sampled[:2]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_quote q JOIN articles_quotesample s USING (id) "
            "WHERE q.search_exact = s.search_exact AND q.search_folded = s.search_folded"
        )
        assert cursor.fetchone()[0] == len(sampled)

    # An editor gives the quote to someone else and corrects its wording: the sample follows.
    quote = Quote.objects.get(pk=kept)
    quote.person = Person.objects.exclude(pk=quote.person_id).first()
    quote.text = "Lời hiếm xyzzy"
    quote.save()
    assert _quote_sampled(kept) == _quote_as_sampled(kept)
    assert QuoteSample.objects.filter(pk=kept, search_folded=engine.SearchQuery("xyzzy", config="simple")).exists()
    # Its article moves to another source; it is carried by one more article, then by that one no more.
    article = Article.objects.filter(quote_occurrences__quote_id=kept).first()
    article.source = Source.objects.create(name="Nguồn mới", slug="nguon-moi")
    article.save()
    assert article.source_id in _quote_sampled(kept)["source_ids"]
    assert _quote_sampled(kept) == _quote_as_sampled(kept)
    elsewhere = Article.objects.exclude(source=article.source).exclude(source=None)
    other = elsewhere.exclude(quote_occurrences__quote_id=kept).first()
    added = QuoteOccurrence.objects.create(quote_id=kept, article=other, start=0, end=1)
    assert other.source_id in _quote_sampled(kept)["source_ids"]
    added.delete()
    assert _quote_sampled(kept) == _quote_as_sampled(kept)
    # A merge moves the other sampled quote's occurrences onto this one, then deletes it.
    QuoteOccurrence.objects.filter(quote_id=dropped).update(quote_id=kept)
    Quote.objects.filter(pk=dropped).delete()
    assert not QuoteSample.objects.filter(pk=dropped).exists()
    assert _quote_sampled(kept) == _quote_as_sampled(kept)


@pytest.mark.django_db(transaction=True)
def test_copy_path_and_ingest_path_store_the_same_records():
    call_command("generate_corpus", 120, seed=5, via="ingest", stdout=StringIO())
    through_ingest = _snapshot()
    call_command("flush", "--noinput", stdout=StringIO())
    out = StringIO()
    call_command("generate_corpus", 120, seed=5, via="copy", workers=2, chunk=25, stdout=out)
    assert "120 articles stored via copy" in out.getvalue()
    assert _snapshot() == through_ingest
    # Numbered articles: running again stores nothing twice.
    again = StringIO()
    call_command("generate_corpus", 120, seed=5, stdout=again)
    assert "0 articles stored" in again.getvalue()
    assert Article.objects.count() == 120
    assert Event.objects.count() < 120
    assert Person.objects.count() > 50
    assert Quote.objects.count() > 120


def _sample_every(n: int) -> None:
    """Fill both sample tables with every nth record, so a small corpus has a sample to estimate from."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_articlesample "
            "SELECT id, date, event_id, source_id, speaker_ids, search_exact, search_folded FROM articles_article "
            "WHERE mod(id, %s) = 0 ON CONFLICT (id) DO NOTHING",
            [n],
        )
        cursor.execute(
            "INSERT INTO articles_quotesample "
            "SELECT id, date, person_id, event_id, archive_quote_sources(id), search_exact, search_folded "
            "FROM articles_quote WHERE mod(id, %s) = 0 ON CONFLICT (id) DO NOTHING",
            [n],
        )


def _by_relevance(ids, words: str, phrase: str = "", *, folded: bool = False) -> list[int]:
    """`ids` ordered as relevance should order them, computed here in SQL of its own: ts_rank of the
    words, plus 1 where the phrase stands, ties newest first (on the folded vector for unaccented words)."""
    vector, config = ("search_folded", "archive_folded") if folded else ("search_exact", "simple")
    bonus = f"CASE WHEN {vector} @@ to_tsquery('{config}', %s) THEN 1 ELSE 0 END" if phrase else "0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM articles_article WHERE id = ANY(%s) ORDER BY "
            f"ts_rank({vector}, to_tsquery('{config}', %s)) + {bonus} DESC, date DESC NULLS LAST, id DESC",
            [list(ids), words, *([phrase] if phrase else [])],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_many_matches_are_estimated_labelled_and_ranked_among_the_newest(client, monkeypatch):
    call_command("generate_corpus", 400, seed=6, stdout=StringIO())
    monkeypatch.setattr(engine, "LARGE", 50)
    monkeypatch.setattr(engine, "RANK_WINDOW", 60)
    # A 10% sample, so 400 articles make one: the sample tables are filled here with every tenth.
    monkeypatch.setattr(engine, "SAMPLE_EVERY", 10)
    _sample_every(10)
    common = engine.SearchParams(q="hội nghị")
    results = engine.search(common)
    exact = Article.objects.filter(search_exact=engine.SearchQuery("'hội' & 'nghị'", search_type="raw")).count()
    assert results.approximate
    assert results.ranked_window == 60
    assert abs(results.count - exact) <= 0.35 * exact  # a 10% sample: near, and labelled as an estimate
    newest = list(
        Article.objects.filter(body__icontains="hội nghị").order_by("-date", "-pk").values_list("pk", flat=True)[:60]
    )
    shown = [a.pk for a in results.page.object_list]
    assert len(shown) == engine.PAGE_SIZE
    assert set(shown) <= set(newest)
    # Within the window, most relevant first: "hội nghị" together outranks the two words apart.
    window = Article.objects.filter(search_exact=engine.SearchQuery("'hội' & 'nghị'", search_type="raw"))
    window = list(window.order_by("-date", "-pk").values_list("pk", flat=True)[:60])
    relevance = _by_relevance(window, "'hội' & 'nghị'", "'hội' <-> 'nghị'")
    assert shown == relevance[:20]
    second = engine.search(engine.SearchParams(q="hội nghị", page=2))
    assert [a.pk for a in second.page.object_list] == relevance[20:40]
    # The sample's date bound on the candidates never changes the window, even when it is wrong.
    query, params = engine.parse_query("hội nghị"), engine.SearchParams(q="hội nghị")
    newest_date = Article.objects.get(pk=window[0]).date
    last_in_window = Article.objects.get(pk=window[-1]).date  # a right bound: read through the years' keys
    for since in (datetime.date(1990, 1, 1), newest_date, last_in_window):
        for keyed in (True, False):
            bound = engine._dated_since(Article, since, exact=True, keyed=keyed)
            assert engine._ranked_window(Article, query, {}, params, exact=True, bound=bound) == relevance
    assert engine._ranked_window(Article, query, {}, params, exact=True) == relevance
    # Not only through the retry without the bound: the bounded candidates are the window themselves.
    folded, folded_params = engine.parse_query("hoi nghi"), engine.SearchParams(q="hoi nghi")
    for words, words_params, exact in ((query, params, True), (folded, folded_params, False)):
        bounded = {"window": engine._dated_since(Article, last_in_window, exact=exact)}
        rows = engine._window_rows(Article, words, bounded, words_params, exact=exact)
        unbounded = engine._window_rows(Article, words, {}, words_params, exact=exact)
        assert sorted(rows) == sorted(unbounded)
    assert all("hội nghị" in a.body.lower() or "hội nghị" in a.title.lower() for a in results.page.object_list)
    html = client.get("/search/", {"q": "hội nghị"}).content.decode()
    assert "≈" in html
    assert "ước tính từ mẫu" in html
    api = client.get("/api/v1/search", {"q": "hội nghị"}).json()
    assert api["count_approximate"] is True
    assert api["ranked_among_newest"] == 60

    newest_first = engine.search(engine.SearchParams(q="hội nghị", sort="newest"))
    dates = [a.date for a in newest_first.page.object_list]
    assert dates == sorted(dates, reverse=True)
    assert newest_first.ranked_window == 0

    rare = engine.search(engine.SearchParams(q="Phan Văn Khải"))
    assert not rare.approximate
    assert rare.count == Article.objects.filter(speakers_text__contains="Phan Văn Khải").count()

    # A phrase with a speaker: the window is the speaker's newest records holding the phrase itself
    # (found through the phrase's words, then tested in date order), never the words apart.
    speaker = Person.objects.annotate(articles=Count("speeches__articles")).order_by("-articles").first()
    monkeypatch.setattr(engine, "LARGE", 5)
    for q, absent in (('"hội nghị"', None), ('"hội nghị" -"chuyển đổi"', "chuyển đổi")):
        phrased = engine.search(engine.SearchParams(q=q, speakers=[speaker.slug]))
        holding = Article.objects.filter(
            search_exact=engine.SearchQuery(engine.tsquery(engine.parse_query(q), exact=True), search_type="raw"),
            speaker_ids__contains=[speaker.pk],
        )
        assert phrased.approximate or absent  # the negated phrase may leave too few to estimate
        if phrased.approximate:
            newest = list(holding.order_by("-date", "-pk").values_list("pk", flat=True)[:60])
            assert phrased.ranked_window == 60
            query = engine.tsquery(engine.parse_query(q), exact=True)
            assert [a.pk for a in phrased.page.object_list] == _by_relevance(newest, query)[:20]
        assert phrased.page.object_list
        for article in phrased.page.object_list:
            assert speaker.pk in article.speaker_ids
            assert "hội nghị" in f"{article.title} {article.body}".lower()
            assert absent is None or absent not in f"{article.title} {article.body}".lower()

    _an_unaccented_query_past_its_limit_is_counted_exactly_and_ranked_among_the_newest(client, monkeypatch)
    _a_year_of_few_matches_is_counted_with_its_page(monkeypatch)
    _a_speakers_quotes_are_found_in_the_text_index(monkeypatch)
    _a_year_is_a_key_of_the_text_index(monkeypatch)
    _a_dense_year_is_walked_to_the_same_window(monkeypatch)


def _an_unaccented_query_past_its_limit_is_counted_exactly_and_ranked_among_the_newest(client, monkeypatch):
    """Ranking an unaccented query's matches reads their folded vectors from TOAST: past
    FOLDED_RANKED_IN_FULL they are still counted exactly, but ranked among the newest, and the page
    says so; the same words with their diacritics are ranked in full."""
    monkeypatch.setattr(engine, "LARGE", 100_000)
    monkeypatch.setattr(engine, "FOLDED_RANKED_IN_FULL", 50)
    words, phrase = "'hoi' & 'nghi'", "'hoi' <-> 'nghi'"
    matching = Article.objects.filter(
        search_folded=engine.SearchQuery(words, search_type="raw", config="archive_folded")
    )
    assert matching.count() > 60
    results = engine.search(engine.SearchParams(q="hoi nghi"))
    assert not results.approximate
    assert results.count == matching.count()
    assert results.ranked_window == 60
    newest = list(matching.order_by("-date", "-pk").values_list("pk", flat=True)[:60])
    assert [a.pk for a in results.page.object_list] == _by_relevance(newest, words, phrase, folded=True)[:20]
    html = client.get("/search/", {"q": "hoi nghi"}).content.decode()
    assert f"{matching.count()} bài viết" in html  # the exact count, no "≈"
    assert "trong 60 kết quả mới nhất" in html
    assert "ước tính từ mẫu" not in html
    accented = engine.search(engine.SearchParams(q="hội nghị"))
    assert not accented.approximate
    assert accented.ranked_window == 0
    # Estimated past the limit but fewer than the window: every match was ranked, nothing to say.
    monkeypatch.setattr(engine, "FOLDED_RANKED_IN_FULL", 0)
    windows = []
    ranked_window = engine._ranked_window
    monkeypatch.setattr(engine, "_ranked_window", lambda *a, **k: windows.append(1) or ranked_window(*a, **k))
    few = engine.search(engine.SearchParams(q="Phan Van Khai"))
    assert windows  # ranked through the window
    assert 0 < few.count <= 60
    assert few.ranked_window == 0


def _a_year_of_few_matches_is_counted_with_its_page(monkeypatch):
    """Many matches in all, few in the year asked for: the year's count is exact, and every page of
    them holds the right ones in relevance order, a page past the end the last one."""
    monkeypatch.setattr(engine, "LARGE", 50)
    words, phrase = "'hội' & 'nghị'", "'hội' <-> 'nghị'"
    matching = Article.objects.filter(search_exact=engine.SearchQuery(words, search_type="raw"))
    year = matching.values("date__year").annotate(n=Count("pk")).order_by("-n").first()["date__year"]
    in_year = list(matching.filter(date__year=year).values_list("pk", flat=True))
    assert matching.count() > 50
    assert 6 < len(in_year) <= 50
    relevance = _by_relevance(in_year, words, phrase)
    with monkeypatch.context() as patch:
        patch.setattr(engine, "PAGE_SIZE", 3)
        for page in (1, 2):
            results = engine.search(engine.SearchParams(q="hội nghị", years=[year], page=page))
            assert (results.count, results.approximate) == (len(in_year), False)
            # The facets are the sample's estimates, but the chosen year is counted as the page is.
            chosen = [v for v in results.facets["year"].values if v["selected"]]
            assert [(v["count"], v["approximate"]) for v in chosen] == [(len(in_year), False)]
            assert all(v["approximate"] for v in results.facets["year"].values if not v["selected"])
            assert [a.pk for a in results.page.object_list] == relevance[(page - 1) * 3 : page * 3]
        past_the_end = engine.search(engine.SearchParams(q="hội nghị", years=[year], page=99))
    assert past_the_end.count == len(in_year)
    assert [a.pk for a in past_the_end.page.object_list] == relevance[-(len(in_year) % 3 or 3) :]


def _a_speakers_quotes_are_found_in_the_text_index(monkeypatch):
    """A word common in quotes and one speaker: the quote tab and the articles tab's quote count show
    exactly that speaker's quotes holding the word, with and without diacritics, and the speaker is a
    condition of the text index itself (migration 0024), not a second index ANDed with the word's
    whole list of matches, or the speaker's quotes tested one by one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM ts_stat('SELECT search_exact FROM articles_quotesample') ORDER BY ndoc DESC")
        word = cursor.fetchone()[0]
    speaker = Person.objects.annotate(n=Count("quotes")).order_by("-n").first()
    monkeypatch.setattr(engine, "LARGE", 5_000)  # exact counts, to compare with the speaker's quotes
    exact = {"search_exact": engine.SearchQuery(f"'{word}'", search_type="raw", config="simple")}
    folded = {"search_folded": engine.SearchQuery(f"'{fold(word)}'", search_type="raw", config="archive_folded")}
    for q, vector, index in ((word, exact, "quote_search_exact_idx"), (fold(word), folded, "quote_search_folded_idx")):
        holding = set(Quote.objects.filter(person=speaker, **vector).values_list("pk", flat=True))
        assert holding
        quotes = engine.search(engine.SearchParams(q=q, speakers=[speaker.slug], type="quote"))
        assert (quotes.count, quotes.approximate) == (len(holding), False)
        assert {quote.pk for quote in quotes.page.object_list} <= holding
        articles_tab = engine.search(engine.SearchParams(q=q, speakers=[speaker.slug]))
        assert (articles_tab.other_count, articles_tab.other_approximate) == (len(holding), False)

        params = engine.SearchParams(q=q, speakers=[speaker.slug])
        matching = engine._matching(Quote, engine.parse_query(q), exact=q == word)
        scans = _indexes_counting(engine._apply(matching, engine._filters(Quote, params, exact=q == word)))
        assert "ARRAY[person_id]" in scans.get(index, ""), scans
        assert "search_" in scans[index]


def _a_year_is_a_key_of_the_text_index(monkeypatch):
    """A year filter on words: the ranked page and the newest-first list of articles and of quotes
    hold the same matches as the year's dates do, with and without diacritics, and counting them
    goes through the year as a key of the text index itself (migration 0025), not the words'
    entries for the whole archive ANDed with the year's dates."""
    monkeypatch.setattr(engine, "LARGE", 5_000)  # exact counts
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM ts_stat('SELECT search_exact FROM articles_quotesample') ORDER BY ndoc DESC")
        word = cursor.fetchone()[0]  # the commonest in quotes
    for model, kind, words in ((Article, "article", ["hội", "nghị"]), (Quote, "quote", [word])):
        typed, unaccented = " ".join(words), " ".join(fold(w) for w in words)
        exact = {"search_exact": engine.SearchQuery(" & ".join(f"'{w}'" for w in words), search_type="raw")}
        folded = {
            "search_folded": engine.SearchQuery(
                " & ".join(f"'{fold(w)}'" for w in words), search_type="raw", config="archive_folded"
            )
        }
        busiest = model.objects.filter(**exact).exclude(date=None).values("date__year").annotate(n=Count("pk"))
        year = busiest.order_by("-n").first()["date__year"]
        for q, vector, column in ((typed, exact, "exact"), (unaccented, folded, "folded")):
            holding = set(model.objects.filter(date__year=year, **vector).values_list("pk", flat=True))
            assert holding
            for sort in ("relevance", "newest"):
                results = engine.search(engine.SearchParams(q=q, years=[year], sort=sort, type=kind))
                assert (results.count, results.approximate) == (len(holding), False)
                assert {record.pk for record in results.page.object_list} <= holding

            params = engine.SearchParams(q=q, years=[year])
            matching = engine._matching(model, engine.parse_query(q), exact=column == "exact")
            keyed = engine._filters(model, params, exact=column == "exact", keyed_years=True)
            scans = _indexes_counting(engine._apply(matching, keyed))
            assert "date_part('year'" in scans.get(f"{kind}_search_{column}_idx", ""), scans
            assert not {f"{kind}_date_idx", f"{kind}_oldest_idx", f"{kind}_newest_idx"} & set(scans)


def _indexes_counting(queryset) -> dict[str, str]:
    """Each index PostgreSQL reads to count `queryset`, with its index condition."""
    sql, values = queryset.order_by().query.sql_with_params()
    with planner.without("seqscan"), connection.cursor() as cursor:  # a small table: else read whole
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT count(*) FROM ({sql}) counted", values)
        return _index_conditions(cursor.fetchone()[0][0]["Plan"])


def _index_conditions(node: dict) -> dict[str, str]:
    """Each index an EXPLAIN (FORMAT JSON) plan reads, with its index condition."""
    found = {node["Index Name"]: node.get("Index Cond", "")} if "Index Name" in node else {}
    for child in node.get("Plans", []):
        found |= _index_conditions(child)
    return found


def _a_dense_year_is_walked_to_the_same_window(monkeypatch):
    """Within a year where the sample finds the words in most articles, the window is taken by
    walking that year's dates (no text index): the same newest matches, ranked the same."""
    monkeypatch.setattr(engine, "RANK_WINDOW", 4)
    monkeypatch.setattr(engine, "LARGE", 5)
    words = "'hội' & 'nghị'"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT extract(year FROM date)::int FROM articles_articlesample "
            "WHERE search_exact @@ to_tsquery('simple', %s) GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
            [words],
        )
        year = cursor.fetchone()[0]
    params = engine.SearchParams(q="hội nghị", years=[year])
    in_year = Article.objects.filter(search_exact=engine.SearchQuery(words, search_type="raw"), date__year=year)
    relevance = _by_relevance(list(in_year.order_by("-date", "-pk").values_list("pk", flat=True)[:4]), words)
    with CaptureQueriesContext(connection) as statements:
        results = engine.search(params)
    assert results.ranked_window == 4
    assert [a.pk for a in results.page.object_list] == relevance
    assert any("enable_bitmapscan = off" in statement["sql"] for statement in statements)
    # Restored after the statement: the next page's statements are planned as usual.
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_bitmapscan")
        assert cursor.fetchone()[0] == "on"
    query, conditions = engine.parse_query("hội nghị"), engine._filters(Article, params, exact=True)
    assert engine._ranked_window(Article, query, conditions, params, exact=True, walk=False) == relevance


@pytest.mark.django_db(transaction=True)
def test_the_samples_answer_phrases_through_their_keys_exactly_as_the_phrase_operator():
    call_command("generate_corpus", 150, seed=4, stdout=StringIO())
    _sample_every(1)  # every record sampled, so the test has enough of them
    # Phrases read from the texts (across punctuation too), unaccented, mixed with words, or, not.
    rng = random.Random(4)
    texts = [f"{a.title}. {a.lede} {a.body}" for a in Article.objects.order_by("pk")[:40]]
    queries = [
        '"hội nghị"',
        '"chuyen doi so"',
        '"hội nghị" OR "chuyển đổi"',
        '"hội nghị" -"chuyển đổi"',
        "Nguyễn Xuân Phúc",
    ]
    for _ in range(40):
        # Letters only: "11-1" is read by PostgreSQL's parser as 11 and -1, where a query reads 11 and 1.
        words = [word for word in engine.WORD.findall(rng.choice(texts)) if word.isalpha()]
        start = rng.randrange(len(words) - 3)
        query = '"' + " ".join(words[start : start + rng.choice((2, 3))]) + '"'
        query += " " + rng.choice(words) if rng.random() < 0.3 else ""
        queries.append(engine.fold(query) if rng.random() < 0.4 else query)
    for q in queries:
        query = engine.parse_query(q)
        for sample in (ArticleSample, QuoteSample):
            keyed = engine._matching_sampled(sample, query, exact=query.has_diacritics)
            assert "archive_phrase_keys" in str(keyed.query)
            positions = engine._matching(sample, query, exact=query.has_diacritics)
            assert set(keyed.values_list("pk", flat=True)) == set(positions.values_list("pk", flat=True)), q
        assert engine._matching_sampled(ArticleSample, query, exact=query.has_diacritics).exists(), q
    # Four words or more: no key holds them, the phrase operator answers.
    longer = engine.parse_query('"' + " ".join(engine.WORD.findall(texts[0])[:4]) + '"')
    assert "archive_phrase_keys" not in str(engine._matching_sampled(ArticleSample, longer, exact=True).query)


def test_a_relaxed_query_keeps_every_word_and_drops_what_could_only_narrow_it():
    query = engine.parse_query('"chuyển đổi số" -"kinh tế" hội')
    assert engine.relaxed_tsquery(query, exact=True) == "('chuyển' & 'đổi' & 'số') & ('hội')"
    assert engine.relaxed_tsquery(engine.parse_query('-"kinh tế" hội'), exact=False) == "('hoi')"


@pytest.mark.django_db
def test_prewarm_reads_what_search_touches_and_says_so():
    call_command("generate_corpus", 30, stdout=StringIO())
    overview.forget()  # as a migrate leaves it
    out = StringIO()
    call_command("prewarm", stdout=out)
    report = out.getvalue()
    assert cache.get(overview.CACHE_KEY)["articles"] == 30  # the first page view does not count
    for relation in ("articles_article", "article_search_exact_idx", "quote_search_folded_idx", "articles_quote TOAST"):
        assert relation in report
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_extension WHERE extname = 'pg_prewarm'")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("via", ["copy", "ingest"])
def test_an_articles_ranking_vector_and_short_fields_are_read_from_its_row(via):
    """Ranking and the phrase check read every candidate's accent-sensitive vector: kept out of line,
    each read cost a TOAST look-up (migration 0026). Only the raw text, the body and the folded
    vector may go to TOAST; the exact vector, larger than the 2 KB that would send it there, stays."""
    call_command("generate_corpus", 12, seed=3, via=via, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(pg_column_size(search_exact)) FROM articles_article")
        assert cursor.fetchone()[0] > 2048
        cursor.execute("SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = 'articles_article'::regclass")
        toast = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(DISTINCT chunk_id) FROM {toast}")
        assert cursor.fetchone()[0] <= 3 * Article.objects.count()
