"""Odd addresses and stray control characters: a missing page or a clear refusal, never a server error."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize(
    "url",
    [
        "/years/0/",
        "/years/10000/",
        "/years/99999999999999999999/",
        "/people/nguyen-manh-hung/?year=0",
        "/people/nguyen-manh-hung/?year=99999",
        "/people/nguyen-manh-hung/?year=99999999999999999999",
        "/api/v1/speakers/%00",
        "/api/v1/events/%00",
        "/people/%01/",
    ],
)
def test_an_address_that_names_nothing_is_a_missing_page(client, seeded, url):
    assert client.get(url).status_code in (404, 422)


def test_the_admin_year_filter_refuses_what_is_not_a_year(admin_client, seeded):
    for value in ["abc", "0", "99999"]:
        response = admin_client.get(f"/admin/articles/article/?year={value}")
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")  # Django's "invalid filter" page
    assert admin_client.get("/admin/articles/article/?year=2022").status_code == 200


def test_a_control_character_in_a_query_is_dropped(client, seeded):
    feed = client.get("/search/feed/?q=chuy%01%E1%BB%83n%20%C4%91%E1%BB%95i%20s%E1%BB%91")
    assert feed.status_code == 200
    assert b"\x01" not in feed.content
    assert "chuyển đổi số".encode() in feed.content
    assert client.get("/search/?q=%01").status_code == 200


def test_control_characters_never_reach_the_store_or_break_the_feeds(client, tmp_path):
    (tmp_path / "control.txt").write_text(
        "Tiêu đề\x01 có ký tự điều khiển\n"
        "Ngày 5/6/2023, Bộ trưởng Lò Văn Tám chủ trì hội nghị về chuyển đổi số\x02 của ngành.\n",
        encoding="utf-8",
    )
    call_command("ingest", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    article = Article.objects.get(file_name="control.txt")
    assert "\x01" not in article.title
    assert "\x02" not in article.body
    assert article.title.startswith("Tiêu đề có ký tự")

    # An editor may still type one into a title: the feeds leave it out.
    Article.objects.filter(pk=article.pk).update(title="Sửa\x01 tiêu đề")
    feed = client.get("/feeds/articles/")
    assert feed.status_code == 200
    assert "Sửa tiêu đề".encode() in feed.content
