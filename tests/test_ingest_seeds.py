"""The seed files end to end: what a careful reader extracts from them, stored."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles import loading
from articles.extraction.normalize import match_key
from articles.models import Article, Event, Person, Quote, Role

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds_loaded():
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())


def quote_starting(prefix: str) -> Quote:
    return Quote.objects.select_related("person").get(text__startswith=prefix)


def test_five_articles_and_four_events(seeds_loaded):
    assert Article.objects.count() == 5
    assert sorted(Event.objects.values_list("date", flat=True)) == [
        dt.date(2019, 12, 28),
        dt.date(2021, 1, 12),
        dt.date(2022, 9, 27),
        dt.date(2022, 12, 18),
    ]
    shared = Article.objects.get(file_name__startswith="000").event
    assert shared == Article.objects.get(file_name__startswith="001").event
    assert shared.reviews_year == 2022
    assert Event.objects.get(date=dt.date(2021, 1, 12)).reviews_year == 2020


@pytest.mark.parametrize(
    ("prefix", "speaker"),
    [
        ("Truyền thông phải đi đầu chứ không phải đi theo", "Phạm Minh Chính"),
        ("Làm chuyển đổi số, chính phủ điện tử không khó", "Vũ Đức Đam"),
        ("Cho nên có thể nói thông tin và truyền thông", "Nguyễn Xuân Phúc"),
    ],
)
def test_direct_quotes_have_the_right_speaker(seeds_loaded, prefix, speaker):
    quote = quote_starting(prefix)
    assert quote.direct
    assert quote.person.name == speaker


def test_article_001_quotes(seeds_loaded):
    article = Article.objects.get(file_name__startswith="001")
    # Direct as this article prints them: one of its reported passages carries a sentence article 000
    # quotes word for word, and is that quote's occurrence here, reported.
    direct = [o.quote for o in article.quote_occurrences.select_related("quote__person") if o.direct]
    speakers = sorted(q.person.name for q in direct if q.person)
    assert speakers == ["Nguyễn Mạnh Hùng"] * 3 + ["Phạm Minh Chính"] * 2
    carried = article.quote_occurrences.get(quote__text__startswith="Truyền thông phải đi đầu")
    assert carried.text.startswith("lĩnh vực truyền thông có vị trí quan trọng")
    assert not carried.direct
    for occurrence in article.quote_occurrences.all():
        assert article.body[occurrence.start : occurrence.end] == occurrence.text


def test_speakers_of_001_with_titles(seeds_loaded):
    expected = {
        "Phạm Đức Long": "Thứ trưởng",
        "Lê Quốc Minh": "Chủ tịch",
        "Lê Ngọc Hân": "Giám đốc",
        "Trần Ngọc Thạch": "Phó Giám đốc",
        "Nguyễn Viết Lâm": "Phó Tổng giám đốc",
    }
    article = Article.objects.get(file_name__startswith="001")
    speaking = set(article.speeches.values_list("person__name", flat=True))
    assert set(expected) <= speaking
    for name, title in expected.items():
        assert Role.objects.filter(person__name=name, title=title).exists(), name
    assert Role.objects.get(person__name="Lê Quốc Minh").organisation == "Hội Nhà báo Việt Nam"


def test_prime_minister_changes_with_the_date(seeds_loaded):
    phuc = Role.objects.get(person__name="Nguyễn Xuân Phúc", title="Thủ tướng")
    chinh = Role.objects.get(person__name="Phạm Minh Chính", title="Thủ tướng")
    assert (phuc.first_seen, phuc.last_seen) == (dt.date(2019, 12, 28), dt.date(2021, 1, 12))
    assert (chinh.first_seen, chinh.last_seen) == (dt.date(2022, 12, 18), dt.date(2022, 12, 18))
    assert not Role.objects.filter(person__name="Vũ Đức Đam", title="Thủ tướng").exists()
    assert Role.objects.filter(person__name="Vũ Đức Đam", title="Phó Thủ tướng").exists()


def test_003_has_only_reported_speech_by_nguyen_huy_dung(seeds_loaded):
    article = Article.objects.get(file_name__startswith="003")
    assert not article.quote_occurrences.filter(quote__direct=True).exists()
    assert list(article.speeches.values_list("person__name", flat=True)) == ["Nguyễn Huy Dũng"]
    assert Role.objects.filter(person__name="Nguyễn Huy Dũng", title="Thứ trưởng").exists()


def test_teasers_of_004_do_not_leak(seeds_loaded):
    article = Article.objects.get(file_name__startswith="004")
    for name in ["Nguyễn Hồng Phong", "Mai Xuân Liêm", "Cao Văn Cường", "Lê Quang Hùng", "Hoàng Văn Trà"]:
        assert name not in article.body
        assert not Person.objects.filter(name=name).exists()
    assert "Càng đối mặt" not in article.body
    assert "Bình luận" not in article.body
    assert "Đọc thêm" in article.raw_text  # the raw text stays verbatim


def test_sources_and_titles(seeds_loaded):
    assert Article.objects.get(file_name__startswith="002").source.name == "HNMO"
    seed_004 = Article.objects.get(file_name__startswith="004")
    assert seed_004.source.name == "TTV"
    assert seed_004.title.startswith("Thủ tướng dự Hội nghị tổng kết năm 2019")
    assert not seed_004.title_derived
    assert Article.objects.get(file_name__startswith="000").title_derived


def test_dry_run_json_writes_nothing():
    out = StringIO()
    call_command("ingest", str(SEEDS), "--dry-run", "--format", "json", stdout=out)
    payload = json.loads(out.getvalue())
    assert Article.objects.count() == 0
    assert payload["rejected"] == []
    by_file = {a["file"]: a for a in payload["articles"]}
    assert by_file["002_6a4529331a59e7d7.txt"]["date"] == "2021-01-12"
    assert by_file["002_6a4529331a59e7d7.txt"]["event"]["date"] == "2021-01-12"
    assert by_file["004_bc6c522b7ea49dde.txt"]["source"] == "TTV"
    quote = next(q for q in by_file["000_3a310fbb99904216.txt"]["quotes"] if q["direct"])
    assert quote["speaker"] == "Phạm Minh Chính"
    assert {"name": "Vũ Đức Đam", "title": "Phó Thủ tướng"}.items() <= by_file["002_6a4529331a59e7d7.txt"]["speakers"][
        0
    ].items()


def test_a_bare_title_on_the_day_of_a_fuller_one_is_the_same_role(seeds_loaded):
    # 000 writes "Bộ trưởng Nguyễn Mạnh Hùng", 001 "Bộ trưởng Bộ TT&TT Nguyễn Mạnh Hùng", both on 18/12/2022.
    roles = list(Role.objects.filter(person__name="Nguyễn Mạnh Hùng", title="Bộ trưởng"))
    assert len(roles) == 1
    assert roles[0].organisation
    assert roles[0].first_seen == roles[0].last_seen == dt.date(2022, 12, 18)


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        # A sentence quoted by one outlet, reported within a longer passage with a word changed by another.
        (
            "Chúng ta phải hoàn thành việc số hóa hồ sơ đất đai trước cuối năm nay",
            "Bộ trưởng cho rằng ngành tài nguyên đã có nhiều tiến bộ, chúng ta cần hoàn thành việc số hóa hồ sơ "
            "đất đai trước cuối năm nay và công khai cho người dân tra cứu",
            True,
        ),
        # The same words in another order, mixed into another statement: not the same.
        (
            "Chúng ta phải hoàn thành việc số hóa hồ sơ đất đai trước cuối năm nay",
            "trước cuối năm nay người dân phải được tra cứu hồ sơ, còn việc số hóa đất đai chúng ta hoàn thành sau",
            False,
        ),
        # Too short to tell: a few words any two statements may share.
        ("phải hoàn thành trước cuối năm", "Chúng ta phải hoàn thành trước cuối năm mọi thủ tục", False),
    ],
)
def test_a_statement_carried_inside_a_longer_one_is_recognised(one, other, same):
    assert loading._carried(match_key(one), match_key(other)) is same


def test_a_reported_statement_takes_the_words_when_another_outlet_quotes_them(db, tmp_path):
    reported, quoted = tmp_path / "reported", tmp_path / "quoted"
    for folder, prefix in ((reported, "001"), (quoted, "000")):
        folder.mkdir()
        source = next(SEEDS.glob(f"{prefix}_*.txt"))
        (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    call_command("ingest", str(reported), stdout=StringIO())  # first the outlet reporting the words
    first = Quote.objects.get(text__startswith="lĩnh vực truyền thông có vị trí quan trọng")
    assert not first.direct
    call_command("ingest", str(quoted), stdout=StringIO())  # then the one quoting them
    first.refresh_from_db()
    assert first.text.startswith("Truyền thông phải đi đầu chứ không phải đi theo")
    assert first.direct
    assert sorted(first.occurrences.values_list("direct", flat=True)) == [False, True]


CARRIED = Path(__file__).resolve().parent / "fixtures" / "carried"


def test_a_sentence_one_outlet_quotes_and_another_reports_is_one_quote(db, tmp_path):
    for name in ("quoted.txt", "reported.txt"):  # two runs: the second finds the first in the database
        (tmp_path / name).write_text((CARRIED / name).read_text(encoding="utf-8"), encoding="utf-8")
        call_command("ingest", str(tmp_path / name), stdout=StringIO())
    quote = Quote.objects.get(person__name="Đặng Quốc Khánh")
    assert quote.text.startswith("Chúng ta phải hoàn thành việc số hóa hồ sơ đất đai")
    occurrences = {o.article.file_name: o for o in quote.occurrences.select_related("article")}
    assert set(occurrences) == {"quoted.txt", "reported.txt"}
    assert occurrences["reported.txt"].text.startswith("ngành tài nguyên đã có nhiều tiến bộ")
    assert not occurrences["reported.txt"].direct


def test_within_one_article_a_sentence_and_its_restatement_stay_two_quotes(db):
    call_command("ingest", str(CARRIED / "both.txt"), stdout=StringIO())
    assert Quote.objects.filter(person__name="Đặng Quốc Khánh").count() == 2
