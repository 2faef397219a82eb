"""The ingest command: idempotent, editors win, bad files rejected whole."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Person, Quote, Role

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
pytestmark = pytest.mark.django_db


def ingest(*paths) -> str:
    out = StringIO()
    call_command("ingest", *map(str, paths), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_second_run_changes_nothing_and_says_so():
    assert "5 created" in ingest(SEEDS)
    before = list(Article.objects.values_list("pk", "updated_at"))
    quotes = Quote.objects.count()

    output = ingest(SEEDS)

    assert "5 unchanged" in output
    assert "nothing changed" in output
    assert list(Article.objects.values_list("pk", "updated_at")) == before
    assert Quote.objects.count() == quotes


def test_changed_file_updates_the_article_in_place(tmp_path):
    seed = tmp_path / "002_6a4529331a59e7d7.txt"
    shutil.copy(SEEDS / seed.name, seed)
    ingest(seed)
    article = Article.objects.get()
    seed.write_text(seed.read_text() + "\nThêm một câu mới về chuyển đổi số quốc gia.\n", encoding="utf-8")

    assert "1 updated" in ingest(seed)
    assert Article.objects.get().pk == article.pk
    assert "Thêm một câu mới" in Article.objects.get().body


def test_editor_corrections_survive_a_reingest(tmp_path):
    seed = tmp_path / "000_3a310fbb99904216.txt"
    shutil.copy(SEEDS / seed.name, seed)
    ingest(seed)
    article = Article.objects.get()
    article.title = "Tiêu đề do biên tập viên sửa"
    article.edited_fields = ["title"]
    article.save()
    quote = Quote.objects.get(text__startswith="Truyền thông phải đi đầu")
    editor_choice = Person.objects.create(name="Người Được Chọn", slug="nguoi-duoc-chon")
    quote.person = editor_choice
    quote.edited_fields = ["person"]
    quote.save()

    seed.write_text(seed.read_text() + "\nMột đoạn bổ sung về truyền thông chính sách.\n", encoding="utf-8")
    ingest(seed)

    assert Article.objects.get().title == "Tiêu đề do biên tập viên sửa"
    assert Quote.objects.get(text__startswith="Truyền thông phải đi đầu").person == editor_choice


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (b"   \n\t\n", "is empty"),
        (b"Ph\xe1t bi\xea\xecu t\xe0i H\xe0 N\xf4\xf2i (cp1258 bytes)", "is not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
        (b"The Prime Minister said on Friday that the economy grew faster than expected. " * 5, "not Vietnamese"),
    ],
)
def test_bad_files_are_rejected_whole_and_the_others_still_load(tmp_path, content, reason):
    shutil.copy(SEEDS / "002_6a4529331a59e7d7.txt", tmp_path / "002_6a4529331a59e7d7.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    err = StringIO()

    with pytest.raises(CommandError, match="1 file"):
        call_command("ingest", str(tmp_path), stdout=StringIO(), stderr=err)

    assert str(bad) in err.getvalue()
    assert reason in err.getvalue()
    assert list(Article.objects.values_list("file_name", flat=True)) == ["002_6a4529331a59e7d7.txt"]


def test_same_content_under_two_names_is_stored_once(tmp_path):
    shutil.copy(SEEDS / "002_6a4529331a59e7d7.txt", tmp_path / "a.txt")
    shutil.copy(SEEDS / "002_6a4529331a59e7d7.txt", tmp_path / "b.txt")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path), stdout=StringIO(), stderr=err)
    assert Article.objects.count() == 1
    assert "same content as a.txt" in err.getvalue()


def test_missing_path_is_reported(tmp_path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path / "nope"), stdout=StringIO(), stderr=err)
    assert Article.objects.count() == 0


def write_article(directory, name, quote):
    text = (
        "Ngày 18-12, tại Hà Nội, Bộ TT&TT đã tổ chức Hội nghị tổng kết công tác năm 2022, "
        "triển khai nhiệm vụ năm 2023.\n"
        f"Phát biểu tại hội nghị, Thủ tướng Phạm Minh Chính đánh giá cao kết quả của ngành ({name}).\n"
        f"“{quote}”, Thủ tướng nhấn mạnh.\n"
    )
    (directory / name).write_text(text, encoding="utf-8")


def test_a_quote_carried_by_two_articles_is_one_quote(tmp_path):
    words = "Truyền thông phải đi đầu chứ không phải đi theo, là động lực cho sự phát triển của đất nước"
    write_article(tmp_path, "a.txt", words)
    write_article(tmp_path, "b.txt", words.replace("đất nước", "Việt Nam"))  # near-identical wording
    write_article(tmp_path, "c.txt", "Chúng ta phải hoàn thành phủ sóng toàn diện đến mọi vùng sâu, vùng xa")
    ingest(tmp_path)

    carried = Quote.objects.get(text__startswith="Truyền thông phải đi đầu")
    assert carried.occurrences.count() == 2
    assert carried.person.name == "Phạm Minh Chính"
    assert carried.event == Article.objects.get(file_name="a.txt").event
    assert Quote.objects.count() == 2


def test_the_machines_versions_are_in_the_history(tmp_path):
    words = "Chúng ta phải hoàn thành phủ sóng toàn diện đến mọi vùng sâu, vùng xa trong năm nay"
    write_article(tmp_path, "later.txt", words)
    ingest(tmp_path / "later.txt")
    article = Article.objects.get()
    created = article.history.get()
    assert (created.history_type, created.history_change_reason, created.title) == ("+", "ingest", article.title)
    assert created.history_user is None
    quote = Quote.objects.get()
    assert quote.history.get().history_type == "+"

    # An earlier article carrying the same words: one quote, dated by the earlier article, the change on record.
    earlier = tmp_path / "earlier.txt"
    earlier.write_text(
        "Ngày 18-12-2021, tại Hà Nội, Bộ TT&TT đã tổ chức Hội nghị tổng kết công tác năm 2021.\n"
        "Phát biểu tại hội nghị, Thủ tướng Phạm Minh Chính đánh giá cao kết quả của ngành.\n"
        f"“{words}”, Thủ tướng nhấn mạnh.\n",
        encoding="utf-8",
    )
    ingest(earlier)
    quote = Quote.objects.get()
    assert str(quote.date) == "2021-12-18"
    change = quote.history.order_by("-history_date", "-history_id").first()
    assert (change.history_type, change.history_change_reason, str(change.date)) == ("~", "ingest", "2021-12-18")
    assert quote.occurrences.count() == 2


def test_files_of_one_name_in_different_folders_are_different_articles(tmp_path):
    for folder in ("2016", "2017"):
        (tmp_path / folder).mkdir()
    write_article(tmp_path / "2016", "index.txt", "Năm 2016 ngành đã hoàn thành mọi chỉ tiêu được giao từ đầu năm")
    write_article(tmp_path / "2017", "index.txt", "Năm 2017 ngành phải đi đầu trong chuyển đổi số của cả nước")
    out = StringIO()
    call_command("ingest", str(tmp_path), stdout=out, stderr=StringIO())
    assert "2 created" in out.getvalue()
    assert sorted(Article.objects.values_list("file_name", flat=True)) == ["2016/index.txt", "2017/index.txt"]

    call_command("ingest", str(tmp_path), stdout=(again := StringIO()), stderr=StringIO())
    assert "2 unchanged" in again.getvalue()


def test_two_files_with_one_key_in_a_run_refuse_the_second_by_name(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    write_article(tmp_path / "a", "index.txt", "Năm 2016 ngành đã hoàn thành mọi chỉ tiêu được giao từ đầu năm")
    write_article(tmp_path / "b", "index.txt", "Năm 2017 ngành phải đi đầu trong chuyển đổi số của cả nước")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path / "a"), str(tmp_path / "b"), stdout=StringIO(), stderr=err)
    assert Article.objects.get().file_name == "index.txt"
    assert "Năm 2016" in Article.objects.get().body
    assert f"rejected {tmp_path / 'b' / 'index.txt'}: its key 'index.txt' is already" in err.getvalue()


def test_a_different_file_under_a_stored_key_is_refused_in_a_later_run(tmp_path):
    for folder in ("2016", "2017"):
        (tmp_path / folder).mkdir()
    write_article(tmp_path / "2016", "index.txt", "Năm 2016 ngành đã hoàn thành mọi chỉ tiêu được giao từ đầu năm")
    write_article(tmp_path / "2017", "index.txt", "Năm 2017 ngành phải đi đầu trong chuyển đổi số của cả nước")
    call_command("ingest", str(tmp_path / "2016" / "index.txt"), stdout=StringIO(), stderr=StringIO())

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path / "2017" / "index.txt"), stdout=StringIO(), stderr=err)

    assert "Năm 2016" in Article.objects.get(file_name="index.txt").body  # nothing silently replaced
    assert f"'index.txt' is already the key of {tmp_path / '2016' / 'index.txt'}" in err.getvalue()


def test_a_moved_file_with_new_content_updates_its_article(tmp_path):
    (tmp_path / "old").mkdir()
    write_article(tmp_path / "old", "index.txt", "Năm 2016 ngành đã hoàn thành mọi chỉ tiêu được giao từ đầu năm")
    call_command("ingest", str(tmp_path / "old" / "index.txt"), stdout=StringIO(), stderr=StringIO())
    (tmp_path / "old").rename(tmp_path / "new")
    write_article(tmp_path / "new", "index.txt", "Năm 2016 ngành đã vượt mọi chỉ tiêu được giao từ đầu năm nay")

    out = StringIO()
    call_command("ingest", str(tmp_path / "new" / "index.txt"), stdout=out, stderr=StringIO())

    assert "1 updated" in out.getvalue()
    assert "vượt mọi chỉ tiêu" in Article.objects.get(file_name="index.txt").body


def test_a_bare_title_in_a_later_run_joins_the_stored_fuller_role(tmp_path):
    def write(name, title):
        (tmp_path / name).write_text(
            "Hội nghị tổng kết ngành y tế\n"
            "Ngày 18/12/2022, tại Hà Nội, Bộ Y tế tổ chức Hội nghị tổng kết công tác năm 2022.\n"
            f"“Ngành y tế phải đổi mới mạnh mẽ hơn nữa trong năm tới”, {title} Lò Văn Tám nhấn mạnh.\n",
            encoding="utf-8",
        )

    write("a.txt", "Bộ trưởng Bộ Y tế")
    call_command("ingest", str(tmp_path / "a.txt"), stdout=StringIO(), stderr=StringIO())
    write("b.txt", "Bộ trưởng")
    call_command("ingest", str(tmp_path / "b.txt"), stdout=StringIO(), stderr=StringIO())

    roles = list(Role.objects.filter(person__name="Lò Văn Tám"))
    assert [(r.title, r.organisation) for r in roles] == [("Bộ trưởng", "Bộ Y tế")]
