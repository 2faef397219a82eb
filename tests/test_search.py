"""Search on the seeds, on real PostgreSQL: exact results, diacritics, syntax, facets, hostile input."""

import re
import string
from pathlib import Path

import pytest
from django.db import connection
from django.http import QueryDict

from articles import facets
from articles.extraction.normalize import search_canonical
from articles.search import SearchParams, highlight, parse_query, search

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ALL = ["000", "001", "002", "003", "004"]


def run(query: str, **params) -> list[str]:
    data = QueryDict(mutable=True)
    data["q"] = query
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    results = search(SearchParams.from_querydict(data))
    items = list(results.page)
    if results.params.type == "quote":
        return [q.text for q in items]
    return sorted(a.file_name[:3] for a in items)


pytestmark = pytest.mark.django_db


def test_unaccented_query_finds_every_variant(seeded_module):
    assert run("chuyen doi so") == ALL


def test_tone_mark_placement_does_not_matter(seeded_module):
    assert run("thương mại hóa") == ["001", "004"]
    assert run("thương mại hoá") == ["001", "004"]


def test_exact_phrase(seeded_module):
    assert run('"mặt trận không bao giờ im tiếng súng"') == ["004"]


def test_numbers_dates_and_hyphenated_words_are_found_as_typed(seeded_module):
    # PostgreSQL's parser kept "Covid-19" as "covid" and "-19", and "130.000", "18/12" and
    # "48/2022/NĐ-CP" whole, where a query splits at the punctuation: none of these was found.
    assert run("Covid-19") == ["002"]
    assert run("covid 19") == ["002"]
    assert run("130.000") == ["002"]
    assert run("48/2022/NĐ-CP") == ["003"]
    assert run("nghị định 48/2022") == ["003"]
    assert run("4.0") == ["004"]
    assert run("2016-2020") == ["002"]
    # A date in either spelling: "18-12" in one article, "18/12" in another.
    assert run("18-12") == ["000", "001"]
    assert run("18/12") == ["000", "001"]
    decree = highlight("Nghị định số 48/2022/NĐ-CP, ngày 26/7/2022", parse_query("48/2022/NĐ-CP"), exact=True)
    assert str(decree) == "Nghị định số <mark>48/2022/NĐ-CP</mark>, ngày 26/7/2022"  # not the date's 2022


def test_every_ascii_punctuation_mark_and_nothing_else_separates_words():
    # archive_words() (migrations 0022, 0023) feeds every search vector: a character it misses stays
    # glued to its word, one it wrongly drops splits a Vietnamese word.
    text = "".join(map(chr, range(32, 127))) + " Bà Rịa-Vũng Tàu «hoá» Đ–Ư"
    with connection.cursor() as cursor:
        cursor.execute("SELECT archive_words(%s)", [text])
        words = cursor.fetchone()[0]
    assert words == text.translate({ord(mark): " " for mark in string.punctuation})


def test_diacritics_typed_mean_those_words(seeded_module):
    assert run("sổ") == []
    results = search(SearchParams(q="sổ"))
    assert results.more_ignoring_diacritics == 5  # "so" matches số, sở… everywhere
    assert run("sổ", fold="1") == ALL


def test_teaser_names_are_not_in_the_archive(seeded_module):
    assert run("Nguyễn Hồng Phong") == []


def test_unaccented_name_finds_the_person(seeded_module):
    assert run("nguyen xuan phuc") == ["002", "004"]


def test_quote_search_scoped_to_a_speaker(seeded_module):
    quotes = run("dữ liệu", type="quote", speaker="nguyen-manh-hung")
    assert any(text.startswith("Năm 2023 là năm dữ liệu số Việt Nam") for text in quotes)
    assert all("dữ liệu" in text.lower() for text in quotes)


def test_exclusion_and_or(seeded_module):
    assert run("Thủ tướng -Phúc") == ["000", "001"]
    assert run("Đam OR Dũng") == ["002", "003"]


def test_phrase_ranks_above_scattered_words(seeded_module):
    results = search(SearchParams(q="truyền thông chính sách"))
    first = next(iter(results.page))
    assert "truyền thông chính sách" in first.body.lower()


