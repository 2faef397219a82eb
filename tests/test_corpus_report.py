"""corpus_report: label-free extraction measures over a directory of texts written for these tests."""

import dataclasses
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.corpus_report import (
    CorpusReport,
    build_report,
    evidence_kind,
    parse_years,
    post_date,
    rejection_reason,
    role_problems,
    roles_compatible,
)
from articles.extraction import Speaker, extract_article
from articles.extraction.people import Role
from articles.extraction.quotes import ExtractedQuote

DATED_2017 = (
    "Bộ Nội vụ tổng kết công tác năm 2016\n"
    "Ngày 12/1/2017, tại Hà Nội, Bộ Nội vụ tổ chức hội nghị tổng kết công tác năm 2016 và triển khai nhiệm vụ "
    "năm 2017. Bộ trưởng Lê Vĩnh Tân cho biết ngành đã hoàn thành các nhiệm vụ được giao trong năm qua.\n"
)
DATED_1990 = (
    "Khánh thành ngôi trường mới của xã\n"
    "Ngày 5/9/1990, trường tiểu học của xã được khánh thành với sự tham dự của đông đảo phụ huynh và học sinh "
    "trong vùng. Ngôi trường có mười phòng học khang trang, sân chơi rộng và thư viện nhỏ.\n"
)
POSTED_3_DAYS_LATER = (
    '---\ntitle: "Họp báo về kế hoạch đầu tư công"\ndate: Fri, 05 Apr 2024 10:00:00 +0700\n---\n'
    "Ngày 2/4/2024, Bộ trưởng Nguyễn Văn An nhấn mạnh: “Chúng ta phải hoàn thành kế hoạch đầu tư công ngay trong "
    "năm nay để người dân sớm được hưởng lợi.”\n"
    "Trong khi đó, nhiều địa phương vẫn còn chậm giải ngân. “Mỗi cán bộ cần gương mẫu trong công việc hằng ngày, "
    "luôn lắng nghe ý kiến của người dân và doanh nghiệp ở khắp mọi miền đất nước.”\n"
)
POSTED_10_DAYS_LATER = (
    '---\ntitle: "Một bài đăng lại"\ndate: 2024-04-05\n---\n'
    "Ngày 26/3/2024, hội chợ nông sản của tỉnh mở cửa đón khách tham quan trong suốt một tuần với nhiều gian hàng "
    "đặc sản địa phương và các hoạt động văn hóa dân gian.\n"
)
ENGLISH = "The ministry held its annual review meeting in the capital and praised the staff for their work.\n"


def report(directory, *options) -> str:
    out = StringIO()
    call_command("corpus_report", str(directory), *options, stdout=out)
    return out.getvalue()


def write(directory, files: dict[str, str | bytes]):
    for name, content in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return directory


def article(text=DATED_2017, **changes):
    return dataclasses.replace(extract_article(text, file_name="bai.txt"), **changes)


def test_a_dated_year_outside_the_span_is_reported_with_its_file(tmp_path):
    write(tmp_path, {"2017.txt": DATED_2017, "cu/1990.txt": DATED_1990})

    output = report(tmp_path, "--years", "2016-2017")

    assert "files read: 2, articles: 2, rejected: 0" in output
    assert "dated: 2 of 2 (100.0%)" in output
    assert "dated outside 2016–2017: 1 of 2 (50.0%)" in output
    assert "1990" in output
    assert "cu/1990.txt: 1990-09-05: full date 'Ngày 5/9/1990'" in output


def test_json_output_parses_and_carries_the_same_figures(tmp_path):
    write(tmp_path, {"2017.txt": DATED_2017, "1990.txt": DATED_1990, "english.txt": ENGLISH})

    data = json.loads(report(tmp_path, "--years", "2016-2017", "--format", "json"))

    assert (data["files"], data["articles"]) == (3, 2)
    assert data["rejected"]["by_reason"]["not Vietnamese"]["count"] == 1
    assert data["rejected"]["by_reason"]["not Vietnamese"]["examples"][0]["file"] == "english.txt"
    assert data["dates"]["outside_years"]["by_year"]["1990"]["count"] == 1
    assert data["dates"]["dated_by_evidence"]["full date '…'"]["count"] == 2
    assert data["speakers"]["count"] == 1


def test_front_matter_post_date_window(tmp_path):
    write(tmp_path, {"a.txt": POSTED_3_DAYS_LATER, "b.txt": POSTED_10_DAYS_LATER, "c.txt": DATED_2017})

    output = report(tmp_path, "--years", "2024-2025", "--post-date-window", "7")

    assert "within 7 days before (or on) the front-matter post date: 1 of 2 dated articles with a post date" in output
    assert "b.txt: posted 2024-04-05, 2024-03-26" in output
    assert "dated outside 2024–2025: 1 of 3" in output


