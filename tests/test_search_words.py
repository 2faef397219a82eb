"""Syllables typed one after another read as a word (`search.as_words`), with or without their marks,
on articles of my own."""

import json
import random

import pytest
from django.db import connection

from articles import planner
from articles import search as engine
from articles.models import Article, Quote
from articles.search import SearchParams, search


def stored(file_name: str, body: str):
    return Article.objects.create(
        file_name=file_name, content_hash=file_name, raw_text=body, title=body[:60], body=body
    )


@pytest.fixture
def words_and_syllables(db):
    stored("together.txt", "Tỉnh đẩy mạnh xây dựng chính phủ điện tử, cải cách thủ tục hành chính.")
    stored("apart.txt", "Chính phủ chỉ đạo siết chặt quản lý thiết bị điện tử nhập khẩu.")
    stored("tone.txt", "Công dân dùng dịch vụ chính phủ điện tử trên điện thoại.")


def test_unaccented_syllables_typed_together_mean_the_word(words_and_syllables, client):
    results = search(SearchParams(q="chinh phu dien tu"))
    assert sorted(a.file_name for a in results.page) == ["together.txt", "tone.txt"]
    assert (results.count, results.more_apart) == (2, 1)  # the scattered match is counted apart, not mixed in
    anywhere = search(SearchParams(q="chinh phu dien tu", apart=True))
    assert anywhere.count == 3
    html = client.get("/search/", {"q": "chinh phu dien tu"}).content.decode()
    assert "thêm 1 kết quả có các âm tiết này nhưng không đứng liền nhau" in html
    assert 'href="?q=chinh+phu+dien+tu&amp;apart=1"' in html
    assert "apart.txt" not in html
    api = client.get("/api/v1/search", {"q": "chinh phu dien tu"}).json()
    assert (api["count"], api["more_apart"]) == (2, 1)
    assert client.get("/api/v1/search", {"q": "chinh phu dien tu", "apart": "1"}).json()["count"] == 3
    back = client.get("/search/", {"q": "chinh phu dien tu", "apart": "1"}).content.decode()
    assert "Các âm tiết ở bất kỳ đâu trong bài: 2 kết quả có chúng đứng liền nhau." in back
    assert 'href="?q=chinh+phu+dien+tu">Đọc thành từ</a>' in back
    assert client.get("/api/v1/search", {"q": "chinh phu dien tu", "apart": "1"}).json()["together"] == 2


def test_syllables_never_side_by_side_lead_to_them_anywhere(words_and_syllables, client):
    """ "quản lý chính phủ" stands nowhere as typed, but one article has both words: the page goes to
    the syllables anywhere, at their own address, so that its downloads and feed list what it shows."""
    response = client.get("/search/", {"q": "quan ly chinh phu"})
    assert (response.status_code, response["Location"]) == (302, "/search/?q=quan+ly+chinh+phu&apart=1")
    html = client.get(response["Location"]).content.decode()
    assert "Không kết quả nào có các âm tiết này đứng liền nhau" in html
    assert "chỉ đạo siết chặt" in html
    assert "apart=1" in html.split("search/export")[1].split('"')[0]  # the download lists the same
    assert client.get("/search/", {"q": "ho chieu dien tu"}).status_code == 200  # nothing either way: no redirect


@pytest.mark.parametrize(
    ("query", "files"),
    [
        ("chính phủ điện tử", ["together.txt", "tone.txt"]),  # with marks too: the word, not its syllables
        ("Chính phủ Điện tử", ["together.txt", "tone.txt"]),  # capitals change nothing
        ('"chinh phu" dien', ["apart.txt", "together.txt", "tone.txt"]),  # quoted words keep their own meaning
        ("nhap OR phu", ["apart.txt", "together.txt", "tone.txt"]),  # an OR group is not part of a run
        ("dien tu -thiet", ["together.txt", "tone.txt"]),  # the run before a negation is a word
    ],
)
def test_what_is_and_what_is_not_a_run_of_syllables(words_and_syllables, query, files):
    assert sorted(a.file_name for a in search(SearchParams(q=query)).page) == files


# Texts whose words PostgreSQL splits or joins in its own way, with both tone-mark conventions.
AWKWARD = [
    "Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân có hiệu lực.",
    "Mạng 5G Việt Nam phủ sóng; Bộ TT&TT cấp phép COVID-19 đã qua.",
    "Ngành hoá học và công nghiệp hóa chất. Đà Nẵng, Thừa Thiên-Huế.",
    "Ông nói: “Chuyển đổi số là con đường tất yếu”. Chuyển đổi… số liệu.",
]