def test_year_facet_adds_up_to_the_total(seeded_module):
    results = search(SearchParams(q="chuyen doi so"))
    years = {v["value"]: v["count"] for v in results.facets["year"].values}
    assert years == {2022: 3, 2021: 1, 2019: 1}
    assert sum(years.values()) == results.count
    assert run("chuyen doi so", year="2022") == ["000", "001", "003"]
    assert run("chuyen doi so", year=["2019", "2021"]) == ["002", "004"]


def test_speaker_facet_and_filter(seeded_module):
    results = search(SearchParams(q="chuyen doi so"))
    speakers = {v["value"]: v["count"] for v in results.facets["speaker"].values}
    assert speakers["pham-minh-chinh"] == 2
    assert run("chuyen doi so", speaker="vu-duc-dam") == ["002"]


def test_a_selected_value_outside_the_top_facet_values_still_shows_with_its_count(seeded_module, monkeypatch):
    monkeypatch.setattr(facets, "FACET_SIZE", 1)
    everyone = {v["value"]: v["count"] for v in search(SearchParams(q="chuyen doi so")).facets["speaker"].values}
    top = max(everyone, key=everyone.get)
    assert everyone == {top: 2}  # one value shown: the most frequent speaker, in two of the five articles
    chosen = search(SearchParams(q="chuyen doi so", speakers=["vu-duc-dam"])).facets["speaker"].values
    assert [(v["value"], v["count"], v["selected"]) for v in chosen] == [(top, 2, False), ("vu-duc-dam", 1, True)]


def test_facet_links_switch_a_value_on_and_off_and_go_back_to_the_first_page(seeded_module, client):
    page = client.get("/search/", {"q": "chuyen doi so", "year": ["2022", "2019"], "page": "2"}).content.decode()
    links = dict(re.findall(r'<a class="facet[^"]*" href="([^"]+)"[^>]*>(?:✓ )?([^<]+?) <span', page))
    assert links["?q=chuyen+doi+so&amp;year=2019"] == "2022"  # selected: the link drops it, and the page
    assert links["?q=chuyen+doi+so&amp;year=2022&amp;year=2019&amp;year=2021"] == "2021"  # adds it
    assert links["?q=chuyen+doi+so&amp;year=2022&amp;year=2019&amp;speaker=pham-minh-chinh"] == "Phạm Minh Chính"


@pytest.mark.parametrize(
    "hostile", ["'", "&|!", "<->", "x" * 10_000, '"', "“", "-", "OR", "a:*", "!!", "\\", "%", "' OR 1=1 --"]
)
def test_hostile_input_returns_a_page(seeded_module, client, hostile):
    response = client.get("/search/", {"q": hostile, "page": "abc", "year": "x", "sort": "drop table"})
    assert response.status_code == 200
    assert client.get("/api/v1/search", {"q": hostile}).status_code == 200


@pytest.mark.parametrize("number", ["²", "2²", "①", "٣"])  # digits to str.isdigit(), not all to int()
def test_numbers_written_with_other_digits_give_a_page(seeded_module, client, number):
    assert client.get("/search/", {"q": "số", "page": number, "year": number}).status_code == 200
    assert client.get("/years/2022/", {"month": number}).status_code in (200, 404)


def test_a_phrase_is_marked_only_where_its_words_stand_together(seeded_module):
    text = "Công tác công nghệ thông tin: Công nghệ số, số liệu và công nghệ  số."
    marked = highlight(text, parse_query('"công nghệ số"'), exact=True, max_words=None)
    assert str(marked) == (
        "Công tác công nghệ thông tin: <mark>Công nghệ số</mark>, số liệu và <mark>công nghệ  số</mark>."
    )
    # A name typed with capitals is a phrase too; the words of an unquoted query are marked anywhere.
    name = highlight("Ông Nguyễn Văn Hùng gặp ông Hùng", parse_query("Nguyễn Văn Hùng"), exact=True, max_words=None)
    assert str(name) == "Ông <mark>Nguyễn Văn Hùng</mark> gặp ông Hùng"
    words = highlight("công tác và số liệu", parse_query("công số"), exact=True, max_words=None)
    assert str(words) == "<mark>công</mark> tác và <mark>số</mark> liệu"