def test_unreadable_and_foreign_files_are_counted_by_reason_and_nothing_stops(tmp_path):
    write(tmp_path, {"ok.txt": DATED_2017, "latin1.txt": "Hà Nội".encode("latin-1", "replace") + b"\xe9t\xe9"})
    write(tmp_path, {"en.txt": ENGLISH, "ignored.md": ENGLISH})

    data = json.loads(report(tmp_path, "--format", "json"))

    assert data["articles"] == 1
    assert set(data["rejected"]["by_reason"]) == {"not Vietnamese", "is not UTF-8"}


def test_quotes_direct_attributed_unattributed_and_reported(tmp_path):
    write(tmp_path, {"a.txt": POSTED_3_DAYS_LATER})

    quotes = json.loads(report(tmp_path, "--format", "json"))["quotes"]

    assert quotes["direct"] == quotes["attributed"] + quotes["unattributed"] >= 1
    assert quotes["attributed"] >= 1
    assert sum(t["count"] for t in quotes["by_method"].values()) == quotes["direct"] + quotes["reported"]


def test_bad_years_name_the_parameter(tmp_path):
    with pytest.raises(CommandError, match="--years"):
        report(tmp_path, "--years", "2017/2016")
    with pytest.raises(CommandError, match="--years"):
        report(tmp_path, "--years", "2018-2016")


def test_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such directory"):
        report(tmp_path / "nowhere")


def test_examples_zero_keeps_counts_and_drops_examples(tmp_path):
    write(tmp_path, {"2017.txt": DATED_2017, "1990.txt": DATED_1990})

    data = json.loads(report(tmp_path, "--years", "2016-2017", "--examples", "0", "--format", "json"))

    assert data["dates"]["outside_years"]["count"] == 1
    assert data["dates"]["outside_years"]["by_year"]["1990"]["examples"] == []


def test_a_speaker_that_is_a_place_or_an_organisation_is_reported():
    measures = CorpusReport()
    speakers = [Speaker("Hà Nội", "Chủ tịch", ""), Speaker("Sở Nội vụ", "", ""), Speaker("Lê Vĩnh Tân", "", "")]
    measures.add_article(article(speakers=speakers))

    found = measures.as_dict()["speakers"]["places_or_organisations"]

    assert found["count"] == 2
    assert found["by_kind"]["place"]["examples"][0]["snippet"].startswith("Hà Nội (Chủ tịch)")
    assert found["by_kind"]["organisation (Sở)"]["count"] == 1


@pytest.mark.parametrize(
    ("title", "organisation", "reasons"),
    [
        ("Bộ trưởng", "Bộ Khoa học và Công nghệ", []),
        ("Thứ trưởng", "Bộ Giáo dục và Đào tạo", []),
        ("Đại sứ", "Việt Nam tại Nhật Bản", []),
        ("Hiệu trưởng", "Trường THPT Nguyễn Huệ", []),
        ("Chủ tịch HĐQT", "kiêm Tổng giám đốc Công ty Sao Mai", []),
        ("Giám đốc", "Trung tâm Công nghệ thông tin", []),
        ("Chủ tịch UBND", "huyện Lâm Hà", []),
        ("Giám đốc", "Nhà khách Chính phủ tại Đà Nẵng (NK)", []),
        ("Vụ trưởng", "Vụ Trang thiết bị và công trình y tế", []),
        ("Trưởng", "Văn phòng luật sư Trần Minh", []),
        ("Chủ tịch", "Chủ tịch nước", ["title twice"]),
        ("Giám đốc", "Sở Y tế và Phó Giám đốc Sở Tài chính", ["connective", "title twice"]),
        ("Chủ tịch UBND", "tỉnh đã chỉ đạo các sở", ["speech verb", "connective"]),
        ("Phó Thủ tướng", "Trịnh Đình Dũng làm việc với thành phố", ["connective", "person's name"]),
        ("Giám đốc", "Sở Xây dựng và ông Phan Văn Tú", ["connective", "person's name"]),
    ],
)
def test_roles_that_read_as_clauses(title, organisation, reasons):
    assert [reason for reason, _ in role_problems(title, organisation)] == reasons


def test_roles_with_a_verb_or_a_name_are_counted_with_examples():
    measures = CorpusReport()
    measures.add_article(article(roles={"Lê Vĩnh Tân": Role("Bộ trưởng", "Bộ Nội vụ đã")}))
    measures.add_article(article(roles={"Lê Vĩnh Tân": Role("Bộ trưởng", "Bộ Nội vụ")}))

    roles = measures.as_dict()["roles"]

    assert roles["count"] == 2
    assert roles["with_verb_connective_or_name"]["count"] == 1
    assert "Lê Vĩnh Tân: Bộ trưởng | Bộ Nội vụ đã" in roles["with_verb_connective_or_name"]["examples"][0]["snippet"]