@pytest.fixture
def awkward_texts(db, words_and_syllables):
    for number, text in enumerate(AWKWARD):
        stored(f"awkward-{number}.txt", text)
        Quote.objects.create(key=f"awkward-{number}", text=text, method="test", confidence=1.0)


def test_the_syllable_pairs_lose_no_match(awkward_texts):
    """The pairs' index (migration 0032) only narrows what the phrase operator then tests: on phrases
    drawn from texts with codes, numbers, punctuation and both tone-mark conventions, typed with and
    without marks, the matches are the same with it and without it."""
    rng = random.Random(32)
    texts = AWKWARD + list(Article.objects.values_list("body", flat=True))
    typed = ["hoá học", "hóa học", "hoa hoc", "13 2023", "5G Việt", "TT TT", "COVID 19", "Thiên Huế", "đổi số"]
    for _ in range(60):
        words = engine.WORD.findall(rng.choice(texts))
        start = rng.randrange(len(words) - 1)
        phrase = " ".join(words[start : start + rng.choice((2, 3, 4))])
        typed.append(engine.fold(phrase) if rng.random() < 0.5 else phrase)
    for q in typed:
        query = engine.as_words(engine.parse_query(q))
        for model in (Article, Quote):
            narrowed = engine._matching(model, query, exact=query.has_diacritics, pairs=True)
            assert "archive_syllable_pair_query" in str(narrowed.query), q
            everything = engine._matching(model, query, exact=query.has_diacritics, pairs=False)
            assert set(narrowed.values_list("pk", flat=True)) == set(everything.values_list("pk", flat=True)), q
    hoa_hoc = engine.as_words(engine.parse_query("hoa hoc"))
    assert engine._matching(Article, hoa_hoc, exact=False, pairs=True).count() == 1


@pytest.mark.parametrize("model", [Article, Quote])
def test_a_phrase_is_counted_through_the_pairs_index(awkward_texts, model):
    """The query's pairs are the index's own expression, so PostgreSQL can read the index for them (a
    differently written expression would make it compute every record's pairs), and that index alone:
    ANDed with the text index, every candidate's pairs would be computed again to recheck it."""
    query = engine.as_words(engine.parse_query("chuyen doi so"))
    sql, values = engine._matching(model, query, exact=False, pairs=True).query.sql_with_params()
    with planner.without("seqscan"), connection.cursor() as cursor:  # a small table: else read whole
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT count(*) FROM ({sql}) counted", values)
        plan = json.dumps(cursor.fetchone()[0])
    assert f'"Index Name": "{model._meta.db_table.split("_")[1]}_pairs_gin"' in plan
    assert "IS NULL" not in plan  # the branch for a phrase without pairs was dropped when planned
    assert "_search_folded_idx" not in plan


def test_only_a_phrase_rare_in_the_sample_is_found_through_its_pairs(db, monkeypatch):
    """A common phrase's pairs are as common as it is: the text index finds it as fast, so the pairs
    lead only for a phrase the 1% sample (every hundredth article) sees at most LARGE times."""
    for number in range(engine.SAMPLE_EVERY):  # one of them in the sample
        stored(f"common-{number}.txt", "Dữ liệu số được chia sẻ giữa các bộ.")
    monkeypatch.setattr(engine, "LARGE", engine.SAMPLE_EVERY // 2)
    common, rare = (engine.as_words(engine.parse_query(q)) for q in ("du lieu", "chia se du lieu"))
    assert not engine._pairs_lead(Article, common, exact=False)
    assert engine._pairs_lead(Article, rare, exact=False)
    assert not engine._pairs_lead(Article, engine.parse_query("du"), exact=False)  # one word: no pair
    assert "archive_syllable_pair_query" not in str(engine.search_queryset(SearchParams(q="du lieu")).query)
    assert "archive_syllable_pair_query" in str(engine.search_queryset(SearchParams(q="chia se du lieu")).query)
    assert search(SearchParams(q="du lieu")).count == engine.SAMPLE_EVERY
    rare_results = search(SearchParams(q="chia se du lieu"))
    assert (rare_results.count, rare_results.more_apart) == (0, engine.SAMPLE_EVERY)