def test_a_snippet_shows_where_the_phrase_is_not_where_its_words_are_commonest(seeded_module):
    scattered = " ".join(["công tác số liệu"] * 30)
    text = f"{scattered} Cuối cùng là chuyển đổi công nghệ số của cả nước. {scattered}"
    snippet = str(highlight(text, parse_query('"công nghệ số"'), exact=True))
    assert "<mark>công nghệ số</mark>" in snippet
    assert snippet.count("<mark>") == 1


def test_highlighting_marks_folded_matches_and_escapes(seeded_module):
    query = parse_query("chuyen doi so")
    marked = highlight("<b>Chuyển đổi số</b> và số liệu", query, exact=False, max_words=None)
    assert str(marked) == "&lt;b&gt;<mark>Chuyển đổi số</mark>&lt;/b&gt; và số liệu"


def test_unquoted_words_are_marked_in_a_row_where_the_text_has_them_so(seeded_module):
    query = parse_query("chuyen doi")
    together = highlight("Thay đổi để chuyển đổi số: chuyển hướng", query, exact=False, max_words=None)
    assert str(together) == "Thay đổi để <mark>chuyển đổi</mark> số: chuyển hướng"
    apart = highlight("Đổi mới và chuyển hướng", query, exact=False, max_words=None)
    assert str(apart) == "<mark>Đổi</mark> mới và <mark>chuyển</mark> hướng"
    repeated = highlight("a a a b", parse_query("a a"), exact=True, max_words=None)
    assert str(repeated) == "<mark>a a a</mark> b"


def test_search_text_function_matches_python(seeded_module):
    words = ["Thương mại HOÁ", "hoàng", "Uỷ ban", "QUÝ", "ĐÀ NẴNG", "khoẻ", "Thuỵ", "xoà", "Ỹ"]
    with connection.cursor() as cursor:
        for word in words:
            cursor.execute("SELECT archive_search_text(%s)", [word])
            assert cursor.fetchone()[0] == search_canonical(word)


def test_search_page_and_api(seeded_module, client):
    page = client.get("/search/", {"q": "chuyen doi so"})
    assert page.status_code == 200
    assert "<mark>" in page.content.decode()
    data = client.get("/api/v1/search", {"q": "dữ liệu", "type": "quote", "speaker": "nguyen-manh-hung"}).json()
    assert data["count"] >= 1
    first = data["results"][0]
    assert first["type"] == "quote"
    assert first["speaker"] == {"name": "Nguyễn Mạnh Hùng", "slug": "nguyen-manh-hung"}
    for hit in data["results"]:  # the role then and direct/reported, as the quote itself says
        quote = client.get(f"/api/v1/quotes/{hit['id']}").json()
        assert (hit["role"], hit["direct"]) == (quote["role"], quote["direct"])
    assert first["role"].startswith("Bộ trưởng")
    assert "<mark>" in first["snippet"]
    assert first["url"].endswith(f"/quotes/{first['id']}/")
    landing = client.get(first["url"])
    assert landing.status_code == 302
    assert landing["Location"].endswith(f"#quote-{first['id']}")
    assert set(data["facets"]) == {"year", "speaker", "event", "source"}


def test_every_query_path_uses_the_gin_index(seeded_module):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # five rows: force the planner to show its index choice
        for column, config, query in [
            ("search_folded", "archive_folded", "'chuyen' & 'doi'"),
            ("search_exact", "simple", "'thương' <-> 'mại'"),
        ]:
            for table in ("articles_article", "articles_quote"):
                cursor.execute(f"EXPLAIN SELECT id FROM {table} WHERE {column} @@ to_tsquery(%s, %s)", [config, query])
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "search_" in plan, plan
                assert "Bitmap Index Scan" in plan, plan
        cursor.execute("RESET enable_seqscan")