@pytest.mark.parametrize(
    ("first", "second", "compatible"),
    [
        (("Thứ trưởng", ""), ("Thứ trưởng Thường trực", "Bộ Tài chính"), True),
        (("Bộ trưởng", "Bộ GD-ĐT"), ("Thứ trưởng", "Bộ Giáo dục và Đào tạo"), True),
        (("Chủ tịch UBND", "tỉnh Nam Định"), ("Phó Chủ tịch", "UBND tỉnh Nam Định"), True),
        (("Đại tá", ""), ("Giám đốc", "Công an tỉnh"), True),
        (("Bộ trưởng", "Bộ Công an"), ("Giám đốc", "Sở Y tế"), False),
    ],
)
def test_role_compatibility(first, second, compatible):
    assert roles_compatible(first, second) is compatible
    assert roles_compatible(second, first) is compatible


def test_namesake_conflicts_across_the_directory():
    results = [
        ("a.txt", article(roles={"Nguyễn Văn Bình": Role("Bộ trưởng", "Bộ Công an")})),
        ("b.txt", article(roles={"Nguyễn Văn Bình": Role("Giám đốc", "Sở Y tế")})),
        ("c.txt", article(roles={"Nguyễn Văn Bình": Role("Bộ trưởng", "")})),
        ("d.txt", article(roles={"Trần Thị Hoa": Role("Thứ trưởng", "")})),
        ("e.txt", article(roles={"Trần Thị Hoa": Role("Thứ trưởng", "Bộ Tài chính")})),
    ]

    namesakes = build_report(results)["namesake_conflicts"]

    assert namesakes["count"] == 1
    conflict = namesakes["examples"][0]
    assert conflict["name"] == "Nguyễn Văn Bình"
    assert {(r["title"], r["organisation"]) for r in conflict["roles"]} == {
        ("Bộ trưởng", "Bộ Công an"),
        ("Giám đốc", "Sở Y tế"),
        ("Bộ trưởng", ""),
    }


def test_quote_shares_methods_and_confidence_bands():
    quotes = [
        ExtractedQuote("Một", 0, 5, "Lê Vĩnh Tân", True, "verb_after", 0.95),
        ExtractedQuote("Hai", 10, 15, None, True, "unattributed", 0.5),
        ExtractedQuote("Ba", 20, 25, None, True, "unattributed", 0.4),
        ExtractedQuote("Bốn", 30, 35, "Lê Vĩnh Tân", False, "reported", 0.6),
        ExtractedQuote("Năm", 40, 45, "Lê Vĩnh Tân", True, "verb_before", 1.0),
    ]

    found = build_report([("a.txt", article(quotes=quotes))])["quotes"]

    assert (found["direct"], found["attributed"], found["unattributed"], found["reported"]) == (4, 2, 2, 1)
    assert found["share_unattributed"] == 0.5
    assert found["by_method"]["unattributed"]["count"] == 2
    assert {band: t["count"] for band, t in found["by_confidence"].items()} == {
        "0.9–1.0": 2,
        "0.6–0.7": 1,
        "0.5–0.6": 1,
        "0.4–0.5": 1,
    }


@pytest.mark.parametrize(
    ("evidence", "kind"),
    [
        ("full date 'ngày 11/5/2017'", "full date '…'"),
        ("'Sáng 6/2' with the header date 2017-02", "'…' with the header date N"),
        ("'ngày 7/4' with the image path date /2024/04/", "'…' with the image path date N"),
        ("'Ngày 9/5' with the year named nearby (2012)", "'…' with the year named nearby (N)"),
        ("'ngày 5-2' near 'tháng 1-2017'", "'…' near '…'"),
        ("header date '13 tháng 2 năm 2014'", "header date '…'"),
        ("no date in the text", "no date in the text"),
        ("'14/6' read from a brand new rule, 2030", "'…' read from a brand new rule, N"),
    ],
)
def test_date_evidence_groups_into_kinds(evidence, kind):
    assert evidence_kind(evidence) == kind


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("not Vietnamese (diacritic ratio 0.001, expected ≥ 0.1)", "not Vietnamese"),
        ("too large (6,000,000 bytes; the limit is 5,242,880)", "too large"),
        ("is not UTF-8 (invalid byte 0xe9 at offset 3); convert it to UTF-8 first", "is not UTF-8"),
        ("the file is empty", "the file is empty"),
    ],
)
def test_rejections_group_by_the_text_before_any_detail(message, reason):
    assert rejection_reason(message) == reason


def test_parse_years_and_post_dates():
    assert parse_years("2016-2017") == (2016, 2017)
    assert parse_years("2024") == (2024, 2024)
    with pytest.raises(ValueError, match="2016-2017"):
        parse_years("năm 2017")
    assert str(post_date("---\ndate: Sun, 05 Jan 2025 00 00 00 +0700\n---\nBài")) == "2025-01-05"
    assert str(post_date("---\r\ntitle: x\r\ndate: '2024-04-05 10:00'\r\n---\r\nBài")) == "2024-04-05"
    # a leading date line is read as the extractor reads it: as the post date
    assert str(post_date("date: 2024-04-05\nkhông có front matter")) == "2024-04-05"
    assert post_date("---\ndate: 31 Feb 2024\n---\n") is None
