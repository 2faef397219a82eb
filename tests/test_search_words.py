"""Syllables typed one after another read as a word (`search.as_words`), with or without their marks,
on articles of my own."""

import pytest

from articles.models import Article
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
    back = client.get("/search/", {"q": "chinh phu dien tu", "apart": "1"}).content.decode()
    assert 'href="?q=chinh+phu+dien+tu">Đọc thành từ</a>' in back


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
